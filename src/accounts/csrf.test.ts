// The CSRF checks on their own, one rule at a time: the browser's Sec-Fetch-Site and Origin headers each
// refuse a cross-site post by themselves, the public origin a request is compared with comes from
// configuration, and the form token is refused with CSRF_REJECTED (never a crash) whatever shape it has.
// The account route tests cover the same checks end to end; these pin each branch alone.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { isDatelineError } from '../errors/catalogue.ts';
import type { UrlContext } from '../sites/urls.ts';
import {
  anonymousCsrfToken,
  checkCsrfToken,
  checkSameOrigin,
  requestOrigin,
  sessionCsrfToken,
} from './csrf.ts';

const urls: UrlContext = { scheme: 'https', port: null };

/** A request as Fastify hands it to the checks: headers, the Host as sent, and the server's public URLs. */
function request(
  headers: Record<string, string>,
  host = 'news.example.com',
  publicUrls = urls,
): FastifyRequest {
  return {
    headers,
    host,
    hostname: host.replace(/:\d+$/, ''),
    server: { publicUrls },
  } as unknown as FastifyRequest;
}

const refused = (e: unknown) => isDatelineError(e, 'CSRF_REJECTED');

test('Sec-Fetch-Site alone refuses a post from another site, and same-origin alone passes', () => {
  for (const site of ['cross-site', 'same-site', 'none']) {
    assert.throws(() => checkSameOrigin(request({ 'sec-fetch-site': site })), refused, site);
  }
  checkSameOrigin(request({ 'sec-fetch-site': 'same-origin' }));
  checkSameOrigin(request({}));
});

test('Origin alone refuses a post from another origin, and this site’s own public origin passes', () => {
  for (const origin of ['https://evil.example', 'http://news.example.com', 'https://news.example.com:8443']) {
    assert.throws(() => checkSameOrigin(request({ origin })), refused, origin);
  }
  checkSameOrigin(request({ origin: 'https://news.example.com' }));
  checkSameOrigin(request({ origin: 'https://news.example.com', 'sec-fetch-site': 'same-origin' }));
  // Both headers are checked: a same-origin Sec-Fetch-Site does not excuse a foreign Origin.
  assert.throws(
    () => checkSameOrigin(request({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' })),
    refused,
  );
});

test('the public origin comes from configuration, lower-cased, whatever port the Host header names', () => {
  assert.equal(requestOrigin(request({}, 'News.Example.com')), 'https://news.example.com');
  // A Host with a port other than the public one is not accepted as a site name; the origin still uses
  // the configured scheme and port, never the port the request arrived on.
  assert.equal(requestOrigin(request({}, 'News.Example.com:8080')), 'https://news.example.com');
  const dev: UrlContext = { scheme: 'http', port: 3000 };
  assert.equal(requestOrigin(request({}, 'news.localhost:3000', dev)), 'http://news.localhost:3000');
  assert.equal(requestOrigin(request({}, 'NEWS.localhost:9', dev)), 'http://news.localhost:3000');
});

test('a form token that is missing, empty, not a string, too long or wrong is refused with CSRF_REJECTED', () => {
  const key = Buffer.alloc(32, 7);
  const binding = { sessionTokenHash: 'session-hash', preCookie: 'pre-cookie' };
  for (const submitted of [undefined, null, '', 42, ['a', 'b'], { csrf: 'x' }, 'x'.repeat(101), 'forged']) {
    assert.throws(() => checkCsrfToken(key, submitted, binding), refused, JSON.stringify(submitted));
  }
  assert.throws(() => checkCsrfToken(key, sessionCsrfToken(key, 'session-hash'), {}), refused);
  assert.throws(
    () => checkCsrfToken(key, sessionCsrfToken(key, 'session-hash'), { sessionTokenHash: 'other-session' }),
    refused,
  );
  assert.throws(
    () => checkCsrfToken(Buffer.alloc(32, 8), sessionCsrfToken(key, 'session-hash'), binding),
    refused,
  );
  checkCsrfToken(key, sessionCsrfToken(key, 'session-hash'), binding);
  checkCsrfToken(key, anonymousCsrfToken(key, 'pre-cookie'), binding);
  checkCsrfToken(key, anonymousCsrfToken(key, 'pre-cookie'), {
    sessionTokenHash: null,
    preCookie: 'pre-cookie',
  });
});

test('a session token and a pre-sign-in token never coincide, and the derivation is stable across releases', () => {
  const key = Buffer.alloc(32, 7);
  // The same secret value as a session hash and as a pre-sign-in cookie gives two different tokens, so
  // one kind can never be replayed as the other.
  assert.notEqual(sessionCsrfToken(key, 'same'), anonymousCsrfToken(key, 'same'));
  assert.throws(
    () => checkCsrfToken(key, anonymousCsrfToken(key, 'same'), { sessionTokenHash: 'same' }),
    refused,
  );
  // Tokens are deterministic so that cached pages keep their ETags, and forms open during an upgrade keep
  // working: the derivation is HMAC-SHA-256 over "csrf", the kind and the bound value.
  const expected = (kind: string, value: string) =>
    createHmac('sha256', key).update(`csrf\n${kind}\n${value}`).digest('base64url');
  assert.equal(sessionCsrfToken(key, 'abc'), expected('session', 'abc'));
  assert.equal(anonymousCsrfToken(key, 'abc'), expected('anonymous', 'abc'));
});
