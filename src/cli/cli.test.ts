// The `dateline` command as a user runs it: help, exit codes, sites, import, and clear errors. The commands
// that use a database run once per dialect (DIALECTS), each against a database of its own that the command
// opens from DATABASE_URL as an operator's would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandDatabase, DIALECTS } from '../../test/dialects.ts';
import { openDatabase } from '../db/connection.ts';

const dir = mkdtempSync(join(tmpdir(), 'dateline-cli-'));
const run = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, ['bin/dateline.js', ...args], {
    env: { ...process.env, DATELINE_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('help and usage errors', () => {
  assert.equal(run(['--help']).code, 0);
  for (const cmd of ['serve', 'migrate', 'demo', 'site', 'article']) {
    const r = run([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.out, /Usage/);
  }
  assert.equal(run([]).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run(['site', 'add']).code, 2);
  assert.equal(run(['site', 'list', '--bogus']).code, 2);
});

test('a bad setting stops with a message naming it', () => {
  const r = run(['migrate'], { PORT: 'eighty' });
  assert.equal(r.code, 2);
  assert.match(r.err, /DATELINE_ERR_CONFIG_INVALID/);
  assert.match(r.err, /PORT/);
});

for (const dialect of DIALECTS) {
  describe(`dateline migrate, site, article and serve [${dialect}]`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dateline-cli-'));
    const env: Record<string, string> = { DATELINE_DATA_DIR: dataDir };
    let database: Awaited<ReturnType<typeof commandDatabase>> | undefined;
    before(async () => {
      database = await commandDatabase(dialect, dataDir);
      env.DATABASE_URL = database.url;
    });
    after(async () => {
      await database?.drop();
    });
    const cli = (args: string[]) => run(args, env);

    test('migrate, site add/list/edit, article import', async () => {
      const migrated = cli(['migrate']);
      assert.equal(migrated.code, 0, migrated.err);
      const add = cli([
        'site',
        'add',
        'gazette',
        '--name',
        'The Gazette',
        '--time-zone',
        'Asia/Tokyo',
        '--section',
        'world:World',
      ]);
      assert.equal(add.code, 0, add.err);
      assert.equal(cli(['site', 'add', 'gazette', '--name', 'Again']).code, 1);
      assert.equal(cli(['site', 'add', 'bad', '--name', 'X', '--time-zone', 'Mars/Base']).code, 1);
      assert.equal(cli(['site', 'edit', 'gazette', '--footer', '©2025 Gazette Inc.']).code, 0);
      // The edit is in the database the command was pointed at.
      const db = await openDatabase({ url: env.DATABASE_URL! });
      try {
        const row = await db.kysely
          .selectFrom('sites')
          .select(['footer_text', 'time_zone'])
          .where('slug', '=', 'gazette')
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, { footer_text: '©2025 Gazette Inc.', time_zone: 'Asia/Tokyo' });
      } finally {
        await db.close();
      }
      const list = cli(['site', 'list']);
      assert.match(list.out, /gazette\s+The Gazette\s+Asia\/Tokyo\s+gazette\.localhost/);
      const file = join(dir, 'a.json');
      writeFileSync(
        file,
        JSON.stringify({ site: 'gazette', section: 'world', headline: 'Hello world', body_html: '<p>x</p>' }),
      );
      const imp = cli(['article', 'import', file]);
      assert.equal(imp.code, 0, imp.err);
      assert.match(imp.out, /gazette \/world\/hello-world/);
      writeFileSync(file, JSON.stringify([{ site: 'gazette', section: 'world', body_html: '<p>x</p>' }]));
      const bad = cli(['article', 'import', file]);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /DATELINE_ERR_IMPORT_INVALID/);
      assert.match(bad.err, /item 1, field "headline"/);
    });

    test('serve answers, then on SIGTERM drains and exits 0', async () => {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, ['bin/dateline.js', 'serve'], {
        env: {
          ...process.env,
          ...env,
          LOG_LEVEL: 'warn',
          DATELINE_DEMO: 'false',
          PORT: '0',
          HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        err += d;
      });
      // A deadline, not a measurement (start-up time is the bench's): generous, because on a loaded
      // machine a cold start that compiles nothing still takes seconds. A child that dies says why at once.
      const port = await new Promise<number>((resolve, reject) => {
        const fail = (why: string) => reject(new Error(`${why}\nstdout: ${out}\nstderr: ${err}`));
        const timer = setTimeout(() => fail('no start within 90 s'), 90_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          fail(`serve exited with ${code} before it listened`);
        });
        const check = () => {
          const m = /http:\/\/gazette\.localhost:(\d+)\//.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          } else if (child.exitCode === null) setTimeout(check, 50);
        };
        check();
      });
      // fetch() may not set Host, so the site's host goes in by node:http; a bare 127.0.0.1 would get the
      // development directory of sites instead of the story.
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        get(
          {
            host: '127.0.0.1',
            port,
            path: '/world/hello-world',
            headers: { host: `gazette.localhost:${port}` },
          },
          (r) => {
            let body = '';
            r.setEncoding('utf8');
            r.on('data', (d) => {
              body += d;
            });
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
          },
        ).on('error', reject);
      });
      assert.equal(res.status, 200);
      assert.match(res.body, /<h1>Hello world<\/h1>/);
      // Readers see the footer the edit set.
      assert.match(res.body, /©2025 Gazette Inc\./);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    });
  });
}
