// The moderation queues over HTTP on both dialects: each queue lists the right comments newest first on the
// sites in view (the switcher's site, or all), one keyset page at a time, with the story, the author's record
// and the hold and report reasons beside each; and the queue screen only for moderators.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { listQueue } from './queries.ts';
import { type ModFixture, modFixture } from './testing.ts';

describeEachDialect('the moderation queues', (ctx) => {
  let t: TestApp;
  let f: ModFixture;
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    f = await modFixture(t);
  });
  after(async () => {
    await t.close();
  });

  test('each queue holds its comments, newest first, with story, author record and reasons', async () => {
    const author = await f.reader('Ada Commenter');
    const reporter = await f.reader();
    const old = await f.comment({
      authorId: author.id,
      body: 'Older held comment',
      holdReasons: [{ code: 'new_member' }],
    });
    const held = await f.comment({
      authorId: author.id,
      body: 'Newer <b>held</b> comment',
      holdReasons: [{ code: 'suspect_word', detail: 'scam' }],
    });
    const reported = await f.comment({
      authorId: author.id,
      status: 'published',
      body: 'Reported published comment',
      reports: [{ userId: reporter.id, reason: 'off_topic', note: 'nothing to do with it' }],
    });
    const unseen = await f.comment({ authorId: author.id, status: 'published', body: 'Not looked at yet' });
    const approved = await f.comment({
      authorId: author.id,
      status: 'published',
      reviewed: true,
      body: 'Approved one',
    });
    const rejected = await f.comment({ authorId: author.id, status: 'rejected', body: 'Rejected one' });
    const sisterHeld = await f.comment({
      authorId: author.id,
      siteId: f.sister.site.id,
      body: 'Sister held comment',
    });

    const mod = await signedInStaff(t, [{ role: 'moderator', siteId: null }]);
    const pending = await mod.client.get(`${ADMIN}/comments`);
    assert.equal(pending.status, 200, pending.body.slice(0, 400));
    const at = (s: string) => pending.body.indexOf(s);
    assert.ok(
      at('Sister held comment') > 0 && at('Newer &lt;b>held&lt;/b> comment') > at('Sister held comment'),
    );
    assert.ok(at('Older held comment') > at('Newer &lt;b>held&lt;/b> comment'), 'newest first');
    assert.doesNotMatch(pending.body, /<b>held<\/b>/, 'text is escaped');
    assert.match(pending.body, /Held: Suspect word: scam/);
    assert.match(pending.body, /Held: New member/);
    assert.match(pending.body, /Harbour bridge reopens/);
    assert.match(pending.body, /href="http:\/\/news\.localhost:3000\/world\/[^"]+#comments"/);
    assert.match(pending.body, new RegExp(`href="http://news.localhost:3000/comments/${held}"`));
    assert.match(pending.body, /Ada Commenter/);
    assert.match(pending.body, /1 approved/);
    assert.match(pending.body, /1 rejected/);
    assert.match(pending.body, /0 notes/);
    assert.match(pending.body, /id="mod-keys" hidden/);
    assert.match(pending.body, /form="mod-bulk"/);
    assert.doesNotMatch(pending.body, /Not looked at yet|Approved one|Rejected one|Reported published/);

    const list = async (q: string) => (await mod.client.get(`${ADMIN}/comments?queue=${q}`)).body;
    const rep = await list('reported');
    assert.match(rep, /Reported published comment/);
    assert.match(rep, /Reported Off-topic: “nothing to do with it”/);
    assert.doesNotMatch(rep, /Older held comment/);
    const un = await list('unmoderated');
    assert.match(un, /Not looked at yet/);
    assert.match(un, /Reported published comment/);
    assert.doesNotMatch(un, /Approved one/);
    assert.match(await list('approved'), /Approved one/);
    const rej = await list('rejected');
    assert.match(rej, /Rejected one/);
    assert.doesNotMatch(rej, /Approved one/);

    // The switcher on the news site: the sister's comment leaves the queue.
    await mod.client.post(`${ADMIN}/site`, {
      csrf: mod.csrf,
      site: String(f.news.site.id),
      next: '/comments',
    });
    const newsOnly = await list('pending');
    assert.doesNotMatch(newsOnly, /Sister held comment/);
    assert.match(newsOnly, /Older held comment/);

    // A moderator of the sister site alone sees only its comments.
    const sisterMod = await signedInStaff(t, [{ role: 'moderator', siteId: f.sister.site.id }]);
    const theirs = await sisterMod.client.get(`${ADMIN}/comments`);
    assert.match(theirs.body, /Sister held comment/);
    assert.doesNotMatch(theirs.body, /Older held comment/);
    // and not a news comment's page
    const refused = await sisterMod.client.get(`${ADMIN}/comments/${old}`);
    assert.equal(refused.status, 403);
    assert.match(refused.body, /DATELINE_ERR_FORBIDDEN/);
    assert.ok(unseen && approved && rejected && sisterHeld && reported);
  });

  test('pages follow a keyset cursor without gaps or repeats, also with equal times', async () => {
    const author = await f.reader();
    const same = new Date(Date.now() - 100_000);
    const ids: number[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(
        await f.comment({ authorId: author.id, siteId: f.sister.site.id, status: 'rejected', at: same }),
      );
    for (let i = 0; i < 5; i++)
      ids.push(
        await f.comment({
          authorId: author.id,
          siteId: f.news.site.id,
          status: 'rejected',
          at: new Date(same.getTime() + 1000 * (i + 1)),
        }),
      );
    const seen: number[] = [];
    let cursor: number | null = null;
    const sites = [f.news.site.id, f.sister.site.id];
    for (let guard = 0; guard < 20; guard++) {
      const page: Awaited<ReturnType<typeof listQueue>> = await listQueue(t.rt.db, {
        siteIds: sites,
        queue: 'rejected',
        after: cursor,
        limit: 4,
      });
      seen.push(...page.items.map((c) => c.id).filter((id) => ids.includes(id)));
      if (!page.next) break;
      cursor = page.next;
    }
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      [...ids].sort((a, b) => a - b),
    );
    assert.equal(new Set(seen).size, seen.length);
    // Over HTTP the next page link carries the cursor (a page holds 25).
    for (let i = 0; i < 20; i++) await f.comment({ authorId: author.id, status: 'rejected' });
    const mod = await signedInStaff(t, [{ role: 'moderator', siteId: null }]);
    const first = await mod.client.get(`${ADMIN}/comments?queue=rejected`);
    const next = /href="(\/comments\?queue=rejected&amp;after=\d+)" rel="next"/.exec(first.body)?.[1];
    assert.ok(next, 'a link to older comments');
    const second = await mod.client.get(`${ADMIN}${next.replace(/&amp;/g, '&')}`);
    assert.equal(second.status, 200);
    assert.match(second.body, /Newest/);
  });

  test('staff without comments.moderate get 403 on the queue and see no Community menu', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const r = await editor.client.get(`${ADMIN}/comments`);
    assert.equal(r.status, 403);
    assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
    const home = await editor.client.get(`${ADMIN}/`);
    assert.doesNotMatch(home.body, /href="\/comments"/);
    const mod = await signedInStaff(t, [{ role: 'moderator', siteId: f.news.site.id }]);
    const menu = await mod.client.get(`${ADMIN}/`);
    assert.match(menu.body, /Community/);
    assert.match(menu.body, /href="\/comments\/settings"/);
  });
});
