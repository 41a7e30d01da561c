// The table of events and webinars (migration 0018_live_events): one row per event a site hosts.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export type LiveEventKind = 'in_person' | 'online' | 'hybrid';
export type LiveEventStatus = 'scheduled' | 'cancelled' | 'postponed' | 'rescheduled' | 'moved_online';

export const LIVE_EVENT_KINDS: readonly LiveEventKind[] = ['in_person', 'online', 'hybrid'];
export const LIVE_EVENT_STATUSES: readonly LiveEventStatus[] = [
  'scheduled',
  'cancelled',
  'postponed',
  'rescheduled',
  'moved_online',
];

export interface LiveEventsTable {
  id: Generated<number>;
  site_id: number;
  slug: string;
  title: string;
  summary: Generated<string>;
  /** Sanitised HTML (articles/body-html.ts sanitizeArticleHtml). */
  body_html: Generated<string>;
  picture_media_id: number | null;
  picture_caption: Generated<string>;
  picture_credit: Generated<string>;
  kind: LiveEventKind;
  venue_name: Generated<string>;
  venue_address: Generated<string>;
  online_url: string | null;
  organiser: Generated<string>;
  /** 0/1. */
  free: Generated<number>;
  price_text: Generated<string>;
  language: string;
  starts_at: DbTimestamp;
  ends_at: DbTimestamp;
  time_zone: string;
  status: Generated<LiveEventStatus>;
  category: Generated<string>;
  /** 0/1. */
  published: Generated<number>;
  sequence: Generated<number>;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
}

export interface LiveEventTables {
  live_events: LiveEventsTable;
}
