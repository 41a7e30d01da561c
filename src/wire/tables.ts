// Tables owned by the wire feature: agencies and their licences, routing rules, the stories and pictures
// received (keyed by agency and the agency's uri, with the version applied), the review queue, the problems
// shown to editors, pollers, and the inbox that makes API deliveries durable.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface WireAgenciesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  /** Printed when a picture arrives without a credit line, and as the copyright line when a story has none. */
  credit: string;
  /** Stories are taken down this many days after they first arrive; null keeps them until `expires`. */
  retention_days: number | null;
  /** sha256 (hex) of the agency's API token; the token itself is shown once and never stored. */
  token_hash: string | null;
  created_at: Generated<DbTimestamp>;
  updated_at: DbTimestamp;
}

export interface WireLicencesTable {
  agency_id: number;
  site_id: number;
}

export type WireRouteAction = 'publish' | 'review';

export interface WireRoutesTable {
  id: Generated<number>;
  /** Null: the rule applies to every agency. */
  agency_id: number | null;
  subject_code: string | null;
  slugline_prefix: string | null;
  keyword: string | null;
  /** Matches items at least this urgent (1 is the most urgent, so urgency <= max_urgency). */
  max_urgency: number | null;
  site_id: number;
  section_id: number;
  action: WireRouteAction;
  /** Rules are tried in this order; per site, the first that matches wins. */
  position: number;
  created_at: Generated<DbTimestamp>;
}

export type WireStoryState = 'active' | 'killed' | 'expired';

export interface WireStoriesTable {
  id: Generated<number>;
  agency_id: number;
  uri: string;
  version: string | null;
  version_created: DbTimestamp | null;
  state: WireStoryState;
  headline: string;
  /** The normalised item of the version applied, as JSON: what the review queue publishes from. */
  item: string;
  /** sha256 of the item's content, to notice edits in feeds that carry no version (RSS). */
  content_hash: string;
  /** Editors only: never printed on a public page. */
  usage_terms: string | null;
  ed_note: string | null;
  corrected: number;
  embargo_until: DbTimestamp | null;
  expires_at: DbTimestamp | null;
  lead_picture_id: number | null;
  source: string;
  first_seen_at: DbTimestamp;
  updated_at: DbTimestamp;
  killed_at: DbTimestamp | null;
}

export interface WireStoryArticlesTable {
  story_id: number;
  site_id: number;
  article_id: number;
  /** 0 when an editor changed the text before publishing: later versions then go to the queue instead. */
  follow_updates: number;
}

export type WirePictureState = 'stored' | 'canceled';

export interface WirePicturesTable {
  id: Generated<number>;
  agency_id: number;
  uri: string;
  version: string | null;
  state: WirePictureState;
  media_id: number | null;
  created_at: Generated<DbTimestamp>;
  updated_at: DbTimestamp;
}

export type WireQueueState = 'pending' | 'published' | 'discarded' | 'withdrawn';

export interface WireQueueTable {
  id: Generated<number>;
  story_id: number;
  /** The site and section a routing rule suggested, if any. */
  site_id: number | null;
  section_id: number | null;
  reason: string;
  state: WireQueueState;
  /** An editor's changes to headline, dek, byline, dateline or body, as JSON, applied when publishing. */
  edits: string | null;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
  decided_by: string | null;
  decided_at: DbTimestamp | null;
}

export interface WireProblemsTable {
  id: Generated<number>;
  agency_id: number | null;
  source: string;
  item: string | null;
  field: string | null;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  created_at: DbTimestamp;
}

export type WirePollerKind = 'folder' | 'feed';

export interface WirePollersTable {
  id: Generated<number>;
  agency_id: number;
  kind: WirePollerKind;
  location: string;
  interval_seconds: number;
  enabled: number;
  etag: string | null;
  last_modified: string | null;
  /** Newest versionCreated seen from a feed (ISO); older items are not looked at again. */
  high_water: string | null;
  failures: number;
  next_run_at: DbTimestamp;
  last_run_at: DbTimestamp | null;
  last_error: string | null;
  created_at: Generated<DbTimestamp>;
}

export interface WirePollerFilesTable {
  poller_id: number;
  name: string;
  /** Size and modification time when ingested: a file that changes is read again. */
  signature: string;
}

export type WireInboxState = 'pending' | 'done';

export interface WireInboxTable {
  id: Generated<number>;
  agency_id: number;
  source: string;
  /** The document as delivered; emptied once ingested, the summary is kept. */
  body: string;
  state: WireInboxState;
  summary: string | null;
  received_at: DbTimestamp;
  done_at: DbTimestamp | null;
}

export interface WireTables {
  wire_agencies: WireAgenciesTable;
  wire_licences: WireLicencesTable;
  wire_routes: WireRoutesTable;
  wire_stories: WireStoriesTable;
  wire_story_articles: WireStoryArticlesTable;
  wire_pictures: WirePicturesTable;
  wire_queue: WireQueueTable;
  wire_problems: WireProblemsTable;
  wire_pollers: WirePollersTable;
  wire_poller_files: WirePollerFilesTable;
  wire_inbox: WireInboxTable;
}
