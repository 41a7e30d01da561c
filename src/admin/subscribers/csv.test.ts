// The subscriber screens' CSV reader and writer: RFC 4180 quoting (commas, quotes and line breaks inside
// fields), CRLF and LF, the byte order mark, the line each record starts on, files refused whole with the
// line where reading stopped, and formula cells defused on the way out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvUnreadable, csvCell, csvRow, parseCsv } from './csv.ts';

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

test('plain records, CRLF or LF, with a last line with or without its line end', () => {
  assert.deepEqual(fieldsOf('email,consent\r\na@b.jp,yes\r\n'), [
    ['email', 'consent'],
    ['a@b.jp', 'yes'],
  ]);
  assert.deepEqual(fieldsOf('email,consent\na@b.jp,yes'), [
    ['email', 'consent'],
    ['a@b.jp', 'yes'],
  ]);
  assert.deepEqual(fieldsOf('a\rb\r'), [['a'], ['b']], 'a lone CR ends a line too');
});

test('quoted fields keep commas, doubled quotes and line breaks; empty fields stay', () => {
  assert.deepEqual(fieldsOf('"Sato, Hana","say ""hi""","two\r\nlines",\r\n'), [
    ['Sato, Hana', 'say "hi"', 'two\r\nlines', ''],
  ]);
  assert.deepEqual(fieldsOf('"",x,""\n'), [['', 'x', '']]);
});

test('a byte order mark is not part of the first header', () => {
  assert.deepEqual(fieldsOf('\ufeffemail,consent\n'), [['email', 'consent']]);
});

test('each record names the line it starts on, counting blank lines and breaks inside quotes', () => {
  const recs = parseCsv('email,consent\n\n"x\ny",yes\nlast,no\n');
  assert.deepEqual(
    recs.map((r) => r.line),
    [1, 3, 5],
  );
});

test('unreadable text is refused with the line where reading stopped', () => {
  const lineOf = (text: string) => {
    try {
      parseCsv(text);
    } catch (e) {
      assert.ok(e instanceof CsvUnreadable);
      return e.line;
    }
    return null;
  };
  assert.equal(lineOf('a,b\n"open,never closed\nmore\n'), 2);
  assert.equal(lineOf('a,b\nx"y,z\n'), 2, 'a quote inside an unquoted field');
  assert.equal(lineOf('a\n"x"y\n'), 2, 'text after a closing quote');
  assert.equal(lineOf('a\nb\u0000c\n'), 2, 'a NUL byte: not text');
});

test('reading stops one record over a limit', () => {
  assert.equal(parseCsv('a\nb\nc\nd\n', 2).length, 3);
});

test('cells: formulas get a leading apostrophe, and quoting is only where needed', () => {
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell('+1'), "'+1");
  assert.equal(csvCell('-2'), "'-2");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\tcmd'), "'\tcmd");
  assert.equal(csvCell('plain@mail.jp'), 'plain@mail.jp');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell(null), '');
  assert.equal(csvRow(['x', 3, null]), 'x,3,\r\n');
});

test('what the writer writes, the reader reads back', () => {
  const cells = ['Sato, "Hana"', 'two\nlines', 'plain', ''];
  assert.deepEqual(parseCsv(csvRow(cells))[0]!.fields, cells);
});
