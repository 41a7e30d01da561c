// Text handling for search: article HTML to plain text for the index, reading a reader's query into terms
// the engines can take safely, and highlight markers that views turn into <mark> without ever trusting the
// text between them.

/** Highlight markers: private-use characters, stripped from indexed text so an article cannot forge them. */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
const MARKERS = /[\uE000\uE001]/g;

// Han, Hiragana, Katakana, Hangul (and their punctuation-free ranges): scripts written without spaces
// between words, which word tokenizers cannot split, so they are searched by substring instead.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function hasCjk(s: string): boolean {
  return CJK.test(s);
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Plain text of (already sanitised) article HTML: blocks become line breaks, tags go, entities decode. */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<\/?(p|div|h[1-6]|li|ul|ol|blockquote|br|tr|td|th|figure|figcaption|table)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(MARKERS, '')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

export function stripMarkers(s: string): string {
  return s.replace(MARKERS, '');
}

/** The most of a query we read; anything longer is cut (never an error). */
export const MAX_QUERY_CHARS = 200;
const MAX_TERMS = 12;
const MAX_TERM_CHARS = 64;

export interface ParsedQuery {
  /** The query as read (trimmed, cut to MAX_QUERY_CHARS), for showing back to the reader. */
  text: string;
  /** Words every hit must contain. */
  terms: string[];
  /** "Quoted phrases", each a list of words in order. */
  phrases: string[][];
  /** -words no hit may contain. */
  excluded: string[];
  /** True when the query has CJK text: it is then matched by substring (see README). */
  cjk: boolean;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const CONTROL = /\p{Cc}/gu;

function words(s: string): string[] {
  return (s.match(WORD) ?? []).map((w) => w.slice(0, MAX_TERM_CHARS).toLowerCase());
}

/** For CJK queries: runs of letters/digits between spaces and punctuation, matched as substrings. */
function chunks(s: string): string[] {
  return s
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((w) => w !== '')
    .map((w) => w.slice(0, MAX_TERM_CHARS).toLowerCase());
}

/**
 * Reads what a reader typed. Only letters and digits reach the engines, so FTS syntax characters, quotes
 * out of balance, operators and control characters can never make a query fail: they are simply ignored.
 * Supported: words (all must match), "quoted phrases", and -excluded words.
 */
export function parseQuery(raw: string): ParsedQuery {
  const text = stripMarkers(raw).replace(CONTROL, ' ').trim().slice(0, MAX_QUERY_CHARS);
  const cjk = hasCjk(text);
  const split = cjk ? chunks : words;
  const terms: string[] = [];
  const phrases: string[][] = [];
  const excluded: string[] = [];
  let budget = MAX_TERMS;
  const take = <T>(list: T[], item: T) => {
    if (budget > 0) {
      list.push(item);
      budget--;
    }
  };
  // Quoted phrases first (only balanced pairs), then the rest word by word.
  const rest = text.replace(/"([^"]*)"/g, (_m, inner: string) => {
    const ws = split(inner);
    if (ws.length === 1) take(terms, ws[0]!);
    else if (ws.length > 1) take(phrases, cjk ? [ws.join(' ')] : ws);
    return ' ';
  });
  for (const token of rest.split(/\s+/)) {
    if (token === '') continue;
    const negative = token.startsWith('-') && token.length > 1;
    for (const w of split(negative ? token.slice(1) : token)) {
      if (negative) take(excluded, w);
      else if (!terms.includes(w)) take(terms, w);
    }
  }
  return { text, terms, phrases, excluded, cjk };
}

/** True when the query has something to look for (exclusions alone do not). */
export function isSearchable(q: ParsedQuery): boolean {
  return q.terms.length > 0 || q.phrases.length > 0;
}

/** Every string a CJK hit must contain, lowercased: terms and phrases (a CJK phrase is one substring). */
export function substrings(q: ParsedQuery): string[] {
  return [...q.terms, ...q.phrases.map((p) => p.join(' '))];
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits marked text into plain and highlighted runs. Views render each run as text, so it stays escaped. */
export function toSegments(marked: string): Segment[] {
  const out: Segment[] = [];
  let hit = false;
  let buf = '';
  const flush = () => {
    if (buf !== '') {
      const last = out[out.length - 1];
      if (last && last.hit === hit) last.text += buf;
      else out.push({ text: buf, hit });
    }
    buf = '';
  };
  for (const ch of marked) {
    if (ch === MARK_START || ch === MARK_END) {
      flush();
      hit = ch === MARK_START;
    } else buf += ch;
  }
  flush();
  return out;
}

/** Wraps every case-insensitive occurrence of the needles in markers (used for CJK, where engines can't). */
export function markSubstrings(text: string, needles: string[]): string {
  const wanted = needles.filter((n) => n !== '').sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return text;
  const lower = text.toLowerCase();
  // toLowerCase can change length for a few characters; then positions would drift, so don't mark.
  if (lower.length !== text.length) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const n = wanted.find((w) => lower.startsWith(w, i));
    if (n) {
      out += MARK_START + text.slice(i, i + n.length) + MARK_END;
      i += n.length;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/** A window of about `size` characters around the first occurrence of any needle, with the needles marked. */
export function substringSnippet(text: string, needles: string[], size = 120): string {
  const lower = text.toLowerCase();
  let first = -1;
  for (const n of needles) {
    const at = n === '' ? -1 : lower.indexOf(n);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  if (first < 0) return leadText(text, size);
  const start = Math.max(0, first - Math.floor(size / 3));
  const end = Math.min(text.length, start + size);
  const window = text.slice(start, end).replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${markSubstrings(window, needles)}${end < text.length ? '…' : ''}`;
}

/** The first `size` characters, cut at a space where possible. */
export function leadText(text: string, size = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= size) return flat;
  const cut = flat.slice(0, size);
  const space = cut.lastIndexOf(' ');
  return `${space > size / 2 ? cut.slice(0, space) : cut}…`;
}
