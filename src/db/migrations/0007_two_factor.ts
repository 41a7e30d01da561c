// Schema for staff two-factor sign-in: a TOTP secret per account (encrypted at rest, with the last time step
// accepted so that a code works once), single-use recovery codes (only their hashes), WebAuthn passkeys, and
// the passkey ceremonies' challenges (single use, short-lived). Immutable once landed: later changes go in
// new migrations.
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);

  // One row per account that has started enrolling. The confirmed secret keeps working while a new one is
  // pending (moving to a new phone), so the two live side by side until the new one is confirmed.
  await db.schema
    .createTable('two_factor_totp')
    .addColumn('user_id', 'integer', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_enc', 'text')
    .addColumn('confirmed_at', c.time)
    .addColumn('last_time_step', 'bigint')
    .addColumn('last_used_at', c.time)
    .addColumn('pending_secret_enc', 'text')
    .addColumn('pending_started_at', c.time)
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();

  await c
    .id(db.schema.createTable('two_factor_recovery_codes'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (col) => col.notNull())
    .addColumn('used_at', c.time)
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  await db.schema
    .createIndex('two_factor_recovery_codes_user')
    .on('two_factor_recovery_codes')
    .column('user_id')
    .execute();

  await c
    .id(db.schema.createTable('passkeys'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (col) => col.notNull().unique())
    .addColumn('public_key', 'text', (col) => col.notNull())
    // The authenticator's signature counter is an unsigned 32-bit number: past PostgreSQL's integer.
    .addColumn('counter', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('transports', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('device_type', 'text', (col) => col.notNull())
    .addColumn('backed_up', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('last_used_at', c.time)
    .execute();
  await db.schema.createIndex('passkeys_user').on('passkeys').column('user_id').execute();

  await c
    .id(db.schema.createTable('passkey_challenges'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ceremony', 'text', (col) => col.notNull())
    .addColumn('challenge_hash', 'text', (col) => col.notNull().unique())
    .addColumn('expires_at', c.time, (col) => col.notNull())
    .addColumn('used_at', c.time)
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  await db.schema
    .createIndex('passkey_challenges_expires')
    .on('passkey_challenges')
    .column('expires_at')
    .execute();
}
