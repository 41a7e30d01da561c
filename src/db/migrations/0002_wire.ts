// Schema for the wire feature: agencies, licences, routing rules, received stories and pictures, the review
// queue, problems for editors, pollers and the API inbox. Immutable once landed: later changes go in new
// migrations.
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);

  await c
    .id(db.schema.createTable('wire_agencies'))
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('credit', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('retention_days', 'integer')
    .addColumn('token_hash', 'text', (col) => col.unique())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();

  await db.schema
    .createTable('wire_licences')
    .addColumn('agency_id', 'integer', (col) =>
      col.notNull().references('wire_agencies.id').onDelete('cascade'),
    )
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('wire_licences_pk', ['agency_id', 'site_id'])
    .execute();

  await c
    .id(db.schema.createTable('wire_routes'))
    .addColumn('agency_id', 'integer', (col) => col.references('wire_agencies.id').onDelete('cascade'))
    .addColumn('subject_code', 'text')
    .addColumn('slugline_prefix', 'text')
    .addColumn('keyword', 'text')
    .addColumn('max_urgency', 'integer')
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('section_id', 'integer', (col) => col.notNull().references('sections.id').onDelete('cascade'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();

  await c
    .id(db.schema.createTable('wire_pictures'))
    .addColumn('agency_id', 'integer', (col) =>
      col.notNull().references('wire_agencies.id').onDelete('cascade'),
    )
    .addColumn('uri', 'text', (col) => col.notNull())
    .addColumn('version', 'text')
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('media_id', 'integer', (col) => col.references('media.id').onDelete('set null'))
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('updated_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addUniqueConstraint('wire_pictures_agency_uri', ['agency_id', 'uri'])
    .execute();

  await c
    .id(db.schema.createTable('wire_stories'))
    .addColumn('agency_id', 'integer', (col) =>
      col.notNull().references('wire_agencies.id').onDelete('cascade'),
    )
    .addColumn('uri', 'text', (col) => col.notNull())
    .addColumn('version', 'text')
    .addColumn('version_created', c.time)
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('headline', 'text', (col) => col.notNull())
    .addColumn('item', c.json, (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('usage_terms', 'text')
    .addColumn('ed_note', 'text')
    .addColumn('corrected', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('embargo_until', c.time)
    .addColumn('expires_at', c.time)
    .addColumn('lead_picture_id', 'integer', (col) => col.references('wire_pictures.id').onDelete('set null'))
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('first_seen_at', c.time, (col) => col.notNull())
    .addColumn('updated_at', c.time, (col) => col.notNull())
    .addColumn('killed_at', c.time)
    .addUniqueConstraint('wire_stories_agency_uri', ['agency_id', 'uri'])
    .execute();
  // The expiry pass looks for active stories whose time is up.
  await db.schema
    .createIndex('wire_stories_state_expires')
    .on('wire_stories')
    .columns(['state', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('wire_stories_lead_picture')
    .on('wire_stories')
    .column('lead_picture_id')
    .execute();

  await db.schema
    .createTable('wire_story_articles')
    .addColumn('story_id', 'integer', (col) =>
      col.notNull().references('wire_stories.id').onDelete('cascade'),
    )
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (col) => col.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('follow_updates', 'integer', (col) => col.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('wire_story_articles_pk', ['story_id', 'site_id'])
    .execute();
  await db.schema
    .createIndex('wire_story_articles_article')
    .on('wire_story_articles')
    .column('article_id')
    .execute();

  await c
    .id(db.schema.createTable('wire_queue'))
    .addColumn('story_id', 'integer', (col) =>
      col.notNull().references('wire_stories.id').onDelete('cascade'),
    )
    .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('set null'))
    .addColumn('section_id', 'integer', (col) => col.references('sections.id').onDelete('set null'))
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('edits', c.json)
    .addColumn('created_at', c.time, (col) => col.notNull())
    .addColumn('updated_at', c.time, (col) => col.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', c.time)
    .execute();
  await db.schema
    .createIndex('wire_queue_state_updated')
    .on('wire_queue')
    .columns(['state', 'updated_at'])
    .execute();
  await db.schema.createIndex('wire_queue_story').on('wire_queue').column('story_id').execute();

  await c
    .id(db.schema.createTable('wire_problems'))
    .addColumn('agency_id', 'integer', (col) => col.references('wire_agencies.id').onDelete('set null'))
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('item', 'text')
    .addColumn('field', 'text')
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('severity', 'text', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('wire_problems_created').on('wire_problems').column('created_at').execute();

  await c
    .id(db.schema.createTable('wire_pollers'))
    .addColumn('agency_id', 'integer', (col) =>
      col.notNull().references('wire_agencies.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('location', 'text', (col) => col.notNull())
    .addColumn('interval_seconds', 'integer', (col) => col.notNull())
    .addColumn('enabled', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('high_water', 'text')
    .addColumn('failures', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_run_at', c.time, (col) => col.notNull())
    .addColumn('last_run_at', c.time)
    .addColumn('last_error', 'text')
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();

  await db.schema
    .createTable('wire_poller_files')
    .addColumn('poller_id', 'integer', (col) =>
      col.notNull().references('wire_pollers.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('signature', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('wire_poller_files_pk', ['poller_id', 'name'])
    .execute();

  await c
    .id(db.schema.createTable('wire_inbox'))
    .addColumn('agency_id', 'integer', (col) =>
      col.notNull().references('wire_agencies.id').onDelete('cascade'),
    )
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('summary', c.json)
    .addColumn('received_at', c.time, (col) => col.notNull())
    .addColumn('done_at', c.time)
    .execute();
}
