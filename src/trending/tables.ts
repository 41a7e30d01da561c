// Tables of read counting and trending: hourly read counts, the day's salt for reader hashes, and the
// operator's choices of sources, pins and exclusions.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

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

export interface TrendingTables {
  article_reads: ArticleReadsTable;
  read_salts: ReadSaltsTable;
  trending_sources: TrendingSourcesTable;
  trending_overrides: TrendingOverridesTable;
}
