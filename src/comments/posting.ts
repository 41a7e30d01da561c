// A reader's own writes: posting a comment or reply, editing it within the window, deleting it.
// Posting checks, in one transaction: the thread is open (story live on that site, not closed by hand or
// by age), the member is not suspended or banned there, the parent is a visible comment of the same
// thread; then decides whether the comment is published or held, and why (README "Holds"):
// pre-moderation, a new member under pre_new, a suspect word, too many links, the same text posted again
// recently, a member whose recent comments were mostly rejected. A banned word refuses it at once.
import { recordAudit } from '../audit/log.ts';
import { fromDbTime, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import {
  bumpReplyCount,
  type Ctx,
  gone,
  inTransaction,
  notFound,
  notify,
  readerActor,
  type Trx,
  toComment,
} from './context.ts';
import { assertNotSanctioned } from './members-admin.ts';
import type { Comment, CommentActor, HoldReason, PostInput, ThreadPolicy } from './model.ts';
import { resolvePolicy } from './policy.ts';
import { normaliseCommentText } from './text.ts';
import type { WordHit } from './words.ts';

/** The same text again by the same member within this long is held as repeated. */
export const REPEAT_WINDOW_MS = 24 * 3600_000;
/** How many of a member's latest comments (within HISTORY_WINDOW_MS) the history hold looks at. */
export const HISTORY_LOOKBACK = 10;
export const HISTORY_WINDOW_MS = 30 * 86_400_000;
/** Held when at least this many of those were looked at and more than half were rejected. */
export const HISTORY_MIN = 3;

function bannedWord(hit: WordHit): DatelineError {
  return new DatelineError(
    'COMMENT_BANNED_WORD',
    `The comment contains "${hit.matched}", which is not allowed on this site, so it was not posted. ` +
      'Take that word out, then send it again.',
    { word: hit.matched },
  );
}

export function closedError(policy: ThreadPolicy): DatelineError {
  const why =
    policy.closedBecause === 'story_gone'
      ? 'the story is not published on this site any more'
      : policy.closedBecause === 'age'
        ? `comments close ${policy.closeAfterDays} days after a story is published`
        : 'the moderators closed this thread';
  return new DatelineError(
    'COMMENT_CLOSED',
    `Comments on this story are closed (${why}), so nothing was posted.`,
    {
      because: policy.closedBecause ?? 'by_hand',
    },
  );
}

async function openPolicy(ctx: Ctx, trx: Trx, siteId: number, articleId: number): Promise<ThreadPolicy> {
  const policy = await resolvePolicy(trx, siteId, articleId, ctx.now(), {
    lockStory: ctx.db.dialect === 'postgres',
  });
  if (!policy.open) throw closedError(policy);
  return policy;
}

/** The automatic holds that depend on the member's recent comments: repeated text, a rejected history. */
async function historyHolds(ctx: Ctx, trx: Trx, userId: number, body: string, exceptId?: number) {
  const now = ctx.now().getTime();
  const recent = await trx
    .selectFrom('comments')
    .select(['id', 'body', 'status', 'created_at'])
    .where('author_id', '=', userId)
    .where('created_at', '>', toDbTime(new Date(now - HISTORY_WINDOW_MS)))
    .orderBy('created_at', 'desc')
    .limit(HISTORY_LOOKBACK)
    .execute();
  const holds: HoldReason[] = [];
  const others = recent.filter((r) => r.id !== exceptId);
  if (
    others.some(
      (r) =>
        r.body === body &&
        r.status !== 'deleted' &&
        now - fromDbTime(r.created_at).getTime() < REPEAT_WINDOW_MS,
    )
  ) {
    holds.push({ code: 'repeated' });
  }
  const rejected = others.filter((r) => r.status === 'rejected').length;
  if (others.length >= HISTORY_MIN && rejected * 2 > others.length) {
    holds.push({ code: 'history', detail: `${rejected} of the last ${others.length} rejected` });
  }
  return holds;
}

function contentHolds(ctx: Ctx, links: number, hit: WordHit | null): HoldReason[] {
  const holds: HoldReason[] = [];
  if (hit?.kind === 'suspect') holds.push({ code: 'suspect_word', detail: hit.matched });
  if (links > ctx.settings.maxLinks) holds.push({ code: 'links', detail: String(links) });
  return holds;
}

async function modeHolds(trx: Trx, policy: ThreadPolicy, userId: number): Promise<HoldReason[]> {
  if (policy.mode === 'pre') return [{ code: 'pre_moderation' }];
  if (policy.mode !== 'pre_new') return [];
  // A member is new until N of their comments anywhere on the network were approved (published and seen by
  // a moderator); reading at most N rows keeps this one short index read.
  const approved = await trx
    .selectFrom('comments')
    .select('id')
    .where('author_id', '=', userId)
    .where('status', '=', 'published')
    .where('reviewed_at', 'is not', null)
    .limit(policy.newMemberApprovals)
    .execute();
  return approved.length >= policy.newMemberApprovals
    ? []
    : [{ code: 'new_member', detail: `${approved.length} of ${policy.newMemberApprovals} approved` }];
}

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

export async function post(ctx: Ctx, actor: CommentActor, input: PostInput): Promise<Comment> {
  if (!isId(input.siteId) || !isId(input.articleId) || (input.parentId != null && !isId(input.parentId))) {
    throw new DatelineError(
      'COMMENT_INVALID',
      'The comment does not say which story (or which comment) it answers. Reload the page, then send it again.',
    );
  }
  const { text, links } = normaliseCommentText(input.body, { maxLength: ctx.settings.maxLength });
  // Counted before the word lists are read, so trying one banned spelling after another is limited too.
  await ctx.limits.consume('post', actor.userId, actor.ip);
  const words = await ctx.words.forSite(input.siteId);
  const hit = words.check(text);
  if (hit?.kind === 'banned') throw bannedWord(hit);
  return inTransaction(ctx, async (trx, record) => {
    const now = ctx.now();
    const policy = await openPolicy(ctx, trx, input.siteId, input.articleId);
    await assertNotSanctioned(trx, actor.userId, input.siteId, now);
    let parent: { id: number; root_id: number | null; depth: number; author_id: number } | null = null;
    if (input.parentId != null) {
      const p = await trx
        .selectFrom('comments')
        .select(['id', 'site_id', 'article_id', 'root_id', 'depth', 'author_id', 'status'])
        .where('id', '=', input.parentId)
        .executeTakeFirst();
      if (!p || p.site_id !== input.siteId || p.article_id !== input.articleId || p.status !== 'published') {
        throw new DatelineError(
          'COMMENT_PARENT_INVALID',
          `Comment ${input.parentId} cannot be replied to here: it is not a visible comment of this thread ` +
            '(it may have been deleted or be waiting for review). Reload the thread, then reply again.',
          { parent: input.parentId },
        );
      }
      parent = p;
    }
    const holds = [
      ...(await modeHolds(trx, policy, actor.userId)),
      ...contentHolds(ctx, links, hit),
      ...(await historyHolds(ctx, trx, actor.userId, text)),
    ];
    const status = holds.length > 0 ? 'pending' : 'published';
    const at = toDbTime(now);
    const row = await trx
      .insertInto('comments')
      .values({
        site_id: input.siteId,
        article_id: input.articleId,
        parent_id: parent?.id ?? null,
        root_id: parent ? (parent.root_id ?? parent.id) : null,
        depth: parent ? parent.depth + 1 : 0,
        author_id: actor.userId,
        body: text,
        status,
        hold_reasons: JSON.stringify(holds),
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (status === 'published' && parent) {
      await bumpReplyCount(trx, parent.id, 1);
      await notify(ctx, trx, {
        userId: parent.author_id,
        kind: 'reply',
        commentId: row.id,
        actorId: actor.userId,
      });
    }
    await record({
      type: 'comment.changed',
      siteId: row.site_id,
      articleId: row.article_id,
      commentId: row.id,
      change: 'created',
      visible: status === 'published',
    });
    await recordAudit(trx, {
      actor: readerActor(actor.userId),
      action: 'comment.posted',
      subjectType: 'comment',
      subjectId: row.id,
      detail: { siteId: row.site_id, articleId: row.article_id, status, holds: holds.map((h) => h.code) },
    });
    return toComment(row);
  });
}

/** The actor's own comment, locked on PostgreSQL until the change commits. */
async function ownComment(ctx: Ctx, trx: Trx, actor: CommentActor, id: number) {
  let q = trx.selectFrom('comments').selectAll().where('id', '=', id);
  if (ctx.db.dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(id);
  if (row.author_id !== actor.userId) {
    throw new DatelineError(
      'COMMENT_FORBIDDEN',
      `Comment ${id} is not yours, so you cannot change it. Only its author (or a moderator) can.`,
      { comment: id },
    );
  }
  if (row.status === 'deleted') throw gone(id);
  return row;
}

export async function edit(ctx: Ctx, actor: CommentActor, id: number, body: string): Promise<Comment> {
  const { text, links } = normaliseCommentText(body, { maxLength: ctx.settings.maxLength });
  // An edit changes the thread as a post does (event, cached pages dropped): it counts against the same limit.
  await ctx.limits.consume('post', actor.userId, actor.ip);
  return inTransaction(ctx, async (trx, record) => {
    const now = ctx.now();
    const before = await ownComment(ctx, trx, actor, id);
    if (before.status === 'rejected') {
      throw new DatelineError(
        'COMMENT_FORBIDDEN',
        `Comment ${id} was rejected by the moderators, so it cannot be edited.`,
        { comment: id },
      );
    }
    const windowMs = ctx.settings.editMinutes * 60_000;
    if (now.getTime() - fromDbTime(before.created_at).getTime() > windowMs) {
      throw new DatelineError(
        'COMMENT_EDIT_WINDOW',
        `Comments can be edited for ${ctx.settings.editMinutes} minutes after posting, and that time has passed ` +
          'for this one, so it was not changed. You can delete it and post again.',
        { comment: id, minutes: ctx.settings.editMinutes },
      );
    }
    if (text === before.body) return toComment(before);
    await openPolicy(ctx, trx, before.site_id, before.article_id);
    await assertNotSanctioned(trx, actor.userId, before.site_id, now);
    const hit = (await ctx.words.forSite(before.site_id)).check(text);
    if (hit?.kind === 'banned') throw bannedWord(hit);
    // Edited text is checked again: a published comment edited to hold a suspect word or too many links goes
    // back to the queue; what held it before (pre-moderation, new member) still applies while it waits.
    const newHolds = contentHolds(ctx, links, hit);
    const kept = JSON.parse(before.hold_reasons) as HoldReason[];
    const holds =
      before.status === 'pending'
        ? [...kept.filter((h) => h.code !== 'suspect_word' && h.code !== 'links'), ...newHolds]
        : newHolds;
    const status = before.status === 'pending' || newHolds.length > 0 ? 'pending' : 'published';
    const at = toDbTime(now);
    const row = await trx
      .updateTable('comments')
      .set({
        body: text,
        status,
        hold_reasons: JSON.stringify(holds),
        edited_at: at,
        updated_at: at,
        // A comment edited after a moderator saw it needs a new look (it returns to "unmoderated").
        reviewed_at: null,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (before.status === 'published' && status === 'pending')
      await bumpReplyCount(trx, before.parent_id, -1);
    await record({
      type: 'comment.changed',
      siteId: row.site_id,
      articleId: row.article_id,
      commentId: id,
      change: 'edited',
      visible: before.status === 'published',
    });
    await recordAudit(trx, {
      actor: readerActor(actor.userId),
      action: 'comment.edited',
      subjectType: 'comment',
      subjectId: id,
      before: { body: before.body, status: before.status },
      after: { body: text, status },
    });
    return toComment(row);
  });
}

export async function remove(ctx: Ctx, actor: CommentActor, id: number): Promise<void> {
  await inTransaction(ctx, async (trx, record) => {
    const before = await ownComment(ctx, trx, actor, id);
    const at = toDbTime(ctx.now());
    const r = await trx
      .updateTable('comments')
      .set({ status: 'deleted', featured_at: null, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', before.status)
      .executeTakeFirst();
    // Changed meanwhile (a moderator's decision, or a second delete): read it again and decide once more.
    if (Number(r.numUpdatedRows) === 0) throw gone(id);
    if (before.status === 'published') await bumpReplyCount(trx, before.parent_id, -1);
    // Open reports on a deleted comment leave the queue with it.
    await trx
      .updateTable('comment_reports')
      .set({ resolved_at: at })
      .where('comment_id', '=', id)
      .where('resolved_at', 'is', null)
      .execute();
    await record({
      type: 'comment.changed',
      siteId: before.site_id,
      articleId: before.article_id,
      commentId: id,
      change: 'deleted',
      visible: before.status === 'published',
    });
    await recordAudit(trx, {
      actor: readerActor(actor.userId),
      action: 'comment.deleted',
      subjectType: 'comment',
      subjectId: id,
      detail: { siteId: before.site_id, articleId: before.article_id, status: before.status },
    });
  });
}
