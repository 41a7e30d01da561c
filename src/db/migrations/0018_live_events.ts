// Events and webinars (src/live-events/): one row per event a site hosts, shown at /events/<slug> and in its
// listings, feeds and sitemap. Times are two UTC instants and the IANA zone the event takes place in; the
// pages print them in that zone (live-events/event-times.ts). Registration, waitlists and promos come in
// later migrations of their own.
// Immutable once landed: later changes go in new migrations.
import type { ColumnDefinitionBuilder } from 'kysely';
import { type AnyDb, columns, type Dialect } from '../columns.ts';

type Col = ColumnDefinitionBuilder;

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  const created = (col: Col) => c.nowDefault(col.notNull());
  const text = (col: Col) => col.notNull().defaultTo('');

  await c
    .id(db.schema.createTable('live_events'))
    // The host site: its pages, feeds and sitemap show the event.
    .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', text)
    // Sanitised on the way in with the stories' sanitiser (articles/body-html.ts).
    .addColumn('body_html', 'text', text)
    .addColumn('picture_media_id', 'integer', (col) => col.references('media.id').onDelete('set null'))
    .addColumn('picture_caption', 'text', text)
    .addColumn('picture_credit', 'text', text)
    // in_person | online | hybrid
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('venue_name', 'text', text)
    .addColumn('venue_address', 'text', text)
    // Where a webinar is watched. Public for now; registrants-only once registration lands.
    .addColumn('online_url', 'text')
    .addColumn('organiser', 'text', text)
    // 1: free, and price_text is ignored; 0: price_text says what it costs ("¥2,000", "From $15").
    .addColumn('free', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('price_text', 'text', text)
    // BCP 47, the language the event is held in (not necessarily the site's).
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('starts_at', c.time, (col) => col.notNull())
    .addColumn('ends_at', c.time, (col) => col.notNull())
    // IANA zone the times are printed in, e.g. Asia/Tokyo.
    .addColumn('time_zone', 'text', (col) => col.notNull())
    // scheduled | cancelled | postponed | rescheduled | moved_online (schema.org eventStatus)
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('scheduled'))
    // A slug of the site's event categories ("webinars", "osaka"); '' for none.
    .addColumn('category', 'text', text)
    .addColumn('published', 'integer', (col) => col.notNull().defaultTo(0))
    // Raised on every change: the calendar feed's SEQUENCE, so calendar apps take the update.
    .addColumn('sequence', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', c.time, created)
    .addColumn('updated_at', c.time, created)
    .execute();
  await db.schema
    .createIndex('live_events_site_slug')
    .on('live_events')
    .columns(['site_id', 'slug'])
    .unique()
    .execute();
  // Upcoming (ends_at from now on) and past (before now) listings, whole site or one category.
  await db.schema
    .createIndex('live_events_site_ends')
    .on('live_events')
    .columns(['site_id', 'published', 'ends_at'])
    .execute();
  await db.schema
    .createIndex('live_events_site_category_ends')
    .on('live_events')
    .columns(['site_id', 'category', 'published', 'ends_at'])
    .execute();
}
