// Member pages and comment notices (src/comments/members/): a mail can carry headers of its own, which the
// notice mails need for their one-click off link (List-Unsubscribe and List-Unsubscribe-Post, RFC 8058).
// Stored as a JSON object of header name to value; null for mail without extra headers.
// Immutable once landed: later changes go in new migrations.
import type { AnyDb, Dialect } from '../columns.ts';

export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('mail_messages').addColumn('headers', 'text').execute();
}
