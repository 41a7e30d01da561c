// The demo news site's threads, on both databases: written once under the newest stories (never twice),
// with nesting, the reference-style tally -3 ( +37 / -40 ), a moderator's note and a deleted comment that
// replies hang from; the article page shows them and a member page lists them with "See in context".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { fromDbTime } from '../db/values.ts';
import { seedDemoComments } from './comment-threads.ts';

describeEachDialect('demo comment threads', (ctx) => {
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    const slugs: string[] = [];
    before(async () => {
      t = await startTestApp(ctx.db);
      s = await newsSite(t.rt, 'news');
      for (let i = 0; i < 10; i++) {
        const slug = `demo-story-${i}`;
        slugs.push(slug);
        await t.rt.articles.create(
          {
            siteId: s.site.id,
            sectionId: s.world.id,
            slug,
            headline: `Demo story ${i}`,
            dateline: 'LISBON',
            bodyHtml: '<p>Body.</p>',
            publishedAt: new Date(Date.now() - (10 - i) * 3_600_000),
          },
          'test',
        );
      }
    });
    after(async () => {
      await t.close();
      await t.rt.tail.catchUp();
    });

    test('threads under the newest eight stories, once', async () => {
      assert.equal(await seedDemoComments(t.rt, { now: new Date() }), 8);
      assert.equal(await seedDemoComments(t.rt, { now: new Date() }), 0);
      const rows = await t.rt.db.kysely.selectFrom('comments').selectAll().execute();
      const lead = rows.filter(
        (r) => r.article_id === rows.find((x) => Number(x.up_count) === 37)!.article_id,
      );
      assert.equal(lead.length, 12);
      assert.ok(lead.some((r) => Number(r.depth) === 3));
      const hot = lead.find((r) => Number(r.up_count) === 37)!;
      assert.equal(Number(hot.down_count), 40);
      assert.equal(Number(hot.reply_count), 2);
      assert.ok(lead.some((r) => r.moderator_note === 'off-topic comment removed'));
      const gone = lead.find((r) => r.status === 'deleted')!;
      assert.equal(gone.body, '');
      assert.equal(Number(gone.reply_count), 1);
      // Every reply's time follows its parent's, and every comment's its story's.
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const r of rows) {
        if (r.parent_id === null) continue;
        assert.ok(fromDbTime(r.created_at) >= fromDbTime(byId.get(r.parent_id)!.created_at));
      }
      // The two oldest stories keep the empty state.
      const touched = new Set(rows.map((r) => r.article_id));
      assert.equal(touched.size, 8);
    });

    test('the article page shows the thread, and a member page links back to it', async () => {
      const page = await t.app.inject({ url: `/world/${slugs[9]}`, headers: { host: `${s.host}:3000` } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /-3 \( \+37 \/ -40 \)/);
      assert.match(page.body, /Moderator: off-topic comment removed/);
      assert.match(page.body, /Amara Osei/);
      const member = await t.app.inject({ url: '/members/amara-osei', headers: { host: `${s.host}:3000` } });
      assert.equal(member.statusCode, 200, member.body.slice(0, 300));
      assert.match(member.body, /See in context/);
      assert.match(member.body, /Demo story/);
    });
  });
});
