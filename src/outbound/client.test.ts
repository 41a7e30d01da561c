import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { isDatelineError } from '../errors/catalogue.ts';
import { OutboundClient, type OutboundOptions } from './client.ts';

// A real server on loopback. It is reached under the made-up name `feeds.test`, which only the test's
// resolver knows and the allow-list opens by name: so loopback itself stays refused, and a redirect from
// the allowed server to 127.0.0.1 or 169.254.169.254 shows whether every hop is checked again.
let server: Server;
let port = 0;
const hits: string[] = [];
before(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/ok') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello');
    } else if (u.pathname === '/redirect') {
      res.writeHead(302, { location: u.searchParams.get('to') ?? '/ok' });
      res.end();
    } else if (u.pathname === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (u.pathname === '/post') {
      res.writeHead(303, { location: '/ok' });
      res.end();
    } else if (u.pathname === '/big-declared') {
      res.writeHead(200, { 'content-length': String(10_000_000) });
      res.end();
    } else if (u.pathname === '/big-streamed') {
      // No content-length: the cap has to count the bytes as they come.
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const more = () => {
        while (sent < 100 && res.write(chunk)) sent++;
        if (sent < 100) res.once('drain', more);
        else res.end();
      };
      res.on('error', () => {});
      more();
    } else if (u.pathname === '/stall') {
      // Headers, a little body, then nothing: only the total time limit ends this.
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const resolveTestNames = async (host: string): Promise<LookupAddress[]> => {
  if (host === 'feeds.test') return [{ address: '127.0.0.1', family: 4 }];
  if (host === 'metadata.test') return [{ address: '169.254.169.254', family: 4 }];
  if (host === 'mixed.test')
    return [
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
  if (host === 'public.test') return [{ address: '93.184.215.14', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

function client(o: OutboundOptions = {}) {
  const logged: Record<string, unknown>[] = [];
  const c = new OutboundClient({ resolve: resolveTestNames, log: (d) => logged.push(d), ...o });
  return { c, logged };
}

const limits = { maxBytes: 1024 * 1024, timeoutMs: 5000 };
const code = (name: string) => (e: unknown) => isDatelineError(e) && e.code === `DATELINE_ERR_${name}`;

test('without an allow-list, loopback, private, link-local and numeric forms are refused before connecting', async () => {
  const { c } = client();
  hits.length = 0;
  for (const url of [
    `http://127.0.0.1:${port}/ok`,
    `http://2130706433:${port}/ok`,
    `http://0x7f.1:${port}/ok`,
    `http://017700000001:${port}/ok`,
    `http://[::1]:${port}/ok`,
    `http://[::ffff:127.0.0.1]:${port}/ok`,
    `http://0.0.0.0:${port}/ok`,
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://100.64.0.1/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://[64:ff9b::7f00:1]/',
    `http://feeds.test:${port}/ok`,
    'http://metadata.test/',
    'https://mixed.test/',
  ]) {
    await assert.rejects(c.request(url, limits), code('FETCH_REFUSED'), url);
    await assert.rejects(c.check(url), code('FETCH_REFUSED'), url);
  }
  assert.deepEqual(hits, [], 'nothing reached the server');
});

test('only http and https, and no credentials in the URL', async () => {
  const { c } = client({ allow: ['feeds.test'] });
  for (const url of [
    'ftp://feeds.test/x',
    'file:///etc/passwd',
    'gopher://feeds.test/',
    'not a url',
    `http://u:p@feeds.test:${port}/ok`,
  ]) {
    await assert.rejects(c.request(url, limits), code('FETCH_REFUSED'), url);
  }
});

test('an allow-listed host is fetched, at the address that was checked', async () => {
  const { c } = client({ allow: ['feeds.test'] });
  // `feeds.test` exists only in the test's resolver: the connection goes to the checked address.
  const res = await c.request(`http://feeds.test:${port}/ok`, limits);
  assert.equal(res.status, 200);
  assert.equal(res.body.toString(), 'hello');
  const byRange = client({ allow: ['127.0.0.0/8'] }).c;
  assert.equal((await byRange.request(`http://127.0.0.1:${port}/ok`, limits)).status, 200);
  assert.equal((await byRange.check(`http://127.0.0.1:${port}/ok`)).allowListed, true);
});

test('a redirect from an allowed server to loopback or the metadata address is refused', async () => {
  const { c, logged } = client({ allow: ['feeds.test'] });
  hits.length = 0;
  for (const to of [
    `http://127.0.0.1:${port}/ok`,
    `http://2130706433:${port}/ok`,
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.test/',
  ]) {
    const url = `http://feeds.test:${port}/redirect?to=${encodeURIComponent(to)}`;
    await assert.rejects(c.request(url, limits), (e: unknown) => {
      assert.ok(isDatelineError(e, 'FETCH_REFUSED'), String(e));
      // The caller's message names the URL it gave, never where the redirect pointed.
      assert.ok(e.message.startsWith(url));
      assert.doesNotMatch(e.message.slice(url.length), /169\.254|127\.0|2130706433|metadata\.test/);
      return true;
    });
  }
  assert.equal(hits.filter((h) => h === '/ok').length, 0, 'the refused hop was never requested');
  assert.ok(
    logged.some((d) => d.address === '169.254.169.254'),
    'the log has the detail',
  );
  // A redirect that stays on allowed ground is followed.
  const res = await c.request(`http://feeds.test:${port}/redirect?to=/ok`, limits);
  assert.equal(res.body.toString(), 'hello');
  assert.equal(res.url, `http://feeds.test:${port}/ok`);
});

test('redirects are limited, can be turned off, and a POST answered 303 continues as a GET', async () => {
  const { c } = client({ allow: ['feeds.test'] });
  await assert.rejects(c.request(`http://feeds.test:${port}/loop`, limits), code('FETCH_FAILED'));
  const kept = await c.request(`http://feeds.test:${port}/redirect?to=/ok`, { ...limits, maxRedirects: 0 });
  assert.equal(kept.status, 302);
  const posted = await c.request(`http://feeds.test:${port}/post`, { ...limits, method: 'POST', body: '{}' });
  assert.equal(posted.status, 200);
  assert.equal(posted.body.toString(), 'hello');
});

test('the body is capped, whether its length is declared or not', async () => {
  const { c } = client({ allow: ['feeds.test'] });
  const small = { maxBytes: 100_000, timeoutMs: 10_000 };
  await assert.rejects(c.request(`http://feeds.test:${port}/big-declared`, small), code('FETCH_TOO_LARGE'));
  await assert.rejects(c.request(`http://feeds.test:${port}/big-streamed`, small), code('FETCH_TOO_LARGE'));
});

test('the whole exchange has a time limit: a server that stops sending fails the fetch', async () => {
  const { c, logged } = client({ allow: ['feeds.test'] });
  await assert.rejects(
    c.request(`http://feeds.test:${port}/stall`, { maxBytes: 10_000, timeoutMs: 300 }),
    code('FETCH_FAILED'),
  );
  assert.ok(logged.some((d) => d.timedOut === true));
});

test('every way of getting no answer reads the same to the caller: no port scanning through messages', async () => {
  const { c, logged } = client({ allow: ['feeds.test', '127.0.0.1', 'nowhere.test'] });
  const messages: string[] = [];
  for (const url of ['http://127.0.0.1:9/x', 'http://nowhere.test/x']) {
    await assert.rejects(c.request(url, limits), (e: unknown) => {
      assert.ok(isDatelineError(e, 'FETCH_FAILED'), String(e));
      messages.push(e.message.replace(url, 'URL'));
      return true;
    });
  }
  assert.equal(messages[0], messages[1]);
  assert.doesNotMatch(messages[0]!, /ECONNREFUSED|ENOTFOUND|refused|resolve/i);
  assert.ok(logged.some((d) => (d.err as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED'));
});

test('plain http only to allow-listed hosts when asked (webhooks); https is judged by address alone', async () => {
  const strict = client().c;
  await assert.rejects(strict.check('http://public.test/hook', 'allow-listed'), code('FETCH_REFUSED'));
  assert.equal((await strict.check('https://public.test/hook', 'allow-listed')).allowListed, false);
  assert.equal((await strict.check('http://public.test/feed.xml')).address, '93.184.215.14');
  const local = client({ allow: ['feeds.test'] }).c;
  assert.equal((await local.check(`http://feeds.test:${port}/hook`, 'allow-listed')).allowListed, true);
});
