// What every part of the comments service shares: its dependencies, the one-transaction-then-publish
// helper, the row → Comment mapping, notification rows with their mail job, and the rate limits.
import type { Selectable, Transaction } from 'kysely';
import type { Limiter, LimiterFactory } from '../accounts/rate-limit.ts';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/database.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { DomainEvent } from '../events/bus.ts';
import type { Events } from '../events/log.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { MailService } from '../mail/mailer.ts';
import type { Comment, HoldReason } from './model.ts';
import type { CommentsTable, NotificationKind } from './tables.ts';
import type { TallyFlusher } from './tally-flush.ts';
import type { WordCache } from './words.ts';

export type Trx = Transaction<Database>;

/** The settings the service reads (from Config: DATELINE_COMMENT_*), with the limits' defaults. */
export interface CommentSettings {
  maxLength: number;
  maxLinks: number;
  editMinutes: number;
  /** Open reports that hold a published comment for review (default 3). */
  reportsToHold?: number;
  /** Rate limits; see DEFAULT_LIMITS. */
  limits?: Partial<CommentLimitSpecs>;
}

export interface LimitSpec {
  points: number;
  seconds: number;
}

export interface CommentLimitSpecs {
  postAccount: LimitSpec;
  postIp: LimitSpec;
  voteAccount: LimitSpec;
  voteIp: LimitSpec;
  reportAccount: LimitSpec;
  reportIp: LimitSpec;
}

export const DEFAULT_LIMITS: CommentLimitSpecs = {
  postAccount: { points: 5, seconds: 60 },
  postIp: { points: 30, seconds: 60 },
  voteAccount: { points: 60, seconds: 60 },
  voteIp: { points: 600, seconds: 60 },
  reportAccount: { points: 10, seconds: 600 },
  reportIp: { points: 30, seconds: 600 },
};

export type LimitedAction = 'post' | 'vote' | 'report';

export class CommentLimits {
  private readonly made: Record<string, Limiter> = {};

  constructor(factory: LimiterFactory, specs: Partial<CommentLimitSpecs> = {}) {
    const all = { ...DEFAULT_LIMITS, ...specs };
    for (const [name, spec] of Object.entries(all)) {
      this.made[name] = factory.make(`comment-${name}`, {
        points: spec.points,
        durationSeconds: spec.seconds,
      });
    }
  }

  /** Counts one action for the account and the address; refuses with RATE_LIMITED over either. */
  async consume(action: LimitedAction, userId: number, ip: string): Promise<void> {
    const [account, address] = await Promise.all([
      this.made[`${action}Account`]!.consume(`u${userId}`),
      this.made[`${action}Ip`]!.consume(ip || 'unknown'),
    ]);
    const wait = Math.max(account, address);
    if (wait > 0) {
      const what = { post: 'comments posted', vote: 'votes', report: 'reports' }[action];
      throw new DatelineError(
        'RATE_LIMITED',
        `Too many ${what} from ${account > 0 ? 'this account' : 'this network address'} in a short time, ` +
          `so this one was not accepted. Wait ${wait} second${wait === 1 ? '' : 's'}, then try again.`,
        { retryAfter: wait },
      );
    }
  }
}

/** Runs tasks one after another, in the order they came. */
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => {});
    return result;
  }
}

export interface Ctx {
  db: Db;
  events: Events;
  jobs: JobQueue;
  mail: MailService | null;
  settings: Required<Omit<CommentSettings, 'limits'>>;
  limits: CommentLimits;
  words: WordCache;
  tallies: TallyFlusher;
  /** Votes on SQLite, one at a time (see votes.ts). */
  voteLane: SerialLane;
  now: () => Date;
}

/** Runs `work` as one transaction; the events it records publish after commit, in order. */
export async function inTransaction<T>(
  ctx: Ctx,
  work: (trx: Trx, record: (event: DomainEvent) => Promise<void>) => Promise<T>,
): Promise<T> {
  const recorded: { event: DomainEvent; id: number }[] = [];
  const result = await ctx.db.kysely.transaction().execute((trx) =>
    work(trx, async (event) => {
      recorded.push({ event, id: await ctx.events.record(trx, event) });
    }),
  );
  for (const r of recorded) ctx.events.published(r.event, r.id);
  return result;
}

/** The audit actor of a reader acting on their own comments. */
export function readerActor(userId: number): string {
  return `reader:${userId}`;
}

export type CommentRow = Selectable<CommentsTable>;

export function parseHoldReasons(json: string): HoldReason[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as HoldReason[]) : [];
  } catch {
    return [];
  }
}

/** A stored row as a Comment; a deleted comment's text is never handed out. */
export function toComment(r: CommentRow): Comment {
  return {
    id: r.id,
    siteId: r.site_id,
    articleId: r.article_id,
    parentId: r.parent_id,
    rootId: r.root_id,
    depth: r.depth,
    authorId: r.author_id,
    body: r.status === 'deleted' ? '' : r.body,
    status: r.status,
    holdReasons: parseHoldReasons(r.hold_reasons),
    moderatorNote: r.moderator_note,
    rejectReason: r.reject_reason,
    rejectNote: r.reject_note,
    reviewedAt: fromDbTimeOrNull(r.reviewed_at),
    reviewedBy: r.reviewed_by,
    featuredAt: fromDbTimeOrNull(r.featured_at),
    editedAt: fromDbTimeOrNull(r.edited_at),
    up: Number(r.up_count),
    down: Number(r.down_count),
    replyCount: Number(r.reply_count),
    reportCount: Number(r.report_count),
    createdAt: fromDbTime(r.created_at),
    updatedAt: fromDbTime(r.updated_at),
  };
}

export function notFound(id: number): DatelineError {
  return new DatelineError(
    'COMMENT_NOT_FOUND',
    `There is no comment ${id} that you can see: it may never have existed, or be waiting for review or removed. ` +
      'Reload the thread.',
    { comment: id },
  );
}

export function gone(id: number): DatelineError {
  return new DatelineError(
    'COMMENT_GONE',
    `Comment ${id} was deleted, so nothing can be done with it any more. Reload the thread.`,
    { comment: id },
  );
}

export const NOTIFY_JOB = 'comments.notify';

/** Which member setting opts a member in to mail of each kind. */
const SETTING_OF: Record<NotificationKind, 'email_replies' | 'email_decisions'> = {
  reply: 'email_replies',
  approved: 'email_decisions',
  rejected: 'email_decisions',
  edited: 'email_decisions',
  featured: 'email_decisions',
};

/**
 * Records a notification for `userId` about `commentId` (never to the one who acted), and queues the
 * comments.notify job in the same transaction when the member opted in to that kind of mail.
 */
export async function notify(
  ctx: Ctx,
  trx: Trx,
  n: { userId: number; kind: NotificationKind; commentId: number; actorId: number | null },
): Promise<void> {
  if (n.userId === n.actorId) return;
  const row = await trx
    .insertInto('comment_notifications')
    .values({ user_id: n.userId, kind: n.kind, comment_id: n.commentId, created_at: toDbTime(ctx.now()) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const settings = await trx
    .selectFrom('member_settings')
    .select(['email_replies', 'email_decisions'])
    .where('user_id', '=', n.userId)
    .executeTakeFirst();
  if (settings && Number(settings[SETTING_OF[n.kind]]) === 1) {
    await ctx.jobs.enqueue(NOTIFY_JOB, `comments.notify:${row.id}`, { notificationId: row.id }, { trx });
  }
}

/** Changes a published comment's parent's count of visible replies. */
export async function bumpReplyCount(trx: Trx, parentId: number | null, by: 1 | -1): Promise<void> {
  if (parentId === null) return;
  await trx
    .updateTable('comments')
    .set((eb) => ({ reply_count: eb('reply_count', '+', by) }))
    .where('id', '=', parentId)
    .execute();
}
