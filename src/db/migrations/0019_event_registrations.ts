// Registration for events and webinars (src/live-events/registration/): what an event's registration is
// (a capacity, when it opens and closes, how long a waitlist offer stands, the event's own questions, and
// reminder flags for later), and one row per person who registers, with where they stand and the hashes of
// their mailed links. The same address holds at most one live (not cancelled) registration per event.
// Immutable once landed: later changes go in new migrations.
import { type ColumnDefinitionBuilder, sql } from 'kysely';
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  type DataType = Parameters<ReturnType<AnyDb['schema']['alterTable']>['addColumn']>[1];
  // SQLite adds one column per ALTER TABLE.
  const add = (
    name: string,
    type: DataType,
    build: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder = (col) => col,
  ) => db.schema.alterTable('live_events').addColumn(name, type, build).execute();
  // 1: the event takes registrations ("Register Today" on its page); 0: it does not.
  await add('registration', 'integer', (col) => col.notNull().defaultTo(0));
  // Places for confirmed registrants (and offers standing); null is no limit.
  await add('capacity', 'integer');
  // When registration opens (null: once published) and closes (null: at the start).
  await add('registration_opens_at', c.time);
  await add('registration_closes_at', c.time);
  // How long a waitlisted person has to claim a freed place.
  await add('claim_window_hours', 'integer', (col) => col.notNull().defaultTo(48));
  // JSON list of the event's questions: [{ id, kind: text | choice | checkbox, label, required, options? }].
  await add('questions', c.json, (col) => col.notNull().defaultTo('[]'));
  // Reminder mails 24 hours and 1 hour before (0/1), for the reminders slice.
  await add('remind_24h', 'integer', (col) => col.notNull().defaultTo(0));
  await add('remind_1h', 'integer', (col) => col.notNull().defaultTo(0));

  await c
    .id(db.schema.createTable('event_registrations'))
    .addColumn('event_id', 'integer', (col) => col.notNull().references('live_events.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    // Trimmed and lower-cased, so one mailbox is one address.
    .addColumn('email', 'text', (col) => col.notNull())
    // The account that registered, when signed in.
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    // JSON object of answers by question id.
    .addColumn('answers', c.json, (col) => col.notNull().defaultTo('{}'))
    // pending_confirmation | confirmed | waitlisted | offered | cancelled
    .addColumn('status', 'text', (col) => col.notNull())
    // Place in line while waitlisted (lower goes first); null otherwise.
    .addColumn('waitlist_position', 'integer')
    // A random value per row: the mailed links are HMACs of it (so a mail can be sent again with the same
    // links); the columns below keep only their SHA-256, for look-up.
    .addColumn('link_nonce', 'text', (col) => col.notNull())
    .addColumn('confirm_token_hash', 'text')
    .addColumn('manage_token_hash', 'text', (col) => col.notNull())
    .addColumn('claim_token_hash', 'text')
    // When an offer of a freed place lapses.
    .addColumn('claim_expires_at', c.time)
    // The last mail about this registration (resends are spaced out).
    .addColumn('mailed_at', c.time)
    .addColumn('confirmed_at', c.time)
    .addColumn('cancelled_at', c.time)
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  // One live registration per address and event; cancelled ones do not count, so a person may come back.
  await db.schema
    .createIndex('event_registrations_live_email')
    .on('event_registrations')
    .columns(['event_id', 'email'])
    .unique()
    .where(sql.ref('status'), '<>', 'cancelled')
    .execute();
  // Places held (by status) and the waitlist in order.
  await db.schema
    .createIndex('event_registrations_event_status')
    .on('event_registrations')
    .columns(['event_id', 'status', 'waitlist_position'])
    .execute();
  for (const kind of ['confirm', 'manage', 'claim'])
    await db.schema
      .createIndex(`event_registrations_${kind}_token`)
      .on('event_registrations')
      .column(`${kind}_token_hash`)
      .unique()
      .execute();
}
