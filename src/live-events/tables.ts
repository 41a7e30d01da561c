// The tables of events and webinars: one row per event a site hosts (migration 0018_live_events, with its
// registration settings from 0019_event_registrations), and one per registration (0019).
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
  // Registration (src/live-events/registration/), from migration 0019.
  /** 0/1: the event takes registrations. */
  registration: Generated<number>;
  /** Places; null is no limit. */
  capacity: number | null;
  registration_opens_at: DbTimestamp | null;
  registration_closes_at: DbTimestamp | null;
  claim_window_hours: Generated<number>;
  /** JSON: RegistrationQuestion[] (registration/questions.ts). */
  questions: Generated<string>;
  remind_24h: Generated<number>;
  remind_1h: Generated<number>;
}

export type RegistrationStatus =
  | 'pending_confirmation'
  | 'confirmed'
  | 'waitlisted'
  | 'offered'
  | 'cancelled';

export interface EventRegistrationsTable {
  id: Generated<number>;
  event_id: number;
  name: string;
  email: string;
  user_id: number | null;
  /** JSON: answers by question id. */
  answers: Generated<string>;
  status: RegistrationStatus;
  waitlist_position: number | null;
  link_nonce: string;
  confirm_token_hash: string | null;
  manage_token_hash: string;
  claim_token_hash: string | null;
  claim_expires_at: DbTimestamp | null;
  mailed_at: DbTimestamp | null;
  confirmed_at: DbTimestamp | null;
  cancelled_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
}

export interface LiveEventTables {
  live_events: LiveEventsTable;
  event_registrations: EventRegistrationsTable;
}
