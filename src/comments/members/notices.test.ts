import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf, linkIn } from '../../accounts/testing.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import { sendNotice } from './notify.ts';
import { offToken, readOffToken, readSettings } from './settings.ts';
import {
  addComment,
  addNotification,
  NEWS,
  type Network,
  reader,
  signedIn,
  startNetwork,
} from './testing.ts';

describeEachDialect('comment notifications: page, mail and the one-click off link', (ctx) => {
  let n: Network;
  before(async () => {
    n = await startNetwork(ctx.db);
  });
  after(() => n.t.close());

  const outbox = async (to: string) => {
    await n.t.rt.jobs.drain();
    return (await n.t.rt.mail.outbox({ to })).filter((m) => m.kind.startsWith('comment-'));
  };

  test('a reply mails the opted-in author once, with a one-click off link that needs no sign-in', async () => {
    const { t } = n;
    const ana = await reader(t, 'ana@example.com', 'Ana Author');
    const bo = await reader(t, 'bo@example.com', 'Bo Replier');
    const c = await signedIn(t, 'ana@example.com');
    const page = await c.get(`${NEWS}/account`);
    const saved = await c.post(`${NEWS}/account/comments`, { csrf: csrfOf(page.body), emailReplies: '1' });
    assert.equal(saved.status, 303);
    assert.deepEqual(await readSettings(t.rt.db.kysely, ana.id), {
      pageHidden: false,
      emailReplies: true,
      emailDecisions: false,
    });

    const mine = await t.rt.comments.post(
      { userId: ana.id, ip: '10.0.0.1' },
      { siteId: n.newsId, articleId: n.stories.news, body: 'Summits rarely settle anything.' },
    );
    const reply = await t.rt.comments.post(
      { userId: bo.id, ip: '10.0.0.2' },
      { siteId: n.newsId, articleId: n.stories.news, parentId: mine.id, body: 'This one might.' },
    );
    const mails = await outbox('ana@example.com');
    assert.equal(mails.length, 1);
    const [mail] = mails;
    assert.equal(mail!.kind, 'comment-reply');
    assert.match(mail!.subject, /Bo Replier replied to your comment/);
    assert.ok(mail!.text.includes('This one might.'));
    assert.ok(mail!.text.includes(`${NEWS}/comments/${reply.id}`), 'links to the reply in context');
    const off = linkIn(mail!.text, '/account/notifications/off?t=');
    assert.equal(mail!.headers['List-Unsubscribe'], `<${off}>`);
    assert.equal(mail!.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');

    // A retried job (or the same notification handled twice) sends nothing more.
    const [row] = await t.rt.db.kysely
      .selectFrom('comment_notifications')
      .select('id')
      .where('user_id', '=', ana.id)
      .execute();
    await sendNotice(
      {
        db: t.rt.db,
        jobs: t.rt.jobs,
        mail: t.rt.mail,
        directory: t.rt.directory,
        publicUrls: t.app.publicUrls,
        signingKey: () => t.rt.accounts.signingKey,
        mailSite: (s, o) => t.rt.accounts.mailSite(s, o),
      },
      row!.id,
    );
    assert.equal((await outbox('ana@example.com')).length, 1);

    // Decisions were not asked for: approving mails nothing.
    // The off link: a GET shows a button and changes nothing; the mail client's one-click POST turns it off.
    const anon = new Client(t.app);
    const shown = await anon.get(off);
    assert.equal(shown.status, 200);
    assert.equal((await readSettings(t.rt.db.kysely, ana.id)).emailReplies, true);
    const url = new URL(off);
    const res = await t.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(res.statusCode, 200);
    assert.equal((await readSettings(t.rt.db.kysely, ana.id)).emailReplies, false);
    // Later replies are on the page, not in the mail.
    await t.rt.comments.post(
      { userId: bo.id, ip: '10.0.0.2' },
      { siteId: n.newsId, articleId: n.stories.news, parentId: mine.id, body: 'And another thing.' },
    );
    assert.equal((await outbox('ana@example.com')).length, 1);
    const list = await c.get(`${NEWS}/account/notifications`);
    assert.equal((list.body.match(/New<\/strong>Bo Replier replied to your comment/g) ?? []).length, 2);
  });

  test('a forged or altered off link changes nothing', async () => {
    const { t } = n;
    const cy = await reader(t, 'cy@example.com', 'Cy Forger');
    const key = t.rt.accounts.signingKey;
    const good = offToken(key, cy.id, 'decisions');
    assert.deepEqual(readOffToken(key, good), { userId: cy.id, group: 'decisions' });
    // Mail programs may post the one-click body as multipart form data too (RFC 8058).
    await t.rt.db.kysely
      .insertInto('member_settings')
      .values({ user_id: cy.id, email_decisions: 1 })
      .execute();
    const multipart = await t.app.inject({
      method: 'POST',
      url: `/account/notifications/off?t=${good}`,
      headers: { host: 'news.localhost:3000', 'content-type': 'multipart/form-data; boundary=XX' },
      payload:
        '--XX\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XX--\r\n',
    });
    assert.equal(multipart.statusCode, 200);
    assert.equal((await readSettings(t.rt.db.kysely, cy.id)).emailDecisions, false);
    const other = `${cy.id + 1}${good.slice(String(cy.id).length)}`;
    const swapped = good.replace('.decisions.', '.replies.');
    for (const bad of [other, swapped, 'nonsense', '', `${good}x`]) {
      assert.throws(
        () => readOffToken(key, bad),
        (e) => isDatelineError(e, 'NOTICE_LINK_INVALID'),
      );
      const res = await t.app.inject({
        method: 'POST',
        url: `/account/notifications/off?t=${encodeURIComponent(bad)}`,
        headers: { host: 'news.localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(res.statusCode, 400, bad);
    }
  });

  test('the notifications page lists decisions with the reason and note, links in context and marks read', async () => {
    const { t } = n;
    const di = await reader(t, 'di@example.com', 'Di Decided');
    const ed = await reader(t, 'ed@example.com', 'Ed Else');
    const kept = await addComment(t, {
      siteId: n.lifeId,
      articleId: n.stories.life,
      authorId: di.id,
      body: 'Kept words.',
    });
    const refused = await addComment(t, {
      siteId: n.newsId,
      articleId: n.stories.news,
      authorId: di.id,
      body: 'Refused words.',
      status: 'rejected',
    });
    await t.rt.db.kysely
      .updateTable('comments')
      .set({ reject_reason: 'off_topic', reject_note: 'Stay with the summit, please.' })
      .where('id', '=', refused)
      .execute();
    const approved = await addNotification(t, di.id, 'approved', kept);
    await addNotification(t, di.id, 'rejected', refused);
    await addNotification(t, di.id, 'featured', kept);
    const notMine = await addNotification(t, ed.id, 'approved', kept);

    const anon = await new Client(t.app).get(`${NEWS}/account/notifications`);
    assert.equal(anon.status, 303);
    const c = await signedIn(t, 'di@example.com');
    const account = await c.get(`${NEWS}/account`);
    assert.match(account.body, /Notifications \(3 new\)/);
    const page = await c.get(`${NEWS}/account/notifications`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['cache-control']), /no-store/);
    assert.match(page.body, /Your comment was rejected: it is off-topic/);
    assert.match(page.body, /Moderator’s note: Stay with the summit, please\./);
    assert.match(page.body, /Your comment was featured/);
    assert.ok(
      page.body.includes(`href="http://life.localhost:3000/comments/${kept}"`),
      'on the comment’s own host',
    );
    assert.equal((page.body.match(/notices__new/g) ?? []).length, 3);
    // A rejected comment is not in the thread: its link opens the story's discussion instead.
    assert.ok(page.body.includes('href="/world/leaders-meet-at-the-summit#comments"'));
    assert.ok(!page.body.includes(`href="/comments/${refused}"`));

    const one = await c.post(`${NEWS}/account/notifications/read`, {
      csrf: csrfOf(page.body),
      id: String(approved),
    });
    assert.equal(one.status, 303);
    assert.equal(
      ((await c.get(`${NEWS}/account/notifications`)).body.match(/notices__new/g) ?? []).length,
      2,
    );
    // Someone else's notification is not found, and stays unread.
    const theirs = await c.post(`${NEWS}/account/notifications/read`, {
      csrf: csrfOf(page.body),
      id: String(notMine),
    });
    assert.equal(theirs.status, 404);
    const row = await t.rt.db.kysely
      .selectFrom('comment_notifications')
      .select('read_at')
      .where('id', '=', notMine)
      .executeTakeFirstOrThrow();
    assert.equal(row.read_at, null);
    // Without the token nothing is marked.
    assert.equal((await c.post(`${NEWS}/account/notifications/read`, {})).status, 403);
    const all = await c.post(`${NEWS}/account/notifications/read`, { csrf: csrfOf(page.body) });
    assert.equal(all.status, 303);
    const done = await c.get(`${NEWS}/account/notifications`);
    assert.equal((done.body.match(/notices__new/g) ?? []).length, 0);
    assert.ok(!done.body.includes('Mark all as read'));
  });
});
