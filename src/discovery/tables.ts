// Tables owned by the discovery feature: the search index, read counts for trending and "most read", the
// operator's trending choices, API keys, and webhook endpoints with their delivery log.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

/**
 * One row per published article: the plain text the search engines index. On SQLite two FTS5 tables
 * (words and trigrams) read their content from here; on PostgreSQL `tsv` and a trigram index on
 * `cjk_text` do the same job. Rows exist only for published articles; live-ness per site is still checked
 * against placements at query time, so a kill hides a story even before the index catches up.
 */
export interface SearchDocumentsTable {
  article_id: number;
  headline: string;
  dek: string;
  byline: string;
  section_names: string;
  body_text: string;
  /** Everything above joined, for CJK (substring) search; empty when the story has no CJK text. */
  cjk_text: string;
  /** Where it is live, as words: "s<siteId> c<sectionId>" per placement (SQLite FTS filters on it). */
  scope: string;
  /** PostgreSQL text-search configuration the tsvector was built with (site language); unused on SQLite. */
  ts_config: string;
  /** The article's modified_at when indexed: a later one means the row is stale. */
  article_modified_at: DbTimestamp;
}

/** PostgreSQL only: the weighted tsvector. Kept out of the shared row type so SQLite code never sees it. */
export interface SearchDocumentsPgColumns {
  tsv: string;
}

/** Reads per story per site per hour: trending decays these, "most read" sums them. */
export interface ArticleReadsTable {
  article_id: number;
  site_id: number;
  section_id: number;
  /** Start of the UTC hour. */
  hour: DbTimestamp;
  reads: number;
}

/** The salt of the day for reader hashes; older salts are deleted so yesterday's hashes can't be redone. */
export interface ReadSaltsTable {
  day: string;
  salt: string;
}

/** Which sites feed a site's "trending on our other sites" block. No rows for a site: all other sites. */
export interface TrendingSourcesTable {
  site_id: number;
  source_site_id: number;
}

export type TrendingOverrideAction = 'pin' | 'exclude';

/** An operator's pin (shown first, in `position` order) or exclusion of a story in a site's block. */
export interface TrendingOverridesTable {
  id: Generated<number>;
  site_id: number;
  article_id: number;
  action: TrendingOverrideAction;
  position: number;
  created_at: Generated<DbTimestamp>;
}

/** A content-API key: only the SHA-256 of the secret is stored; the prefix identifies it in logs and lists. */
export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  key_prefix: string;
  key_hash: string;
  /** JSON array of site ids the key may read, or null for every site. */
  site_ids: string | null;
  created_at: Generated<DbTimestamp>;
  revoked_at: DbTimestamp | null;
}

export interface WebhookEndpointsTable {
  id: Generated<number>;
  url: string;
  /** Kept in clear: it signs every delivery. */
  secret: string;
  /** Only events touching this site, or null for every site. */
  site_id: number | null;
  /** JSON array of event types, e.g. ["article.published"]. */
  events: string;
  active: number;
  /** Event-log id at creation: the endpoint only receives events after it. */
  start_event_id: number;
  created_at: Generated<DbTimestamp>;
}

/** One row per delivery attempt. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: number;
  event_id: number;
  event_type: string;
  attempt: number;
  ok: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: Generated<DbTimestamp>;
}

/** How far the webhook dispatcher has read the event log (one row, name 'webhooks'). */
export interface DiscoveryCursorsTable {
  name: string;
  last_event_id: number;
}

export interface DiscoveryTables {
  search_documents: SearchDocumentsTable;
  article_reads: ArticleReadsTable;
  read_salts: ReadSaltsTable;
  trending_sources: TrendingSourcesTable;
  trending_overrides: TrendingOverridesTable;
  api_keys: ApiKeysTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  discovery_cursors: DiscoveryCursorsTable;
}
