// Reports: a reader flags a visible comment (spam, abuse, off-topic, or other with a note), once per account
// per comment (the unique key enforces it, also under concurrent requests). The comment's count of open
// reports is kept on its row; when it reaches the threshold (default 3) a published comment is held for
// review, with the reason 'reports'. Approving, rejecting or dismissing resolves the open reports.
import { recordAudit } from '../audit/log.ts';
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import {
  bumpReplyCount,
  type Ctx,
  gone,
  inTransaction,
  notFound,
  parseHoldReasons,
  readerActor,
} from './context.ts';
import { assertNotSanctioned } from './members-admin.ts';
import { type CommentActor, REPORT_REASONS, type ReportInput } from './model.ts';
import { normaliseCommentText } from './text.ts';

const NOTE_MAX = 500;

export async function report(
  ctx: Ctx,
  actor: CommentActor,
  commentId: number,
  input: ReportInput,
): Promise<void> {
  if (!REPORT_REASONS.includes(input.reason)) {
    throw new DatelineError(
      'REPORT_INVALID',
      `"${input.reason}" is not a reason to report a comment: choose spam, abuse, off_topic or other.`,
      { field: 'reason' },
    );
  }
  let note: string | null = null;
  if (input.note != null && input.note.trim() !== '') {
    if (input.note.length > NOTE_MAX * 4) {
      throw new DatelineError('REPORT_INVALID', `The note is too long: at most ${NOTE_MAX} characters.`, {
        field: 'note',
      });
    }
    note = normaliseCommentText(input.note, { maxLength: NOTE_MAX }).text;
  }
  if (input.reason === 'other' && !note) {
    throw new DatelineError(
      'REPORT_INVALID',
      "A report for 'other' needs a note saying what is wrong. Add one.",
      {
        field: 'note',
      },
    );
  }
  if (!Number.isSafeInteger(commentId) || commentId < 1) throw notFound(commentId);
  await ctx.limits.consume('report', actor.userId, actor.ip);
  await inTransaction(ctx, async (trx, record) => {
    const c = await trx
      .selectFrom('comments')
      .select(['id', 'site_id', 'article_id', 'author_id', 'status'])
      .where('id', '=', commentId)
      .executeTakeFirst();
    if (!c) throw notFound(commentId);
    if (c.status === 'deleted') throw gone(commentId);
    if (c.status !== 'published') throw notFound(commentId);
    if (c.author_id === actor.userId) {
      throw new DatelineError('COMMENT_FORBIDDEN', 'You cannot report your own comment; delete it instead.', {
        comment: commentId,
      });
    }
    await assertNotSanctioned(trx, actor.userId, c.site_id, ctx.now());
    const now = toDbTime(ctx.now());
    const inserted = await trx
      .insertInto('comment_reports')
      .values({ comment_id: commentId, user_id: actor.userId, reason: input.reason, note, created_at: now })
      .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      throw new DatelineError(
        'REPORT_DUPLICATE',
        'You have reported this comment already; the moderators have it. Each account reports a comment once.',
        { comment: commentId },
      );
    }
    const after = await trx
      .updateTable('comments')
      .set((eb) => ({ report_count: eb('report_count', '+', 1) }))
      .where('id', '=', commentId)
      .returning(['report_count', 'status', 'hold_reasons', 'parent_id'])
      .executeTakeFirstOrThrow();
    const count = Number(after.report_count);
    let held = false;
    if (count >= ctx.settings.reportsToHold && after.status === 'published') {
      const holds = parseHoldReasons(after.hold_reasons).filter((h) => h.code !== 'reports');
      holds.push({ code: 'reports', detail: String(count) });
      await trx
        .updateTable('comments')
        .set({ status: 'pending', hold_reasons: JSON.stringify(holds), featured_at: null, updated_at: now })
        .where('id', '=', commentId)
        .execute();
      await bumpReplyCount(trx, after.parent_id, -1);
      await record({
        type: 'comment.changed',
        siteId: c.site_id,
        articleId: c.article_id,
        commentId,
        change: 'reported',
        visible: true,
      });
      held = true;
    }
    await recordAudit(trx, {
      actor: readerActor(actor.userId),
      action: 'comment.reported',
      subjectType: 'comment',
      subjectId: commentId,
      detail: { reason: input.reason, reports: count, held },
    });
  });
}
