// The compiled build runs as it does for an operator: `npm run build`, then the server from dist/ (which
// bin/dateline.js, and so `npm start`, uses whenever the build is fresh). The sources run through tsx in
// every other test, so a path that only breaks once compiled (a client script bundled from a .ts entry that
// dist/ holds as .js, a stylesheet read beside its module) would otherwise pass everything. Here the compiled
// server must start, and serve a reader page with its stylesheet and the admin's sign-in page with its script.
// It lives with the browser tests because those run one file at a time: nothing else reads dist/ meanwhile.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FAST_ARGON2 } from '../../src/accounts/testing.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let server: ChildProcess;
let output = '';
let port = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForOutput(pattern: RegExp, ms = 120_000): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(output);
    if (m) return m;
    if (server.exitCode !== null)
      throw new Error(`the compiled server exited (${server.exitCode}):\n${output}`);
    if (Date.now() > until) throw new Error(`the compiled server never printed ${pattern}:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A GET to the server under a Host of the network's. */
// node:http, not fetch: fetch does not let a caller set the Host header.
function get(host: string, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `${host}:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  port = await freePort();
  server = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATELINE_DATA_DIR: mkdtempSync(join(tmpdir(), 'dateline-compiled-')),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      ...FAST_ARGON2,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => {
    output += String(d);
  });
  server.stderr!.on('data', (d) => {
    output += String(d);
  });
  await waitForOutput(/The newsroom admin:\s+http:\/\/admin\.localhost:\d+\//);
});

after(() => {
  server?.kill('SIGTERM');
});

test('the compiled server serves a reader page and its stylesheet', { timeout: 60_000 }, async () => {
  const home = await get('news.localhost', '/');
  assert.equal(home.status, 200, output);
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(home.body)?.[1];
  assert.ok(css, 'the home page links a stylesheet');
  const sheet = await get('news.localhost', css);
  assert.equal(sheet.status, 200);
  assert.match(sheet.type, /text\/css/);
  assert.ok(sheet.body.length > 1000);
});

test('the compiled server serves the admin and its client script', { timeout: 60_000 }, async () => {
  const login = await get('admin.localhost', '/login');
  assert.equal(login.status, 200, output);
  const script = /<script[^>]+src="([^"]*admin\.js)"/.exec(login.body)?.[1];
  assert.ok(script, 'the admin page loads admin.js');
  const js = await get('admin.localhost', script);
  assert.equal(js.status, 200);
  assert.match(js.type, /javascript/);
  assert.match(js.body, /data-autosubmit/);
});
