// CSV as RFC 4180 describes it, for the subscriber import and export: the parser reads quoted fields
// (with "" for a quote, and commas and line breaks inside), CRLF or LF line ends, a UTF-8 byte order mark
// (spreadsheets write one), and answers each record with the line it starts on, so a bad row can be named
// as the person sees it in their editor. A file it cannot read (an unclosed quote, a quote in the middle
// of an unquoted field, a NUL byte: not text) is refused whole with the line where reading stopped.
// The writer quotes what needs quoting and defuses formulas: a cell starting with = + - @ (or a tab or
// carriage return, which some spreadsheets skip before looking) gets a leading ' so a spreadsheet shows it
// as text instead of running it (OWASP "CSV injection").

export interface CsvRecord {
  /** 1-based line of the file on which the record starts. */
  line: number;
  fields: string[];
}

export class CsvUnreadable extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every record of `text`, blank lines left out. Throws CsvUnreadable when the text is not CSV. `maxRecords`
 * stops reading early (the caller refuses a file over its limit without reading all of it).
 */
export function parseCsv(text: string, maxRecords = Number.POSITIVE_INFINITY): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    // One record: fields until an unquoted line end or the end of the text.
    for (;;) {
      let value = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= n)
            throw new CsvUnreadable(start, `A quoted field opened on line ${start} is never closed.`);
          const c = s[i]!;
          if (c === '"') {
            if (s[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          if (c === '\0')
            throw new CsvUnreadable(line, `Line ${line} holds a NUL byte: this is not a text file.`);
          value += c;
          i++;
        }
        if (i < n && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r')
          throw new CsvUnreadable(line, `Line ${line} has text after a closing quote; write "" for a quote.`);
      } else {
        const from = i;
        while (i < n && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          const c = s[i]!;
          if (c === '"')
            throw new CsvUnreadable(
              line,
              `Line ${line} has a quote inside an unquoted field; quote the field.`,
            );
          if (c === '\0')
            throw new CsvUnreadable(line, `Line ${line} holds a NUL byte: this is not a text file.`);
          i++;
        }
        value = s.slice(from, i);
      }
      fields.push(value);
      if (i < n && s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // The line end: CRLF, LF, or a lone CR (old Mac files).
    if (s[i] === '\r') i++;
    if (s[i] === '\n') i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '')) {
      out.push({ line: start, fields });
      if (out.length > maxRecords) break;
    }
  }
  return out;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as a spreadsheet will read it safely: formulas defused, quoted when it must be. */
export function csvCell(raw: string | number | null | undefined): string {
  let v = raw === null || raw === undefined ? '' : String(raw);
  if (FORMULA_START.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One record with its CRLF, as RFC 4180 ends lines. */
export function csvRow(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
