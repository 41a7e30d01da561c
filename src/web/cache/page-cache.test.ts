import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { encodedBody, makePage, negotiate, PageCache } from './page-cache.ts';

const page = (body: string, tags: string[]) =>
  makePage({
    status: 200,
    contentType: 'text/html',
    body: Buffer.from(body),
    headers: {},
    cacheControl: 'x',
    tags,
  });

test('invalidation drops exactly the pages carrying a tag', () => {
  const c = new PageCache(1e6);
  c.set('a', page('a', ['site:1', 'article:1']));
  c.set('b', page('b', ['site:1', 'article:2']));
  c.set('c', page('c', ['site:2']));
  assert.equal(c.invalidate(['article:1']), 1);
  assert.equal(c.get('a'), undefined);
  assert.ok(c.get('b'));
  c.invalidate(['site:1']);
  assert.equal(c.size, 1);
  assert.ok(c.get('c'));
});

test('least recently used pages are evicted past the byte limit', () => {
  const c = new PageCache(2 * 2 * 100);
  c.set('a', page('x'.repeat(100), []));
  c.set('b', page('y'.repeat(100), []));
  c.get('a');
  c.set('c', page('z'.repeat(100), []));
  assert.ok(c.get('a'));
  assert.equal(c.get('b'), undefined);
});

test('ETag follows the bytes; compressed bodies are made once and decode to the page', () => {
  const body = '<p>hello</p>'.repeat(200);
  const p = page(body, []);
  assert.equal(p.etag, page(body, []).etag);
  assert.notEqual(p.etag, page(`${body}!`, []).etag);
  const br = encodedBody(p, 'br');
  assert.equal(br.encoding, 'br');
  assert.equal(brotliDecompressSync(br.body).toString(), body);
  assert.equal(encodedBody(p, 'br').body, br.body, 'kept');
  assert.equal(gunzipSync(encodedBody(p, 'gzip').body).toString(), body);
  assert.equal(encodedBody(page('tiny', []), 'br').encoding, 'identity');
});

test('Accept-Encoding negotiation prefers br, honours q=0', () => {
  assert.equal(negotiate('gzip, deflate, br'), 'br');
  assert.equal(negotiate('gzip'), 'gzip');
  assert.equal(negotiate('br;q=0, gzip'), 'gzip');
  assert.equal(negotiate(undefined), 'identity');
  assert.equal(negotiate('identity'), 'identity');
  assert.equal(negotiate('*'), 'gzip');
});
