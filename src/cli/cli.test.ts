// The `dateline` command as a user runs it: help, exit codes, sites, import, and clear errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

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

test('migrate, site add/list/edit, article import', () => {
  assert.equal(run(['migrate']).code, 0);
  const add = run([
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
  assert.equal(run(['site', 'add', 'gazette', '--name', 'Again']).code, 1);
  assert.equal(run(['site', 'add', 'bad', '--name', 'X', '--time-zone', 'Mars/Base']).code, 1);
  assert.equal(run(['site', 'edit', 'gazette', '--footer', '©2025 Gazette Inc.']).code, 0);
  const list = run(['site', 'list']);
  assert.match(list.out, /gazette\s+The Gazette\s+Asia\/Tokyo\s+gazette\.localhost/);
  const file = join(dir, 'a.json');
  writeFileSync(
    file,
    JSON.stringify({ site: 'gazette', section: 'world', headline: 'Hello world', body_html: '<p>x</p>' }),
  );
  const imp = run(['article', 'import', file]);
  assert.equal(imp.code, 0, imp.err);
  assert.match(imp.out, /gazette \/world\/hello-world/);
  writeFileSync(file, JSON.stringify([{ site: 'gazette', section: 'world', body_html: '<p>x</p>' }]));
  const bad = run(['article', 'import', file]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /DATELINE_ERR_IMPORT_INVALID/);
  assert.match(bad.err, /item 1, field "headline"/);
});

test('serve answers, then on SIGTERM drains and exits 0', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['bin/dateline.js', 'serve'], {
    env: {
      ...process.env,
      DATELINE_DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      DATELINE_DEMO: 'false',
      PORT: '0',
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 20_000);
    const check = () => {
      const m = /http:\/\/gazette\.localhost:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      } else setTimeout(check, 50);
    };
    check();
  });
  const res = await fetch(`http://127.0.0.1:${port}/world/hello-world`, {
    headers: { host: 'gazette.localhost' },
  });
  assert.equal(res.status, 200);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
