// Comments and community: threads under stories (one per story per site, so each site of the network keeps
// its own conversation and moderation), votes with their tallies kept on the comment row (exact under
// concurrent votes: the row is updated in the same transaction as the vote), reports, the moderation rules
// (modes per site, section or story; banned and suspect words), sanctions and notes on members, a member's
// own settings (page hidden, email notices) and their notifications, and the authors of imported comments
// kept as profiles that a reader can claim.
// Immutable once landed: later changes go in new migrations.
import type { ColumnDefinitionBuilder } from 'kysely';
import { type AnyDb, columns, type Dialect } from '../columns.ts';

type Col = ColumnDefinitionBuilder;

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  const zero = (col: Col) => col.notNull().defaultTo(0);
  const account = (col: Col) => col.references('users.id').onDelete('set null');

  await c
    .id(db.schema.createTable('comments'))
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    // Null for a top-level comment. root_id is the top-level comment a reply hangs from (null at the top),
    // so a page of top-level comments loads all its replies with one indexed query.
    .addColumn('parent_id', 'integer', (col) => col.references('comments.id').onDelete('cascade'))
    .addColumn('root_id', 'integer', (col) => col.references('comments.id').onDelete('cascade'))
    .addColumn('depth', 'integer', zero)
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    // The text as the author wrote it, after normalisation (see src/comments/text.ts); printed escaped.
    .addColumn('body', 'text', (col) => col.notNull())
    // published | pending (held for review) | rejected | deleted (by its author, or removed with the account)
    .addColumn('status', 'text', (col) => col.notNull())
    // JSON array of { code, detail } objects: why the comment was held or flagged, shown in the queue.
    .addColumn('hold_reasons', 'text', (col) => col.notNull().defaultTo('[]'))
    // Set when a moderator has acted on or looked at the comment: published and unreviewed is "unmoderated".
    .addColumn('reviewed_at', c.time)
    .addColumn('reviewed_by', 'integer', account)
    .addColumn('reject_reason', 'text')
    // To the author only, with the rejection notice.
    .addColumn('reject_note', 'text')
    // Shown to every reader under the comment ("Moderator: off-topic comment removed").
    .addColumn('moderator_note', 'text')
    .addColumn('featured_at', c.time)
    .addColumn('edited_at', c.time)
    .addColumn('up_count', 'integer', zero)
    .addColumn('down_count', 'integer', zero)
    // Direct replies that readers can see.
    .addColumn('reply_count', 'integer', zero)
    // Open reports (not yet dismissed or acted on).
    .addColumn('report_count', 'integer', zero)
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    // Where an imported comment came from ('disqus' | 'wordpress') and its id there: importing twice adds nothing.
    .addColumn('import_source', 'text')
    .addColumn('import_key', 'text')
    .execute();
  // A thread's page of top-level comments (status + newest/oldest) and the replies under them.
  await db.schema
    .createIndex('comments_thread')
    .on('comments')
    .columns(['article_id', 'site_id', 'root_id', 'status', 'created_at'])
    .execute();
  await db.schema.createIndex('comments_parent').on('comments').column('parent_id').execute();
  // A member's page: their comments across the network, newest first.
  await db.schema
    .createIndex('comments_author')
    .on('comments')
    .columns(['author_id', 'created_at'])
    .execute();
  // The moderation queues of a site, newest first.
  await db.schema
    .createIndex('comments_queue')
    .on('comments')
    .columns(['site_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('comments_import')
    .on('comments')
    .columns(['import_source', 'import_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('comment_votes')
    .addColumn('comment_id', 'integer', (col) => col.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    // +1 or -1; withdrawing a vote deletes the row.
    .addColumn('value', 'integer', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addPrimaryKeyConstraint('comment_votes_pk', ['comment_id', 'user_id'])
    .execute();
  await db.schema.createIndex('comment_votes_user').on('comment_votes').column('user_id').execute();

  await c
    .id(db.schema.createTable('comment_reports'))
    .addColumn('comment_id', 'integer', (col) => col.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    // spam | abuse | off_topic | other (with a note)
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('resolved_at', c.time)
    .addColumn('resolved_by', 'integer', account)
    .addUniqueConstraint('comment_reports_once', ['comment_id', 'user_id'])
    .execute();

  // The moderation mode of a site, or an override for one of its sections or stories. scope is 'site',
  // 'section:<id>' or 'story:<id>'; a null column inherits from the wider scope, then from the defaults.
  await c
    .id(db.schema.createTable('comment_policies'))
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('scope', 'text', (col) => col.notNull())
    // post (post-moderation) | pre (pre-moderation) | pre_new (pre-moderation until N approved) | closed
    .addColumn('mode', 'text')
    .addColumn('new_member_approvals', 'integer')
    .addColumn('close_after_days', 'integer')
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('updated_by', 'integer', account)
    .addUniqueConstraint('comment_policies_scope', ['site_id', 'scope'])
    .execute();

  // Banned words reject at once; suspect words hold for review. site_id null: every site of the network.
  await c
    .id(db.schema.createTable('comment_words'))
    .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    // As typed by the moderator; '*' is a wildcard. Matching normalises both sides (src/comments/words.ts).
    .addColumn('pattern', 'text', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('created_by', 'integer', account)
    .execute();
  await db.schema
    .createIndex('comment_words_site')
    .on('comment_words')
    .columns(['site_id', 'kind'])
    .execute();

  // Warnings, suspensions (until ends_at) and bans (ends_at null), on one site or (site_id null) the network.
  await c
    .id(db.schema.createTable('member_sanctions'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('cascade'))
    // warning | suspension | ban
    .addColumn('kind', 'text', (col) => col.notNull())
    // Shown to the member (and mailed with a suspension).
    .addColumn('message', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('ends_at', c.time)
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('created_by', 'integer', account)
    .addColumn('lifted_at', c.time)
    .addColumn('lifted_by', 'integer', account)
    .execute();
  await db.schema
    .createIndex('member_sanctions_user')
    .on('member_sanctions')
    .columns(['user_id', 'kind'])
    .execute();

  // Moderators' notes on a member: staff only.
  await c
    .id(db.schema.createTable('member_notes'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', account)
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  await db.schema.createIndex('member_notes_user').on('member_notes').column('user_id').execute();

  // A member's own choices; no row means the defaults (page shown, no email).
  await db.schema
    .createTable('member_settings')
    .addColumn('user_id', 'integer', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('page_hidden', 'integer', zero)
    .addColumn('email_replies', 'integer', zero)
    .addColumn('email_decisions', 'integer', zero)
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();

  // Replies to a member's comment and moderators' decisions on it, for the notifications page and the mail.
  await c
    .id(db.schema.createTable('comment_notifications'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    // reply | approved | rejected | edited | featured
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('comment_id', 'integer', (col) => col.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('read_at', c.time)
    .execute();
  await db.schema
    .createIndex('comment_notifications_user')
    .on('comment_notifications')
    .columns(['user_id', 'created_at'])
    .execute();

  // The authors of imported comments: each becomes a member profile (a users row with no email and status
  // 'unclaimed') until a reader verifies the same email address and claims it.
  await c
    .id(db.schema.createTable('comment_import_authors'))
    .addColumn('source', 'text', (col) => col.notNull())
    // The author's id at the source (Disqus username, or the email for WordPress), as sent.
    .addColumn('source_key', 'text', (col) => col.notNull())
    // sha256 of the lower-cased email when the export had one: what a claim is matched against.
    .addColumn('email_hash', 'text')
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('claimed_at', c.time)
    .addColumn('claimed_by', 'integer', account)
    .addUniqueConstraint('comment_import_authors_key', ['source', 'source_key'])
    .execute();
  await db.schema
    .createIndex('comment_import_authors_email')
    .on('comment_import_authors')
    .column('email_hash')
    .execute();
}
