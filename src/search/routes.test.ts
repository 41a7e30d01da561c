import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { MAX_CACHED_SEARCH_PAGES } from './cached-pages.ts';
import { endOfDay, startOfDay } from './dates.ts';

test('calendar days start at midnight on the site clock', () => {
  assert.equal(startOfDay('2025-10-09', 'Asia/Tokyo')?.toISOString(), '2025-10-08T15:00:00.000Z');
  assert.equal(endOfDay('2025-10-09', 'Asia/Tokyo')?.toISOString(), '2025-10-09T15:00:00.000Z');
  assert.equal(startOfDay('2025-03-30', 'Europe/London')?.toISOString(), '2025-03-30T00:00:00.000Z');
  assert.equal(startOfDay('2025-03-31', 'Europe/London')?.toISOString(), '2025-03-30T23:00:00.000Z');
  for (const bad of ['2025-02-30', '2025-13-01', '20251009', 'yesterday', ''])
    assert.equal(startOfDay(bad, 'UTC'), null, bad);
});

describeEachDialect('search page', (ctx) => {
  // Nested so the app closes before the dialect's own after() drops the database.
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { host: `${s.host}:3000` } });

    before(async () => {
      t = await startTestApp(ctx.db);
      s = await newsSite(t.rt);
      await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: s.world.id,
          headline: 'Typhoon <img src=x onerror=alert(1)> nears Okinawa',
          bodyHtml: '<p>The typhoon &lt;script&gt;alert(1)&lt;/script&gt; brings rain.</p>',
          publishedAt: new Date('2025-10-09T03:00:00Z'),
        },
        'test',
      );
      for (let i = 0; i < 12; i++) {
        await t.rt.articles.create(
          {
            siteId: s.site.id,
            sectionId: s.business.id,
            headline: `Harbour report ${i}`,
            bodyHtml: '<p>Ships in the harbour.</p>',
            publishedAt: new Date(Date.UTC(2025, 9, 1 + i, 3)),
          },
          'test',
        );
      }
      await t.rt.searchIndexer.idle();
    });
    after(async () => {
      await t.close();
      // A PostgreSQL notification that arrived just before closing may still be reading the event log.
      await t.rt.tail.catchUp();
    });

    test('results with highlighted, escaped headlines and snippets', async () => {
      const res = await get('/search?q=typhoon');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /1 story matches “typhoon”/);
      assert.match(res.body, /<mark>Typhoon<\/mark> &lt;img src=x onerror=alert\(1\)> nears Okinawa/);
      assert.doesNotMatch(res.body, /<img src=x/);
      assert.doesNotMatch(res.body, /<script>alert/);
      assert.match(res.body, /<meta name="robots" content="noindex, follow"\/>/);
      assert.match(res.body, /href="\/world\/typhoon-img-src-x-onerror-alert-1-nears-okinawa"/);
    });

    test('pages, section and date filters, order', async () => {
      const p1 = await get('/search?q=harbour');
      assert.match(p1.body, /12 stories match “harbour” \(page 1 of 2\)/);
      assert.match(p1.body, /href="\/search\?q=harbour&amp;page=2" rel="next"/);
      const p2 = await get('/search?q=harbour&page=2');
      assert.equal((p2.body.match(/class="search-result"/g) ?? []).length, 2);
      assert.match((await get('/search?q=harbour&section=world')).body, /No stories match/);
      const dated = await get('/search?q=harbour&from=2025-10-03&to=2025-10-04&sort=date');
      assert.match(dated.body, /2 stories match/);
      const [r3, r2] = [dated.body.indexOf('</mark> report 3<'), dated.body.indexOf('</mark> report 2<')];
      assert.ok(r3 > 0 && r2 > r3, 'newest first');
      assert.match(dated.body, /<option value="date" selected>/);
    });

    test('date filters are typed and shown in the site locale: month first in en, day first in en-GB', async () => {
      const us = await get('/search?q=harbour&from=10/03/2025&to=10%2F04%2F2025&sort=date');
      assert.match(us.body, /2 stories match/);
      assert.match(us.body, /name="from" value="10\/03\/2025" placeholder="MM\/DD\/YYYY"/);
      assert.doesNotMatch(us.body, /type="date"/);
      // The page's own links carry YYYY-MM-DD, which every locale reads.
      assert.match((await get('/search?q=harbour&from=2025-10-03&to=2025-10-04')).body, /2 stories match/);
      assert.match(
        (await get('/search?q=harbour&from=13/01/2025')).body,
        /could not be read \(use MM\/DD\/YYYY\)/,
      );

      const gb = await t.rt.sites.create({
        slug: 'gb',
        name: 'Example Chronicle',
        language: 'en-GB',
        timeZone: 'Europe/London',
        hosts: ['gb.localhost'],
      });
      const home = await t.rt.sections.create(gb.id, { slug: 'home', name: 'Home' });
      for (let i = 0; i < 4; i++)
        await t.rt.articles.create(
          {
            siteId: gb.id,
            sectionId: home.id,
            headline: `Quayside note ${i}`,
            bodyHtml: '<p>Boats at the quay.</p>',
            publishedAt: new Date(Date.UTC(2025, 9, 1 + i, 12)),
          },
          'test',
        );
      await t.rt.directory.load();
      await t.rt.searchIndexer.idle();
      const onGb = (url: string) =>
        t.app.inject({ method: 'GET', url, headers: { host: 'gb.localhost:3000' } });
      const dayFirst = await onGb('/search?q=quayside&from=02/10/2025&to=03.10.2025');
      assert.match(dayFirst.body, /2 stories match/);
      assert.match(dayFirst.body, /name="from" value="02\/10\/2025" placeholder="DD\/MM\/YYYY"/);
      assert.match(dayFirst.body, /name="to" value="03\/10\/2025"/);
    });

    test('bad input never fails: empty, syntax, long, unknown filters, odd pages', async () => {
      assert.match((await get('/search')).body, /Type a word or two to search Example Times/);
      assert.match((await get('/search?q=')).body, /Type a word or two/);
      assert.match((await get('/search?q=%22%29%28*%5E%3A')).body, /no words we can look for/);
      for (const q of [
        'NEAR(a',
        'AND OR',
        '"unbalanced',
        'x'.repeat(5000),
        '%00',
        '東京',
        "'; drop table articles; --",
      ]) {
        const r = await get(`/search?q=${encodeURIComponent(q)}`);
        assert.equal(r.statusCode, 200, q);
      }
      const odd = await get('/search?q=harbour&section=nope&from=2025-02-30&to=soon&page=abc&q=second');
      assert.equal(odd.statusCode, 200);
      assert.match(odd.body, /That section does not exist here/);
      assert.match(odd.body, /“from” date could not be read/);
      assert.match(odd.body, /12 stories match/);
    });

    test('search pages are kept in the page cache, but only so many: one-off queries push nothing else out', async () => {
      await get('/');
      const cache = t.app.pageCache!;
      const before = cache.size;
      for (let i = 0; i < MAX_CACHED_SEARCH_PAGES + 20; i++) await get(`/search?q=harbour${i}`);
      assert.ok(cache.size >= MAX_CACHED_SEARCH_PAGES, 'search pages are kept');
      assert.ok(cache.size <= before + MAX_CACHED_SEARCH_PAGES, `${cache.size} pages: the bound was passed`);
      assert.ok(cache.get(`${s.site.id}|/`), 'the home page stays');
    });

    test('a taken-down story vanishes from search on the next request', async () => {
      const { article } = await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.world.id, headline: 'Volcano erupts', bodyHtml: '<p>Ash.</p>' },
        'test',
      );
      await t.rt.searchIndexer.idle();
      assert.match((await get('/search?q=volcano')).body, /href="\/world\/volcano-erupts"/);
      await t.rt.articles.takeDown(article.id, 'legal', 'editor');
      const after = (await get('/search?q=volcano')).body;
      assert.doesNotMatch(after, /volcano-erupts/);
      assert.match(after, /No stories match “volcano”/);
    });
  });
});
