// Moderators' actions on comments: approve, reject with a reason code and an optional note to the author,
// edit with a note every reader sees, feature, mark as seen, dismiss reports (modes and word lists are in
// moderation-settings.ts). Each action is one
// transaction with its audit entry (actor: the staff label) and, when readers' view changes, its
// comment.changed event; approve and reject raise the comment.approved / comment.rejected webhooks
// through those events. The routes check the moderator's capability; this module trusts its caller.
import { recordAudit } from '../audit/log.ts';
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import {
  bumpReplyCount,
  type CommentRow,
  type Ctx,
  gone,
  inTransaction,
  notFound,
  notify,
  type Trx,
} from './context.ts';
import type { ModeratorActor, RejectInput } from './model.ts';
import { normaliseCommentText } from './text.ts';

const MAX_BULK = 500;
const NOTE_MAX = 1000;

function checkIds(ids: readonly number[]): number[] {
  const unique = [...new Set(ids)];
  if (
    unique.length === 0 ||
    unique.length > MAX_BULK ||
    unique.some((id) => !Number.isSafeInteger(id) || id < 1)
  ) {
    throw new DatelineError(
      'COMMENT_INVALID',
      `Choose between 1 and ${MAX_BULK} comments (by id) for a bulk action; the selection had ${unique.length}.`,
    );
  }
  return unique;
}

/** The comments, locked on PostgreSQL until the action commits (SQLite runs one write at a time anyway). */
async function rowsOf(ctx: Ctx, trx: Trx, ids: number[]): Promise<CommentRow[]> {
  let q = trx.selectFrom('comments').selectAll().where('id', 'in', ids).orderBy('id');
  if (ctx.db.dialect === 'postgres') q = q.forUpdate();
  const rows = await q.execute();
  const missing = ids.find((id) => !rows.some((r) => r.id === id));
  if (missing !== undefined) throw notFound(missing);
  return rows;
}

async function resolveReports(trx: Trx, ids: number[], by: number, at: string): Promise<void> {
  await trx
    .updateTable('comment_reports')
    .set({ resolved_at: at, resolved_by: by })
    .where('comment_id', 'in', ids)
    .where('resolved_at', 'is', null)
    .execute();
}

export async function approve(ctx: Ctx, mod: ModeratorActor, ids: number[]): Promise<void> {
  const list = checkIds(ids);
  await inTransaction(ctx, async (trx, record) => {
    const at = toDbTime(ctx.now());
    for (const c of await rowsOf(ctx, trx, list)) {
      if (c.status === 'deleted') continue;
      // Only from the status read: a comment another moderator (or its author) changed meanwhile is left to
      // them, so its counts and notices are not applied twice.
      const r = await trx
        .updateTable('comments')
        .set({
          status: 'published',
          reviewed_at: at,
          reviewed_by: mod.userId,
          reject_reason: null,
          reject_note: null,
          report_count: 0,
          updated_at: at,
        })
        .where('id', '=', c.id)
        .where('status', '=', c.status)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) continue;
      await resolveReports(trx, [c.id], mod.userId, at);
      // Approving a published comment (from the unmoderated or reported queue) is a decision too: audited
      // like the others, though readers see no change.
      await recordAudit(trx, {
        actor: mod.label,
        action: 'comment.approved',
        subjectType: 'comment',
        subjectId: c.id,
        before: { status: c.status, reviewed: c.reviewed_at !== null, openReports: c.report_count },
        after: { status: 'published', reviewed: true, openReports: 0 },
        detail: { siteId: c.site_id, articleId: c.article_id },
      });
      if (c.status === 'published') continue;
      if (c.parent_id !== null) {
        await bumpReplyCount(trx, c.parent_id, 1);
        const parent = await trx
          .selectFrom('comments')
          .select('author_id')
          .where('id', '=', c.parent_id)
          .executeTakeFirst();
        if (parent)
          await notify(ctx, trx, {
            userId: parent.author_id,
            kind: 'reply',
            commentId: c.id,
            actorId: c.author_id,
          });
      }
      await notify(ctx, trx, { userId: c.author_id, kind: 'approved', commentId: c.id, actorId: mod.userId });
      await record({
        type: 'comment.changed',
        siteId: c.site_id,
        articleId: c.article_id,
        commentId: c.id,
        change: 'approved',
        visible: true,
      });
    }
  });
}

export async function reject(
  ctx: Ctx,
  mod: ModeratorActor,
  ids: number[],
  input: RejectInput,
): Promise<void> {
  const list = checkIds(ids);
  const reason = (input.reason ?? '').trim();
  if (!/^[a-z_]{1,40}$/.test(reason)) {
    throw new DatelineError(
      'COMMENT_INVALID',
      'A rejection needs a reason code (letters and underscores, e.g. spam, abuse, off_topic). Choose one.',
      { field: 'reason' },
    );
  }
  const note = input.note?.trim() ? normaliseCommentText(input.note, { maxLength: NOTE_MAX }).text : null;
  await inTransaction(ctx, async (trx, record) => {
    const at = toDbTime(ctx.now());
    for (const c of await rowsOf(ctx, trx, list)) {
      if (c.status === 'deleted') continue;
      const r = await trx
        .updateTable('comments')
        .set({
          status: 'rejected',
          reviewed_at: at,
          reviewed_by: mod.userId,
          reject_reason: reason,
          reject_note: note,
          featured_at: null,
          report_count: 0,
          updated_at: at,
        })
        .where('id', '=', c.id)
        .where('status', '=', c.status)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) continue;
      await resolveReports(trx, [c.id], mod.userId, at);
      if (c.status === 'rejected') continue;
      if (c.status === 'published') await bumpReplyCount(trx, c.parent_id, -1);
      await notify(ctx, trx, { userId: c.author_id, kind: 'rejected', commentId: c.id, actorId: mod.userId });
      await record({
        type: 'comment.changed',
        siteId: c.site_id,
        articleId: c.article_id,
        commentId: c.id,
        change: 'rejected',
        visible: c.status === 'published',
      });
      await recordAudit(trx, {
        actor: mod.label,
        action: 'comment.rejected',
        subjectType: 'comment',
        subjectId: c.id,
        before: { status: c.status },
        after: { status: 'rejected' },
        detail: { reason, note, siteId: c.site_id, articleId: c.article_id },
      });
    }
  });
}

async function one(ctx: Ctx, trx: Trx, id: number): Promise<CommentRow> {
  let q = trx.selectFrom('comments').selectAll().where('id', '=', id);
  if (ctx.db.dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(id);
  if (row.status === 'deleted') throw gone(id);
  return row;
}

export async function moderatorEdit(
  ctx: Ctx,
  mod: ModeratorActor,
  id: number,
  change: { body?: string; note?: string | null },
): Promise<void> {
  const body =
    change.body === undefined
      ? undefined
      : normaliseCommentText(change.body, { maxLength: ctx.settings.maxLength }).text;
  const note =
    change.note === undefined
      ? undefined
      : change.note === null || change.note.trim() === ''
        ? null
        : normaliseCommentText(change.note, { maxLength: NOTE_MAX }).text;
  await inTransaction(ctx, async (trx, record) => {
    const c = await one(ctx, trx, id);
    const at = toDbTime(ctx.now());
    const set = {
      ...(body !== undefined ? { body } : {}),
      ...(note !== undefined ? { moderator_note: note } : {}),
      reviewed_at: at,
      reviewed_by: mod.userId,
      updated_at: at,
    };
    await trx.updateTable('comments').set(set).where('id', '=', id).execute();
    const bodyChanged = body !== undefined && body !== c.body;
    if (bodyChanged)
      await notify(ctx, trx, { userId: c.author_id, kind: 'edited', commentId: id, actorId: mod.userId });
    await record({
      type: 'comment.changed',
      siteId: c.site_id,
      articleId: c.article_id,
      commentId: id,
      change: 'moderated',
      visible: c.status === 'published',
    });
    await recordAudit(trx, {
      actor: mod.label,
      action: 'comment.moderator_edited',
      subjectType: 'comment',
      subjectId: id,
      before: {
        ...(bodyChanged ? { body: c.body } : {}),
        ...(note !== undefined ? { note: c.moderator_note } : {}),
      },
      after: { ...(bodyChanged ? { body } : {}), ...(note !== undefined ? { note } : {}) },
    });
  });
}

export async function feature(ctx: Ctx, mod: ModeratorActor, id: number, on: boolean): Promise<void> {
  await inTransaction(ctx, async (trx, record) => {
    const c = await one(ctx, trx, id);
    if (on && c.status !== 'published') {
      throw new DatelineError(
        'COMMENT_INVALID',
        `Comment ${id} is not published, so it cannot be featured. Approve it first.`,
      );
    }
    if ((c.featured_at !== null) === on) return;
    const at = toDbTime(ctx.now());
    await trx
      .updateTable('comments')
      .set({ featured_at: on ? at : null, reviewed_at: at, reviewed_by: mod.userId, updated_at: at })
      .where('id', '=', id)
      .execute();
    if (on)
      await notify(ctx, trx, { userId: c.author_id, kind: 'featured', commentId: id, actorId: mod.userId });
    await record({
      type: 'comment.changed',
      siteId: c.site_id,
      articleId: c.article_id,
      commentId: id,
      change: 'featured',
      visible: true,
    });
    await recordAudit(trx, {
      actor: mod.label,
      action: on ? 'comment.featured' : 'comment.unfeatured',
      subjectType: 'comment',
      subjectId: id,
    });
  });
}

export async function markReviewed(ctx: Ctx, mod: ModeratorActor, ids: number[]): Promise<void> {
  const list = checkIds(ids);
  await inTransaction(ctx, async (trx) => {
    const at = toDbTime(ctx.now());
    const r = await trx
      .updateTable('comments')
      .set({ reviewed_at: at, reviewed_by: mod.userId })
      .where('id', 'in', list)
      .where('reviewed_at', 'is', null)
      .where('status', '=', 'published')
      .returning('id')
      .execute();
    if (r.length === 0) return;
    await recordAudit(trx, {
      actor: mod.label,
      action: 'comment.reviewed',
      subjectType: 'comment',
      subjectId: r.map((x) => x.id).join(','),
    });
  });
}

/** Resolves the open reports; a comment held only by reports is published again. */
export async function dismissReports(ctx: Ctx, mod: ModeratorActor, id: number): Promise<void> {
  await inTransaction(ctx, async (trx, record) => {
    const c = await one(ctx, trx, id);
    const at = toDbTime(ctx.now());
    await resolveReports(trx, [id], mod.userId, at);
    const holds = (JSON.parse(c.hold_reasons) as { code: string }[]).filter((h) => h.code !== 'reports');
    const release = c.status === 'pending' && holds.length === 0 && c.hold_reasons.includes('"reports"');
    await trx
      .updateTable('comments')
      .set({
        report_count: 0,
        hold_reasons: JSON.stringify(holds),
        ...(release ? { status: 'published' as const } : {}),
        reviewed_at: at,
        reviewed_by: mod.userId,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
    if (release) {
      await bumpReplyCount(trx, c.parent_id, 1);
      await record({
        type: 'comment.changed',
        siteId: c.site_id,
        articleId: c.article_id,
        commentId: id,
        change: 'approved',
        visible: true,
      });
    }
    await recordAudit(trx, {
      actor: mod.label,
      action: 'comment.reports_dismissed',
      subjectType: 'comment',
      subjectId: id,
      detail: { reports: Number(c.report_count), released: release },
    });
  });
}
