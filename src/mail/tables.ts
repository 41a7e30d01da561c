// Table owned by the mail feature: every message the network sends. Without SMTP it is the outbox the
// operator reads; with SMTP, `sent_at` records delivery so a retried job never sends twice.
import type { ColumnType, Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface MailMessagesTable {
  id: Generated<number>;
  /** What makes the message unique (e.g. "verify:42:abc"); the job that sends it has the same key. */
  key: string;
  kind: string;
  site_id: number | null;
  /** The account it concerns, so that deleting the account deletes its mail too. */
  user_id: number | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  created_at: Generated<DbTimestamp>;
  sent_at: DbTimestamp | null;
  /** 'smtp' once handed to the SMTP server, 'outbox' when kept for the operator. */
  transport: string | null;
  /** JSON object of this message's own headers (0014_member_pages), or null. */
  headers: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON list of { filename, contentType, content } (0020_mail_attachments), or null. */
  attachments: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MailTables {
  mail_messages: MailMessagesTable;
}
