// Schema for the accounts feature (users, roles, sessions, tokens, linked logins, rate limits, the server
// secret) and for outgoing mail. Immutable once landed: later changes go in new migrations.
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);

  await c
    .id(db.schema.createTable('users'))
    .addColumn('email', 'text', (col) => col.unique())
    .addColumn('email_verified_at', c.time)
    .addColumn('display_name', 'text', (col) => col.notNull())
    .addColumn('profile_slug', 'text', (col) => col.notNull().unique())
    .addColumn('avatar_media_id', 'integer', (col) => col.references('media.id').onDelete('set null'))
    .addColumn('password_hash', 'text')
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('active'))
    .addColumn('privilege_epoch', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('news_alerts_invited_at', c.time)
    .addColumn('news_alerts_confirmed_at', c.time)
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('deleted_at', c.time)
    .execute();

  await c
    .id(db.schema.createTable('user_roles'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('cascade'))
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  await db.schema.createIndex('user_roles_user').on('user_roles').column('user_id').execute();

  await c
    .id(db.schema.createTable('sessions'))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('login_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('cascade'))
    .addColumn('privilege_epoch', 'integer', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('last_seen_at', c.time, (col) => col.notNull())
    .addColumn('expires_at', c.time, (col) => col.notNull())
    .addColumn('user_agent', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('ip', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_login').on('sessions').column('login_id').execute();

  await c
    .id(db.schema.createTable('auth_tokens'))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('cascade'))
    .addColumn('data', c.json, (col) => col.notNull().defaultTo('{}'))
    .addColumn('expires_at', c.time, (col) => col.notNull())
    .addColumn('used_at', c.time)
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  await db.schema.createIndex('auth_tokens_expires').on('auth_tokens').column('expires_at').execute();

  await c
    .id(db.schema.createTable('identities'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('last_used_at', c.time)
    .addUniqueConstraint('identities_provider_subject', ['provider', 'subject'])
    .execute();
  await db.schema.createIndex('identities_user').on('identities').column('user_id').execute();

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('points', 'integer', (col) => col.notNull())
    .addColumn('expire', 'bigint')
    .execute();

  await db.schema
    .createTable('auth_secrets')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();

  await c
    .id(db.schema.createTable('mail_messages'))
    .addColumn('key', 'text', (col) => col.notNull().unique())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('set null'))
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('to_address', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('text_body', 'text', (col) => col.notNull())
    .addColumn('html_body', 'text', (col) => col.notNull())
    .addColumn('message_id', 'text', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('sent_at', c.time)
    .addColumn('transport', 'text')
    .execute();
  await db.schema.createIndex('mail_messages_created').on('mail_messages').column('created_at').execute();
}
