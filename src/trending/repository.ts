// Queries for read counting and trending: hourly read buckets, the day's salt, the operator's choices, and
// the live stories that lists may show. Values come back normalised (see db/values).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { fromDbTime, toDbTime } from '../db/values.ts';
import type { TrendingOverrideAction } from './tables.ts';

export function hourStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}

/** Where a placement is, for turning beacon hits into rows; only live placements count. */
export async function livePlacements(
  db: Db,
  placementIds: number[],
): Promise<Map<number, { articleId: number; siteId: number; sectionId: number }>> {
  if (placementIds.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('placements')
    .select(['id', 'article_id', 'site_id', 'section_id'])
    .where('id', 'in', placementIds)
    .where('live', '=', 1)
    .execute();
  return new Map(
    rows.map((r) => [r.id, { articleId: r.article_id, siteId: r.site_id, sectionId: r.section_id }]),
  );
}

export interface ReadIncrement {
  articleId: number;
  siteId: number;
  sectionId: number;
  hour: Date;
  reads: number;
}

/** Adds reads to their hourly buckets in one short transaction. */
export async function addReads(db: Db, increments: ReadIncrement[]): Promise<void> {
  if (increments.length === 0) return;
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < increments.length; i += 200) {
      const chunk = increments.slice(i, i + 200).map((x) => ({
        article_id: x.articleId,
        site_id: x.siteId,
        section_id: x.sectionId,
        hour: toDbTime(x.hour),
        reads: x.reads,
      }));
      await trx
        .insertInto('article_reads')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['article_id', 'site_id', 'hour']).doUpdateSet({
            reads: sql`article_reads.reads + excluded.reads`,
            section_id: sql`excluded.section_id`,
          }),
        )
        .execute();
    }
  });
}

/** Deletes buckets older than `before`: trending and most read never look that far back. */
export async function pruneReads(db: Db, before: Date): Promise<void> {
  await db.kysely.deleteFrom('article_reads').where('hour', '<', toDbTime(before)).execute();
}

/** Today's salt, made once per day for the whole network; salts older than yesterday are deleted. */
export async function saltFor(db: Db, day: string, yesterday: string): Promise<string> {
  await db.kysely
    .insertInto('read_salts')
    .values({ day, salt: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  await db.kysely.deleteFrom('read_salts').where('day', '<', yesterday).execute();
  const row = await db.kysely
    .selectFrom('read_salts')
    .select('salt')
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  return row.salt;
}

export interface ReadBucket {
  articleId: number;
  siteId: number;
  sectionId: number;
  hour: Date;
  reads: number;
}

export async function readsSince(db: Db, since: Date): Promise<ReadBucket[]> {
  const rows = await db.kysely
    .selectFrom('article_reads')
    .select(['article_id', 'site_id', 'section_id', 'hour', 'reads'])
    .where('hour', '>=', toDbTime(since))
    .execute();
  return rows.map((r) => ({
    articleId: r.article_id,
    siteId: r.site_id,
    sectionId: r.section_id,
    hour: fromDbTime(r.hour),
    reads: Number(r.reads),
  }));
}

export interface StoryRow {
  placementId: number;
  articleId: number;
  siteId: number;
  sectionId: number;
  slug: string;
  canonical: boolean;
  headline: string;
  leadMediaId: number | null;
  publishedAt: Date;
}

function storyQuery(db: Db) {
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
      'p.published_at',
      'a.headline',
      'a.lead_media_id',
    ])
    .where('p.live', '=', 1);
}

function toStory(r: Awaited<ReturnType<ReturnType<typeof storyQuery>['execute']>>[number]): StoryRow {
  return {
    placementId: r.placement_id,
    articleId: r.article_id,
    siteId: r.site_id,
    sectionId: r.section_id,
    slug: r.slug,
    canonical: r.canonical === 1,
    headline: r.headline,
    leadMediaId: r.lead_media_id,
    publishedAt: fromDbTime(r.published_at!),
  };
}

/** The live placements of these articles (every site each appears on). */
export async function liveStories(db: Db, articleIds: number[]): Promise<StoryRow[]> {
  const out: StoryRow[] = [];
  for (let i = 0; i < articleIds.length; i += 500) {
    const rows = await storyQuery(db)
      .where('p.article_id', 'in', articleIds.slice(i, i + 500))
      .execute();
    out.push(...rows.map(toStory));
  }
  return out;
}

/** A site's newest stories of its own: what trending falls back on before anyone has read anything. */
export async function newestOwnStories(db: Db, siteId: number, limit: number): Promise<StoryRow[]> {
  const rows = await storyQuery(db)
    .where('p.site_id', '=', siteId)
    .where('p.canonical', '=', 1)
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toStory);
}

export interface Override {
  siteId: number;
  articleId: number;
  action: TrendingOverrideAction;
  position: number;
}

export async function listOverrides(db: Db): Promise<Override[]> {
  const rows = await db.kysely
    .selectFrom('trending_overrides')
    .select(['site_id', 'article_id', 'action', 'position'])
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    siteId: r.site_id,
    articleId: r.article_id,
    action: r.action,
    position: r.position,
  }));
}

export async function setOverride(db: Db, o: Override): Promise<void> {
  await db.kysely
    .insertInto('trending_overrides')
    .values({ site_id: o.siteId, article_id: o.articleId, action: o.action, position: o.position })
    .onConflict((oc) =>
      oc.columns(['site_id', 'article_id']).doUpdateSet({ action: o.action, position: o.position }),
    )
    .execute();
}

export async function clearOverride(db: Db, siteId: number, articleId: number): Promise<void> {
  await db.kysely
    .deleteFrom('trending_overrides')
    .where('site_id', '=', siteId)
    .where('article_id', '=', articleId)
    .execute();
}

export async function listSources(db: Db): Promise<Map<number, number[]>> {
  const rows = await db.kysely.selectFrom('trending_sources').selectAll().orderBy('source_site_id').execute();
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const list = out.get(r.site_id) ?? [];
    list.push(r.source_site_id);
    out.set(r.site_id, list);
  }
  return out;
}

/**
 * Sets the sites that feed a site's block; null goes back to the default (every other site). A row naming
 * the site itself marks "configured", so an empty choice (no block at all) is kept too.
 */
export async function replaceSources(db: Db, siteId: number, sourceSiteIds: number[] | null): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    await trx.deleteFrom('trending_sources').where('site_id', '=', siteId).execute();
    if (sourceSiteIds === null) return;
    const ids = new Set([siteId, ...sourceSiteIds]);
    await trx
      .insertInto('trending_sources')
      .values([...ids].map((s) => ({ site_id: siteId, source_site_id: s })))
      .execute();
  });
}
