// Production behind a real TLS-terminating proxy: haproxy with a certificate made here, in front of Dateline
// running with NODE_ENV=production and DATELINE_TRUST_PROXY. Through it, sign-in forms posted from the
// site's https origin are accepted and cross-site ones refused, redirects and mail links use https, cookies
// are Secure with the __Host- prefix, HSTS is sent, and a reader the proxy reports as plain http is sent to
// https. Needs the haproxy and openssl commands (Debian packages haproxy, openssl).
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { csrfOf, FAST_ARGON2, linkIn } from '../accounts/testing.ts';

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, proxy: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (proxy.exitCode !== null) throw new Error(`haproxy exited (${proxy.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`haproxy did not open port ${port}: ${log()}`);
}

/** A self-signed certificate for the test's host names, and haproxy's PEM bundle (certificate + key). */
function makeCertificate(dir: string): { ca: Buffer; bundle: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=news.localhost',
      '-addext',
      'subjectAltName=DNS:news.localhost,DNS:life.localhost',
    ],
    { stdio: 'ignore' },
  );
  const bundle = join(dir, 'bundle.pem');
  writeFileSync(bundle, Buffer.concat([readFileSync(cert), readFileSync(key)]));
  return { ca: readFileSync(cert), bundle };
}

describeEachDialect('production behind a TLS-terminating proxy (haproxy)', (ctx) => {
  describe('through haproxy', () => {
    let t: TestApp;
    let proxy: ChildProcess;
    let ca: Buffer;
    let tlsPort: number;
    let plainPort: number;
    let NEWS: string;
    const jar = new Map<string, string>();

    /** One request through the proxy's TLS side, verifying its certificate, keeping cookies in `jar`. */
    function request(
      method: 'GET' | 'POST',
      path: string,
      opts: { form?: Record<string, string>; headers?: Record<string, string>; cookies?: boolean } = {},
    ): Promise<Res> {
      const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      return new Promise((resolve, reject) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port: tlsPort,
            servername: 'news.localhost',
            ca,
            method,
            path,
            agent: false,
            headers: {
              host: `news.localhost:${tlsPort}`,
              accept: 'text/html',
              ...(cookie && opts.cookies !== false ? { cookie } : {}),
              ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
              ...opts.headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              for (const c of res.headers['set-cookie'] ?? []) {
                const [pair] = c.split(';');
                const eq = pair!.indexOf('=');
                const value = pair!.slice(eq + 1);
                if (value === '' || /max-age=0/i.test(c)) jar.delete(pair!.slice(0, eq));
                else jar.set(pair!.slice(0, eq), value);
              }
              resolve({
                status: res.statusCode!,
                headers: res.headers,
                body: Buffer.concat(chunks).toString(),
              });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    }

    /** Follows same-site redirects (the sign-in hop) to the absolute URL the reader lands on. */
    async function landing(res: Res): Promise<string> {
      let location = String(res.headers.location);
      for (let i = 0; i < 5 && location.startsWith('/'); i++) {
        const next = await request('GET', location);
        assert.ok(next.status >= 300 && next.status < 400, `${location}: ${next.status}`);
        location = String(next.headers.location);
      }
      return location;
    }

    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dateline-proxy-'));
      const certificate = makeCertificate(dir);
      ca = certificate.ca;
      tlsPort = await freePort();
      plainPort = await freePort();
      NEWS = `https://news.localhost:${tlsPort}`;
      t = await startTestApp(ctx.db, {
        ...FAST_ARGON2,
        NODE_ENV: 'production',
        DATELINE_TRUST_PROXY: '127.0.0.1',
        DATELINE_PUBLIC_PORT: String(tlsPort),
      });
      const site = await t.rt.sites.create({
        slug: 'news',
        name: 'Example Times',
        hosts: ['news.localhost'],
      });
      await t.rt.sections.create(site.id, { slug: 'world', name: 'World' });
      await t.rt.directory.load();
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const appPort = (t.app.server.address() as { port: number }).port;
      const config = join(dir, 'haproxy.cfg');
      writeFileSync(
        config,
        [
          'defaults',
          '  mode http',
          '  timeout connect 5s',
          '  timeout client 30s',
          '  timeout server 30s',
          'frontend tls',
          `  bind 127.0.0.1:${tlsPort} ssl crt ${certificate.bundle}`,
          '  http-request set-header X-Forwarded-Proto https',
          '  option forwardfor',
          '  default_backend dateline',
          'frontend plain',
          `  bind 127.0.0.1:${plainPort}`,
          '  http-request set-header X-Forwarded-Proto http',
          '  option forwardfor',
          '  default_backend dateline',
          'backend dateline',
          `  server app 127.0.0.1:${appPort}`,
          '',
        ].join('\n'),
      );
      let log = '';
      proxy = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
      proxy.on('error', (err) => {
        log += `${err.message}: install haproxy (apt-get install haproxy) to run this test\n`;
      });
      proxy.stdout?.on('data', (d) => (log += d));
      proxy.stderr?.on('data', (d) => (log += d));
      await waitForPort(tlsPort, proxy, () => log);
      await waitForPort(plainPort, proxy, () => log);
    });

    after(async () => {
      if (proxy && proxy.exitCode === null) {
        const exited = new Promise((resolve) => proxy.once('exit', resolve));
        proxy.kill('SIGTERM');
        await exited;
      }
      await t?.close();
    });

    test('pages come over https with HSTS and https canonical links', async () => {
      const home = await request('GET', '/');
      assert.equal(home.status, 200);
      assert.equal(home.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      assert.match(home.body, new RegExp(`<link rel="canonical" href="${NEWS}/"`));
    });

    test('register and verify from the https origin: accepted, with Secure __Host- cookies and https links', async () => {
      jar.clear();
      const form = await request('GET', '/account/register');
      assert.equal(form.status, 200);
      const pre = (form.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-dl_pre='));
      assert.ok(pre, String(form.headers['set-cookie']));
      assert.match(pre, /; Path=\/;/);
      assert.match(pre, /; Secure(;|$)/);
      assert.doesNotMatch(pre, /domain=/i);
      const reg = await request('POST', '/account/register', {
        headers: { origin: NEWS },
        form: {
          csrf: csrfOf(form.body),
          email: 'ana@example.com',
          displayName: 'Ana Reader',
          password: 'velvet-harbour-lantern',
        },
      });
      assert.equal(reg.status, 200, reg.body);
      await t.rt.jobs.drain();
      const [mail] = await t.rt.mail.outbox({ to: 'ana@example.com' });
      const link = linkIn(mail!.text, '/account/verify?t=');
      assert.ok(link.startsWith(`${NEWS}/account/verify?t=`), link);
      const verifyPage = await request('GET', link.slice(NEWS.length));
      assert.equal(verifyPage.status, 200);
      const verified = await request('POST', '/account/verify', {
        headers: { origin: NEWS },
        form: { csrf: csrfOf(verifyPage.body), t: new URL(link).searchParams.get('t')! },
      });
      assert.equal(verified.status, 303, verified.body);
      assert.equal(await landing(verified), `${NEWS}/account?m=verified`);
      const session = (verified.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-dl_session='));
      assert.ok(session, String(verified.headers['set-cookie']));
      assert.match(session, /; Path=\/;.*HttpOnly; SameSite=Lax; Secure$/);
      assert.doesNotMatch(session, /domain=/i);
    });

    test('log in: the https origin is accepted, a cross-site or plain-http Origin is refused', async () => {
      jar.clear();
      const form = await request('GET', '/account/login');
      const creds = { email: 'ana@example.com', password: 'velvet-harbour-lantern', csrf: csrfOf(form.body) };
      // The Origin header alone (no Sec-Fetch-Site), as older browsers and some proxies leave it.
      for (const origin of ['https://evil.example', `http://news.localhost:${tlsPort}`, 'null']) {
        const refused = await request('POST', '/account/login', { headers: { origin }, form: creds });
        assert.equal(refused.status, 403, origin);
        assert.equal(jar.get('__Host-dl_session'), undefined, origin);
      }
      const ok = await request('POST', '/account/login', { headers: { origin: NEWS }, form: creds });
      assert.equal(ok.status, 303, ok.body);
      assert.equal(await landing(ok), `${NEWS}/`);
      assert.ok(jar.get('__Host-dl_session'));
      const account = await request('GET', '/account');
      assert.equal(account.status, 200);
      assert.match(account.body, /Ana Reader/);
    });

    test('a reader the proxy reports as plain http is redirected to https', async () => {
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http
          .get(
            {
              host: '127.0.0.1',
              port: plainPort,
              path: '/world?page=1',
              headers: { host: `news.localhost:${plainPort}` },
              agent: false,
            },
            resolve,
          )
          .on('error', reject);
      });
      res.resume();
      assert.equal(res.statusCode, 301);
      assert.equal(res.headers.location, `${NEWS}/world?page=1`);
    });
  });
});
