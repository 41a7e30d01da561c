// Keeps the catalogue honest: every code it lists is raised somewhere, every DATELINE_ERR_* code the sources
// spell out is one it lists, and the README's error table lists exactly these codes with their statuses. A
// code nobody raises misleads whoever reads the catalogue or the table; a spelled-out code that is not listed
// is a typo no type check would catch; a table that drifts tells operators the wrong thing to do.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERRORS, type ErrorName } from './catalogue.ts';

const SRC = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    const isSource = /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name);
    return isSource ? [path] : [];
  });
}

const sources = sourceFiles(SRC)
  .filter((f) => f !== join(SRC, 'errors', 'catalogue.ts'))
  .map((f) => ({ file: f.slice(SRC.length + 1), text: readFileSync(f, 'utf8') }));

test('every code in the catalogue is raised by some source file', () => {
  const names = Object.keys(ERRORS) as ErrorName[];
  const unused = names.filter((name) => {
    const spelled = new RegExp(`['"\`]${name}['"\`]|DATELINE_ERR_${name}\\b`);
    return !sources.some((s) => spelled.test(s.text));
  });
  assert.deepEqual(unused, [], `no source raises: ${unused.join(', ')}`);
});

test('every DATELINE_ERR_* code spelled out in the sources is in the catalogue', () => {
  const unknown = sources.flatMap((s) =>
    [...s.text.matchAll(/DATELINE_ERR_([A-Z][A-Z0-9_]*)\b/g)]
      .map((m) => m[1]!)
      .filter((name) => !(name in ERRORS))
      .map((name) => `${s.file}: DATELINE_ERR_${name}`),
  );
  assert.deepEqual(unknown, []);
});

test("the README's error table lists every code with its status, and nothing else", () => {
  const readme = readFileSync(join(SRC, '..', 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `DATELINE_ERR_([A-Z0-9_]+)` \| (\d{3}) \| [^|]+\| [^|]+\|$/gm)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
  const expected = Object.entries(ERRORS).map(([name, e]) => `${name} ${e.status}`);
  assert.deepEqual(rows.sort(), expected.sort());
});
