// A database that cannot be reached or opened stops every command with one clear error: the code
// DATELINE_ERR_DATABASE_OPEN_FAILED, the setting (DATABASE_URL), what was tried (never the password), and
// exit status 1. No stack, no raw driver error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../test/private-servers.ts';

const dir = mkdtempSync(join(tmpdir(), 'dateline-dberr-'));
const wireFile = join(dir, 'story.json');
writeFileSync(wireFile, JSON.stringify({ headline: 'x', body_html: '<p>x</p>' }));

const run = (args: string[], databaseUrl: string) => {
  const r = spawnSync(process.execPath, ['bin/dateline.js', ...args], {
    env: { ...process.env, DATELINE_DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const COMMANDS = [['migrate'], ['serve'], ['wire', 'ingest', wireFile]];

test('PostgreSQL not listening: every command names DATABASE_URL and the address tried', async () => {
  // A port nothing listens on: taken free, then let go.
  const port = await freePort();
  const url = `postgres://dateline:s3cret-pw@127.0.0.1:${port}/newsroom`;
  for (const args of COMMANDS) {
    const r = run(args, url);
    assert.equal(r.code, 1, `${args[0]}: ${r.err}`);
    assert.match(r.err, /^DATELINE_ERR_DATABASE_OPEN_FAILED: /m, args[0]);
    assert.match(r.err, /DATABASE_URL/);
    assert.match(r.err, new RegExp(`127\\.0\\.0\\.1:${port}/newsroom`));
    assert.match(r.err, /ECONNREFUSED/);
    assert.doesNotMatch(r.err, /s3cret-pw/);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  }
});

test('a SQLite path whose folder cannot be created names DATABASE_URL and the path', () => {
  const notAFolder = join(dir, 'plain-file');
  writeFileSync(notAFolder, 'x');
  const path = join(notAFolder, 'dateline.db');
  for (const args of COMMANDS) {
    const r = run(args, path);
    assert.equal(r.code, 1, `${args[0]}: ${r.err}`);
    assert.match(r.err, /^DATELINE_ERR_DATABASE_OPEN_FAILED: /m, args[0]);
    assert.match(r.err, /DATABASE_URL/);
    assert.ok(r.err.includes(path));
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  }
});
