// Story editing in the newsroom admin: who created a story, its tags and urgent flag, editors' locks,
// autosaves and preview links, and the indexes the admin's story list reads (newest change first, per
// site, status and author). Immutable once landed: later changes go in new migrations.
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);

  await db.schema
    .alterTable('articles')
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .execute();
  await db.schema
    .alterTable('articles')
    .addColumn('tags', 'text', (col) => col.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('articles')
    .addColumn('urgent', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  // The story list is ordered by last change, then id, and filtered by site, status and author; each
  // index ends in (modified_at, id) so a filtered first page is one range scan that stops at the page size.
  await db.schema.createIndex('articles_modified').on('articles').columns(['modified_at', 'id']).execute();
  await db.schema
    .createIndex('articles_site_modified')
    .on('articles')
    .columns(['site_id', 'modified_at', 'id'])
    .execute();
  await db.schema
    .createIndex('articles_site_status_modified')
    .on('articles')
    .columns(['site_id', 'status', 'modified_at', 'id'])
    .execute();
  await db.schema
    .createIndex('articles_created_by_modified')
    .on('articles')
    .columns(['created_by', 'modified_at', 'id'])
    .execute();

  await db.schema
    .createTable('story_locks')
    .addColumn('article_id', 'integer', (col) =>
      col.primaryKey().references('articles.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('since', c.time, (col) => col.notNull())
    .addColumn('heartbeat_at', c.time, (col) => col.notNull())
    .addColumn('displaced_user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('displaced_at', c.time)
    .execute();

  await db.schema
    .createTable('story_autosaves')
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('fields', c.json, (col) => col.notNull())
    .addColumn('base_revision', 'integer', (col) => col.notNull())
    .addColumn('saved_at', c.time, (col) => col.notNull())
    .addPrimaryKeyConstraint('story_autosaves_pk', ['article_id', 'user_id'])
    .execute();

  await c
    .id(db.schema.createTable('story_preview_links'))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', c.time, (col) => col.notNull())
    .addColumn('revoked_at', c.time)
    .execute();
  await db.schema
    .createIndex('story_preview_links_article')
    .on('story_preview_links')
    .column('article_id')
    .execute();
}
