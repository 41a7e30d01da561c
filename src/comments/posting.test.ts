// Posting, editing and deleting: the checks made in the post's transaction, the automatic holds with their
// reasons, depth and root of replies, reply counts, the edit window, and what a deleted comment keeps.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { commentWorld, moderator, reader } from './testing.ts';

describeEachDialect('comment posting', (ctx) => {
  it('publishes a comment and threads replies with depth, root and reply counts', async () => {
    const w = await commentWorld(ctx.db);
    const a = await reader(ctx.db);
    const b = await reader(ctx.db);
    const top = await w.svc.post(a, {
      siteId: w.siteId,
      articleId: w.articleId,
      body: '  Hello <b>world</b>\u202E  ',
    });
    assert.equal(top.status, 'published');
    assert.equal(top.body, 'Hello <b>world</b>');
    assert.deepEqual([top.depth, top.rootId, top.parentId], [0, null, null]);
    const r1 = await w.svc.post(b, {
      siteId: w.siteId,
      articleId: w.articleId,
      parentId: top.id,
      body: 'Reply',
    });
    const r2 = await w.svc.post(a, {
      siteId: w.siteId,
      articleId: w.articleId,
      parentId: r1.id,
      body: 'Reply to reply',
    });
    assert.deepEqual([r1.depth, r1.rootId], [1, top.id]);
    assert.deepEqual([r2.depth, r2.rootId, r2.parentId], [2, top.id, r1.id]);
    assert.equal((await w.svc.get(top.id))?.replyCount, 1);
    assert.equal((await w.svc.get(r1.id))?.replyCount, 1);
    // The reply notified the parent's author, not the replier.
    const notes = await ctx.db.kysely
      .selectFrom('comment_notifications')
      .selectAll()
      .where('comment_id', 'in', [r1.id, r2.id])
      .execute();
    assert.deepEqual(
      notes.map((n) => [n.user_id, n.kind, n.comment_id]).sort(),
      [
        [a.userId, 'reply', r1.id],
        [b.userId, 'reply', r2.id],
      ].sort(),
    );
    const created = w.s.seen.filter((e) => e.type === 'comment.changed' && e.change === 'created');
    assert.equal(created.length, 3);
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('subject_type', '=', 'comment')
      .where('subject_id', '=', String(top.id))
      .execute();
    assert.deepEqual(audit, [{ actor: `reader:${a.userId}`, action: 'comment.posted' }]);
  });

  it('refuses replies to comments of another thread, held or deleted comments', async () => {
    const w = await commentWorld(ctx.db);
    const a = await reader(ctx.db);
    const other = await w.story();
    const there = await w.svc.post(a, { siteId: w.siteId, articleId: other, body: 'Elsewhere' });
    await assert.rejects(
      w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, parentId: there.id, body: 'x' }),
      {
        code: 'DATELINE_ERR_COMMENT_PARENT_INVALID',
      },
    );
    await assert.rejects(
      w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, parentId: Number.NaN, body: 'x' }),
      { code: 'DATELINE_ERR_COMMENT_INVALID' },
    );
    const gone = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Soon gone' });
    await w.svc.remove(a, gone.id);
    await assert.rejects(
      w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, parentId: gone.id, body: 'x' }),
      {
        code: 'DATELINE_ERR_COMMENT_PARENT_INVALID',
      },
    );
  });

  it('refuses a banned word at once, naming it, and holds a suspect word with its reason', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    await w.svc.words.add(mod, { siteId: w.siteId, kind: 'banned', pattern: 'bad' });
    await w.svc.words.add(mod, { siteId: null, kind: 'suspect', pattern: 'crypto*' });
    await assert.rejects(
      w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'so ｂａｄ' }),
      (e: { code: string; where: { word: string } }) => {
        assert.equal(e.code, 'DATELINE_ERR_COMMENT_BANNED_WORD');
        assert.equal(e.where.word, 'bad');
        return true;
      },
    );
    const held = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Buy CRYPTOCOINS' });
    assert.equal(held.status, 'pending');
    assert.deepEqual(held.holdReasons, [{ code: 'suspect_word', detail: 'cryptocoins' }]);
    const none = await ctx.db.kysely
      .selectFrom('comments')
      .select('id')
      .where('body', 'like', '%ｂａｄ%')
      .execute();
    assert.equal(none.length, 0);
  });

  it('holds too many links, repeated text and a member whose recent comments were mostly rejected', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    const post = (body: string) => w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body });
    const links = await post('https://a.example https://b.example https://c.example https://d.example');
    assert.deepEqual(links.holdReasons, [{ code: 'links', detail: '4' }]);
    const once = await post('Same words');
    assert.equal(once.status, 'published');
    w.clock.advance(61_000);
    const twice = await post('Same words');
    assert.deepEqual(
      twice.holdReasons.map((h) => h.code),
      ['repeated'],
    );
    const b = await reader(ctx.db);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await w.svc.post(b, { siteId: w.siteId, articleId: w.articleId, body: `Spam ${i}` })).id);
    }
    await w.svc.reject(mod, ids, { reason: 'spam' });
    const next = await w.svc.post(b, { siteId: w.siteId, articleId: w.articleId, body: 'Honest now' });
    assert.equal(next.status, 'pending');
    assert.equal(next.holdReasons[0]?.code, 'history');
  });

  it('pre-moderation holds everything; pre_new holds a member until N approvals', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    await w.svc.setPolicy(mod, w.siteId, 'site', { mode: 'pre' });
    const p1 = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'One' });
    assert.deepEqual(p1.holdReasons, [{ code: 'pre_moderation' }]);
    await w.svc.setPolicy(mod, w.siteId, `story:${w.articleId}`, { mode: 'pre_new', newMemberApprovals: 2 });
    const p2 = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Two' });
    assert.equal(p2.holdReasons[0]?.code, 'new_member');
    await w.svc.approve(mod, [p1.id, p2.id]);
    const p3 = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Three' });
    assert.equal(p3.status, 'published');
  });

  it('refuses posts to closed threads: by hand, by age, story taken down', async () => {
    const w = await commentWorld(ctx.db, { limits: { postAccount: { points: 100, seconds: 60 } } });
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    let n = 0;
    const post = (articleId: number) => w.svc.post(a, { siteId: w.siteId, articleId, body: `Hello ${++n}` });
    await w.svc.setThreadOpen(mod, w.siteId, w.articleId, false);
    await assert.rejects(
      post(w.articleId),
      (e: { code: string; where: { because: string } }) =>
        e.code === 'DATELINE_ERR_COMMENT_CLOSED' && e.where.because === 'by_hand',
    );
    await w.svc.setThreadOpen(mod, w.siteId, w.articleId, true);
    assert.equal((await post(w.articleId)).status, 'published');
    const old = await w.story({ publishedAt: new Date(w.clock.now.getTime() - 15 * 86_400_000) });
    await assert.rejects(post(old), (e: { where: { because: string } }) => e.where.because === 'age');
    assert.equal((await w.svc.policy(w.siteId, old)).closedBecause, 'age');
    await w.svc.setThreadOpen(mod, w.siteId, old, true);
    assert.equal((await post(old)).status, 'published');
    await w.s.articles.takeDown(w.articleId, 'legal', 'test');
    await assert.rejects(
      post(w.articleId),
      (e: { where: { because: string } }) => e.where.because === 'story_gone',
    );
    await assert.rejects(w.svc.post(a, { siteId: w.siteId, articleId: 999_999, body: 'x' }), {
      code: 'DATELINE_ERR_COMMENT_CLOSED',
    });
  });

  it('refuses a suspended or banned member with the reason and the end', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    const until = new Date(w.clock.now.getTime() + 86_400_000);
    const s = await w.svc.sanction(mod, a.userId, {
      kind: 'suspension',
      siteId: w.siteId,
      message: 'Insults',
      endsAt: until,
    });
    await assert.rejects(
      w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Hi' }),
      (e: { code: string; where: { reason: string; until: string } }) => {
        assert.equal(e.code, 'DATELINE_ERR_MEMBER_SUSPENDED');
        assert.deepEqual([e.where.reason, e.where.until], ['Insults', until.toISOString()]);
        return true;
      },
    );
    await w.svc.lift(mod, s.id);
    assert.equal(
      (await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Back' })).status,
      'published',
    );
    await w.svc.sanction(mod, a.userId, { kind: 'ban', siteId: null, message: 'Spam', rejectExisting: true });
    await assert.rejects(w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Hi' }), {
      code: 'DATELINE_ERR_MEMBER_BANNED',
    });
    const history = await w.svc.memberHistory(a.userId);
    assert.equal(history.counts.published, 0);
    assert.equal(history.counts.rejected, 1);
    assert.deepEqual(
      history.sanctions.map((x) => x.kind),
      ['ban', 'suspension'],
    );
    // A suspension over is no suspension.
    const b = await reader(ctx.db);
    await w.svc.sanction(mod, b.userId, {
      kind: 'suspension',
      siteId: null,
      message: '',
      endsAt: new Date(w.clock.now.getTime() + 1000),
    });
    w.clock.advance(2000);
    assert.equal(await w.svc.activeSanction(b.userId, w.siteId), null);
  });

  it('edits within the window (words checked again) and deletes, keeping the text out of reads', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    const b = await reader(ctx.db);
    await w.svc.words.add(mod, { siteId: w.siteId, kind: 'suspect', pattern: 'dodgy' });
    const top = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Top' });
    const c = await w.svc.post(b, {
      siteId: w.siteId,
      articleId: w.articleId,
      parentId: top.id,
      body: 'Typo',
    });
    await assert.rejects(w.svc.edit(a, c.id, 'Not mine'), { code: 'DATELINE_ERR_COMMENT_FORBIDDEN' });
    const edited = await w.svc.edit(b, c.id, 'Fixed');
    assert.ok(edited.editedAt);
    assert.equal(edited.body, 'Fixed');
    const held = await w.svc.edit(b, c.id, 'Now dodgy');
    assert.equal(held.status, 'pending');
    assert.equal((await w.svc.get(top.id))?.replyCount, 0);
    w.clock.advance(5 * 60_000 + 1);
    await assert.rejects(w.svc.edit(b, c.id, 'Too late'), { code: 'DATELINE_ERR_COMMENT_EDIT_WINDOW' });
    await w.svc.remove(b, c.id);
    const deleted = await w.svc.get(c.id);
    assert.equal(deleted?.status, 'deleted');
    assert.equal(deleted?.body, '');
    await assert.rejects(w.svc.remove(b, c.id), { code: 'DATELINE_ERR_COMMENT_GONE' });
  });

  it('rate-limits posting per account', async () => {
    const w = await commentWorld(ctx.db, { limits: { postAccount: { points: 2, seconds: 60 } } });
    const a = await reader(ctx.db);
    for (const body of ['one', 'two'])
      await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body });
    await assert.rejects(w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'three' }), {
      code: 'DATELINE_ERR_RATE_LIMITED',
    });
  });
});
