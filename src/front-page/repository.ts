// Queries of the editor-arranged front page: the rows an editor saved for a site, the stories they name
// that are still live there (a placement on the site that readers can see), the newest live stories to pick
// from, and replacing a site's rows in the caller's transaction. Values come back normalised (db/values).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { fromDbBool, fromDbTime, toDbTime } from '../db/values.ts';
import type { FrontPageSlotKind } from './tables.ts';

export type Q = Kysely<Database> | Transaction<Database>;

export interface SavedSlot {
  kind: FrontPageSlotKind;
  position: number;
  articleId: number;
  pinnedBy: number | null;
  updatedAt: Date;
}

/** A site's saved rows: the lead first, then the top stories in order. */
export async function savedSlots(q: Q, siteId: number): Promise<SavedSlot[]> {
  const rows = await q
    .selectFrom('front_page_slots')
    .select(['kind', 'position', 'article_id', 'pinned_by', 'updated_at'])
    .where('site_id', '=', siteId)
    .execute();
  return rows
    .map((r) => ({
      kind: r.kind,
      position: r.position,
      articleId: r.article_id,
      pinnedBy: r.pinned_by,
      updatedAt: fromDbTime(r.updated_at),
    }))
    .sort((a, b) => (a.kind === b.kind ? a.position - b.position : a.kind === 'lead' ? -1 : 1));
}

/** A site's saved rows whose story is live on the site now, in order (one indexed query, for the home page). */
export async function liveSlots(
  q: Q,
  siteId: number,
): Promise<{ kind: FrontPageSlotKind; articleId: number }[]> {
  const rows = await q
    .selectFrom('front_page_slots as f')
    .innerJoin('placements as p', (j) =>
      j.onRef('p.article_id', '=', 'f.article_id').onRef('p.site_id', '=', 'f.site_id'),
    )
    .select(['f.kind', 'f.article_id'])
    .where('f.site_id', '=', siteId)
    .where('p.live', '=', 1)
    .orderBy('f.kind')
    .orderBy('f.position')
    .execute();
  return rows.map((r) => ({ kind: r.kind, articleId: r.article_id }));
}

/** Of these stories, the ones live on the site now (published, not taken down, placed there). */
export async function liveOnSite(q: Q, siteId: number, articleIds: readonly number[]): Promise<Set<number>> {
  if (articleIds.length === 0) return new Set();
  const rows = await q
    .selectFrom('placements')
    .select('article_id')
    .where('site_id', '=', siteId)
    .where('live', '=', 1)
    .where('article_id', 'in', [...articleIds])
    .execute();
  return new Set(rows.map((r) => r.article_id));
}

/** What the admin shows of a story on a site's front page. */
export interface StoryCard {
  articleId: number;
  headline: string;
  sectionName: string;
  /** When it went out on this site; null when it is not live there. */
  publishedAt: Date | null;
  live: boolean;
  /** The lead picture and its focal point version (cropped thumbnails carry it), if any. */
  picture: { id: number; version: number; alt: string } | null;
}

function cardQuery(q: Q, siteId: number) {
  return q
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .leftJoin('media as m', 'm.id', 'a.lead_media_id')
    .select([
      'p.article_id',
      'p.live',
      'p.published_at',
      'a.headline',
      's.name as section_name',
      'm.id as media_id',
      'm.focal_version',
      'm.alt',
    ])
    .where('p.site_id', '=', siteId);
}

type CardRow = Awaited<ReturnType<ReturnType<typeof cardQuery>['execute']>>[number];

function toCard(r: CardRow): StoryCard {
  const live = fromDbBool(r.live);
  return {
    articleId: r.article_id,
    headline: r.headline,
    sectionName: r.section_name,
    publishedAt: live && r.published_at ? fromDbTime(r.published_at) : null,
    live,
    picture: r.media_id != null ? { id: r.media_id, version: r.focal_version ?? 0, alt: r.alt ?? '' } : null,
  };
}

/** Cards of these stories as placed on the site (live or not); stories not on the site are absent. */
export async function cardsOnSite(
  q: Q,
  siteId: number,
  articleIds: readonly number[],
): Promise<Map<number, StoryCard>> {
  if (articleIds.length === 0) return new Map();
  const rows = await cardQuery(q, siteId)
    .where('p.article_id', 'in', [...articleIds])
    .execute();
  return new Map(rows.map((r) => [r.article_id, toCard(r)]));
}

/** The site's newest live stories, to pick from when no search is given. */
export async function newestCards(q: Q, siteId: number, limit: number): Promise<StoryCard[]> {
  const rows = await cardQuery(q, siteId)
    .where('p.live', '=', 1)
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toCard);
}

/** Writes a site's arrangement in place of the one before (none: the site goes back to newest first). */
export async function replaceSlots(
  trx: Transaction<Database>,
  siteId: number,
  arrangement: { leadArticleId: number | null; topArticleIds: readonly number[] },
  pinnedBy: number | null,
  now: Date,
): Promise<void> {
  await trx.deleteFrom('front_page_slots').where('site_id', '=', siteId).execute();
  const at = toDbTime(now);
  const rows = [
    ...(arrangement.leadArticleId !== null
      ? [{ kind: 'lead' as const, position: 0, article_id: arrangement.leadArticleId }]
      : []),
    ...arrangement.topArticleIds.map((id, i) => ({ kind: 'top' as const, position: i, article_id: id })),
  ].map((r) => ({ ...r, site_id: siteId, pinned_by: pinnedBy, updated_at: at }));
  if (rows.length > 0) await trx.insertInto('front_page_slots').values(rows).execute();
}
