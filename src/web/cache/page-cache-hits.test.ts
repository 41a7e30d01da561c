// The page cache seen from outside: a second request for the same page is answered without touching the
// database, and an edit re-renders exactly the pages that show the edited story. Database work is counted
// through a Kysely plugin on the runtime's own connection, so the count covers every query a request makes.
// Only queries made on behalf of the test's requests count: the runtime's background work (job polling,
// scheduled publishing, trending refreshes) queries the same connection whenever its timers fire, which on
// a loaded machine is often in the middle of a measured request.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { after, before, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import type { Db } from '../../db/connection.ts';

const inRequest = new AsyncLocalStorage<true>();

/**
 * Runs `work` (the test's requests) so that the queries it causes are counted. Awaited inside the context:
 * inject() returns a chain that only starts the request when it is awaited.
 */
function counted<T>(work: () => PromiseLike<T>): Promise<T> {
  return inRequest.run(true, async () => await work());
}

/** A view of the test database that counts the queries run through it from within counted(). */
function countingDb(db: Db): { db: Db; queries: () => number } {
  let n = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      if (inRequest.getStore()) n += 1;
      return args.result;
    },
  };
  return { db: { ...db, kysely: db.kysely.withPlugin(counter) }, queries: () => n };
}

describeEachDialect('page cache hits', (ctx) => {
  let server: TestApp;
  let queries: () => number;
  let host: string;
  let otherHost: string;
  let headline: string;
  let articleId: number;

  before(async () => {
    const counting = countingDb(ctx.db);
    queries = counting.queries;
    server = await startTestApp(counting.db);
    const news = await newsSite(server.rt, 'news');
    const sport = await newsSite(server.rt, 'sport');
    host = news.host;
    otherHost = sport.host;
    const world = await server.rt.articles.create(
      { siteId: news.site.id, sectionId: news.world.id, headline: 'Harbour reopens', bodyHtml: '<p>a</p>' },
      't',
    );
    articleId = world.article.id;
    headline = world.article.headline;
    await server.rt.articles.create(
      { siteId: news.site.id, sectionId: news.business.id, headline: 'Rates held', bodyHtml: '<p>b</p>' },
      't',
    );
    await server.rt.articles.create(
      { siteId: sport.site.id, sectionId: sport.world.id, headline: 'Cup final', bodyHtml: '<p>c</p>' },
      't',
    );
  });
  after(async () => {
    await server?.close();
  });

  /** GETs a page and returns how many queries answering it cost. */
  async function cost(url: string, onHost = host): Promise<{ queries: number; body: string }> {
    const start = queries();
    const res = await counted(() => server.app.inject({ url, headers: { host: onHost } }));
    assert.equal(res.statusCode, 200, `${onHost}${url}`);
    return { queries: queries() - start, body: res.body };
  }

  const pages = {
    article: '/world/harbour-reopens',
    home: '/',
    world: '/world',
    business: '/business',
    otherArticle: '/business/rates-held',
  };

  test('a page rendered once is answered from the cache: the second request runs no query', async () => {
    for (const url of Object.values(pages)) {
      const first = await cost(url);
      assert.ok(first.queries > 0, `${url}: rendering reads the database`);
      const second = await cost(url);
      assert.equal(second.queries, 0, `${url}: a cached page must not be rendered again`);
      assert.equal(second.body, first.body);
    }
    await cost('/', otherHost);
    assert.equal((await cost('/', otherHost)).queries, 0);
  });

  test('requests for a page being rendered wait for that render instead of rendering it again', async () => {
    const cache = server.app.pageCache!;
    await cost(pages.world);
    cache.clear();
    const once = (await cost(pages.world)).queries;
    assert.ok(once > 0);
    cache.clear();
    const start = queries();
    const responses = await counted(() =>
      Promise.all(
        Array.from({ length: 5 }, () => server.app.inject({ url: pages.world, headers: { host } })),
      ),
    );
    for (const res of responses) assert.equal(res.statusCode, 200);
    assert.equal(new Set(responses.map((r) => r.body)).size, 1);
    assert.equal(queries() - start, once, 'five concurrent requests cost one render');
  });

  test('the not-found page is kept once per site, whatever path was asked for', async () => {
    const siteId = server.rt.directory.forHost(host)!.site.id;
    const cache = server.app.pageCache!;
    let body: string | null = null;
    // No route, no such section, an unroutable story address, no such section feed: each keeps the page.
    for (const url of ['/no/such/page', '/no-such-section', '/world/Bad_Slug!', '/feeds/nope/rss.xml']) {
      cache.clear();
      const res = await server.app.inject({ url, headers: { host } });
      assert.equal(res.statusCode, 404, url);
      body ??= res.body;
      assert.equal(res.body, body, url);
      assert.ok(cache.get(`${siteId}|404`), `${url}: the 404 page must be kept`);
      const size = cache.size;
      const again = await server.app.inject({ url: `${url}-too`, headers: { host } });
      assert.equal(again.statusCode, 404);
      assert.equal(cache.size, size, `${url}-too: another missing path adds no page`);
    }
  });

  test('an edit re-renders the pages showing the story and leaves every other page cached', async () => {
    for (const url of Object.values(pages)) await cost(url);
    await cost('/', otherHost);
    await server.rt.articles.update(articleId, { headline: 'Harbour reopens at dawn' }, 't');

    // The story itself, the home page and its section list show the headline: rendered afresh.
    for (const url of [pages.article, pages.home, pages.world]) {
      const res = await cost(url);
      assert.ok(res.queries > 0, `${url} must be rendered again after the edit`);
      assert.match(res.body, /Harbour reopens at dawn/, url);
    }
    // Another section, another story of another section and another site do not show it: still cached.
    for (const url of [pages.business, pages.otherArticle]) {
      const res = await cost(url);
      assert.equal(res.queries, 0, `${url} does not show the story and must stay cached`);
      assert.doesNotMatch(res.body, new RegExp(headline), url);
    }
    assert.equal((await cost('/', otherHost)).queries, 0, 'another site must stay cached');
  });
});

// The counter itself: with the cache switched off by its setting, every request renders and queries, so a
// zero above means a cache hit and not a page that simply needs no database.
describeEachDialect('page cache switched off', (ctx) => {
  let server: TestApp;
  let queries: () => number;
  let host: string;
  before(async () => {
    const counting = countingDb(ctx.db);
    queries = counting.queries;
    server = await startTestApp(counting.db, { DATELINE_PAGE_CACHE: 'false' });
    host = (await newsSite(server.rt)).host;
  });
  after(async () => {
    await server?.close();
  });

  test('every request for the same page queries the database again', async () => {
    for (let i = 0; i < 2; i += 1) {
      const start = queries();
      const res = await counted(() => server.app.inject({ url: '/', headers: { host } }));
      assert.equal(res.statusCode, 200);
      assert.ok(queries() - start > 0, `request ${i + 1} must render`);
    }
  });
});
