// Tables owned by the articles feature: articles, where they appear (placements), their revisions and
// the old paths that redirect to them.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export type ArticleStatus = 'draft' | 'scheduled' | 'published' | 'taken_down';

export interface ArticlesTable {
  id: Generated<number>;
  /** The site that owns the story; its placement there is the canonical one. */
  site_id: number;
  headline: string;
  dek: string;
  byline: string | null;
  dateline: string | null;
  body_html: string;
  source_copyright: string | null;
  lead_media_id: number | null;
  status: ArticleStatus;
  publish_at: DbTimestamp | null;
  published_at: DbTimestamp | null;
  /** The "Updated" time readers see: set when a published story's content changes. */
  content_updated_at: DbTimestamp | null;
  taken_down_at: DbTimestamp | null;
  takedown_reason: string | null;
  created_at: Generated<DbTimestamp>;
  modified_at: Generated<DbTimestamp>;
}

/**
 * Where an article appears. Every article has one canonical placement on its own site, and one more per
 * sister site that republishes it. `live` and `published_at` are copied from the article by the service so
 * that lists are one indexed range scan.
 */
export interface PlacementsTable {
  id: Generated<number>;
  article_id: number;
  site_id: number;
  section_id: number;
  slug: string;
  canonical: number;
  live: number;
  published_at: DbTimestamp | null;
}

export interface ArticleRevisionsTable {
  id: Generated<number>;
  article_id: number;
  revision: number;
  actor: string;
  changed_fields: string;
  snapshot: string;
  created_at: Generated<DbTimestamp>;
}

export interface PathRedirectsTable {
  site_id: number;
  path: string;
  placement_id: number;
}

export interface ArticleTables {
  articles: ArticlesTable;
  placements: PlacementsTable;
  article_revisions: ArticleRevisionsTable;
  path_redirects: PathRedirectsTable;
}
