import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf } from '../../accounts/testing.ts';
import { formatTally } from './member-data.ts';
import {
  addComment,
  commentChanged,
  LIFE,
  NEWS,
  type Network,
  reader,
  signedIn,
  startNetwork,
} from './testing.ts';

describeEachDialect('member pages over HTTP', (ctx) => {
  let n: Network;
  before(async () => {
    n = await startNetwork(ctx.db);
  });
  after(() => n.t.close());

  const get = (url: string) => new Client(n.t.app).get(url);

  test('the tally reads as on the reference site', () => {
    assert.equal(formatTally(37, 40), '-3 ( +37 / -40 )');
    assert.equal(formatTally(5, 0), '+5 ( +5 / -0 )');
    assert.equal(formatTally(0, 0), '0 ( +0 / -0 )');
  });

  test('a member page lists only visible comments, newest first, across the network, with their context', async () => {
    const { t, stories, newsId, lifeId } = n;
    const ana = await reader(t, 'ana@example.com', 'Ana Reader');
    const first = await addComment(t, {
      siteId: newsId,
      articleId: stories.news,
      authorId: ana.id,
      body: 'First <b>words</b>',
      up: 37,
      down: 40,
    });
    const onLife = await addComment(t, {
      siteId: lifeId,
      articleId: stories.life,
      authorId: ana.id,
      body: 'Ramen thoughts',
    });
    await addComment(t, {
      siteId: newsId,
      articleId: stories.news,
      authorId: ana.id,
      body: 'Held back',
      status: 'pending',
    });
    await addComment(t, {
      siteId: newsId,
      articleId: stories.news,
      authorId: ana.id,
      body: 'Turned down',
      status: 'rejected',
    });
    await addComment(t, {
      siteId: newsId,
      articleId: stories.news,
      authorId: ana.id,
      body: 'Taken back',
      status: 'deleted',
    });
    await addComment(t, {
      siteId: newsId,
      articleId: stories.gone,
      authorId: ana.id,
      body: 'Under a killed story',
    });
    await addComment(t, {
      siteId: newsId,
      articleId: stories.draft,
      authorId: ana.id,
      body: 'Under a draft',
    });

    for (const host of [NEWS, LIFE]) {
      const res = await get(`${host}/members/${ana.profileSlug}`);
      assert.equal(res.status, 200, host);
      assert.match(res.body, /<h1>Ana Reader/);
      assert.match(res.body, /Member since/);
      assert.match(res.body, /<dt>Comments<\/dt><dd>2<\/dd>/);
      assert.ok(res.body.indexOf('Ramen thoughts') < res.body.indexOf('First'), 'newest first');
      assert.ok(
        res.body.includes('First &lt;b>words&lt;/b>') || res.body.includes('First &lt;b&gt;words&lt;/b&gt;'),
        'text escaped',
      );
      assert.ok(res.body.includes('-3 ( +37 / -40 )'));
      assert.match(
        res.body,
        /Posted in: <a href="[^"]*\/world\/[^"]+">Leaders meet at the summit<\/a> · Example Times/,
      );
      assert.match(
        res.body,
        /Posted in: <a href="[^"]*\/food\/[^"]+">The best ramen in town<\/a> · Lifestyle Daily/,
      );
      for (const hidden of ['Held back', 'Turned down', 'Taken back', 'killed story', 'Under a draft']) {
        assert.ok(!res.body.includes(hidden), `${hidden} is not shown`);
      }
      assert.match(String(res.headers['cache-control']), /^public/, 'cacheable');
    }
    // "See in context" opens /comments/<id> on the comment's own site host.
    const fromNews = (await get(`${NEWS}/members/${ana.profileSlug}`)).body;
    assert.ok(fromNews.includes(`href="/comments/${first}"`));
    assert.ok(fromNews.includes(`href="${LIFE}/comments/${onLife}"`));
    // The thread's permalink takes it from there: into the story's thread at the comment.
    const context = await get(`${NEWS}/comments/${first}`);
    assert.equal(context.status, 303);
    assert.match(String(context.headers.location), new RegExp(`#comment-${first}$`));
    const fromLife = (await get(`${LIFE}/members/${ana.profileSlug}`)).body;
    assert.ok(fromLife.includes(`href="${NEWS}/comments/${first}"`));
    assert.ok(fromLife.includes(`href="/comments/${onLife}"`));
  });

  test('badges, unknown members and deleted accounts', async () => {
    const { t } = n;
    const mod = await reader(t, 'mo@example.com', 'Mo Derator', [{ role: 'moderator', siteId: n.newsId }]);
    const ed = await reader(t, 'ed@example.com', 'Ed Itor', [{ role: 'editor', siteId: null }]);
    assert.match((await get(`${NEWS}/members/${mod.profileSlug}`)).body, /badge--moderator">Moderator</);
    assert.match((await get(`${NEWS}/members/${ed.profileSlug}`)).body, /badge--staff">Staff</);
    assert.equal((await get(`${NEWS}/members/no-such-member`)).status, 404);
    const gone = await reader(t, 'gone@example.com', 'Gone Soon');
    await t.rt.accounts.deleteAccount(gone.id, { confirm: 'delete', password: 'velvet-harbour-lantern' });
    assert.equal((await get(`${NEWS}/members/${gone.profileSlug}`)).status, 404);
    assert.equal((await get(`${NEWS}/members/deleted-${gone.id}`)).status, 404);
  });

  test('pages of twenty; past the last page and bad page numbers are 404', async () => {
    const { t } = n;
    const bo = await reader(t, 'bo@example.com', 'Bo Busy');
    for (let i = 0; i < 25; i++) {
      await addComment(t, {
        siteId: n.newsId,
        articleId: n.stories.news,
        authorId: bo.id,
        body: `Note number ${i}.`,
      });
    }
    const one = await get(`${NEWS}/members/${bo.profileSlug}`);
    assert.equal((one.body.match(/class="member-comment"/g) ?? []).length, 20);
    assert.ok(one.body.includes('Note number 24.') && !one.body.includes('Note number 4.'));
    assert.match(one.body, /href="\/members\/[^"?]+\?page=2" rel="next"/);
    const two = await get(`${NEWS}/members/${bo.profileSlug}?page=2`);
    assert.equal((two.body.match(/class="member-comment"/g) ?? []).length, 5);
    assert.ok(two.body.includes('Note number 0.'));
    for (const bad of ['3', '0', 'abc', '99999999']) {
      assert.equal((await get(`${NEWS}/members/${bo.profileSlug}?page=${bad}`)).status, 404, bad);
    }
  });

  test('a cached page shows a new comment and new tallies once core publishes the change', async () => {
    const { t } = n;
    const cy = await reader(t, 'cy@example.com', 'Cy Cached');
    const id = await addComment(t, {
      siteId: n.newsId,
      articleId: n.stories.news,
      authorId: cy.id,
      body: 'Early words.',
    });
    const url = `${NEWS}/members/${cy.profileSlug}`;
    assert.ok((await get(url)).body.includes('0 ( +0 / -0 )'));
    // Written without an event: the cached page stays as it was.
    const later = await addComment(t, {
      siteId: n.lifeId,
      articleId: n.stories.life,
      authorId: cy.id,
      body: 'Later words.',
    });
    assert.ok(!(await get(url)).body.includes('Later words.'), 'served from the cache');
    await commentChanged(t, n.lifeId, n.stories.life, later);
    assert.ok((await get(url)).body.includes('Later words.'));
    // Votes: comment.tallies for the story drops the page through the story's tag.
    await t.rt.db.kysely.updateTable('comments').set({ up_count: 3 }).where('id', '=', id).execute();
    const event = { type: 'comment.tallies' as const, siteId: n.newsId, articleId: n.stories.news };
    const eid = await t.rt.db.kysely.transaction().execute((trx) => t.rt.events.record(trx, event));
    t.rt.events.published(event, eid);
    assert.ok((await get(url)).body.includes('+3 ( +3 / -0 )'));
    // A story taken down anywhere drops member pages (home tags): its comments leave the page.
    await t.rt.articles.takeDown(n.stories.life, 'legal', 'test');
    const now = await get(url);
    assert.ok(!now.body.includes('Later words.'));
    assert.match(now.body, /<dt>Comments<\/dt><dd>1<\/dd>/);
  });

  test('a rename shows on the next request, and a signed-in reader gets the shared page with their own header', async () => {
    const { t } = n;
    const el = await reader(t, 'el@example.com', 'El Before');
    const url = `${NEWS}/members/${el.profileSlug}`;
    assert.match((await get(url)).body, /<h1>El Before/);
    await t.rt.accounts.updateProfile(el.id, { displayName: 'El After' });
    assert.match((await get(url)).body, /<h1>El After/);
    const c = await signedIn(t, 'el@example.com');
    const mine = await c.get(url);
    assert.equal(mine.status, 200);
    assert.match(mine.body, /Log out/);
    assert.match(String(mine.headers['cache-control']), /^private/);
  });

  test('a member hides their page from My account: a 404 for others, a private copy for them', async () => {
    const { t } = n;
    const di = await reader(t, 'di@example.com', 'Di Hidden');
    await addComment(t, {
      siteId: n.newsId,
      articleId: n.stories.news,
      authorId: di.id,
      body: 'Visible words.',
    });
    const url = `${NEWS}/members/${di.profileSlug}`;
    assert.equal((await get(url)).status, 200);
    const story = `${NEWS}/world/leaders-meet-at-the-summit`;
    assert.ok(
      (await get(story)).body.includes(`href="/members/${di.profileSlug}"`),
      'the thread links to the page',
    );
    const c = await signedIn(t, 'di@example.com');
    const account = await c.get(`${NEWS}/account`);
    assert.match(account.body, /Hide my member page/);
    // Without the CSRF token nothing changes.
    const refused = await c.post(`${NEWS}/account/comments`, { pageHidden: '1' });
    assert.equal(refused.status, 403);
    assert.equal((await get(url)).status, 200);
    const saved = await c.post(`${NEWS}/account/comments`, { csrf: csrfOf(account.body), pageHidden: '1' });
    assert.equal(saved.status, 303);
    assert.equal((await get(url)).status, 404);
    assert.equal((await get(`${LIFE}/members/${di.profileSlug}`)).status, 404);
    // The story's cached thread drops the link to the page (the change is published for its thread).
    assert.ok(!(await get(story)).body.includes(`href="/members/${di.profileSlug}"`));
    const own = await c.get(url);
    assert.equal(own.status, 200);
    assert.match(own.body, /only you can see it/);
    assert.match(String(own.headers['cache-control']), /no-store/);
    const back = await c.get(`${NEWS}/account`);
    assert.match(back.body, /name="pageHidden" value="1" checked/);
    await c.post(`${NEWS}/account/comments`, { csrf: csrfOf(back.body) });
    assert.equal((await get(url)).status, 200);
  });
});
