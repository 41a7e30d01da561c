import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf } from '../../accounts/testing.ts';
import { addNotification, NEWS, type Network, PW, reader, signedIn, startNetwork } from './testing.ts';

describeEachDialect('a member’s comments and votes in data download and account deletion', (ctx) => {
  let n: Network;
  before(async () => {
    n = await startNetwork(ctx.db);
  });
  after(() => n.t.close());

  const row = (id: number) =>
    n.t.rt.db.kysely
      .selectFrom('comments')
      .select(['status', 'body', 'author_id', 'up_count', 'down_count', 'reply_count'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  /** Ana writes a comment and a reply to Bo; Bo and Cy comment; Ana votes on both and Cy votes on Ana. */
  async function scene(tag: string) {
    const { t } = n;
    const ana = await reader(t, `ana-${tag}@example.com`, `Ana ${tag}`);
    const bo = await reader(t, `bo-${tag}@example.com`, `Bo ${tag}`);
    const cy = await reader(t, `cy-${tag}@example.com`, `Cy ${tag}`);
    const at = { siteId: n.newsId, articleId: n.stories.news };
    const as = (id: number) => ({ userId: id, ip: '10.1.1.1' });
    const boSays = await t.rt.comments.post(as(bo.id), { ...at, body: `Bo opens ${tag}.` });
    const cySays = await t.rt.comments.post(as(cy.id), { ...at, body: `Cy opens ${tag}.` });
    const anaSays = await t.rt.comments.post(as(ana.id), { ...at, body: `Ana says ${tag}.` });
    const anaReplies = await t.rt.comments.post(as(ana.id), {
      ...at,
      parentId: boSays.id,
      body: `Ana answers ${tag}.`,
    });
    await t.rt.comments.vote(as(ana.id), boSays.id, 1);
    await t.rt.comments.vote(as(ana.id), cySays.id, -1);
    await t.rt.comments.vote(as(cy.id), boSays.id, 1);
    await t.rt.comments.vote(as(cy.id), anaSays.id, 1);
    return { ana, bo, cy, boSays, cySays, anaSays, anaReplies };
  }

  test('the download lists the member’s comments, votes, notifications and settings', async () => {
    const s = await scene('export');
    await addNotification(n.t, s.ana.id, 'featured', s.anaSays.id);
    await n.t.rt.comments.report({ userId: s.ana.id, ip: '10.1.1.1' }, s.cySays.id, { reason: 'spam' });
    const c = await signedIn(n.t, s.ana.email!);
    const res = await c.get(`${NEWS}/account/data.json`);
    assert.equal(res.status, 200);
    const data = JSON.parse(res.body);
    assert.deepEqual(
      data.comments.map((x: { text: string; story: string; site: string }) => [x.text, x.story, x.site]),
      [
        ['Ana says export.', 'Leaders meet at the summit', 'Example Times'],
        ['Ana answers export.', 'Leaders meet at the summit', 'Example Times'],
      ],
    );
    assert.equal(data.comments[1].inReplyTo, s.boSays.id);
    assert.deepEqual(
      data.commentVotes.map((v: { comment: number; vote: string }) => [v.comment, v.vote]),
      [
        [s.boSays.id, 'up'],
        [s.cySays.id, 'down'],
      ],
    );
    assert.equal(data.commentNotifications[0].kind, 'featured');
    assert.deepEqual(
      data.commentReports.map((r: { comment: number; reason: string }) => [r.comment, r.reason]),
      [[s.cySays.id, 'spam']],
    );
    assert.equal(data.commentSettings.pageHidden, false);
    assert.equal(data.account.email, s.ana.email);
  });

  test('deleting with "remove": comments deleted, votes gone, every tally and reply count exact', async () => {
    const s = await scene('remove');
    assert.equal((await row(s.boSays.id)).reply_count, 1);
    const c = await signedIn(n.t, s.ana.email!);
    const page = await c.get(`${NEWS}/account`);
    assert.match(page.body, /name="publicWriting" value="anonymise" checked/);
    const res = await c.post(`${NEWS}/account/delete`, {
      csrf: csrfOf(page.body),
      confirm: 'delete',
      password: PW,
      publicWriting: 'remove',
    });
    assert.equal(res.status, 200, res.body);
    assert.equal((await row(s.anaSays.id)).status, 'deleted');
    assert.equal((await row(s.anaReplies.id)).status, 'deleted');
    const bo = await row(s.boSays.id);
    assert.deepEqual([bo.up_count, bo.down_count, bo.reply_count].map(Number), [1, 0, 0]);
    const cy = await row(s.cySays.id);
    assert.deepEqual([cy.up_count, cy.down_count].map(Number), [0, 0]);
    // Votes cast on her comments by others stay counted on rows that are now deleted; hers are gone.
    const votes = await n.t.rt.db.kysely
      .selectFrom('comment_votes')
      .selectAll()
      .where('user_id', '=', s.ana.id)
      .execute();
    assert.equal(votes.length, 0);
    const left = await n.t.rt.db.kysely
      .selectFrom('comment_notifications')
      .select('id')
      .where('user_id', '=', s.ana.id)
      .execute();
    assert.equal(left.length, 0);
    assert.equal((await new Client(n.t.app).get(`${NEWS}/members/${s.ana.profileSlug}`)).status, 404);
  });

  test('deleting with "anonymise" (the default here): comments stay, published, without her name', async () => {
    const s = await scene('anon');
    await n.t.rt.accounts.deleteAccount(s.ana.id, { confirm: 'delete', password: PW });
    const kept = await row(s.anaSays.id);
    assert.equal(kept.status, 'published');
    assert.equal(kept.body, 'Ana says anon.');
    const author = await n.t.rt.accounts.user(kept.author_id);
    assert.equal(author!.status, 'deleted');
    assert.equal(Number((await row(s.boSays.id)).up_count), 1, 'her vote left the tally');
    assert.equal(Number((await row(s.boSays.id)).reply_count), 1, 'her reply still shows');
  });
});
