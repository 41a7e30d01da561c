// The search index's table (the FTS5 tables and PostgreSQL indexes over it are made by the migrations).
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

export interface SearchTables {
  search_documents: SearchDocumentsTable;
}
