// Foundation schema: sites, sections, media, articles with placements, revisions and redirects, jobs,
// audit log and cache invalidations. Immutable once landed: later changes go in new migrations.
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);

  await c
    .id(db.schema.createTable('media'))
    .addColumn('storage_key', 'text', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('mime', 'text', (col) => col.notNull())
    .addColumn('width', 'integer', (col) => col.notNull())
    .addColumn('height', 'integer', (col) => col.notNull())
    .addColumn('bytes', 'integer', (col) => col.notNull())
    .addColumn('caption', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('credit', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('alt', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  await db.schema.createIndex('media_sha256').on('media').column('sha256').execute();

  await c
    .id(db.schema.createTable('sites'))
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('tagline', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('language', 'text', (col) => col.notNull().defaultTo('en'))
    .addColumn('time_zone', 'text', (col) => col.notNull().defaultTo('UTC'))
    .addColumn('primary_color', 'text', (col) => col.notNull())
    .addColumn('accent_color', 'text', (col) => col.notNull())
    .addColumn('footer_text', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('logo_media_id', 'integer', (col) => col.references('media.id').onDelete('set null'))
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();

  await db.schema
    .createTable('site_hosts')
    .addColumn('host', 'text', (col) => col.primaryKey())
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .execute();

  await c
    .id(db.schema.createTable('sections'))
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(0))
    .addUniqueConstraint('sections_site_slug', ['site_id', 'slug'])
    .execute();

  await c
    .id(db.schema.createTable('articles'))
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('headline', 'text', (col) => col.notNull())
    .addColumn('dek', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('byline', 'text')
    .addColumn('dateline', 'text')
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('source_copyright', 'text')
    .addColumn('lead_media_id', 'integer', (col) => col.references('media.id').onDelete('set null'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('publish_at', c.time)
    .addColumn('published_at', c.time)
    .addColumn('content_updated_at', c.time)
    .addColumn('taken_down_at', c.time)
    .addColumn('takedown_reason', 'text')
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('modified_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
  // The scheduler looks for scheduled articles whose time has come.
  await db.schema
    .createIndex('articles_status_publish_at')
    .on('articles')
    .columns(['status', 'publish_at'])
    .execute();

  await c
    .id(db.schema.createTable('placements'))
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('section_id', 'integer', (col) => col.notNull().references('sections.id'))
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('canonical', 'integer', (col) => col.notNull())
    .addColumn('live', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('published_at', c.time)
    .addUniqueConstraint('placements_site_slug', ['site_id', 'slug'])
    .addUniqueConstraint('placements_article_site', ['article_id', 'site_id'])
    .execute();
  await db.schema
    .createIndex('placements_site_live_published')
    .on('placements')
    .columns(['site_id', 'live', 'published_at'])
    .execute();
  await db.schema
    .createIndex('placements_section_live_published')
    .on('placements')
    .columns(['section_id', 'live', 'published_at'])
    .execute();

  await c
    .id(db.schema.createTable('article_revisions'))
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('changed_fields', c.json, (col) => col.notNull())
    .addColumn('snapshot', c.json, (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addUniqueConstraint('article_revisions_article_revision', ['article_id', 'revision'])
    .execute();

  await db.schema
    .createTable('path_redirects')
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('placement_id', 'integer', (col) =>
      col.notNull().references('placements.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('path_redirects_pk', ['site_id', 'path'])
    .execute();

  await c
    .id(db.schema.createTable('jobs'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull().unique())
    .addColumn('payload', c.json, (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('run_at', c.time, (col) => col.notNull())
    .addColumn('locked_until', c.time)
    .addColumn('last_error', 'text')
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('finished_at', c.time)
    .execute();
  await db.schema.createIndex('jobs_state_run_at').on('jobs').columns(['state', 'run_at']).execute();

  await c
    .id(db.schema.createTable('audit_log'))
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('subject_type', 'text', (col) => col.notNull())
    .addColumn('subject_id', 'text', (col) => col.notNull())
    .addColumn('detail', c.json, (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();

  await c
    .id(db.schema.createTable('event_log'))
    .addColumn('event', c.json, (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
}
