// What `npm run bench` calls to measure search: latency percentiles of SearchService.search over a set of
// queries drawn from the site's own headlines (common and rare words, a phrase, a miss), as a reader's
// searches would be. Target: p95 ≤ 15 ms on SQLite with 10,000 stories.
import type { Db } from '../db/connection.ts';
import type { SearchService } from './service.ts';

export interface LatencyFigure {
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Queries for a site: frequent and rare headline words, a two-word phrase, and a word found nowhere. */
export async function benchQueries(db: Db, siteId: number, count = 40): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .select('a.headline')
    .where('p.site_id', '=', siteId)
    .where('p.live', '=', 1)
    .orderBy('p.id')
    .limit(2000)
    .execute();
  const freq = new Map<string, number>();
  for (const r of rows)
    for (const w of r.headline.toLowerCase().match(/[a-z]{4,}/g) ?? []) freq.set(w, (freq.get(w) ?? 0) + 1);
  const ranked = [...freq.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const common = ranked.slice(0, count / 2);
  const rare = ranked.slice(-count / 4);
  const phrases = rows
    .slice(0, count / 4)
    .map((r) => r.headline.split(/\s+/).slice(0, 2).join(' '))
    .map((p) => `"${p}"`);
  return [...common, ...rare, ...phrases, 'zzyzxnothing'];
}

export async function measureSearchLatency(
  search: SearchService,
  o: { siteId: number; language: string; queries: string[]; rounds?: number },
): Promise<LatencyFigure> {
  const times: number[] = [];
  // One warm-up round: statement caches and the page cache of the database file.
  for (const q of o.queries) await search.search({ siteId: o.siteId, language: o.language, q });
  for (let round = 0; round < (o.rounds ?? 5); round++) {
    for (const q of o.queries) {
      const t0 = performance.now();
      await search.search({ siteId: o.siteId, language: o.language, q });
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) =>
    Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2));
  return { runs: times.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}
