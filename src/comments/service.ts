// rt.comments: every write of the comments feature, in one place the routes, the admin, the importer and the
// member pages call. Each write is one transaction that checks what it must, changes the rows, records its
// domain event and audit entry, and (after commit) publishes the event. The parts live beside it:
// posting.ts (post, edit, delete), votes.ts, reports.ts, moderation.ts (actions, modes, word lists),
// members-admin.ts (sanctions, notes, history), policy.ts, words.ts, text.ts, tally-flush.ts.
import type { LimiterFactory } from '../accounts/rate-limit.ts';
import type { Db } from '../db/connection.ts';
import type { Events } from '../events/log.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { MailService } from '../mail/mailer.ts';
import {
  type CommentLimitSpecs,
  CommentLimits,
  type CommentSettings,
  type Ctx,
  SerialLane,
  toComment,
} from './context.ts';
import * as members from './members-admin.ts';
import type {
  Comment,
  CommentActor,
  MemberHistory,
  MemberNote,
  ModeratorActor,
  PolicyPatch,
  PolicyRow,
  PolicyScope,
  PostInput,
  RejectInput,
  ReportInput,
  Sanction,
  SanctionInput,
  ThreadPolicy,
  VoteResult,
  WordEntry,
  WordKind,
} from './model.ts';
import * as moderation from './moderation.ts';
import * as settings from './moderation-settings.ts';
import { listPolicies, resolvePolicy } from './policy.ts';
import * as posting from './posting.ts';
import { report } from './reports.ts';
import { TallyFlusher } from './tally-flush.ts';
import { vote, votesOf } from './votes.ts';
import { WordCache } from './words.ts';

export type { CommentSettings } from './context.ts';

/** The rate limits from the two settings: per account per minute, and per network address at 6x and 10x. */
export function commentLimitsFrom(
  postsPerMinute: number,
  votesPerMinute: number,
): Partial<CommentLimitSpecs> {
  return {
    postAccount: { points: postsPerMinute, seconds: 60 },
    postIp: { points: postsPerMinute * 6, seconds: 60 },
    voteAccount: { points: votesPerMinute, seconds: 60 },
    voteIp: { points: votesPerMinute * 10, seconds: 60 },
  };
}
export { NOTIFY_JOB } from './context.ts';

export interface CommentServiceDeps {
  db: Db;
  events: Events;
  jobs: JobQueue;
  limits: LimiterFactory;
  settings: CommentSettings;
  /** Sends the sanction notices; without it none are mailed. */
  mail?: MailService;
  now?: () => Date;
  /** How often a thread's tally event may be recorded (default 2 s). */
  tallyIntervalMs?: number;
  onError?: (err: unknown) => void;
}

export class CommentService {
  private readonly ctx: Ctx;

  constructor(readonly deps: CommentServiceDeps) {
    const now = deps.now ?? (() => new Date());
    this.ctx = {
      db: deps.db,
      events: deps.events,
      jobs: deps.jobs,
      mail: deps.mail ?? null,
      settings: {
        maxLength: deps.settings.maxLength,
        maxLinks: deps.settings.maxLinks,
        editMinutes: deps.settings.editMinutes,
        reportsToHold: deps.settings.reportsToHold ?? 3,
      },
      limits: new CommentLimits(deps.limits, deps.settings.limits),
      words: new WordCache(deps.db, () => now().getTime()),
      tallies: new TallyFlusher(deps.events, deps.tallyIntervalMs ?? 2000, deps.onError),
      voteLane: new SerialLane(),
      now,
    };
  }

  /** The limits in force (for forms that say how long a comment may be). */
  get settings(): Ctx['settings'] {
    return this.ctx.settings;
  }

  /** One comment as stored (any status; a deleted one without its text), or null. */
  async get(id: number): Promise<Comment | null> {
    const row = await this.ctx.db.kysely
      .selectFrom('comments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toComment(row) : null;
  }

  /** Posts a comment or reply: 'published', or 'pending' with its hold reasons. */
  post(actor: CommentActor, input: PostInput): Promise<Comment> {
    return posting.post(this.ctx, actor, input);
  }

  /** The author edits within the edit window; word checks run again. */
  edit(actor: CommentActor, commentId: number, body: string): Promise<Comment> {
    return posting.edit(this.ctx, actor, commentId, body);
  }

  /** The author deletes their comment: status 'deleted', the body never read again. */
  remove(actor: CommentActor, commentId: number): Promise<void> {
    return posting.remove(this.ctx, actor, commentId);
  }

  /** 1 up, -1 down, 0 withdraws; the tallies after the vote. */
  vote(actor: CommentActor, commentId: number, value: 1 | -1 | 0): Promise<VoteResult> {
    return vote(this.ctx, actor, commentId, value);
  }

  /** The account's own votes among these comments. */
  votesOf(userId: number, commentIds: readonly number[]): Promise<Map<number, 1 | -1>> {
    return votesOf(this.ctx, userId, commentIds);
  }

  report(actor: CommentActor, commentId: number, input: ReportInput): Promise<void> {
    return report(this.ctx, actor, commentId, input);
  }

  /** The resolved policy of a thread: story > section > site > defaults, with open/closed and why. */
  policy(siteId: number, articleId: number): Promise<ThreadPolicy> {
    return resolvePolicy(this.ctx.db.kysely, siteId, articleId, this.ctx.now());
  }

  /** The stored policy rows of a site (the admin's modes screen). */
  policies(siteId: number): Promise<PolicyRow[]> {
    return listPolicies(this.ctx.db.kysely, siteId);
  }

  /** Sets a site's, section's or story's mode and limits; null inherits, undefined keeps. */
  setPolicy(mod: ModeratorActor, siteId: number, scope: PolicyScope, patch: PolicyPatch): Promise<void> {
    return settings.setPolicy(this.ctx, mod, siteId, scope, patch);
  }

  /** Closes a story's thread by hand, or opens it again (also one closed by age). */
  setThreadOpen(mod: ModeratorActor, siteId: number, articleId: number, open: boolean): Promise<void> {
    return settings.setThreadOpen(this.ctx, mod, siteId, articleId, open);
  }

  approve(mod: ModeratorActor, ids: number[]): Promise<void> {
    return moderation.approve(this.ctx, mod, ids);
  }

  reject(mod: ModeratorActor, ids: number[], input: RejectInput): Promise<void> {
    return moderation.reject(this.ctx, mod, ids, input);
  }

  /** Edits the text and/or sets the visible moderator's note (null or '' removes it). */
  moderatorEdit(
    mod: ModeratorActor,
    id: number,
    change: { body?: string; note?: string | null },
  ): Promise<void> {
    return moderation.moderatorEdit(this.ctx, mod, id, change);
  }

  feature(mod: ModeratorActor, id: number, on: boolean): Promise<void> {
    return moderation.feature(this.ctx, mod, id, on);
  }

  /** Published comments seen by a moderator leave the "unmoderated" queue. */
  markReviewed(mod: ModeratorActor, ids: number[]): Promise<void> {
    return moderation.markReviewed(this.ctx, mod, ids);
  }

  /** Resolves a comment's open reports; one held only by reports is published again. */
  dismissReports(mod: ModeratorActor, id: number): Promise<void> {
    return moderation.dismissReports(this.ctx, mod, id);
  }

  readonly words = {
    /** A site's own entries (siteId) or the network-wide ones (null). */
    list: (siteId: number | null): Promise<WordEntry[]> => settings.listWords(this.ctx, siteId),
    add: (
      mod: ModeratorActor,
      entry: { siteId: number | null; kind: WordKind; pattern: string },
    ): Promise<WordEntry> => settings.addWord(this.ctx, mod, entry),
    remove: (mod: ModeratorActor, id: number): Promise<void> => settings.removeWord(this.ctx, mod, id),
    /** What the lists of a site say about a text (for the admin's "try a text" box and tests). */
    check: async (siteId: number, text: string) => (await this.ctx.words.forSite(siteId)).check(text),
  };

  sanction(mod: ModeratorActor, userId: number, input: SanctionInput): Promise<Sanction> {
    return members.sanction(this.ctx, mod, userId, input);
  }

  lift(mod: ModeratorActor, sanctionId: number): Promise<void> {
    return members.lift(this.ctx, mod, sanctionId);
  }

  addMemberNote(mod: ModeratorActor, userId: number, body: string): Promise<MemberNote> {
    return members.addMemberNote(this.ctx, mod, userId, body);
  }

  memberHistory(userId: number): Promise<MemberHistory> {
    return members.memberHistory(this.ctx, userId);
  }

  /** The suspension or ban in force for a member on a site (a site's own or the network's), or null. */
  activeSanction(userId: number, siteId: number): Promise<Sanction | null> {
    return members.activeSanction(this.ctx.db.kysely, userId, siteId, this.ctx.now());
  }

  /** Records the tally events still waiting (tests; the runtime calls close()). */
  flushTallies(): Promise<void> {
    return this.ctx.tallies.flush();
  }

  /** Flushes the coalesced tally events. */
  async close(): Promise<void> {
    await this.ctx.tallies.close();
  }
}
