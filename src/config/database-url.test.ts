// DATABASE_URL is refused with a message that says what is wrong with it, and never shows its password.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDatelineError } from '../errors/catalogue.ts';
import { loadConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'dateline-dburl-'));

function refusal(url: string): Error {
  try {
    loadConfig({ DATABASE_URL: url }, dir);
  } catch (e) {
    assert.ok(isDatelineError(e, 'CONFIG_INVALID'));
    assert.equal(e.where?.setting, 'DATABASE_URL');
    return e;
  }
  return assert.fail(`${url} was accepted`);
}

test('a port out of range is named as the problem, not the scheme', () => {
  const e = refusal('postgres://dateline:s3cret@db.internal:99999/news');
  assert.match(e.message, /port/);
  assert.match(e.message, /99999/);
  assert.doesNotMatch(e.message, /Allowed: a URL starting with/);
  assert.doesNotMatch(e.message, /s3cret/);
});

test('an unparseable PostgreSQL URL hides the password too', () => {
  const e = refusal('postgres://dateline:s3cret@db internal/news');
  assert.doesNotMatch(e.message, /s3cret/);
});

test('ports in range are accepted', () => {
  for (const url of ['postgres://u@h:1/db', 'postgres://u@h:65535/db', 'postgresql://u@h/db']) {
    assert.equal(loadConfig({ DATABASE_URL: url }, dir).databaseUrl, url);
  }
});
