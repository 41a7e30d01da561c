// The comments feature's shapes as the rest of Dateline sees them: comments, why one is held, who acts
// (a reader or a moderator), a thread's resolved policy, word-list entries, sanctions and a member's history.
// Rows (src/comments/tables.ts) are turned into these by toComment and friends, so no caller reads JSON
// columns or dialect-specific times itself.
import type {
  CommentMode,
  CommentStatus,
  NotificationKind,
  ReportReason,
  SanctionKind,
  WordKind,
} from './tables.ts';

export type { CommentMode, CommentStatus, NotificationKind, ReportReason, SanctionKind, WordKind };

export type HoldCode =
  | 'pre_moderation'
  | 'new_member'
  | 'suspect_word'
  | 'links'
  | 'repeated'
  | 'history'
  | 'reports';

export interface HoldReason {
  code: HoldCode;
  /** e.g. the suspect word, the number of links or reports. */
  detail?: string;
}

export interface Comment {
  id: number;
  siteId: number;
  articleId: number;
  parentId: number | null;
  /** The top-level comment a reply hangs from; null for a top-level comment. */
  rootId: number | null;
  /** 0 at the top. */
  depth: number;
  authorId: number;
  /** Normalised plain text; render with renderCommentHtml. Empty for a deleted comment when read back. */
  body: string;
  status: CommentStatus;
  holdReasons: HoldReason[];
  /** Shown to every reader under the comment. */
  moderatorNote: string | null;
  rejectReason: string | null;
  /** To the author only. */
  rejectNote: string | null;
  reviewedAt: Date | null;
  reviewedBy: number | null;
  featuredAt: Date | null;
  editedAt: Date | null;
  up: number;
  down: number;
  replyCount: number;
  reportCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A signed-in reader. The routes check session and CSRF; the service checks everything else. */
export interface CommentActor {
  userId: number;
  /** The network address, for the per-address rate limits. */
  ip: string;
}

/** Staff acting in the admin; the routes check the capability. label is the audit actor (staffActor(id)). */
export interface ModeratorActor {
  userId: number;
  label: string;
}

export type ClosedBecause = 'by_hand' | 'age' | 'story_gone';

export interface ThreadPolicy {
  mode: CommentMode;
  newMemberApprovals: number;
  closeAfterDays: number;
  open: boolean;
  closedBecause: ClosedBecause | null;
  /** When an open thread closes by age (null when it never does or is closed already). */
  closesAt: Date | null;
}

export type PolicyScope = 'site' | `section:${number}` | `story:${number}`;

/** A null field inherits from the wider scope; undefined leaves it as it is. */
export interface PolicyPatch {
  mode?: CommentMode | null;
  newMemberApprovals?: number | null;
  closeAfterDays?: number | null;
}

/** One stored policy row (for the admin's "modes" screen). */
export interface PolicyRow {
  siteId: number;
  scope: string;
  mode: CommentMode | null;
  newMemberApprovals: number | null;
  closeAfterDays: number | null;
  updatedAt: Date;
  updatedBy: number | null;
}

export interface WordEntry {
  id: number;
  /** Null: every site of the network. */
  siteId: number | null;
  kind: WordKind;
  pattern: string;
  createdAt: Date;
  createdBy: number | null;
}

export interface Sanction {
  id: number;
  userId: number;
  siteId: number | null;
  kind: SanctionKind;
  message: string;
  endsAt: Date | null;
  createdAt: Date;
  createdBy: number | null;
  liftedAt: Date | null;
  liftedBy: number | null;
}

export interface SanctionInput {
  kind: SanctionKind;
  /** Null: the whole network. */
  siteId: number | null;
  message: string;
  /** Required for a suspension; a ban without it is permanent; ignored for a warning. */
  endsAt?: Date | null;
  /** Reject the member's published and pending comments (on that site, or everywhere). */
  rejectExisting?: boolean;
}

export interface MemberNote {
  id: number;
  userId: number;
  authorId: number | null;
  body: string;
  createdAt: Date;
}

export interface MemberHistory {
  userId: number;
  counts: { published: number; pending: number; rejected: number; deleted: number; approved: number };
  sanctions: Sanction[];
  notes: MemberNote[];
}

export interface VoteResult {
  up: number;
  down: number;
  mine: 1 | -1 | 0;
}

export interface ReportInput {
  reason: ReportReason;
  /** Required for 'other'. */
  note?: string;
}

export interface RejectInput {
  /** A reason code (e.g. spam, abuse, off_topic, other). */
  reason: string;
  /** Sent to the author with the notice. */
  note?: string;
}

export interface PostInput {
  siteId: number;
  articleId: number;
  parentId?: number | null;
  body: string;
}

export const REPORT_REASONS: readonly ReportReason[] = ['spam', 'abuse', 'off_topic', 'other'];
export const COMMENT_MODES: readonly CommentMode[] = ['post', 'pre', 'pre_new', 'closed'];
