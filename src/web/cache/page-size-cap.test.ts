// Pages above DATELINE_PAGE_CACHE_MAX_PAGE_KB are served whole, in every encoding, but never stored: a very
// large story would otherwise stay in memory, with its compressed copies, for as long as anyone reads it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';

describeEachDialect('page size cap', (ctx) => {
  let t: TestApp;
  let host: string;
  let siteId: number;
  const paragraph = '<p>The long record of the talks went on, said the people of the town.</p>';
  // About 70 KiB of story against a 16 KiB cap; the small story's page is well under it.
  const longBody = paragraph.repeat(1000);

  before(async () => {
    t = await startTestApp(ctx.db, { DATELINE_PAGE_CACHE_MAX_PAGE_KB: '16' });
    const s = await newsSite(t.rt, 'news');
    host = s.host;
    siteId = s.site.id;
    await t.rt.articles.create(
      { siteId, sectionId: s.world.id, headline: 'Long record', bodyHtml: longBody },
      't',
    );
    await t.rt.articles.create(
      { siteId, sectionId: s.world.id, headline: 'Short note', bodyHtml: '<p>Brief.</p>' },
      't',
    );
  });
  after(async () => {
    await t?.close();
  });

  test('a page over the cap is served in full, in each encoding, and not stored', async () => {
    const cache = t.app.pageCache!;
    const decoders = {
      br: brotliDecompressSync,
      gzip: gunzipSync,
      identity: (b: Buffer) => b,
    } as const;
    let etag: string | undefined;
    for (const encoding of ['br', 'gzip', 'identity'] as const) {
      const res = await t.app.inject({
        url: '/world/long-record',
        headers: { host, 'accept-encoding': encoding },
      });
      assert.equal(res.statusCode, 200, encoding);
      assert.equal(res.headers['content-encoding'], encoding === 'identity' ? undefined : encoding);
      const html = decoders[encoding](res.rawPayload).toString();
      assert.ok(html.startsWith('<!doctype html><html'), encoding);
      assert.ok(html.includes(longBody), `${encoding}: the whole story is on the page`);
      assert.ok(html.length > 16 * 1024);
      etag ??= res.headers.etag as string;
      assert.equal(res.headers.etag, etag, 'the same page, so the same ETag');
      assert.equal(cache.get(`${siteId}|/world/long-record`), undefined, `${encoding}: must not be stored`);
    }
    const revalidated = await t.app.inject({
      url: '/world/long-record',
      headers: { host, 'if-none-match': etag! },
    });
    assert.equal(revalidated.statusCode, 304, 'an unchanged large page still revalidates');
  });

  test('a page under the cap is stored as usual', async () => {
    const res = await t.app.inject({ url: '/world/short-note', headers: { host } });
    assert.equal(res.statusCode, 200);
    assert.ok(t.app.pageCache!.get(`${siteId}|/world/short-note`));
  });
});
