// Mail attachments (src/mail/): a message can carry small text files, such as an event registration's
// .ics (src/live-events/registration/mails.tsx). Stored with the message as a JSON list of
// { filename, contentType, content }, so a delivery job sends exactly what was queued; null for none.
// Immutable once landed: later changes go in new migrations.
import type { AnyDb, Dialect } from '../columns.ts';

export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('mail_messages').addColumn('attachments', 'text').execute();
}
