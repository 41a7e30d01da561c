// The first page of a queue with 10,000 pending comments reads the comments_queue index (site_id, status,
// created_at) on both dialects and stops at a page: the plan is checked, not the clock (the time is printed as
// a diagnostic only; npm run bench measures it against the target).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { authorCountsQuery, listQueue, QUEUE_PAGE_SIZE, queueCounts, queueRangeQuery } from './queries.ts';
import { type ModFixture, modFixture } from './testing.ts';

describeEachDialect('the queue query plan at 10,000 pending', (ctx) => {
  let t: TestApp;
  let f: ModFixture;
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    f = await modFixture(t);
    const author = await f.reader();
    const other = await f.reader();
    const db = t.rt.db.kysely;
    // 10,000 pending on the news site and as many published (and reviewed) on the sister site.
    const fill = async (siteId: number, articleId: number, status: string, authorId: number) =>
      t.rt.db.dialect === 'postgres'
        ? sql`insert into comments (site_id, article_id, author_id, body, status, created_at, updated_at)
            select ${siteId}, ${articleId}, ${authorId}, 'Held comment ' || g, ${status},
              now() - (g || ' seconds')::interval, now()
            from generate_series(1, 10000) g`.execute(db)
        : sql`with recursive g(n) as (select 1 union all select n + 1 from g where n < 10000)
            insert into comments (site_id, article_id, author_id, body, status, created_at, updated_at)
            select ${siteId}, ${articleId}, ${authorId}, 'Held comment ' || n, ${status},
              strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || n || ' seconds'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            from g`.execute(db);
    await fill(f.news.site.id, f.story.id, 'pending', author.id);
    await fill(f.sister.site.id, f.sisterStory.id, 'published', other.id);
    await sql`update comments set reviewed_at = created_at where status = 'published'`.execute(db);
    await sql`analyze`.execute(db);
  });
  after(async () => {
    await t.close();
  });

  const plan = async (
    after: number | null,
    queue: Parameters<typeof queueRangeQuery>[1]['queue'] = 'pending',
    siteId = f.news.site.id,
  ) => {
    const c = queueRangeQuery(t.rt.db, { siteId, queue }, after, QUEUE_PAGE_SIZE + 1).compile();
    const prefix = t.rt.db.dialect === 'postgres' ? 'explain ' : 'explain query plan ';
    const r = await t.rt.db.kysely.executeQuery(CompiledQuery.raw(prefix + c.sql, [...c.parameters]));
    return JSON.stringify(r.rows);
  };

  test('the first page and a later one use comments_queue, without sorting the whole queue', async () => {
    const first = await plan(null);
    assert.match(first, /comments_queue/, first);
    if (t.rt.db.dialect === 'sqlite') assert.doesNotMatch(first, /USE TEMP B-TREE FOR ORDER BY/, first);
    const page = await listQueue(t.rt.db, { siteIds: [f.news.site.id], queue: 'pending', after: null });
    assert.equal(page.items.length, QUEUE_PAGE_SIZE);
    assert.ok(page.next);
    const later = await plan(page.next);
    assert.match(later, /comments_queue/, later);
    // The queues that are not one status read their own partial indexes (0015_comment_moderation), even where 10,000 published
    // comments of the sister site would otherwise be walked to find none.
    const reported = await plan(null, 'reported', f.sister.site.id);
    assert.match(reported, /comments_reported/, reported);
    const unmoderated = await plan(null, 'unmoderated', f.news.site.id);
    assert.match(unmoderated, /comments_unmoderated/, unmoderated);
    // The tab's count of reported comments too (no order to keep, so the planner could walk comments_queue).
    const inner = queueRangeQuery(t.rt.db, { siteId: f.sister.site.id, queue: 'reported' }, null, 1000)
      .clearSelect()
      .clearOrderBy()
      .select('c.id');
    const count = t.rt.db.kysely
      .selectFrom(inner.as('x'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .compile();
    const prefix = t.rt.db.dialect === 'postgres' ? 'explain ' : 'explain query plan ';
    const counted = JSON.stringify(
      (await t.rt.db.kysely.executeQuery(CompiledQuery.raw(prefix + count.sql, [...count.parameters]))).rows,
    );
    assert.match(counted, /comments_reported/, counted);
    // The authors' records beside the cards are counted from an index alone (on SQLite; PostgreSQL's planner
    // rightly reads the table when one author wrote half of it, as here).
    if (t.rt.db.dialect === 'sqlite') {
      const q = authorCountsQuery(t.rt.db, [page.items[0]!.authorId]).compile();
      const authors = JSON.stringify(
        (await t.rt.db.kysely.executeQuery(CompiledQuery.raw(prefix + q.sql, [...q.parameters]))).rows,
      );
      assert.match(authors, /COVERING INDEX comments_author_status/, authors);
    }
    // The whole screen over both sites, timed for information.
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await Promise.all([
        listQueue(t.rt.db, { siteIds: [f.news.site.id, f.sister.site.id], queue: 'pending', after: null }),
        queueCounts(t.rt.db, [f.news.site.id, f.sister.site.id]),
      ]);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)]!;
    process.stdout.write(
      `# ${t.rt.db.dialect}: first pending page of 10,000 with the tab counts, p95 ${p95.toFixed(1)} ms (diagnostic)\n`,
    );
  });
});
