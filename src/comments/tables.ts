// Tables owned by the comments feature (created by 0013_comments): comments and their votes and reports, the
// moderation rules (policies per site, section or story; word lists), what moderators record about members
// (sanctions, notes), members' own settings and notifications, and the authors of imported comments.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export type CommentStatus = 'published' | 'pending' | 'rejected' | 'deleted';

export interface CommentsTable {
  id: Generated<number>;
  site_id: number;
  article_id: number;
  parent_id: number | null;
  root_id: number | null;
  depth: Generated<number>;
  author_id: number;
  body: string;
  status: CommentStatus;
  /** JSON array of HoldReason. */
  hold_reasons: Generated<string>;
  reviewed_at: DbTimestamp | null;
  reviewed_by: number | null;
  reject_reason: string | null;
  reject_note: string | null;
  moderator_note: string | null;
  featured_at: DbTimestamp | null;
  edited_at: DbTimestamp | null;
  up_count: Generated<number>;
  down_count: Generated<number>;
  reply_count: Generated<number>;
  report_count: Generated<number>;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
  import_source: string | null;
  import_key: string | null;
}

export interface CommentVotesTable {
  comment_id: number;
  user_id: number;
  /** +1 or -1. */
  value: number;
  created_at: Generated<DbTimestamp>;
}

export type ReportReason = 'spam' | 'abuse' | 'off_topic' | 'other';

export interface CommentReportsTable {
  id: Generated<number>;
  comment_id: number;
  user_id: number;
  reason: ReportReason;
  note: string | null;
  created_at: Generated<DbTimestamp>;
  resolved_at: DbTimestamp | null;
  resolved_by: number | null;
}

export type CommentMode = 'post' | 'pre' | 'pre_new' | 'closed';

export interface CommentPoliciesTable {
  id: Generated<number>;
  site_id: number;
  /** 'site', 'section:<id>' or 'story:<id>'. */
  scope: string;
  mode: CommentMode | null;
  new_member_approvals: number | null;
  close_after_days: number | null;
  updated_at: Generated<DbTimestamp>;
  updated_by: number | null;
}

export type WordKind = 'banned' | 'suspect';

export interface CommentWordsTable {
  id: Generated<number>;
  /** Null: every site of the network. */
  site_id: number | null;
  kind: WordKind;
  pattern: string;
  created_at: Generated<DbTimestamp>;
  created_by: number | null;
}

export type SanctionKind = 'warning' | 'suspension' | 'ban';

export interface MemberSanctionsTable {
  id: Generated<number>;
  user_id: number;
  /** Null: the whole network. */
  site_id: number | null;
  kind: SanctionKind;
  message: Generated<string>;
  ends_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
  created_by: number | null;
  lifted_at: DbTimestamp | null;
  lifted_by: number | null;
}

export interface MemberNotesTable {
  id: Generated<number>;
  user_id: number;
  author_id: number | null;
  body: string;
  created_at: Generated<DbTimestamp>;
}

export interface MemberSettingsTable {
  user_id: number;
  page_hidden: Generated<number>;
  email_replies: Generated<number>;
  email_decisions: Generated<number>;
  updated_at: Generated<DbTimestamp>;
}

export type NotificationKind = 'reply' | 'approved' | 'rejected' | 'edited' | 'featured';

export interface CommentNotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  comment_id: number;
  created_at: Generated<DbTimestamp>;
  read_at: DbTimestamp | null;
}

export interface CommentImportAuthorsTable {
  id: Generated<number>;
  source: string;
  source_key: string;
  email_hash: string | null;
  user_id: number;
  claimed_at: DbTimestamp | null;
  claimed_by: number | null;
}

export interface CommentTables {
  comments: CommentsTable;
  comment_votes: CommentVotesTable;
  comment_reports: CommentReportsTable;
  comment_policies: CommentPoliciesTable;
  comment_words: CommentWordsTable;
  member_sanctions: MemberSanctionsTable;
  member_notes: MemberNotesTable;
  member_settings: MemberSettingsTable;
  comment_notifications: CommentNotificationsTable;
  comment_import_authors: CommentImportAuthorsTable;
}
