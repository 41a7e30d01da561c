// Votes: one per account per comment, up or down, changed or withdrawn; never on one's own comment, nor on a
// missing, deleted or unpublished one. The tallies live on the comment row and change in the same
// transaction as the vote row, by relative updates (up_count = up_count + x), so they stay exact under
// concurrent votes: SQLite runs one write transaction at a time; on PostgreSQL the comment row is locked
// (select … for update) before the vote row is read, so two votes on one comment cannot both read the same
// old vote and no update is lost. The path is a handful of short indexed statements: the comment (locked),
// a sanction check, the old vote, the vote write, the tally update. No event per vote: the thread is marked
// for the tally coalescer (tally-flush.ts).
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { type Ctx, gone, notFound } from './context.ts';
import { assertNotSanctioned } from './members-admin.ts';
import type { CommentActor, VoteResult } from './model.ts';

export async function vote(
  ctx: Ctx,
  actor: CommentActor,
  commentId: number,
  value: number,
): Promise<VoteResult> {
  if (value !== 1 && value !== -1 && value !== 0) {
    throw new DatelineError(
      'VOTE_INVALID',
      `A vote is up (1), down (-1) or withdrawn (0); ${JSON.stringify(value)} is none of these. Send one of them.`,
    );
  }
  if (!Number.isSafeInteger(commentId) || commentId < 1) throw notFound(commentId);
  // SQLite has one connection, and Kysely wakes every waiter for it at each release: hundreds of votes
  // waiting at once made each release cost more. Votes queue here instead, one at a time, in order.
  return ctx.db.dialect === 'sqlite'
    ? ctx.voteLane.run(() => castVote(ctx, actor, commentId, value))
    : castVote(ctx, actor, commentId, value);
}

async function castVote(
  ctx: Ctx,
  actor: CommentActor,
  commentId: number,
  value: 1 | -1 | 0,
): Promise<VoteResult> {
  await ctx.limits.consume('vote', actor.userId, actor.ip);
  const postgres = ctx.db.dialect === 'postgres';
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    // One statement reads the comment, the account's vote on it and whether a suspension or ban is in force.
    const at = toDbTime(ctx.now());
    let q = trx
      .selectFrom('comments as c')
      .select((eb) => [
        'c.id',
        'c.site_id',
        'c.article_id',
        'c.author_id',
        'c.status',
        'c.up_count',
        'c.down_count',
        eb
          .selectFrom('comment_votes as v')
          .select('v.value')
          .whereRef('v.comment_id', '=', 'c.id')
          .where('v.user_id', '=', actor.userId)
          .as('mine'),
        eb
          .selectFrom('member_sanctions as s')
          .select('s.id')
          .where('s.user_id', '=', actor.userId)
          .where('s.kind', 'in', ['suspension', 'ban'])
          .where('s.lifted_at', 'is', null)
          .where((w) => w.or([w('s.site_id', 'is', null), w('s.site_id', '=', w.ref('c.site_id'))]))
          .where((w) => w.or([w('s.ends_at', 'is', null), w('s.ends_at', '>', at)]))
          .limit(1)
          .as('sanction'),
      ])
      .where('c.id', '=', commentId);
    if (postgres) q = q.forUpdate();
    const c = await q.executeTakeFirst();
    if (!c) throw notFound(commentId);
    if (c.status === 'deleted') throw gone(commentId);
    if (c.status !== 'published') throw notFound(commentId);
    if (c.author_id === actor.userId) {
      throw new DatelineError(
        'VOTE_OWN_COMMENT',
        'You cannot vote on your own comment; nothing was counted. Votes are for what others wrote.',
        { comment: commentId },
      );
    }
    // The full check builds the refusal with the reason and the end date.
    if (c.sanction != null) await assertNotSanctioned(trx, actor.userId, c.site_id, ctx.now());
    const old = c.mine == null ? null : { value: c.mine };
    const before = old ? Number(old.value) : 0;
    const mine = value as 1 | -1 | 0;
    if (before === mine) {
      return { up: Number(c.up_count), down: Number(c.down_count), mine, thread: null };
    }
    if (mine === 0) {
      await trx
        .deleteFrom('comment_votes')
        .where('comment_id', '=', commentId)
        .where('user_id', '=', actor.userId)
        .execute();
    } else if (old) {
      await trx
        .updateTable('comment_votes')
        .set({ value: mine })
        .where('comment_id', '=', commentId)
        .where('user_id', '=', actor.userId)
        .execute();
    } else {
      await trx
        .insertInto('comment_votes')
        .values({ comment_id: commentId, user_id: actor.userId, value: mine })
        .execute();
    }
    const du = (mine === 1 ? 1 : 0) - (before === 1 ? 1 : 0);
    const dd = (mine === -1 ? 1 : 0) - (before === -1 ? 1 : 0);
    const t = await trx
      .updateTable('comments')
      .set((eb) => ({ up_count: eb('up_count', '+', du), down_count: eb('down_count', '+', dd) }))
      .where('id', '=', commentId)
      .returning(['up_count', 'down_count'])
      .executeTakeFirstOrThrow();
    return { up: Number(t.up_count), down: Number(t.down_count), mine, thread: c };
  });
  if (result.thread) ctx.tallies.touch(result.thread.site_id, result.thread.article_id);
  return { up: result.up, down: result.down, mine: result.mine };
}

/** The account's own votes among these comments (for the personal part of a thread page). */
export async function votesOf(
  ctx: Ctx,
  userId: number,
  commentIds: readonly number[],
): Promise<Map<number, 1 | -1>> {
  const out = new Map<number, 1 | -1>();
  if (commentIds.length === 0) return out;
  const rows = await ctx.db.kysely
    .selectFrom('comment_votes')
    .select(['comment_id', 'value'])
    .where('user_id', '=', userId)
    .where('comment_id', 'in', [...commentIds])
    .execute();
  for (const r of rows) out.set(r.comment_id, Number(r.value) === 1 ? 1 : -1);
  return out;
}
