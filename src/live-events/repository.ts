// Queries of events and webinars (table live_events): one event by site and slug, a site's upcoming and
// past events a page at a time (offset pages: a site's listing is short, and the order ends on the id so a
// page is stable), the categories in use, the next moment a listing changes by the clock, and the rows of
// the sitemap. Values come back normalised (db/values), so services never see a dialect.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { fromDbBool, fromDbTime, toDbTime } from '../db/values.ts';
import type { LiveEventKind, LiveEventStatus, LiveEventsTable } from './tables.ts';

export type Q = Kysely<Database> | Transaction<Database>;

export interface LiveEvent {
  id: number;
  siteId: number;
  slug: string;
  title: string;
  summary: string;
  bodyHtml: string;
  pictureMediaId: number | null;
  pictureCaption: string;
  pictureCredit: string;
  kind: LiveEventKind;
  venueName: string;
  venueAddress: string;
  onlineUrl: string | null;
  organiser: string;
  free: boolean;
  priceText: string;
  language: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  status: LiveEventStatus;
  category: string;
  published: boolean;
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a service writes: every column but the id and the bookkeeping ones. */
export type LiveEventFields = Omit<LiveEvent, 'id' | 'siteId' | 'sequence' | 'createdAt' | 'updatedAt'>;

function fromRow(r: Selectable<LiveEventsTable>): LiveEvent {
  return {
    id: r.id,
    siteId: r.site_id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    bodyHtml: r.body_html,
    pictureMediaId: r.picture_media_id,
    pictureCaption: r.picture_caption,
    pictureCredit: r.picture_credit,
    kind: r.kind,
    venueName: r.venue_name,
    venueAddress: r.venue_address,
    onlineUrl: r.online_url,
    organiser: r.organiser,
    free: fromDbBool(r.free),
    priceText: r.price_text,
    language: r.language,
    startsAt: fromDbTime(r.starts_at),
    endsAt: fromDbTime(r.ends_at),
    timeZone: r.time_zone,
    status: r.status,
    category: r.category,
    published: fromDbBool(r.published),
    sequence: r.sequence,
    createdAt: fromDbTime(r.created_at),
    updatedAt: fromDbTime(r.updated_at),
  };
}

function toColumns(f: LiveEventFields) {
  return {
    slug: f.slug,
    title: f.title,
    summary: f.summary,
    body_html: f.bodyHtml,
    picture_media_id: f.pictureMediaId,
    picture_caption: f.pictureCaption,
    picture_credit: f.pictureCredit,
    kind: f.kind,
    venue_name: f.venueName,
    venue_address: f.venueAddress,
    online_url: f.onlineUrl,
    organiser: f.organiser,
    free: f.free ? 1 : 0,
    price_text: f.priceText,
    language: f.language,
    starts_at: toDbTime(f.startsAt),
    ends_at: toDbTime(f.endsAt),
    time_zone: f.timeZone,
    status: f.status,
    category: f.category,
    published: f.published ? 1 : 0,
  };
}

export async function insertEvent(q: Q, siteId: number, f: LiveEventFields, now: Date): Promise<LiveEvent> {
  const row = await q
    .insertInto('live_events')
    .values({ site_id: siteId, ...toColumns(f), created_at: toDbTime(now), updated_at: toDbTime(now) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return fromRow(row);
}

/** Writes the fields and raises the calendar SEQUENCE; undefined when there is no such event. */
export async function updateEvent(
  q: Q,
  id: number,
  f: LiveEventFields,
  now: Date,
): Promise<LiveEvent | undefined> {
  const row = await q
    .updateTable('live_events')
    .set((eb) => ({ ...toColumns(f), sequence: eb('sequence', '+', 1), updated_at: toDbTime(now) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function eventById(q: Q, id: number): Promise<LiveEvent | undefined> {
  const row = await q.selectFrom('live_events').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

export async function eventBySlug(q: Q, siteId: number, slug: string): Promise<LiveEvent | undefined> {
  const row = await q
    .selectFrom('live_events')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row && fromRow(row);
}

export interface ListQuery {
  siteId: number;
  /** Upcoming: not yet ended at `now`, soonest first. Past: ended, most recent first. */
  when: 'upcoming' | 'past';
  now: Date;
  category?: string;
  offset: number;
  limit: number;
}

/** A page of a site's published events (one more row than asked, so the caller knows if more follow). */
export async function listEvents(q: Q, o: ListQuery): Promise<LiveEvent[]> {
  let query = q
    .selectFrom('live_events')
    .selectAll()
    .where('site_id', '=', o.siteId)
    .where('published', '=', 1);
  if (o.category) query = query.where('category', '=', o.category);
  const now = toDbTime(o.now);
  query =
    o.when === 'upcoming'
      ? query.where('ends_at', '>', now).orderBy('starts_at', 'asc').orderBy('id', 'asc')
      : query.where('ends_at', '<=', now).orderBy('starts_at', 'desc').orderBy('id', 'desc');
  const rows = await query.limit(o.limit).offset(o.offset).execute();
  return rows.map(fromRow);
}

/** Whether the site has a published event that ended by `now` (the listing's link to past events). */
export async function hasPast(q: Q, siteId: number, now: Date, category?: string): Promise<boolean> {
  let query = q
    .selectFrom('live_events')
    .select('id')
    .where('site_id', '=', siteId)
    .where('published', '=', 1)
    .where('ends_at', '<=', toDbTime(now));
  if (category) query = query.where('category', '=', category);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

/** The categories of the site's published events, alphabetically. */
export async function categories(q: Q, siteId: number): Promise<string[]> {
  const rows = await q
    .selectFrom('live_events')
    .select('category')
    .distinct()
    .where('site_id', '=', siteId)
    .where('published', '=', 1)
    .where('category', '<>', '')
    .orderBy('category')
    .execute();
  return rows.map((r) => r.category);
}

/** The first end after `now` of a published event of the site: when its listings next change by the clock. */
export async function nextEnd(q: Q, siteId: number, now: Date): Promise<Date | null> {
  const row = await q
    .selectFrom('live_events')
    .select('ends_at')
    .where('site_id', '=', siteId)
    .where('published', '=', 1)
    .where('ends_at', '>', toDbTime(now))
    .orderBy('ends_at', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row ? fromDbTime(row.ends_at) : null;
}

/** Every published event of the site, for its sitemap: slug and last change, newest change first. */
export async function sitemapRows(
  q: Q,
  siteId: number,
  limit: number,
): Promise<{ slug: string; updatedAt: Date }[]> {
  const rows = await q
    .selectFrom('live_events')
    .select(['slug', 'updated_at'])
    .where('site_id', '=', siteId)
    .where('published', '=', 1)
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ slug: r.slug, updatedAt: fromDbTime(r.updated_at) }));
}
