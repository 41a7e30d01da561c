// Reports and moderators' actions: reports once per account and holding at three, approve/reject with
// notifications and the mail job for members who opted in, moderator edits with notes, featuring, marking
// reviewed, dismissing reports, notes on members, and the comment webhooks' events.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { JobQueue } from '../jobs/queue.ts';
import { OutboundClient } from '../outbound/client.ts';
import { SiteDirectory } from '../sites/directory.ts';
import { WEBHOOK_EVENTS, WebhookService } from '../webhooks/service.ts';
import { commentWorld, moderator, reader } from './testing.ts';

describeEachDialect('comment reports and moderation', (ctx) => {
  it('takes one report per account and holds a comment at three open reports', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const author = await reader(ctx.db);
    const top = await w.svc.post(author, { siteId: w.siteId, articleId: w.articleId, body: 'Top' });
    const c = await w.svc.post(author, {
      siteId: w.siteId,
      articleId: w.articleId,
      parentId: top.id,
      body: 'Rude',
    });
    const [r1, r2, r3] = [await reader(ctx.db), await reader(ctx.db), await reader(ctx.db)];
    await assert.rejects(w.svc.report(author, c.id, { reason: 'spam' }), {
      code: 'DATELINE_ERR_COMMENT_FORBIDDEN',
    });
    await assert.rejects(w.svc.report(r1!, c.id, { reason: 'other' }), {
      code: 'DATELINE_ERR_REPORT_INVALID',
    });
    await assert.rejects(w.svc.report(r1!, c.id, { reason: 'nope' as 'spam' }), {
      code: 'DATELINE_ERR_REPORT_INVALID',
    });
    await w.svc.report(r1!, c.id, { reason: 'abuse' });
    await assert.rejects(w.svc.report(r1!, c.id, { reason: 'spam' }), {
      code: 'DATELINE_ERR_REPORT_DUPLICATE',
    });
    await w.svc.report(r2!, c.id, { reason: 'other', note: 'Insults a reader' });
    assert.equal((await w.svc.get(c.id))?.status, 'published');
    await w.svc.report(r3!, c.id, { reason: 'off_topic' });
    const held = await w.svc.get(c.id);
    assert.equal(held?.status, 'pending');
    assert.equal(held?.reportCount, 3);
    assert.deepEqual(held?.holdReasons, [{ code: 'reports', detail: '3' }]);
    assert.equal((await w.svc.get(top.id))?.replyCount, 0);
    // Dismissing the reports publishes it again; the reports are resolved.
    await w.svc.dismissReports(mod, c.id);
    const back = await w.svc.get(c.id);
    assert.deepEqual([back?.status, back?.reportCount], ['published', 0]);
    assert.equal((await w.svc.get(top.id))?.replyCount, 1);
    const open = await ctx.db.kysely
      .selectFrom('comment_reports')
      .select('id')
      .where('comment_id', '=', c.id)
      .where('resolved_at', 'is', null)
      .execute();
    assert.equal(open.length, 0);
  });

  it('approves and rejects, notifying the author and queueing mail only for members who opted in', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    const b = await reader(ctx.db);
    await ctx.db.kysely
      .insertInto('member_settings')
      .values({ user_id: a.userId, email_decisions: 1 })
      .execute();
    await w.svc.setPolicy(mod, w.siteId, `story:${w.articleId}`, { mode: 'pre' });
    const ca = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'From a' });
    const cb = await w.svc.post(b, { siteId: w.siteId, articleId: w.articleId, body: 'From b' });
    await w.svc.approve(mod, [ca.id]);
    await w.svc.reject(mod, [cb.id], { reason: 'off_topic', note: 'Stay on the story' });
    const approved = await w.svc.get(ca.id);
    assert.equal(approved?.status, 'published');
    assert.ok(approved?.reviewedAt);
    const rejected = await w.svc.get(cb.id);
    assert.deepEqual(
      [rejected?.status, rejected?.rejectReason, rejected?.rejectNote],
      ['rejected', 'off_topic', 'Stay on the story'],
    );
    const notes = await ctx.db.kysely
      .selectFrom('comment_notifications')
      .select(['id', 'user_id', 'kind'])
      .where('comment_id', 'in', [ca.id, cb.id])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      notes.map((n) => [n.user_id, n.kind]),
      [
        [a.userId, 'approved'],
        [b.userId, 'rejected'],
      ],
    );
    const jobs = await ctx.db.kysely
      .selectFrom('jobs')
      .select(['kind', 'payload'])
      .where('kind', '=', 'comments.notify')
      .execute();
    assert.deepEqual(
      jobs.map((j) => JSON.parse(j.payload)),
      [{ notificationId: notes[0]!.id }],
    );
    const changes = w.s.seen.flatMap((e) => (e.type === 'comment.changed' ? [[e.commentId, e.change]] : []));
    assert.deepEqual(changes.slice(-2), [
      [ca.id, 'approved'],
      [cb.id, 'rejected'],
    ]);
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('subject_type', '=', 'comment')
      .where('action', 'in', ['comment.approved', 'comment.rejected'])
      .where('subject_id', 'in', [String(ca.id), String(cb.id)])
      .orderBy('id')
      .execute();
    assert.deepEqual(audit, [
      { actor: mod.label, action: 'comment.approved' },
      { actor: mod.label, action: 'comment.rejected' },
    ]);
    await assert.rejects(w.svc.reject(mod, [ca.id], { reason: 'Not A Code!' }), {
      code: 'DATELINE_ERR_COMMENT_INVALID',
    });
    await assert.rejects(w.svc.approve(mod, [999_999]), { code: 'DATELINE_ERR_COMMENT_NOT_FOUND' });
  });

  it('approving a published comment (from the unmoderated queue) is audited, with nothing sent', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    const c = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Published at once' });
    assert.equal(c.status, 'published');
    await w.svc.approve(mod, [c.id]);
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('subject_type', '=', 'comment')
      .where('subject_id', '=', String(c.id))
      .where('action', '=', 'comment.approved')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, mod.label);
    assert.deepEqual(JSON.parse(audit[0]!.detail).before, {
      status: 'published',
      reviewed: false,
      openReports: 0,
    });
    const notes = await ctx.db.kysely
      .selectFrom('comment_notifications')
      .select('kind')
      .where('comment_id', '=', c.id)
      .execute();
    assert.deepEqual(notes, []);
    assert.ok((await w.svc.get(c.id))?.reviewedAt);
  });

  it('two moderators approving the same held reply at once count it once', async () => {
    const w = await commentWorld(ctx.db);
    const [m1, m2] = [await moderator(ctx.db), await moderator(ctx.db)];
    const a = await reader(ctx.db);
    const top = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Top' });
    await w.svc.setPolicy(m1, w.siteId, 'site', { mode: 'pre' });
    const b = await reader(ctx.db);
    const reply = await w.svc.post(b, {
      siteId: w.siteId,
      articleId: w.articleId,
      parentId: top.id,
      body: 'Held reply',
    });
    await Promise.all([w.svc.approve(m1, [reply.id]), w.svc.approve(m2, [reply.id])]);
    assert.equal((await w.svc.get(top.id))?.replyCount, 1);
    const approvals = await ctx.db.kysely
      .selectFrom('comment_notifications')
      .select('kind')
      .where('comment_id', '=', reply.id)
      .where('kind', '=', 'approved')
      .execute();
    assert.equal(approvals.length, 1);
  });

  it('edits with a visible note, features, marks reviewed', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    const c = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Off-topic rant' });
    await w.svc.moderatorEdit(mod, c.id, { body: '[removed]', note: 'Moderator: off-topic comment removed' });
    let got = await w.svc.get(c.id);
    assert.deepEqual([got?.body, got?.moderatorNote], ['[removed]', 'Moderator: off-topic comment removed']);
    await w.svc.moderatorEdit(mod, c.id, { note: null });
    got = await w.svc.get(c.id);
    assert.equal(got?.moderatorNote, null);
    await w.svc.feature(mod, c.id, true);
    assert.ok((await w.svc.get(c.id))?.featuredAt);
    await w.svc.feature(mod, c.id, false);
    assert.equal((await w.svc.get(c.id))?.featuredAt, null);
    const d = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Unseen' });
    assert.equal(d.reviewedAt, null);
    await w.svc.markReviewed(mod, [d.id]);
    assert.ok((await w.svc.get(d.id))?.reviewedAt);
    const kinds = await ctx.db.kysely
      .selectFrom('comment_notifications')
      .select('kind')
      .where('comment_id', '=', c.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      kinds.map((k) => k.kind),
      ['edited', 'featured'],
    );
  });

  it('keeps notes on members and a history', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Hello' });
    await w.svc.addMemberNote(mod, a.userId, 'Argues a lot, never rude');
    await assert.rejects(w.svc.addMemberNote(mod, a.userId, '  '), {
      code: 'DATELINE_ERR_MEMBER_NOTE_INVALID',
    });
    await w.svc.sanction(mod, a.userId, { kind: 'warning', siteId: w.siteId, message: 'Keep it civil' });
    await assert.rejects(w.svc.sanction(mod, a.userId, { kind: 'suspension', siteId: null, message: '' }), {
      code: 'DATELINE_ERR_SANCTION_INVALID',
    });
    const h = await w.svc.memberHistory(a.userId);
    assert.deepEqual([h.counts.published, h.notes.length, h.sanctions[0]?.kind], [1, 1, 'warning']);
    // A warning is no bar to commenting.
    assert.equal(await w.svc.activeSanction(a.userId, w.siteId), null);
  });

  it('a ban on one site leaves the others open; rejecting existing comments fixes reply counts', async () => {
    const w = await commentWorld(ctx.db);
    const other = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    const b = await reader(ctx.db);
    const top = await w.svc.post(b, { siteId: w.siteId, articleId: w.articleId, body: 'Top' });
    const reply = await w.svc.post(a, {
      siteId: w.siteId,
      articleId: w.articleId,
      parentId: top.id,
      body: 'Troll',
    });
    const elsewhere = await other.svc.post(a, {
      siteId: other.siteId,
      articleId: other.articleId,
      body: 'Fine here',
    });
    await w.svc.sanction(mod, a.userId, {
      kind: 'ban',
      siteId: w.siteId,
      message: 'Trolling',
      rejectExisting: true,
    });
    assert.equal((await w.svc.get(reply.id))?.status, 'rejected');
    assert.equal((await w.svc.get(top.id))?.replyCount, 0);
    assert.equal((await w.svc.get(elsewhere.id))?.status, 'published');
    await assert.rejects(w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Again' }), {
      code: 'DATELINE_ERR_MEMBER_BANNED',
    });
    assert.equal(
      (await other.svc.post(a, { siteId: other.siteId, articleId: other.articleId, body: 'Still here' }))
        .status,
      'published',
    );
    // The member is told by mail, with the moderators' message.
    const mails = await ctx.db.kysely
      .selectFrom('mail_messages')
      .select(['text_body'])
      .where('kind', '=', 'member.sanction')
      .where('user_id', '=', a.userId)
      .execute();
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.text_body, /Trolling/);
  });

  it('modes resolve story > section > site > defaults, each field on its own', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    assert.deepEqual(await w.svc.policy(w.siteId, w.articleId), {
      mode: 'post',
      newMemberApprovals: 2,
      closeAfterDays: 14,
      open: true,
      closedBecause: null,
      closesAt: (await w.svc.policy(w.siteId, w.articleId)).closesAt,
    });
    await w.svc.setPolicy(mod, w.siteId, 'site', { mode: 'pre_new', closeAfterDays: 30 });
    await w.svc.setPolicy(mod, w.siteId, `section:${w.sectionId}`, { newMemberApprovals: 5 });
    await w.svc.setPolicy(mod, w.siteId, `story:${w.articleId}`, { mode: 'pre' });
    const p = await w.svc.policy(w.siteId, w.articleId);
    assert.deepEqual([p.mode, p.newMemberApprovals, p.closeAfterDays], ['pre', 5, 30]);
    await w.svc.setPolicy(mod, w.siteId, `story:${w.articleId}`, { mode: null });
    assert.equal((await w.svc.policy(w.siteId, w.articleId)).mode, 'pre_new');
    await assert.rejects(w.svc.setPolicy(mod, w.siteId, 'story:abc' as 'site', {}), {
      code: 'DATELINE_ERR_COMMENT_POLICY_INVALID',
    });
    await assert.rejects(w.svc.setPolicy(mod, w.siteId, 'site', { mode: 'open' as 'post' }), {
      code: 'DATELINE_ERR_COMMENT_POLICY_INVALID',
    });
    await assert.rejects(w.svc.setPolicy(mod, w.siteId, 'story:999999', { mode: 'pre' }), {
      code: 'DATELINE_ERR_COMMENT_POLICY_INVALID',
    });
    assert.ok(w.s.seen.some((e) => e.type === 'comment.policy_changed' && e.articleId === w.articleId));
    assert.equal((await w.svc.policies(w.siteId)).length, 3);
  });

  it('raises comment.created, comment.approved and comment.rejected as webhooks', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const a = await reader(ctx.db);
    const directory = new SiteDirectory(ctx.db);
    await directory.load();
    const queue = new JobQueue(ctx.db);
    const hooks = new WebhookService(ctx.db, queue, w.s.articles, directory, {
      outbound: new OutboundClient({ allow: ['127.0.0.1'] }),
    });
    const ep = await hooks.createEndpoint({
      url: 'http://127.0.0.1:9/hooks',
      siteId: w.siteId,
      events: ['comment.created', 'comment.approved', 'comment.rejected'],
    });
    await w.svc.setPolicy(mod, w.siteId, `story:${w.articleId}`, { mode: 'pre' });
    const c = await w.svc.post(a, { siteId: w.siteId, articleId: w.articleId, body: 'Hook me' });
    await w.svc.approve(mod, [c.id]);
    await w.svc.reject(mod, [c.id], { reason: 'spam' });
    await hooks.dispatch();
    const jobs = await ctx.db.kysely
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'webhook.deliver')
      .where('key', 'like', `webhook:${ep.id}:%`)
      .orderBy('id')
      .execute();
    const bodies = [];
    for (const j of jobs) {
      const { eventId } = JSON.parse(j.payload) as { eventId: number };
      bodies.push(
        JSON.parse((await hooks.payloadFor(eventId))!.body) as {
          type: string;
          data: { comment: Record<string, unknown> };
        },
      );
    }
    assert.deepEqual(
      bodies.map((b) => b.type),
      ['comment.created', 'comment.approved', 'comment.rejected'],
    );
    // Read now: the comment is rejected, so its text is not sent.
    assert.deepEqual(bodies[0]?.data.comment, {
      id: c.id,
      site_id: w.siteId,
      article_id: w.articleId,
      status: 'rejected',
    });
    assert.ok((WEBHOOK_EVENTS as readonly string[]).includes('comment.created'));
  });
});
