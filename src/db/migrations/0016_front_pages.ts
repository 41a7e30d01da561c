// The editor-arranged front page (src/front-page/): per site, the lead story and the ordered top stories an
// editor chose in the admin. A site with no rows has no arrangement, and its home page shows the newest
// stories. A story leaves every front page when it is deleted; one that is taken down or unpublished stays
// in its row and is skipped when the arrangement is read.
// Immutable once landed: later changes go in new migrations.
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  await db.schema
    .createTable('front_page_slots')
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    // 0 is the first place of its kind; lead has one place only.
    .addColumn('position', 'integer', (col) => col.notNull())
    // lead | top
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    // The editor who saved the arrangement this row belongs to.
    .addColumn('pinned_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addPrimaryKeyConstraint('front_page_slots_pk', ['site_id', 'kind', 'position'])
    .addUniqueConstraint('front_page_slots_story_once', ['site_id', 'article_id'])
    .execute();
  // Deleting a story (cascade) and the admin's "which front pages is this story on" look up by story.
  await db.schema
    .createIndex('front_page_slots_article')
    .on('front_page_slots')
    .column('article_id')
    .execute();
}
