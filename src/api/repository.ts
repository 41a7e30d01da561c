// Queries of the content API: a site's live stories newest first with keyset (cursor) pagination, and one
// story by id or, separately, by slug. Cursor pages stay stable while new stories are published, unlike
// offsets. An id and a slug are never guessed from each other: a slug may be made of digits.
import type { Db } from '../db/connection.ts';
import { fromDbTimeOrNull, toDbTime } from '../db/values.ts';

export interface ApiStoryRow {
  placementId: number;
  articleId: number;
  siteId: number;
  sectionId: number;
  slug: string;
  canonical: boolean;
  live: boolean;
  status: string;
  publishedAt: Date | null;
  contentUpdatedAt: Date | null;
  headline: string;
  dek: string;
  byline: string | null;
  dateline: string | null;
  sourceCopyright: string | null;
  leadMediaId: number | null;
  bodyHtml: string | null;
}

function base(db: Db) {
  return db.kysely
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .select([
      'p.id as placement_id',
      'p.article_id',
      'p.site_id',
      'p.section_id',
      'p.slug',
      'p.canonical',
      'p.live',
      'p.published_at',
      'a.status',
      'a.content_updated_at',
      'a.headline',
      'a.dek',
      'a.byline',
      'a.dateline',
      'a.source_copyright',
      'a.lead_media_id',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number] & { body_html?: string };

function toRow(r: Row): ApiStoryRow {
  return {
    placementId: r.placement_id,
    articleId: r.article_id,
    siteId: r.site_id,
    sectionId: r.section_id,
    slug: r.slug,
    canonical: r.canonical === 1,
    live: r.live === 1,
    status: r.status,
    publishedAt: fromDbTimeOrNull(r.published_at),
    contentUpdatedAt: fromDbTimeOrNull(r.content_updated_at),
    headline: r.headline,
    dek: r.dek,
    byline: r.byline,
    dateline: r.dateline,
    sourceCopyright: r.source_copyright,
    leadMediaId: r.lead_media_id,
    bodyHtml: r.body_html ?? null,
  };
}

export interface ListFilter {
  siteId: number;
  sectionId?: number;
  since?: Date;
  until?: Date;
  /** Continue after this story (the last of the previous page). */
  after?: { publishedAt: Date; placementId: number };
  limit: number;
}

export async function listStories(db: Db, f: ListFilter): Promise<ApiStoryRow[]> {
  let q = base(db).where('p.site_id', '=', f.siteId).where('p.live', '=', 1);
  if (f.sectionId !== undefined) q = q.where('p.section_id', '=', f.sectionId);
  if (f.since) q = q.where('p.published_at', '>=', toDbTime(f.since));
  if (f.until) q = q.where('p.published_at', '<', toDbTime(f.until));
  const after = f.after;
  if (after) {
    const t = toDbTime(after.publishedAt);
    q = q.where((eb) =>
      eb.or([
        eb('p.published_at', '<', t),
        eb.and([eb('p.published_at', '=', t), eb('p.id', '<', after.placementId)]),
      ]),
    );
  }
  const rows = await q.orderBy('p.published_at', 'desc').orderBy('p.id', 'desc').limit(f.limit).execute();
  return rows.map(toRow);
}

/** The story a reference names on a site, live or not: the caller tells 404 from 410. */
export type StoryRef = { id: number } | { slug: string };

export async function findStory(db: Db, siteId: number, ref: StoryRef): Promise<ApiStoryRow | null> {
  const q = base(db).select('a.body_html').where('p.site_id', '=', siteId);
  const r = await ('id' in ref
    ? q.where('p.article_id', '=', ref.id)
    : q.where('p.slug', '=', ref.slug)
  ).executeTakeFirst();
  return r ? toRow(r) : null;
}
