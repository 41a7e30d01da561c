// The wire section of `npm run bench`, ready to call: ingests N generated ninjs stories (no pictures) with
// routing and publishing, then kills one and times how long until its page answers 410 and it has left the
// section list, the home page and search. Run it on a runtime with the demo network (its Example Wire agency
// publishes everything to News › World), passing the built server for the kill timing.
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.ts';
import { parseWireDocument } from './parse/index.ts';

export interface WireBenchFigures {
  stories: number;
  created: number;
  parseMs: number;
  ingestMs: number;
  /** Ingest only (items already parsed), the figure the ingest-rate target is about. */
  storiesPerSecond: number;
  /**
   * From the kill's POST to: page 410, gone from section list, home page and search. Null without a server.
   * `killGoneEverywhere` is true only when the story was on its page, list, home page and search before.
   */
  killToGoneMs: number | null;
  killGoneEverywhere: boolean | null;
  /** Whether search listed the story before the kill (so "gone from search" means something). */
  searchFoundBeforeKill: boolean | null;
}

const PARAGRAPH = (n: number) =>
  `<p>Officials said on day ${n} that the talks would continue next week, with delegations expected to return with revised proposals on trade and transport links across the region.</p>`;

/** `count` distinct ninjs 2 stories, as one JSON batch document. */
export function benchDocument(count: number, runId: string): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      uri: `urn:bench:${runId}:${i}`,
      version: '1',
      versioncreated: '2025-10-09T09:00:00Z',
      pubstatus: 'usable',
      urgency: 3,
      slugline: i % 3 === 0 ? 'JAPAN-ECONOMY/GDP' : 'WORLD/TALKS',
      headlines: [
        { role: 'main', value: `Wire bench ${runId} story ${i}: delegations agree to continue talks` },
      ],
      bodies: [
        {
          role: 'main',
          contenttype: 'text/html',
          value: [1, 2, 3, 4, 5, 6].map((k) => PARAGRAPH(i + k)).join(''),
        },
      ],
      located: 'TOKYO',
      by: 'Example Wire staff',
      copyrightnotice: '© Example Wire 2025',
      subjects: i % 2 ? [{ uri: 'http://cv.iptc.org/newscodes/mediatopic/04000000', name: 'economy' }] : [],
    })),
  );
}

export async function measureWireIngest(
  rt: Runtime,
  opts: { stories?: number; agency?: string; app?: FastifyInstance } = {},
): Promise<WireBenchFigures> {
  const count = opts.stories ?? 1000;
  const runId = Date.now().toString(36);
  const t0 = performance.now();
  const { items } = parseWireDocument(benchDocument(count, runId), { source: 'bench.json' });
  const t1 = performance.now();
  const ingestAgency = await rt.wire.resolveAgency(opts.agency);
  const summary = await rt.wire.ingestItems(ingestAgency, items, {});
  const t2 = performance.now();
  const figures: WireBenchFigures = {
    stories: count,
    created: summary.counts.created,
    parseMs: Math.round(t1 - t0),
    ingestMs: Math.round(t2 - t1),
    storiesPerSecond: Math.round(count / ((t2 - t1) / 1000)),
    killToGoneMs: null,
    killGoneEverywhere: null,
    searchFoundBeforeKill: null,
  };
  const app = opts.app;
  const victim = summary.outcomes.at(-1)?.placements?.[0];
  if (!app || !victim) return figures;
  const ctx = rt.directory.all().find((c) => c.site.slug === victim.site);
  const host = ctx?.site.hosts[0];
  if (!host) return figures;
  const section = victim.path.split('/')[1] ?? '';
  // Lists and search results link to the story by its path (search highlights words, so not the headline).
  const marker = `href="${victim.path}"`;
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { host } });
  // Let search catch up (it indexes in the background), then warm the cache, so the kill has something to undo.
  await rt.searchIndexer.idle();
  const query = `/search?q=${encodeURIComponent(`Wire bench ${runId} story ${count - 1}`)}`;
  const before = await Promise.all([get(victim.path), get(`/${section}`), get('/'), get(query)]);
  figures.searchFoundBeforeKill = before[3]!.body.includes(marker);
  // "Gone everywhere" means something only where the story was shown before the kill.
  const shownBefore =
    before[0]!.statusCode === 200 &&
    before.slice(1).every((r) => r.statusCode === 200 && r.body.includes(marker));
  const agency = await rt.wire.resolveAgency(opts.agency);
  const kill = parseWireDocument(
    JSON.stringify({ uri: `urn:bench:${runId}:${count - 1}`, version: '2', pubstatus: 'canceled' }),
    {
      source: 'bench-kill.json',
    },
  );
  const k0 = performance.now();
  await rt.wire.ingestItems(agency, kill.items);
  const [page, list, home, search] = await Promise.all([
    get(victim.path),
    get(`/${section}`),
    get('/'),
    get(query),
  ]);
  figures.killToGoneMs = Math.round((performance.now() - k0) * 10) / 10;
  figures.killGoneEverywhere =
    shownBefore &&
    page.statusCode === 410 &&
    !list.body.includes(marker) &&
    !home.body.includes(marker) &&
    !search.body.includes(marker);
  return figures;
}
