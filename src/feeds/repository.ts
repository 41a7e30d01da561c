// Queries for feeds and sitemaps: a site's or section's newest live stories, and its canonical story URLs
// by month. Only live placements are read, so killed and embargoed stories never appear.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { type DbTimestamp, fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';

export interface FeedRow {
  placementId: number;
  articleId: number;
  sectionId: number;
  slug: string;
  canonical: boolean;
  publishedAt: Date;
  updatedAt: Date;
  headline: string;
  dek: string;
  byline: string | null;
  bodyHtml: string | null;
  sourceCopyright: string | null;
  leadMediaId: number | null;
}

/**
 * A feed's stories, newest first. `bodyChars` reads only the start of each body: a feed never carries more
 * than its size limit of any one story (see truncate.ts), so a huge story is not read whole.
 */
export async function feedRows(
  db: Db,
  o: { siteId: number; sectionId?: number; limit: number; withBody: boolean; bodyChars?: number },
): Promise<FeedRow[]> {
  let q = db.kysely
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .select([
      'p.id as placement_id',
      'p.article_id',
      'p.section_id',
      'p.slug',
      'p.canonical',
      'p.published_at',
      'a.content_updated_at',
      'a.headline',
      'a.dek',
      'a.byline',
      'a.source_copyright',
      'a.lead_media_id',
    ])
    .where('p.live', '=', 1)
    .$if(o.withBody && o.bodyChars === undefined, (qb) => qb.select('a.body_html'))
    .$if(o.withBody && o.bodyChars !== undefined, (qb) =>
      // substr counts characters on both databases, so the start read holds at least as many bytes.
      qb.select(sql<string>`substr(a.body_html, 1, ${o.bodyChars})`.as('body_html')),
    );
  q =
    o.sectionId !== undefined
      ? q.where('p.section_id', '=', o.sectionId)
      : q.where('p.site_id', '=', o.siteId);
  const rows = await q.orderBy('p.published_at', 'desc').orderBy('p.id', 'desc').limit(o.limit).execute();
  return rows.map((r) => {
    const publishedAt = fromDbTime(r.published_at!);
    const updated = fromDbTimeOrNull(r.content_updated_at);
    return {
      placementId: r.placement_id,
      articleId: r.article_id,
      sectionId: r.section_id,
      slug: r.slug,
      canonical: r.canonical === 1,
      publishedAt,
      updatedAt: updated && updated > publishedAt ? updated : publishedAt,
      headline: r.headline,
      dek: r.dek,
      byline: r.byline,
      bodyHtml: r.body_html ?? null,
      sourceCopyright: r.source_copyright,
      leadMediaId: r.lead_media_id,
    };
  });
}

export interface MonthSummary {
  /** YYYY-MM (UTC). */
  month: string;
  count: number;
  lastModified: Date;
}

/** Months with canonical live stories on a site, newest first. */
export async function sitemapMonths(db: Db, siteId: number): Promise<MonthSummary[]> {
  const month =
    db.dialect === 'postgres'
      ? sql<string>`to_char(p.published_at at time zone 'UTC', 'YYYY-MM')`
      : sql<string>`substr(p.published_at, 1, 7)`;
  const rows = await db.kysely
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .select([
      month.as('month'),
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<DbTimestamp>`max(coalesce(a.content_updated_at, p.published_at))`.as('last'),
    ])
    .where('p.site_id', '=', siteId)
    .where('p.live', '=', 1)
    .where('p.canonical', '=', 1)
    .groupBy(month)
    .orderBy(month, 'desc')
    .execute();
  return rows.map((r) => ({ month: r.month, count: Number(r.n), lastModified: fromDbTime(r.last) }));
}

export interface UrlRow {
  articleId: number;
  sectionId: number;
  slug: string;
  headline: string;
  publishedAt: Date;
  updatedAt: Date;
  leadMediaId: number | null;
}

function urlQuery(db: Db, siteId: number) {
  return db.kysely
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .select([
      'p.article_id',
      'p.section_id',
      'p.slug',
      'p.published_at',
      'a.content_updated_at',
      'a.headline',
      'a.lead_media_id',
    ])
    .where('p.site_id', '=', siteId)
    .where('p.live', '=', 1)
    .where('p.canonical', '=', 1);
}

function toUrlRow(r: Awaited<ReturnType<ReturnType<typeof urlQuery>['execute']>>[number]): UrlRow {
  const publishedAt = fromDbTime(r.published_at!);
  const updated = fromDbTimeOrNull(r.content_updated_at);
  return {
    articleId: r.article_id,
    sectionId: r.section_id,
    slug: r.slug,
    headline: r.headline,
    publishedAt,
    updatedAt: updated && updated > publishedAt ? updated : publishedAt,
    leadMediaId: r.lead_media_id,
  };
}

/** One page of a month's canonical live story URLs, oldest first (stable as the month fills up). */
export async function monthUrls(
  db: Db,
  siteId: number,
  month: string,
  offset: number,
  limit: number,
): Promise<UrlRow[]> {
  const start = new Date(`${month}-01T00:00:00.000Z`);
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const rows = await urlQuery(db, siteId)
    .where('p.published_at', '>=', toDbTime(start))
    .where('p.published_at', '<', toDbTime(end))
    .orderBy('p.published_at')
    .orderBy('p.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(toUrlRow);
}

/** Canonical live stories published since `since`, newest first (Google News sitemaps). */
export async function recentUrls(db: Db, siteId: number, since: Date, limit: number): Promise<UrlRow[]> {
  const rows = await urlQuery(db, siteId)
    .where('p.published_at', '>=', toDbTime(since))
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toUrlRow);
}
