// rt.comments: every write of the comments feature, in one place the routes, the admin, the importer and the
// member pages call. Each write is one transaction that checks what it must, changes the rows, records its
// domain event and audit entry, and (after commit) publishes the event; the parts live beside it
// (posting.ts, votes.ts, reports.ts, moderation.ts, members-admin.ts, policy.ts, words.ts).

import type { LimiterFactory } from '../accounts/rate-limit.ts';
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { Events } from '../events/log.ts';
import type { JobQueue } from '../jobs/queue.ts';
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

/** The settings the service reads (from Config: DATELINE_COMMENT_*). */
export interface CommentSettings {
  maxLength: number;
  maxLinks: number;
  editMinutes: number;
}

export interface CommentServiceDeps {
  db: Db;
  events: Events;
  jobs: JobQueue;
  limits: LimiterFactory;
  settings: CommentSettings;
  now?: () => Date;
}

const pending = (): never => {
  throw new DatelineError('INTERNAL', 'This part of the comments service is not built yet.');
};

export class CommentService {
  constructor(readonly deps: CommentServiceDeps) {}

  /** One comment as stored (any status), or null. */
  get(id: number): Promise<Comment | null> {
    return pending();
  }

  /** Posts a comment or reply: 'published', or 'pending' with its hold reasons. */
  post(actor: CommentActor, input: PostInput): Promise<Comment> {
    return pending();
  }

  /** The author edits within the edit window; word checks run again. */
  edit(actor: CommentActor, commentId: number, body: string): Promise<Comment> {
    return pending();
  }

  /** The author deletes their comment: status 'deleted', the body never read again. */
  remove(actor: CommentActor, commentId: number): Promise<void> {
    return pending();
  }

  /** 1 up, -1 down, 0 withdraws; the tallies after the vote. */
  vote(actor: CommentActor, commentId: number, value: 1 | -1 | 0): Promise<VoteResult> {
    return pending();
  }

  report(actor: CommentActor, commentId: number, input: ReportInput): Promise<void> {
    return pending();
  }

  /** The resolved policy of a thread: story > section > site > defaults, with open/closed and why. */
  policy(siteId: number, articleId: number): Promise<ThreadPolicy> {
    return pending();
  }

  /** The stored policy rows of a site (the admin's modes screen). */
  policies(siteId: number): Promise<PolicyRow[]> {
    return pending();
  }

  /** Sets a site's, section's or story's mode; { mode: 'closed' } on 'story:<id>' closes a thread by hand. */
  setPolicy(mod: ModeratorActor, siteId: number, scope: PolicyScope, patch: PolicyPatch): Promise<void> {
    return pending();
  }

  approve(mod: ModeratorActor, ids: number[]): Promise<void> {
    return pending();
  }

  reject(mod: ModeratorActor, ids: number[], input: RejectInput): Promise<void> {
    return pending();
  }

  /** Edits the text and/or sets the visible moderator's note (null or '' removes it). */
  moderatorEdit(
    mod: ModeratorActor,
    id: number,
    change: { body?: string; note?: string | null },
  ): Promise<void> {
    return pending();
  }

  feature(mod: ModeratorActor, id: number, on: boolean): Promise<void> {
    return pending();
  }

  /** Published comments seen by a moderator leave the "unmoderated" queue. */
  markReviewed(mod: ModeratorActor, ids: number[]): Promise<void> {
    return pending();
  }

  /** Resolves a comment's open reports without changing the comment. */
  dismissReports(mod: ModeratorActor, id: number): Promise<void> {
    return pending();
  }

  readonly words = {
    /** A site's own entries (siteId) or the network-wide ones (null). */
    list: (siteId: number | null): Promise<WordEntry[]> => pending(),
    add: (
      mod: ModeratorActor,
      entry: { siteId: number | null; kind: WordKind; pattern: string },
    ): Promise<WordEntry> => pending(),
    remove: (mod: ModeratorActor, id: number): Promise<void> => pending(),
  };

  sanction(mod: ModeratorActor, userId: number, input: SanctionInput): Promise<Sanction> {
    return pending();
  }

  lift(mod: ModeratorActor, sanctionId: number): Promise<void> {
    return pending();
  }

  addMemberNote(mod: ModeratorActor, userId: number, body: string): Promise<MemberNote> {
    return pending();
  }

  memberHistory(userId: number): Promise<MemberHistory> {
    return pending();
  }

  /** The suspension or ban in force for a member on a site (a site's own or the network's), or null. */
  activeSanction(userId: number, siteId: number): Promise<Sanction | null> {
    return pending();
  }

  /** Flushes the coalesced tally events (called on close). */
  async close(): Promise<void> {}
}
