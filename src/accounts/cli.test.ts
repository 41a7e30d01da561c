import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { DIALECTS, TEST_PG_URL } from '../../test/dialects.ts';
import { main } from '../cli/main.ts';

async function run(argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  const { Readable } = await import('node:stream');
  const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  if (stdin !== undefined)
    Object.defineProperty(process, 'stdin', { value: Readable.from([`${stdin}\n`]), configurable: true });
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
    if (stdin !== undefined) Object.defineProperty(process, 'stdin', realStdin);
  }
}

for (const dialect of DIALECTS) {
  describe(`dateline user and mail commands [${dialect}]`, () => {
    const saved = { ...process.env };
    // A database of its own: the CLI opens DATABASE_URL as an operator would, without a test schema.
    const database = `dateline_cli_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dateline-cli-'));
      process.env.DATELINE_DATA_DIR = dir;
      process.env.DATELINE_DEMO = 'false';
      process.env.DATELINE_ARGON2_MEMORY_KIB = '1024';
      process.env.DATELINE_ARGON2_TIME_COST = '1';
      if (dialect === 'postgres') {
        const c = new pg.Client({ connectionString: TEST_PG_URL });
        await c.connect();
        await c.query(`create database ${database}`);
        await c.end();
        const url = new URL(TEST_PG_URL);
        url.pathname = `/${database}`;
        process.env.DATABASE_URL = url.href;
      } else {
        process.env.DATABASE_URL = join(dir, 'cli.db');
      }
      const added = await run(['site', 'add', 'news', '--name', 'Example Times', '--host', 'news.localhost']);
      assert.equal(added.code, 0, added.err);
    });
    after(async () => {
      process.env = saved;
      if (dialect === 'postgres') {
        const c = new pg.Client({ connectionString: TEST_PG_URL });
        await c.connect();
        await c.query(`drop database if exists ${database} with (force)`);
        await c.end();
      }
    });

    test('create the first owner, with a set-password link or a password from stdin', async () => {
      const r = await run([
        'user',
        'create',
        '--email',
        'Owner@Example.com',
        '--name',
        'Olive Owner',
        '--role',
        'owner',
      ]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Created account \d+ for owner@example.com with role owner/);
      assert.match(r.out, /http:\/\/news\.localhost:3000\/account\/reset\?t=[\w-]+/);
      const s = await run(
        [
          'user',
          'create',
          '--email',
          'ed@example.com',
          '--role',
          'editor',
          '--site',
          'news',
          '--password-stdin',
        ],
        'a-long-enough-passphrase',
      );
      assert.equal(s.code, 0, s.err);
      assert.doesNotMatch(s.out, /reset\?t=/);
      const dup = await run(['user', 'create', '--email', 'owner@example.com']);
      assert.equal(dup.code, 1);
      assert.match(dup.err, /DATELINE_ERR_ACCOUNT_EXISTS/);
      const siteOwner = await run([
        'user',
        'create',
        '--email',
        'x@example.com',
        '--role',
        'owner',
        '--site',
        'news',
      ]);
      assert.match(siteOwner.err, /DATELINE_ERR_ACCOUNT_INVALID/);
    });

    test('list, change roles, disable and enable', async () => {
      const list = await run(['user', 'list']);
      assert.match(list.out, /owner@example.com\s+active\s+owner\s+Olive Owner/);
      assert.match(list.out, /ed@example.com\s+active\s+editor@news/);
      assert.equal((await run(['user', 'role', 'ed@example.com', '--add', 'moderator'])).code, 0);
      assert.match((await run(['user', 'list', '--role', 'moderator'])).out, /ed@example.com/);
      assert.equal(
        (await run(['user', 'role', 'ed@example.com', '--remove', 'editor', '--site', 'news'])).code,
        0,
      );
      assert.doesNotMatch((await run(['user', 'list', '--role', 'editor'])).out, /ed@example.com/);
      assert.equal((await run(['user', 'disable', 'ed@example.com'])).code, 0);
      assert.match((await run(['user', 'list'])).out, /ed@example.com\s+disabled/);
      assert.equal((await run(['user', 'enable', 'ed@example.com'])).code, 0);
      assert.equal((await run(['user', 'role', 'ed@example.com', '--add', 'wizard'])).code, 2);
      assert.equal((await run(['user', 'disable', 'nobody@example.com'])).code, 1);
    });

    test('mail outbox lists queued and delivered mail', async () => {
      const empty = await run(['mail', 'outbox']);
      assert.equal(empty.code, 0);
      assert.match(empty.out, /The outbox is empty/);
      assert.equal((await run(['mail', 'inbox'])).code, 2);
    });
  });
}
