// The reader's side of comments over HTTP (fastify.inject), on both databases: the thread in the cached
// story page (count, nesting, tallies, collapsed, badges, notes, deleted), the thread page with sorting and
// pages, the permalink, teaser counts, the page cache (nothing personal in it; a new comment shows on the
// next request), and every form with JavaScript off: post, reply, edit, delete, vote (confirm without a
// token), report, in the order session → CSRF → permission.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { Client, csrfOf } from '../accounts/testing.ts';
import { toDbTime } from '../db/values.ts';
import { NEWS, type Network, reader, signedIn, startNetwork } from './members/testing.ts';

const json = { accept: 'application/json' };

describeEachDialect('comment threads on a site', (ctx) => {
  describe('on a running app', () => {
    let n: Network;
    let path: string;
    const anon = () => new Client(n.t.app);
    const get = (url: string, headers: Record<string, string> = {}) =>
      n.t.app.inject({
        method: 'GET',
        url,
        headers: { host: 'news.localhost:3000', accept: 'text/html', ...headers },
      });
    const as = (id: number, ip = '10.9.0.1') => ({ userId: id, ip });
    const at = () => ({ siteId: n.newsId, articleId: n.stories.news });
    const threadOf = (html: string) =>
      html.slice(
        html.indexOf('<section class="thread"'),
        html.indexOf('</section>', html.indexOf('<section class="thread"')),
      );

    before(async () => {
      n = await startNetwork(ctx.db);
      const p = await n.t.rt.db.kysely
        .selectFrom('placements')
        .select(['section_id', 'slug'])
        .where('article_id', '=', n.stories.news)
        .executeTakeFirstOrThrow();
      path = n.t.rt.reader.pathOf({ sectionId: p.section_id, slug: p.slug });
    });
    after(() => n.t.close());

    test('an empty thread: "0 Comments" beside the headline, "No comments yet", log in or register back to it', async () => {
      const res = await get(path);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<a class="comment-count" href="#comments">0 Comments<\/a>/);
      assert.match(res.body, /No comments yet/);
      const next = encodeURIComponent(`${path}/comments#reply`);
      assert.ok(res.body.includes(`href="/account/login?next=${next}">Log in to comment</a>`));
      assert.ok(res.body.includes(`href="/account/register?next=${next}">Register</a>`));
      assert.match(res.body, /<script src="\/assets\/comments\/[0-9a-f]{10}\/thread\.js" type="module">/);
      const script = res.body.match(/\/assets\/comments\/[0-9a-f]{10}\/thread\.js/)![0];
      const js = await get(script);
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['content-type']), /javascript/);
      assert.ok(js.body.length < 8000, `the script is ${js.body.length} bytes`);
      assert.doesNotMatch(js.body, /admin/);
    });

    test('the thread: nesting to 3 levels, tallies, collapsed, badges, notes, edited, deleted, teaser counts', async () => {
      const { rt } = n.t;
      const ana = await reader(n.t, 'ana@example.com', 'Ana Thread');
      const bo = await reader(n.t, 'bo@example.com', 'Bo Thread');
      const mod = await reader(n.t, 'mod@example.com', 'Mo Derator', [
        { role: 'moderator', siteId: n.newsId },
      ]);
      const voters = await Promise.all(
        Array.from({ length: 7 }, (_, i) => reader(n.t, `v${i}@example.com`, `Voter ${i}`)),
      );
      const top = await rt.comments.post(as(ana.id), {
        ...at(),
        body: 'First, with a link https://example.org/x',
      });
      const r1 = await rt.comments.post(as(bo.id), { ...at(), parentId: top.id, body: 'Level one.' });
      const r2 = await rt.comments.post(as(ana.id), { ...at(), parentId: r1.id, body: 'Level two.' });
      const r3 = await rt.comments.post(as(bo.id), { ...at(), parentId: r2.id, body: 'Level three.' });
      const r4 = await rt.comments.post(as(ana.id), {
        ...at(),
        parentId: r3.id,
        body: 'Level four, shown at three.',
      });
      const low = await rt.comments.post(as(bo.id), { ...at(), body: 'An unpopular opinion.' });
      const modSays = await rt.comments.post(as(mod.id), { ...at(), body: 'Keep it civil.' });
      const gone = await rt.comments.post(as(bo.id), { ...at(), body: 'I will delete this.' });
      await rt.comments.post(as(ana.id), { ...at(), parentId: gone.id, body: 'Replying before it went.' });
      await rt.comments.remove(as(bo.id), gone.id);
      await rt.comments.edit(as(ana.id), top.id, 'First, edited, with a link https://example.org/x');
      await rt.comments.moderatorEdit({ userId: mod.id, label: `user:${mod.id}` }, low.id, {
        note: 'off-topic remarks removed',
      });
      await rt.comments.vote(as(voters[0]!.id, '10.9.1.0'), low.id, 1);
      for (const v of voters.slice(1)) await rt.comments.vote(as(v.id, `10.9.1.${v.id}`), low.id, -1);
      await rt.comments.close();

      const home = await get('/');
      assert.match(home.body, new RegExp(`href="${path}#comments">8 Comments</a>`));
      const res = await get(path);
      const html = threadOf(res.body);
      assert.match(res.body, /<a class="comment-count" href="#comments">8 Comments<\/a>/);
      // Nesting: r1 in top's replies, r2 in r1's, r3 in r2's (level 3), r4 beside r3 at level 3, "to Bo".
      const order = [...html.matchAll(/<li class="comment comment--l(\d)" id="comment-(\d+)"/g)].map((m) => [
        Number(m[2]),
        Number(m[1]),
      ]);
      assert.deepEqual(order.slice(0, 5), [
        [top.id, 0],
        [r1.id, 1],
        [r2.id, 2],
        [r3.id, 3],
        [r4.id, 3],
      ]);
      assert.match(html, /<span class="comment__to">to Bo Thread<\/span>/);
      assert.match(html, /-5 \( \+1 \/ -6 \)/);
      assert.match(html, new RegExp(`id="comment-${low.id}"[^>]*><details class="comment__collapsed">`));
      assert.match(html, /Moderator: off-topic remarks removed/);
      assert.match(
        html,
        new RegExp(
          `id="comment-${modSays.id}"[\\s\\S]*?<span class="badge badge--moderator">Moderator</span>`,
        ),
      );
      assert.match(
        html,
        new RegExp(`id="comment-${top.id}"[\\s\\S]*?<span class="comment__edited">edited</span>`),
      );
      assert.match(
        html,
        new RegExp(
          `id="comment-${gone.id}"[^>]*><div class="comment__main comment__main--deleted"><p class="comment__deleted">comment deleted</p>`,
        ),
      );
      assert.doesNotMatch(html, /I will delete this/);
      assert.ok(html.includes(`href="/members/${ana.profileSlug}"`));
      assert.match(html, /rel="ugc nofollow/);
      assert.match(html, /<time datetime="\d{4}-\d\d-\d\dT[^"]+Z" data-relative>/);
      // Sorting on the thread page: most up-voted first puts the voted comment at the top.
      const top1 = await get(`${path}/comments?sort=top`);
      const first = threadOf(top1.body).match(/<li class="comment comment--l0" id="comment-(\d+)"/)![1];
      assert.equal(Number(first), low.id);
      assert.equal((await get(`${path}/comments?sort=best`)).statusCode, 400);
      assert.equal((await get(`${path}/comments?page=9`)).statusCode, 404);
    });

    test('the page cache keeps the public thread and drops it for a new comment; nothing personal in it', async () => {
      const { rt } = n.t;
      const first = await get(path);
      const again = await get(path);
      assert.equal(again.headers.etag, first.headers.etag);
      const cy = await reader(n.t, 'cy@example.com', 'Cy Cache');
      const c = await rt.comments.post(as(cy.id, '10.9.2.1'), { ...at(), body: 'Fresh from the press.' });
      const after = await get(path);
      assert.notEqual(after.headers.etag, first.headers.etag);
      assert.ok(after.body.includes(`id="comment-${c.id}"`));
      // A signed-in reader: the shared page's thread carries no token, only the masthead's logout form does.
      const client = await signedIn(n.t, 'cy@example.com');
      const mine = await client.request('GET', `${NEWS}${path}`);
      assert.equal(mine.status, 200);
      const token = csrfOf(mine.body);
      assert.equal(mine.body.split(token).length - 1, 1, 'the token appears only in the masthead');
      assert.doesNotMatch(threadOf(mine.body), /name="csrf" value="[^"]/);
      assert.match(String(mine.headers['cache-control']), /private/);
      const shared = await get(path);
      assert.ok(!shared.body.includes(token));
      // The reader's own parts come from a private request.
      const p = await client.request('GET', `${NEWS}/comments/personal?a=${n.stories.news}&ids=${c.id}`);
      assert.equal(p.headers['cache-control'], 'private, no-store');
      const body = JSON.parse(p.body);
      assert.equal(body.signedIn, true);
      assert.equal(body.csrf, token);
      assert.deepEqual(body.own, [c.id]);
      assert.deepEqual(body.editable, [c.id]);
      assert.deepEqual(
        JSON.parse((await anon().request('GET', `${NEWS}/comments/personal?a=${n.stories.news}`)).body),
        { signedIn: false },
      );
    });

    test('forms with JavaScript off: session, then CSRF, then permission; answers redirect to the comment', async () => {
      await reader(n.t, 'dee@example.com', 'Dee Forms');
      await reader(n.t, 'eve@example.com', 'Eve Forms');
      // Signed out: sent to log in, and back.
      const out = await anon().request('POST', `${NEWS}/comments`, {
        form: { article: String(n.stories.news), body: 'x' },
      });
      assert.equal(out.status, 303);
      assert.match(String(out.headers.location), /^\/account\/login\?next=/);
      const dc = await signedIn(n.t, 'dee@example.com');
      dc.ip = '10.9.3.1';
      // The thread page, signed in: rendered for the reader with the form and their token; never shared.
      const page = await dc.request('GET', `${NEWS}${path}/comments`);
      assert.equal(page.status, 200);
      assert.equal(page.headers['cache-control'], 'private, no-store');
      const csrf = csrfOf(threadOf(page.body));
      assert.ok(csrf);
      // No token: refused before anything else.
      const noToken = await dc.request('POST', `${NEWS}/comments`, {
        form: { article: String(n.stories.news), body: 'No token.' },
        headers: json,
      });
      assert.equal(noToken.status, 403);
      assert.equal(JSON.parse(noToken.body).error.code, 'DATELINE_ERR_CSRF_REJECTED');
      // Posting: 303 to the comment on the reader's own thread page, with the notice.
      const posted = await dc.request('POST', `${NEWS}/comments`, {
        form: { csrf, article: String(n.stories.news), body: 'Posted with no script.' },
      });
      assert.equal(posted.status, 303);
      const loc = String(posted.headers.location);
      const id = Number(loc.match(/#comment-(\d+)$/)![1]);
      assert.match(loc, new RegExp(`^${path}/comments\\?done=posted#comment-${id}$`));
      const back = await dc.request('GET', `${NEWS}${loc.split('#')[0]}`);
      assert.match(back.body, /Your comment is posted/);
      assert.ok(back.body.includes(`href="/comments/${id}/edit#edit"`));
      assert.ok(back.body.includes(`href="/comments/${id}/delete"`));
      // Refusals from the service, shown readably with the form kept.
      const empty = await dc.request('POST', `${NEWS}/comments`, {
        form: { csrf, article: String(n.stories.news), body: '   ' },
      });
      assert.equal(empty.status, 400);
      assert.match(empty.body, /class="notice notice--error"/);
      const own = await dc.request('POST', `${NEWS}/comments/${id}/vote`, {
        form: { csrf, value: '1' },
        headers: json,
      });
      assert.equal(JSON.parse(own.body).error.code, 'DATELINE_ERR_VOTE_OWN_COMMENT');
      // Reply through its own page.
      const ec = await signedIn(n.t, 'eve@example.com');
      ec.ip = '10.9.3.2';
      const replyPage = await ec.request('GET', `${NEWS}/comments/${id}/reply`);
      assert.equal(replyPage.status, 200);
      assert.ok(replyPage.body.includes(`name="parent" value="${id}"`));
      const ecsrf = csrfOf(replyPage.body);
      const reply = await ec.request('POST', `${NEWS}/comments`, {
        form: {
          csrf: ecsrf,
          article: String(n.stories.news),
          parent: String(id),
          body: 'A reply, no script.',
        },
      });
      assert.equal(reply.status, 303);
      const replyId = Number(String(reply.headers.location).match(/#comment-(\d+)$/)![1]);
      // A vote from the shared page carries no token: confirmed on a page of the reader's own.
      const confirm = await ec.request('POST', `${NEWS}/comments/${id}/vote`, { form: { value: '-1' } });
      assert.equal(confirm.status, 200);
      assert.equal(confirm.headers['cache-control'], 'private, no-store');
      assert.match(confirm.body, /Vote down/);
      const voted = await ec.request('POST', `${NEWS}/comments/${id}/vote`, {
        form: { csrf: csrfOf(confirm.body), value: '-1' },
      });
      assert.equal(voted.status, 303);
      assert.match(String(voted.headers.location), new RegExp(`done=voted#comment-${id}$`));
      const changed = await ec.request('POST', `${NEWS}/comments/${id}/vote`, {
        form: { csrf: ecsrf, value: '1' },
        headers: json,
      });
      assert.deepEqual(JSON.parse(changed.body), { up: 1, down: 0, mine: 1 });
      const withdrawn = await ec.request('POST', `${NEWS}/comments/${id}/vote`, {
        form: { csrf: ecsrf, value: '0' },
        headers: json,
      });
      assert.deepEqual(JSON.parse(withdrawn.body), { up: 0, down: 0, mine: 0 });
      // Report once; twice is refused.
      const report = await ec.request('POST', `${NEWS}/comments/${id}/report`, {
        form: { csrf: ecsrf, reason: 'off_topic' },
      });
      assert.equal(report.status, 303);
      const twice = await ec.request('POST', `${NEWS}/comments/${id}/report`, {
        form: { csrf: ecsrf, reason: 'spam' },
        headers: json,
      });
      assert.equal(JSON.parse(twice.body).error.code, 'DATELINE_ERR_REPORT_DUPLICATE');
      // Someone else's comment cannot be edited or deleted.
      const notMine = await ec.request('POST', `${NEWS}/comments/${id}/edit`, {
        form: { csrf: ecsrf, body: 'Hijacked.' },
        headers: json,
      });
      assert.equal(JSON.parse(notMine.body).error.code, 'DATELINE_ERR_COMMENT_FORBIDDEN');
      // Edit within the window, then delete: "comment deleted" stays where the reply hangs.
      const edit = await dc.request('POST', `${NEWS}/comments/${id}/edit`, {
        form: { csrf, body: 'Posted, then edited.' },
      });
      assert.equal(edit.status, 303);
      const del = await dc.request('POST', `${NEWS}/comments/${id}/delete`, { form: { csrf } });
      assert.equal(del.status, 303);
      const after = threadOf((await get(`${path}/comments`)).body);
      assert.match(
        after,
        new RegExp(`id="comment-${id}"[^>]*><div class="comment__main comment__main--deleted">`),
      );
      assert.ok(after.includes(`id="comment-${replyId}"`));
      assert.doesNotMatch(after, /Posted, then edited/);
    });

    test('pages of 50, "More comments", the permalink and one conversation on its own page', async () => {
      const { rt } = n.t;
      const fay = await reader(n.t, 'fay@example.com', 'Fay Pages');
      const base = Date.parse('2030-01-01T00:00:00Z');
      const ids: number[] = [];
      for (let i = 0; i < 60; i++) {
        const row = await rt.db.kysely
          .insertInto('comments')
          .values({
            site_id: n.newsId,
            article_id: n.stories.news,
            author_id: fay.id,
            body: `Bulk ${i}`,
            status: 'published',
            created_at: toDbTime(new Date(base + i * 1000)),
            updated_at: toDbTime(new Date(base + i * 1000)),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(row.id);
      }
      n.t.app.pageCache?.clear();
      const story = await get(path);
      assert.match(
        story.body,
        new RegExp(`href="${path}/comments\\?page=2" rel="next" data-more>More comments</a>`),
      );
      assert.ok(!story.body.includes(`id="comment-${ids[59]}"`));
      const two = await get(`${path}/comments?page=2`);
      assert.ok(two.body.includes(`id="comment-${ids[59]}"`));
      const last = await get(`/comments/${ids[59]}`);
      assert.equal(last.statusCode, 303);
      assert.equal(last.headers.location, `${path}/comments?page=2#comment-${ids[59]}`);
      const firstTop = (
        await rt.db.kysely
          .selectFrom('comments')
          .select('id')
          .where('article_id', '=', n.stories.news)
          .where('root_id', 'is', null)
          .orderBy('created_at')
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id;
      assert.equal((await get(`/comments/${firstTop}`)).headers.location, `${path}#comment-${firstTop}`);
      assert.equal((await get('/comments/999999')).statusCode, 404);
      // 25 replies under the last top-level comment: 20 show, the rest are on the conversation's own page.
      const root = ids[59]!;
      const replies: number[] = [];
      for (let i = 0; i < 25; i++) {
        const row = await rt.db.kysely
          .insertInto('comments')
          .values({
            site_id: n.newsId,
            article_id: n.stories.news,
            author_id: fay.id,
            parent_id: root,
            root_id: root,
            depth: 1,
            body: `Bulk reply ${i}`,
            status: 'published',
            created_at: toDbTime(new Date(base + 100_000 + i * 1000)),
            updated_at: toDbTime(new Date(base)),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        replies.push(row.id);
      }
      n.t.app.pageCache?.clear();
      const capped = await get(`${path}/comments?page=2`);
      assert.ok(capped.body.includes(`id="comment-${replies[19]}"`));
      assert.ok(!capped.body.includes(`id="comment-${replies[20]}"`));
      assert.match(capped.body, new RegExp(`href="${path}/comments\\?root=${root}">All 25 replies</a>`));
      const deep = await get(`/comments/${replies[22]}`);
      assert.equal(deep.headers.location, `${path}/comments?root=${root}#comment-${replies[22]}`);
      const one = await get(`${path}/comments?root=${root}`);
      assert.equal(one.statusCode, 200);
      assert.match(one.body, /One conversation/);
      assert.ok(one.body.includes(`id="comment-${replies[24]}"`));
    });

    // Last: once listening, the public port is the real one, and the requests above name port 3000.
    test('live updates: one stream per page hears the thread’s count when a comment appears', async () => {
      await n.t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (n.t.app.server.address() as AddressInfo).port;
      const got: string[] = [];
      let wake = () => {};
      const req = request({
        host: '127.0.0.1',
        port,
        path: `/comments/live?a=${n.stories.news}`,
        headers: { host: `news.localhost:${port}`, accept: 'text/event-stream' },
        agent: false,
      });
      const res = await new Promise<import('node:http').IncomingMessage>((resolve) => {
        req.on('response', resolve);
        req.end();
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/event-stream/);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        got.push(chunk);
        wake();
      });
      const next = async (re: RegExp) => {
        while (!re.test(got.join(''))) await new Promise<void>((r) => (wake = r));
        return got.join('');
      };
      const count = Number((await next(/data: (\d+)/)).match(/data: (\d+)/)![1]);
      const gil = await reader(n.t, 'gil@example.com', 'Gil Live');
      await n.t.rt.comments.post(as(gil.id, '10.9.4.1'), { ...at(), body: 'Live from the stream.' });
      const text = await next(new RegExp(`data: ${count + 1}\\n`));
      assert.match(text, /event: count/);
      res.destroy();
    });
  });

  describe('with a social sign-in provider configured', () => {
    let t: TestApp;
    before(async () => {
      const facebook = {
        kind: 'oauth2',
        id: 'facebook',
        name: 'Facebook',
        authorizeUrl: 'http://127.0.0.1:9/dialog/oauth',
        tokenUrl: 'http://127.0.0.1:9/oauth/access_token',
        userInfoUrl: 'http://127.0.0.1:9/me',
        clientId: 'fb-client',
        clientSecret: 'fb-secret',
        scopes: ['email'],
        fields: { subject: 'id', email: 'email', name: 'name', emailVerified: true },
      };
      t = await startTestApp(ctx.db, { DATELINE_AUTH_PROVIDERS: JSON.stringify([facebook]) });
      const s = await newsSite(t.rt, 'social');
      await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.world.id, headline: 'Social story', bodyHtml: '<p>x</p>' },
        'test',
      );
    });
    after(() => t.close());

    test('the signed-out prompt offers it, returning to the thread', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/world/social-story',
        headers: { host: 'social.localhost:3000' },
      });
      assert.equal(res.statusCode, 200);
      const next = encodeURIComponent('/world/social-story/comments#reply');
      assert.ok(
        res.body.includes(`href="/account/oauth/facebook/start?next=${next}">Log in with Facebook</a>`),
      );
    });
  });
});
