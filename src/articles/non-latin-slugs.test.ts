// Slugs in scripts other than Latin, and slugs that a headline made of digits would give, through every
// route that resolves or prints a story's path: pages, redirects, canonical links, feeds, sitemaps, the API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';

const JAPANESE = '東京で新駅が開業、12月から運行';
const JAPANESE_SLUG = '東京で新駅が開業-12月から運行';
const ENCODED = encodeURIComponent(JAPANESE_SLUG);

describeEachDialect('non-Latin and numeric slugs', (ctx) => {
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    let key: string;
    let japaneseId: number;
    let yearId: number;
    const get = (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { host: `${s.host}:3000`, ...headers } });
    const api = (url: string) => get(`/api/v1${url}`, { authorization: `Bearer ${key}` });

    before(async () => {
      t = await startTestApp(ctx.db);
      s = await newsSite(t.rt);
      key = (await t.rt.apiKeys.create('Test')).key;
      // Enough stories before the Japanese one that its old ASCII-only slug ("12") was some other story's id.
      for (let i = 0; i < 12; i++) {
        await t.rt.articles.create(
          { siteId: s.site.id, sectionId: s.world.id, headline: `Filler ${i}`, bodyHtml: '<p>x</p>' },
          'test',
        );
      }
      japaneseId = (
        await t.rt.articles.create(
          { siteId: s.site.id, sectionId: s.world.id, headline: JAPANESE, bodyHtml: '<p>新しい駅。</p>' },
          'test',
        )
      ).article.id;
      yearId = (
        await t.rt.articles.create(
          {
            siteId: s.site.id,
            sectionId: s.business.id,
            headline: '2026',
            bodyHtml: '<p>The year ahead.</p>',
          },
          'test',
        )
      ).article.id;
    });
    after(async () => {
      await t.close();
      await t.rt.tail.catchUp();
    });

    test('a Japanese headline keeps its script in the slug; digits alone never make a slug', async () => {
      const jp = await t.rt.articles.get(japaneseId);
      assert.equal(jp?.placements[0]?.slug, JAPANESE_SLUG);
      const year = await t.rt.articles.get(yearId);
      assert.equal(year?.placements[0]?.slug, 'story-2026');
    });

    test('the article page answers at its percent-encoded path, with encoded links', async () => {
      const res = await get(`/world/${ENCODED}`);
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(`<h1>${JAPANESE}</h1>`));
      assert.ok(
        res.body.includes(`<link rel="canonical" href="http://news.localhost:3000/world/${ENCODED}"`),
      );
      assert.ok(!res.body.includes(`/world/${JAPANESE_SLUG}`), 'no raw slug in any link');
      const section = await get('/world');
      assert.ok(section.body.includes(`href="/world/${ENCODED}"`));
      const home = await get('/');
      assert.ok(home.body.includes(`/world/${ENCODED}`));
      assert.equal((await get('/business/story-2026')).statusCode, 200);
    });

    test('a changed slug and a moved section redirect 301 to the encoded path', async () => {
      const { article } = await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.world.id, headline: '大阪の天気', bodyHtml: '<p>晴れ。</p>' },
        'test',
      );
      const old = `/world/${encodeURIComponent('大阪の天気')}`;
      assert.equal((await get(old)).statusCode, 200);
      await t.rt.articles.update(article.id, { slug: '大阪の天気-晴れ' }, 'editor');
      const moved = await get(old);
      assert.equal(moved.statusCode, 301);
      assert.equal(moved.headers.location, `/world/${encodeURIComponent('大阪の天気-晴れ')}`);
      const wrongSection = await get(`/business/${encodeURIComponent('大阪の天気-晴れ')}`);
      assert.equal(wrongSection.statusCode, 301);
      assert.equal(wrongSection.headers.location, `/world/${encodeURIComponent('大阪の天気-晴れ')}`);
      assert.equal((await get(String(moved.headers.location))).statusCode, 200);
    });

    test('feeds and sitemaps carry the encoded URL', async () => {
      const url = `http://news.localhost:3000/world/${ENCODED}`;
      for (const path of [
        '/feeds/rss.xml',
        '/feeds/atom.xml',
        '/feeds/world/rss.xml',
        '/sitemaps/news.xml',
      ]) {
        const res = await get(path);
        assert.equal(res.statusCode, 200, path);
        assert.ok(res.body.includes(url), path);
      }
      const index = await get('/sitemap.xml');
      const month = /<loc>http:\/\/news\.localhost:3000\/sitemaps\/(\d{4}-\d{2}\.xml)<\/loc>/.exec(
        index.body,
      );
      assert.ok(month);
      assert.ok((await get(`/sitemaps/${month[1]}`)).body.includes(url));
    });

    test('the API takes ids and slugs on separate paths and never confuses them', async () => {
      const byId = await api('/articles/12');
      assert.equal(byId.statusCode, 200);
      assert.equal(byId.json().data.id, 12);
      assert.equal(byId.json().data.headline, 'Filler 11');
      const bySlug = await api(`/articles/by-slug/${ENCODED}`);
      assert.equal(bySlug.statusCode, 200);
      assert.equal(bySlug.json().data.id, japaneseId);
      assert.equal(bySlug.json().data.url, `http://news.localhost:3000/world/${ENCODED}`);
      const year = await api('/articles/by-slug/story-2026');
      assert.equal(year.json().data.id, yearId);
      assert.equal((await api(`/articles/${yearId}`)).json().data.slug, 'story-2026');
      // A slug is not an id, and an id is not a slug.
      assert.equal((await api('/articles/filler-3')).statusCode, 400);
      assert.equal((await api('/articles/by-slug/12')).statusCode, 404);
      assert.equal((await api('/articles/by-slug/NOPE')).statusCode, 400);
    });

    test('a story stored with a digits-only slug is still found by slug', async () => {
      const { article } = await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.world.id, headline: 'Legacy', bodyHtml: '<p>x</p>' },
        'test',
      );
      // Slugs made before the rules were digits alone when a headline had no Latin letters.
      await ctx.db.kysely
        .updateTable('placements')
        .set({ slug: '99' })
        .where('article_id', '=', article.id)
        .execute();
      const res = await api('/articles/by-slug/99');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().data.id, article.id);
      assert.equal((await get('/world/99')).statusCode, 200);
    });

    test('an editor may not set a digits-only or malformed slug', async () => {
      for (const slug of ['2026', 'Abc', 'a--b']) {
        await assert.rejects(
          t.rt.articles.create(
            { siteId: s.site.id, sectionId: s.world.id, headline: 'x', slug, bodyHtml: '<p>x</p>' },
            'test',
          ),
          (e) => isDatelineError(e, 'ARTICLE_INVALID') && e.where?.field === 'slug',
          slug,
        );
      }
    });
  });
});
