// On PostgreSQL a search runs under DATELINE_SEARCH_TIMEOUT_MS as its statement_timeout: one that runs
// longer is cancelled by the server and answered 503 DATELINE_ERR_SEARCH_BUSY, and the app goes on serving.
// The search is made to outlast the limit without timing: another connection holds an exclusive lock on the
// search index, so the search's query waits for it until PostgreSQL cancels it (a lock wait counts towards
// statement_timeout). PostgreSQL only: SQLite searches are bounded by their worker (see pool.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { DIALECTS, dropTestDb, openTestDb, TEST_PG_URL } from '../../test/dialects.ts';
import type { Db } from '../db/connection.ts';

describe('search statement timeout [postgres]', { skip: !DIALECTS.includes('postgres') }, () => {
  let db: Db;
  let t: TestApp;
  let host: string;

  before(async () => {
    db = await openTestDb('postgres');
    t = await startTestApp(db, { DATELINE_SEARCH_TIMEOUT_MS: '100' });
    const s = await newsSite(t.rt, 'news');
    host = s.host;
    await t.rt.articles.create(
      {
        siteId: s.site.id,
        sectionId: s.world.id,
        headline: 'Lighthouse keeper retires',
        bodyHtml: '<p>x</p>',
      },
      't',
    );
    await t.rt.searchIndexer.idle();
  });
  after(async () => {
    await t?.close();
    if (db) await dropTestDb(db);
  });

  /** Runs `work` while another connection holds the search index locked against every reader. */
  async function withIndexLocked<T>(work: () => Promise<T>): Promise<T> {
    const locker = new pg.Client({ connectionString: TEST_PG_URL });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`lock table "${db.pgSchema}".search_documents in access exclusive mode`);
      return await work();
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
    }
  }

  // Without the limit the search would wait for the lock for good: the test's own timeout reports that.
  test('a search outlasting the timeout answers 503 SEARCH_BUSY and the server keeps serving', {
    timeout: 60_000,
  }, async () => {
    const busy = await withIndexLocked(() =>
      t.app.inject({ url: '/search?q=lighthouse', headers: { host } }),
    );
    assert.equal(busy.statusCode, 503);
    assert.match(busy.body, /DATELINE_ERR_SEARCH_BUSY/);
    assert.equal(busy.headers['cache-control'], 'no-store');

    // The cancelled search left nothing behind: the pool's connection, the page cache and the app are fine.
    const home = await t.app.inject({ url: '/', headers: { host } });
    assert.equal(home.statusCode, 200);
    const again = await t.app.inject({ url: '/search?q=lighthouse', headers: { host } });
    assert.equal(again.statusCode, 200, 'the same search answers once the index is free');
    assert.match(again.body, /keeper retires/);
  });
});
