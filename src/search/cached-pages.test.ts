// Search result pages in the page cache: a repeated query is answered from memory, and never out of date —
// a story published, edited or taken down, an index write, and a change that lands while a search runs all
// keep the old answer from being served. Database work is counted through a Kysely plugin on the runtime's
// own connection, so "no query" means the page came from the cache.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import type { Db } from '../db/connection.ts';
import { PageCache } from '../web/cache/page-cache.ts';
import { MAX_CACHED_SEARCH_PAGES, SEARCH_PAGES_TAG, SearchPageFreshness, searchTag } from './cached-pages.ts';

/** A view of the database that counts its queries and can run a hook once the search index has been read. */
function watchedDb(db: Db) {
  let n = 0;
  let reads = 0;
  const watch = { queries: () => n, indexReads: () => reads, onIndexRead: null as (() => void) | null };
  const indexReads = new Set<string>();
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (
        /search_documents|search_fts|search_cjk/.test(
          JSON.stringify(args.node, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
        )
      ) {
        reads += 1;
        indexReads.add(args.queryId.queryId);
      }
      return args.node;
    },
    transformResult: async (args) => {
      n += 1;
      const hook = watch.onIndexRead;
      if (hook && indexReads.delete(args.queryId.queryId)) {
        watch.onIndexRead = null;
        hook();
      }
      return args.result;
    },
  };
  return { db: { ...db, kysely: db.kysely.withPlugin(plugin) }, watch };
}

describeEachDialect('cached search pages', (ctx) => {
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    let other: Awaited<ReturnType<typeof newsSite>>;
    let watch: ReturnType<typeof watchedDb>['watch'];

    const search = async (url: string, host = s.host) => {
      const start = watch.queries();
      const res = await t.app.inject({ method: 'GET', url, headers: { host: `${host}:3000` } });
      assert.equal(res.statusCode, 200, url);
      return { body: res.body, queries: watch.queries() - start };
    };
    const publish = async (headline: string, site = s) => {
      const created = await t.rt.articles.create(
        { siteId: site.site.id, sectionId: site.world.id, headline, bodyHtml: `<p>${headline}.</p>` },
        'test',
      );
      await t.rt.searchIndexer.idle();
      return created.article.id;
    };

    before(async () => {
      const watched = watchedDb(ctx.db);
      watch = watched.watch;
      t = await startTestApp(watched.db);
      s = await newsSite(t.rt, 'news');
      other = await newsSite(t.rt, 'sport');
      await publish('Lighthouse keeper retires');
      await publish('Lighthouse restored', other);
    });
    after(async () => {
      await t.close();
      await t.rt.tail.catchUp();
    });

    test('a repeated search is answered from the cache, with no query', async () => {
      const first = await search('/search?q=lighthouse');
      assert.ok(first.queries > 0);
      assert.match(first.body, /1 story matches/);
      const again = await search('/search?q=lighthouse');
      assert.equal(again.queries, 0, 'the same query must not be searched again');
      assert.equal(again.body, first.body);
      // Another page, sort or site is another search.
      assert.ok((await search('/search?q=lighthouse&sort=date')).queries > 0);
      assert.ok((await search('/search?q=lighthouse', other.host)).queries > 0);
    });

    test('publishing a matching story drops the site’s cached searches, and only that site’s', async () => {
      await search('/search?q=lighthouse');
      await search('/search?q=lighthouse', other.host);
      await publish('Lighthouse lamp relit');
      const after = await search('/search?q=lighthouse');
      assert.ok(after.queries > 0, 'the site’s search must run again');
      assert.match(after.body, /2 stories match/);
      assert.match(after.body, /lamp relit/);
      assert.equal(
        (await search('/search?q=lighthouse', other.host)).queries,
        0,
        'another site stays cached',
      );
    });

    test('editing or taking down a story drops the cached searches showing it', async () => {
      const id = await publish('Ferry timetable changes');
      assert.match((await search('/search?q=ferry')).body, /timetable changes/);
      await t.rt.articles.update(id, { headline: 'Ferry timetable cut' }, 'test');
      await t.rt.searchIndexer.idle();
      assert.match((await search('/search?q=ferry')).body, /timetable cut/);
      // Gone from search at once, before the index catches up: search checks that stories are live.
      await t.rt.articles.takeDown(id, 'withdrawn', 'test');
      assert.match((await search('/search?q=ferry')).body, /No stories match/);
      await t.rt.searchIndexer.idle();
    });

    test('an index write drops cached searches, even without an article event', async () => {
      const id = await publish('Harbour crane installed');
      // The index behind the story's event: its document is not written yet when the first search runs.
      await t.rt.db.kysely.deleteFrom('search_documents').where('article_id', '=', id).execute();
      assert.match((await search('/search?q=crane')).body, /No stories match/);
      await t.rt.searchIndexer.reindex(id);
      assert.match((await search('/search?q=crane')).body, /1 story matches/);
    });

    test('a search that ran while the site changed is not kept', async () => {
      await publish('Bridge opening delayed');
      // The site's searches are dropped while this one runs (as when the index is written meanwhile): its
      // answer may be from before the change, so keeping it would outlive the drop.
      watch.onIndexRead = () => t.rt.bus.emit({ type: 'site.changed', siteId: s.site.id });
      assert.match((await search('/search?q=bridge')).body, /opening delayed/);
      assert.equal(watch.onIndexRead, null, 'the change landed during the search');
      const searched = async () => {
        const before = watch.indexReads();
        await search('/search?q=bridge');
        return watch.indexReads() - before;
      };
      assert.ok((await searched()) > 0, 'that answer must not have been kept');
      assert.equal(await searched(), 0, 'the next one is');
    });

    test('a request arriving after a change does not wait for a search begun before it', async () => {
      await publish('Tunnel survey begins');
      const reads = watch.indexReads();
      let late: Promise<unknown> | null = null;
      watch.onIndexRead = () => {
        t.rt.bus.emit({ type: 'site.changed', siteId: s.site.id });
        late = search('/search?q=tunnel');
      };
      await search('/search?q=tunnel');
      await late;
      const first = watch.indexReads() - reads;
      // Both searched: the same query again, alone, shows what one search reads.
      t.app.pageCache!.clear();
      const one = watch.indexReads();
      await search('/search?q=tunnel');
      assert.equal(first, 2 * (watch.indexReads() - one), 'the later request ran its own search');
    });
  });
});

test('the number of cached search pages is bounded, oldest first, other pages untouched', () => {
  const cache = new PageCache(1024 * 1024 * 1024);
  const freshness = new SearchPageFreshness(cache);
  const page = (tags: string[]) => ({
    status: 200,
    contentType: 'text/html',
    body: Buffer.from('x'),
    etag: '"x"',
    headers: {},
    cacheControl: 'public',
    tags,
  });
  cache.set('1|/', page(['home:1']));
  for (let i = 0; i <= MAX_CACHED_SEARCH_PAGES; i++) {
    cache.set(`1|/search?${i}`, page([searchTag(1), SEARCH_PAGES_TAG]));
    freshness.bound();
  }
  assert.equal(cache.size, MAX_CACHED_SEARCH_PAGES + 1);
  assert.equal(cache.get('1|/search?0'), undefined, 'the oldest search went first');
  assert.ok(cache.get(`1|/search?${MAX_CACHED_SEARCH_PAGES}`));
  assert.ok(cache.get('1|/'), 'other pages are not counted or dropped');
});
