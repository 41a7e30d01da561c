// The Trending screens over HTTP on both dialects: the preview is the real block, feeding sites are chosen
// (every other site, some, none), stories are pinned, excluded and set free again; each change audited
// with before and after, and per role a forbidden change answers 403 and changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { listOverrides, listSources } from '../../trending/repository.ts';
import { auditCount, auditEntries, postFields } from '../sites/network-testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';

describeEachDialect('the Trending screens', (ctx) => {
  let t: TestApp;
  let news: Awaited<ReturnType<typeof newsSite>>;
  let life: Awaited<ReturnType<typeof newsSite>>;
  let travel: Awaited<ReturnType<typeof newsSite>>;
  let editor: Awaited<ReturnType<typeof signedInStaff>>;
  const stories: Record<string, number> = {};

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    news = await newsSite(t.rt, 'news');
    life = await newsSite(t.rt, 'life');
    travel = await newsSite(t.rt, 'travel');
    for (const [site, headline] of [
      [life, 'Gardens in bloom'],
      [life, 'The new bakery'],
      [travel, 'Kyoto in autumn'],
      [news, 'Harbour reopens'],
    ] as const) {
      const a = await t.rt.articles.create(
        { siteId: site.site.id, sectionId: site.world.id, headline, bodyHtml: '<p>Text.</p>' },
        'test',
      );
      stories[headline] = a.article.id;
    }
    await t.rt.trending.refresh();
    editor = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }]);
  });
  after(async () => {
    await t.close();
  });

  const page = () => editor.client.get(`${ADMIN}/trending/${news.site.id}`);
  // The preview is the reader's block without its landmark (several on one page would share a name).
  const blockOf = (html: string) => /<div class="trending"[\s\S]*?<\/ul>\s*<\/div>/.exec(html)?.[0] ?? '';

  test('an editor of one site lands on its block, previewed with the real component in its colours', async () => {
    const r = await editor.client.get(`${ADMIN}/trending`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, `/trending/${news.site.id}`);
    const p = await page();
    assert.equal(p.status, 200);
    const block = blockOf(p.body);
    assert.match(block, /Trending on our other sites/);
    assert.match(block, /Gardens in bloom/);
    assert.match(block, /Kyoto in autumn/);
    assert.doesNotMatch(block, /Harbour reopens/, 'its own stories are not in its block');
    assert.match(block, /href="http:\/\/life\.localhost:3000\/world\/gardens-in-bloom"/);
    const theme = /<link rel="stylesheet" href="(\/trending\/theme\.css[^"]*)"/.exec(p.body)?.[1];
    assert.ok(theme);
    const css = await editor.client.get(`${ADMIN}${theme.replace(/&amp;/g, '&')}`);
    assert.equal(css.status, 200);
    assert.match(css.body, new RegExp(`data-site="${news.site.id}"\\]\\{--accent:#b3261e`));
  });

  test('feeding sites: some, none, and every other site again, each audited', async () => {
    const some = await postFields(t, editor.client, `/trending/${news.site.id}/sources`, [
      ['csrf', editor.csrf],
      ['mode', 'chosen'],
      ['from', String(travel.site.id)],
    ]);
    assert.equal(some.status, 303, some.body.slice(0, 500));
    assert.deepEqual(
      (await listSources(t.rt.db)).get(news.site.id),
      [news.site.id, travel.site.id].sort((a, b) => a - b),
    );
    let block = blockOf((await page()).body);
    assert.match(block, /Kyoto in autumn/);
    assert.doesNotMatch(block, /Gardens in bloom/);
    const [entry] = await auditEntries(t, 'trending.sources_changed', { type: 'site', id: news.site.id });
    assert.deepEqual(entry?.detail.before, { sources: 'every other site' });
    assert.deepEqual(entry?.detail.after, { sources: ['travel'] });

    const none = await postFields(t, editor.client, `/trending/${news.site.id}/sources`, [
      ['csrf', editor.csrf],
      ['mode', 'none'],
    ]);
    assert.equal(none.status, 303);
    block = blockOf((await page()).body);
    assert.equal(block, '', 'no block at all');

    const empty = await postFields(t, editor.client, `/trending/${news.site.id}/sources`, [
      ['csrf', editor.csrf],
      ['mode', 'chosen'],
    ]);
    assert.equal(empty.status, 400, 'ticking nothing is not a choice');

    const all = await postFields(t, editor.client, `/trending/${news.site.id}/sources`, [
      ['csrf', editor.csrf],
      ['mode', 'all'],
    ]);
    assert.equal(all.status, 303);
    assert.equal((await listSources(t.rt.db)).get(news.site.id), undefined);
    assert.equal(
      (await auditEntries(t, 'trending.sources_changed', { type: 'site', id: news.site.id })).length,
      3,
    );
  });

  test('pinning leads the block, excluding takes a story out, clearing undoes either', async () => {
    const bakery = stories['The new bakery']!;
    const kyoto = stories['Kyoto in autumn']!;
    const pin = await editor.client.post(`${ADMIN}/trending/${news.site.id}/stories`, {
      csrf: editor.csrf,
      article: String(bakery),
      action: 'pin',
    });
    assert.equal(pin.status, 303);
    assert.equal(t.rt.trending.block(news.site.id)[0]?.articleId, bakery);
    const [pinned] = await auditEntries(t, 'trending.pinned', { type: 'article', id: bakery });
    assert.deepEqual(pinned?.detail.before, { override: null });
    assert.deepEqual(pinned?.detail.after, { override: { action: 'pin', position: 0 } });
    assert.equal(pinned?.detail.siteId, news.site.id);

    const exclude = await editor.client.post(`${ADMIN}/trending/${news.site.id}/stories`, {
      csrf: editor.csrf,
      article: String(kyoto),
      action: 'exclude',
    });
    assert.equal(exclude.status, 303);
    assert.doesNotMatch(blockOf((await page()).body), /Kyoto in autumn/);
    // Only on this site: travel's neighbours still show it.
    assert.ok(t.rt.trending.block(life.site.id).some((i) => i.articleId === kyoto));
    const listed = (await page()).body;
    assert.match(listed, /Pinned, place 1/);
    assert.match(listed, /Excluded/);

    const clear = await editor.client.post(`${ADMIN}/trending/${news.site.id}/stories/${kyoto}/clear`, {
      csrf: editor.csrf,
    });
    assert.equal(clear.status, 303);
    assert.match(blockOf((await page()).body), /Kyoto in autumn/);
    const [cleared] = await auditEntries(t, 'trending.cleared', { type: 'article', id: kyoto });
    assert.deepEqual(cleared?.detail.before, { override: { action: 'exclude', position: 0 } });
    assert.deepEqual(cleared?.detail.after, { override: null });

    const missing = await editor.client.post(`${ADMIN}/trending/${news.site.id}/stories`, {
      csrf: editor.csrf,
      article: '999999',
      action: 'pin',
    });
    assert.equal(missing.status, 404);
    assert.match(missing.body, /DATELINE_ERR_ARTICLE_NOT_FOUND/);
  });

  test('per role: another site’s block and a contributor are refused with 403, and nothing changes', async () => {
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const lifeEditor = await signedInStaff(t, [{ role: 'editor', siteId: life.site.id }]);
    const before = { sources: await listSources(t.rt.db), overrides: await listOverrides(t.rt.db) };
    const entries = await auditCount(t);
    const gardens = String(stories['Gardens in bloom']);
    for (const who of [contributor, lifeEditor]) {
      const tries: [string, Record<string, string>][] = [
        [`/trending/${news.site.id}/sources`, { mode: 'none' }],
        [`/trending/${news.site.id}/stories`, { article: gardens, action: 'exclude' }],
        [`/trending/${news.site.id}/stories/${stories['The new bakery']}/clear`, {}],
      ];
      for (const [path, form] of tries) {
        const r = await who.client.post(`${ADMIN}${path}`, { ...form, csrf: who.csrf });
        assert.equal(r.status, 403, `${path}: ${r.status}`);
      }
      assert.equal((await who.client.get(`${ADMIN}/trending/${news.site.id}`)).status, 403);
    }
    assert.deepEqual(await listSources(t.rt.db), before.sources);
    assert.deepEqual(await listOverrides(t.rt.db), before.overrides);
    assert.equal(await auditCount(t), entries);
  });
});
