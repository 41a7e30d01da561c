// The page cache's rules one at a time: which renders may be stored (size cap, drops while rendering,
// forgotten drops), byte accounting and eviction, trimming one kind of page, what clear and delete reset,
// encoding negotiation and compression settings, and the tags each domain event drops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { tagsFor, tagsForTrendingChange } from './invalidation.ts';
import { encodedBody, makePage, negotiate, PageCache } from './page-cache.ts';

const page = (bytes: number, tags: string[] = [], transient = false) =>
  makePage(
    {
      status: 200,
      contentType: 'text/html',
      body: Buffer.from('x'.repeat(bytes)),
      headers: {},
      cacheControl: 'c',
      tags,
    },
    transient,
  );
const text = (body: string) =>
  makePage({
    status: 200,
    contentType: 'text/html',
    body: Buffer.from(body),
    headers: {},
    cacheControl: 'c',
    tags: [],
  });

describe('page cache rules', () => {
  it('stores a render only within the size cap and when none of its tags was dropped meanwhile', () => {
    const c = new PageCache(1e6, 100);
    const since = c.epoch;
    assert.equal(c.keeps(['a'], 100, since), true, 'exactly the cap');
    assert.equal(c.keeps(['a'], 101, since), false, 'over the cap');
    c.invalidate(['a']);
    assert.equal(c.epoch, since + 1);
    assert.equal(c.keeps(['a'], 10, since), false, 'a was dropped while it rendered');
    assert.equal(c.keeps(['b', 'c'], 10, since), true, 'other tags are unaffected');
    assert.equal(c.keeps(['a'], 10, c.epoch), true, 'a render begun after the drop');
    const beforeClear = c.epoch;
    c.clear();
    assert.equal(c.keeps(['z'], 10, beforeClear), false, 'clear makes every render in flight stale');
    assert.equal(c.keeps(['z'], 10, c.epoch), true);
  });

  it('past 10,000 remembered drops it forgets them and treats every render in flight as stale', () => {
    const c = new PageCache(1e6);
    for (let i = 0; i < 9_999; i++) c.invalidate([`t${i}`]);
    const since = c.epoch;
    c.invalidate(['t9999']); // the 10,000th tag remembered
    assert.equal(c.keeps(['unrelated'], 10, since), true);
    const later = c.epoch;
    c.invalidate(['one-more']);
    assert.equal(c.keeps(['unrelated'], 10, later), false, 'drops forgotten: stale whatever its tags');
    assert.equal(c.keeps(['unrelated'], 10, c.epoch), true);
  });

  it('counts twice each body against the byte limit, exactly, and replaces a key without counting it twice', () => {
    const c = new PageCache(400);
    c.set('a', page(100));
    c.set('a', page(100));
    c.set('b', page(100));
    assert.equal(c.size, 2, '4 × 100 bytes fit in 400');
    c.set('c', page(1));
    assert.equal(c.get('a'), undefined, 'the least recently used page went');
    assert.ok(c.get('b'));
    assert.ok(c.get('c'));
  });

  it('keeps a single page larger than the limit until another arrives', () => {
    const c = new PageCache(100);
    c.set('big', page(1000));
    assert.ok(c.get('big'));
    c.set('small', page(10));
    assert.equal(c.get('big'), undefined);
    assert.ok(c.get('small'));
  });

  it('delete and clear give back their bytes', () => {
    const c = new PageCache(400);
    c.set('a', page(100));
    c.set('b', page(100));
    c.delete('a');
    c.delete('missing');
    c.set('c', page(100));
    assert.ok(c.get('b'));
    assert.ok(c.get('c'));
    c.clear();
    assert.equal(c.size, 0);
    c.set('d', page(100));
    c.set('e', page(100));
    assert.equal(c.size, 2);
  });

  it('a deleted or re-tagged page is no longer dropped by its old tags', () => {
    const c = new PageCache(1e6);
    c.set('p', page(10, ['old']));
    c.set('p', page(10, ['new']));
    assert.equal(c.invalidate(['old']), 0);
    assert.ok(c.get('p'));
    c.set('q', page(10, ['t']));
    c.delete('q');
    c.set('q', page(10, ['u']));
    assert.equal(c.invalidate(['t']), 0);
    assert.equal(c.invalidate(['u', 'new', 'nothing']), 2);
    assert.equal(c.size, 0);
    c.set('r', page(10, ['u']));
    assert.equal(c.invalidate(['u']), 1, 'a tag dropped before is tracked afresh');
  });

  it('trims one kind of page to its newest entries', () => {
    const c = new PageCache(1e6);
    for (const k of ['s1', 's2', 's3', 's4']) c.set(k, page(10, ['search']));
    c.set('home', page(10, ['home']));
    c.trimTag('search', 2);
    assert.deepEqual(
      ['s1', 's2', 's3', 's4', 'home'].map((k) => c.get(k) !== undefined),
      [false, false, true, true, true],
    );
    c.trimTag('search', 2);
    c.trimTag('unknown', 0);
    assert.equal(c.size, 3);
    c.set('s3', page(10, ['search'])); // stored again: now the newest
    c.trimTag('search', 1);
    assert.ok(c.get('s3'));
    assert.equal(c.get('s4'), undefined);
  });

  it('makes a short ETag from the body and marks only transient pages', () => {
    const p = page(10);
    assert.match(p.etag, /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal('transient' in p, false);
    assert.equal(page(10, [], true).transient, true);
  });

  it('compresses from 512 bytes, kept pages smaller, transient pages faster', () => {
    const body = Array.from({ length: 400 }, (_, i) => `<p>story ${i % 37} of the day</p>`).join('');
    assert.equal(encodedBody(text('y'.repeat(511)), 'gzip').encoding, 'identity');
    assert.equal(encodedBody(text('y'.repeat(512)), 'gzip').encoding, 'gzip');
    const brotli = (quality: number) =>
      brotliCompressSync(Buffer.from(body), {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: quality,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      });
    assert.deepEqual(encodedBody(text(body), 'br').body, brotli(5));
    assert.deepEqual(encodedBody(page(0, [], true), 'identity').encoding, 'identity');
    const transient = makePage(
      {
        status: 200,
        contentType: 'text/html',
        body: Buffer.from(body),
        headers: {},
        cacheControl: 'c',
        tags: [],
      },
      true,
    );
    assert.deepEqual(encodedBody(transient, 'br').body, brotli(1));
    assert.deepEqual(encodedBody(transient, 'gzip').body, gzipSync(body, { level: 1 }));
    assert.deepEqual(encodedBody(text(body), 'gzip').body, gzipSync(body, { level: 6 }));
  });

  it('reads Accept-Encoding case-insensitively, with spaces, and honours only q=0 as a refusal', () => {
    assert.equal(negotiate(''), 'identity');
    assert.equal(negotiate('BR'), 'br');
    assert.equal(negotiate(' gzip;q=1 '), 'gzip');
    assert.equal(negotiate('br; q=0.000, gzip'), 'gzip');
    assert.equal(negotiate('br;q=0 , gzip;q=0'), 'identity');
    assert.equal(negotiate('br;q=0.01'), 'br');
    assert.equal(negotiate('*;q=0'), 'identity');
    assert.equal(negotiate('deflate'), 'identity');
    const long = `${'x-custom;q=0.5, '.repeat(10)}gzip`;
    assert.equal(negotiate(long), 'gzip');
    assert.equal(negotiate(long), 'gzip', 'answered again without being remembered');
    for (let i = 0; i < 300; i++) assert.equal(negotiate(`gzip, x-${i}`), 'gzip');
    assert.equal(negotiate('gzip, br'), 'br');
  });

  it('each change drops the tags of the pages that show it', () => {
    assert.deepEqual(tagsFor({ type: 'site.changed', siteId: 3 }), ['site:3']);
    assert.deepEqual(tagsFor({ type: 'section.changed', siteId: 3, sectionId: 9 }), ['site:3']);
    for (const type of ['article.published', 'article.updated', 'article.taken_down'] as const) {
      assert.deepEqual(tagsFor({ type, articleId: 7, siteIds: [1, 2], sectionIds: [5] }), [
        'article:7',
        'home:1',
        'home:2',
        'section:5',
      ]);
    }
    assert.deepEqual(tagsFor({ type: 'media.changed', mediaId: 4 }), ['media:4']);
    assert.deepEqual(tagsForTrendingChange([1, 6]), ['trending:1', 'trending:6']);
  });
});
