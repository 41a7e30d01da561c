// What the dashboard shows, read for the sites in view: each site's stories published today (its own day,
// in its time zone) with the newest few, its scheduled stories and recent drafts, what is scheduled next
// across them, the wire queue's length for the sites one reviews (the wire desk's own rules), and the most
// read stories now (the trending service's lists, from memory). A handful of indexed queries.
import { sql } from 'kysely';
import { instantOfWallTime, wallTimeOf } from '../../articles/schedule-time.ts';
import { fromDbTime, toDbTime } from '../../db/values.ts';
import type { Runtime } from '../../runtime.ts';
import type { SiteContext } from '../../sites/directory.ts';
import type { TrendingItem } from '../../trending/service.ts';
import { narrowScope, queueIdsFor, type SiteScope } from '../../wire/desk-scope.ts';

export interface StoryLine {
  id: number;
  headline: string;
  siteId: number;
  at: Date;
}

export interface SiteToday {
  ctx: SiteContext;
  publishedToday: number;
  newest: StoryLine[];
  scheduled: number;
  draftsChanged: number;
  mostRead: TrendingItem[];
}

export interface Dashboard {
  sites: SiteToday[];
  scheduledNext: StoryLine[];
  /** Pending wire stories for the sites one reviews, or null without wire.review; capped at WIRE_COUNT_CAP. */
  wireQueue: number | null;
}

/** The queue is counted up to this many; more shows as "1,000+". */
export const WIRE_COUNT_CAP = 1000;

/** The instant today began in a time zone (01:00 on a day whose midnight the clocks skip). */
export function startOfToday(now: Date, timeZone: string): Date {
  const day = wallTimeOf(now, timeZone).slice(0, 10);
  try {
    return instantOfWallTime(`${day}T00:00`, timeZone);
  } catch {
    return instantOfWallTime(`${day}T01:00`, timeZone);
  }
}

export async function readDashboard(
  rt: Runtime,
  sites: SiteContext[],
  o: { wireScope: SiteScope | null; now?: Date },
): Promise<Dashboard> {
  const q = rt.db.kysely;
  const now = o.now ?? new Date();
  const ids = sites.map((c) => c.site.id);
  if (ids.length === 0) return { sites: [], scheduledNext: [], wireQueue: null };

  const perSite = await Promise.all(
    sites.map(async (ctx) => {
      const since = startOfToday(now, ctx.site.timeZone);
      // The site's own stories (canonical placements), through the placements' site/live/published index.
      const today = await q
        .selectFrom('placements as p')
        .innerJoin('articles as a', 'a.id', 'p.article_id')
        .select(['a.id', 'a.headline', 'p.published_at'])
        .where('p.site_id', '=', ctx.site.id)
        .where('p.live', '=', 1)
        .where('p.canonical', '=', 1)
        .where('p.published_at', '>=', toDbTime(since))
        .orderBy('p.published_at', 'desc')
        .orderBy('a.id', 'desc')
        .execute();
      return { ctx, today };
    }),
  );
  const counts = await q
    .selectFrom('articles')
    .select(['site_id', 'status', sql<number>`count(*)`.as('n')])
    .where('site_id', 'in', ids)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'scheduled'),
        eb.and([
          eb('status', '=', 'draft'),
          eb('modified_at', '>=', toDbTime(new Date(now.getTime() - 86_400_000))),
        ]),
      ]),
    )
    .groupBy(['site_id', 'status'])
    .execute();
  const count = (siteId: number, status: string) =>
    Number(counts.find((r) => r.site_id === siteId && r.status === status)?.n ?? 0);

  const next = await q
    .selectFrom('articles')
    .select(['id', 'headline', 'site_id', 'publish_at'])
    .where('status', '=', 'scheduled')
    .where('site_id', 'in', ids)
    .orderBy('publish_at')
    .orderBy('id')
    .limit(8)
    .execute();

  const wireQueue = o.wireScope
    ? (await queueIdsFor(q, o.wireScope, { limit: WIRE_COUNT_CAP, offset: 0 })).length
    : null;

  return {
    sites: perSite.map(({ ctx, today }) => ({
      ctx,
      publishedToday: today.length,
      newest: today.slice(0, 5).map((r) => ({
        id: r.id,
        headline: r.headline,
        siteId: ctx.site.id,
        at: fromDbTime(r.published_at!),
      })),
      scheduled: count(ctx.site.id, 'scheduled'),
      draftsChanged: count(ctx.site.id, 'draft'),
      mostRead: rt.trending.mostRead(ctx.site.id).slice(0, 5),
    })),
    scheduledNext: next.map((r) => ({
      id: r.id,
      headline: r.headline,
      siteId: r.site_id,
      at: fromDbTime(r.publish_at!),
    })),
    wireQueue,
  };
}

/** The scope of the wire counter: the sites one reviews, narrowed to the site chosen; null without the role. */
export function wireScopeOf(reviewable: 'all' | number[], chosen: number | null): SiteScope | null {
  if (reviewable !== 'all' && reviewable.length === 0) return null;
  return narrowScope(reviewable, chosen === null ? 'all' : [chosen]);
}
