// The settings for running behind a proxy and on a public origin: DATELINE_TRUST_PROXY,
// DATELINE_PUBLIC_SCHEME and DATELINE_PUBLIC_PORT, their defaults per NODE_ENV, and what is refused.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDatelineError } from '../errors/catalogue.ts';
import { acceptedHostName, configuredUrls, hostOrigin } from '../sites/urls.ts';
import { securityHeaders } from '../web/security-headers.ts';
import { loadConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'dateline-proxy-config-'));

test('defaults: no proxy trusted; http on PORT in development, https on 443 in production', () => {
  const dev = loadConfig({ PORT: '4000' }, dir);
  assert.equal(dev.trustProxy, false);
  assert.deepEqual(configuredUrls(dev), { scheme: 'http', port: 4000 });
  assert.equal(hostOrigin(configuredUrls(dev), 'news.localhost'), 'http://news.localhost:4000');
  const prod = loadConfig({ NODE_ENV: 'production', PORT: '4000' }, dir);
  assert.equal(prod.trustProxy, false);
  assert.deepEqual(configuredUrls(prod), { scheme: 'https', port: null });
  assert.equal(hostOrigin(configuredUrls(prod), 'news.example.com'), 'https://news.example.com');
  const proxied = loadConfig(
    { NODE_ENV: 'production', DATELINE_PUBLIC_SCHEME: 'http', DATELINE_PUBLIC_PORT: '8080' },
    dir,
  );
  assert.equal(hostOrigin(configuredUrls(proxied), 'news.example.com'), 'http://news.example.com:8080');
  // The scheme's default port is never written out.
  assert.equal(hostOrigin({ scheme: 'https', port: 443 }, 'news.example.com'), 'https://news.example.com');
});

test('DATELINE_TRUST_PROXY takes true/false, a hop count, or addresses and CIDRs', () => {
  const trust = (v: string) => loadConfig({ DATELINE_TRUST_PROXY: v }, dir).trustProxy;
  assert.equal(trust('true'), true);
  assert.equal(trust('off'), false);
  assert.equal(trust('2'), 2);
  assert.equal(trust('0'), false);
  assert.deepEqual(trust('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback'), [
    '127.0.0.1',
    '10.0.0.0/8',
    '::1',
    'fd00::/8',
    'loopback',
  ]);
  for (const v of ['proxy.example', '10.0.0.0/33', '10.0.0.0/8/1', '300.1.1.1', ',', 'fd00::/129']) {
    assert.throws(
      () => trust(v),
      (e) => isDatelineError(e, 'CONFIG_INVALID') && e.where?.setting === 'DATELINE_TRUST_PROXY',
      v,
    );
  }
});

test('a bad public scheme or port names its setting', () => {
  for (const [k, v] of [
    ['DATELINE_PUBLIC_SCHEME', 'ftp'],
    ['DATELINE_PUBLIC_PORT', '0'],
    ['DATELINE_PUBLIC_PORT', '70000'],
    ['DATELINE_PUBLIC_PORT', 'https'],
  ] as const) {
    assert.throws(
      () => loadConfig({ [k]: v }, dir),
      (e) => isDatelineError(e, 'CONFIG_INVALID') && e.where?.setting === k,
      `${k}=${v}`,
    );
  }
});

test('a Host is accepted only with no port or the public one, and only in a plain form', () => {
  const u = { scheme: 'https', port: null } as const;
  assert.equal(acceptedHostName(u, 'News.Example.com'), 'news.example.com');
  assert.equal(acceptedHostName(u, 'news.example.com:443'), 'news.example.com');
  for (const host of ['news.example.com:80', 'news.example.com:6666', 'a:b', 'a@b', 'a b', '', undefined])
    assert.equal(acceptedHostName(u, host), undefined, String(host));
});

test('HSTS is sent exactly when readers use https', () => {
  assert.match(securityHeaders(true)['strict-transport-security']!, /max-age=31536000/);
  assert.equal(securityHeaders(false)['strict-transport-security'], undefined);
});
