// Responsiveness under load: every kind of page a visitor can ask for (home, section, article, search, feed,
// sitemap, a 404) across the demo network's hosts at once, at many connections, with the server's own
// event-loop delay measured inside its process (loop-delay.mjs); and /healthz while the worst searches
// run (a 3 MB story in the index, a word on every line of it).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { Runtime } from '../src/runtime.ts';
import type { ServerProcess } from './web.ts';

/** One site's pages in the mix. */
export interface MixedSite {
  host: string;
  sectionPath: string;
  articlePath: string;
}

/** What a request in the mix asks for: the figures are also reported by kind. */
export type MixedKind = 'home' | 'section' | 'article' | 'search' | 'feed' | 'sitemap' | '404';

/** Status codes and latency of one kind of request in the mix. */
export interface KindFigure {
  kind: MixedKind;
  requests: number;
  status5xx: number;
  /** Count by status code, e.g. { "200": 9000, "503": 12 }. */
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

export interface MixedFigure {
  seconds: number;
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  status5xx: number;
  errors: number;
  loopDelay: {
    p50: number;
    p99: number;
    max: number;
    /** Garbage-collector pauses over the load: minor (young generation) and major. */
    gc: Record<'minor' | 'major', { count: number; ms: number; maxMs: number }>;
  };
  byKind: KindFigure[];
  /**
   * The server's main thread over the load, from /proc/<pid>/schedstat: seconds it ran, and seconds it was
   * ready to run but waited for a CPU (other processes on the machine): that wait shows up as loop delay.
   */
  mainThread: { ranS: number; waitedForCpuS: number } | null;
}

/** The word searched in the mix: in every bench story, so each search has thousands of matches. */
export const MIXED_SEARCH_WORD = 'talks';
/** The worst case for highlighting: in every sentence of the 3 MB story, and in every other story. */
export const WORST_SEARCH_WORD = 'the';

/** Adds a 3 MB story, published a year ago so it is no site's newest page, with a common word throughout. */
export async function addWorstCaseStory(rt: Runtime, siteSlug: string): Promise<void> {
  const ctx = rt.directory.all().find((c) => c.site.slug === siteSlug)!;
  const line =
    '<p>The talks on the region and the plan for the day went on, said the people of the town.</p>';
  await rt.articles.create(
    {
      siteId: ctx.site.id,
      sectionId: ctx.sections[0]!.id,
      headline: 'The very long record of the talks',
      bodyHtml: line.repeat(Math.ceil(3_000_000 / line.length)),
      publishedAt: new Date(Date.now() - 400 * 24 * 3600_000),
    },
    'bench',
  );
}

export function mixedRequests(sites: MixedSite[]): (autocannon.Request & { kind: MixedKind })[] {
  return sites.flatMap((s) => {
    const headers = { host: s.host, 'accept-encoding': 'br, gzip' };
    const paths: [MixedKind, string][] = [
      ['home', '/'],
      ['section', s.sectionPath],
      ['article', s.articlePath],
      ['search', `/search?q=${MIXED_SEARCH_WORD}`],
      ['feed', '/feeds/rss.xml'],
      ['sitemap', '/sitemap.xml'],
      ['404', '/no-such-page-here'],
    ];
    return paths.map(([kind, path]) => ({ kind, method: 'GET', path, headers }));
  });
}

/**
 * Records every response by kind. autocannon calls a request's onResponse (status) and then, at once and on
 * the same connection, the client's 'response' event (latency): the kind noted by the first is the second's.
 */
class KindRecorder {
  private readonly latencies = new Map<MixedKind, number[]>();
  private readonly statuses = new Map<MixedKind, Map<number, number>>();
  private current: MixedKind | null = null;

  instrument(requests: (autocannon.Request & { kind: MixedKind })[]): autocannon.Request[] {
    return requests.map(({ kind, ...r }) => ({
      ...r,
      onResponse: (status: number) => {
        this.current = kind;
        const counts = this.statuses.get(kind) ?? new Map<number, number>();
        counts.set(status, (counts.get(status) ?? 0) + 1);
        this.statuses.set(kind, counts);
      },
    }));
  }

  setupClient = (client: autocannon.Client): void => {
    client.on('response', (_status: number, _bytes: number, ms: number) => {
      if (this.current === null) return;
      const list = this.latencies.get(this.current) ?? [];
      list.push(ms);
      this.latencies.set(this.current, list);
      this.current = null;
    });
  };

  figures(): KindFigure[] {
    return [...this.statuses].map(([kind, counts]) => {
      const sorted = (this.latencies.get(kind) ?? []).sort((a, b) => a - b);
      const at = (q: number) =>
        Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
      const statuses = Object.fromEntries(
        [...counts].sort(([a], [b]) => a - b).map(([c, n]) => [String(c), n]),
      );
      return {
        kind,
        requests: [...counts.values()].reduce((a, b) => a + b, 0),
        status5xx: [...counts].filter(([c]) => c >= 500).reduce((a, [, n]) => a + n, 0),
        statuses,
        p50: at(0.5),
        p99: at(0.99),
        max: Math.round(sorted.at(-1) ?? 0),
      };
    });
  }
}

/** Nanoseconds the process's main thread has run, and waited to run, so far (Linux only). */
function schedstat(pid: number | undefined): [number, number] | null {
  try {
    const [ran, waited] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return [ran!, waited!];
  } catch {
    return null;
  }
}

async function loopDelay(server: ServerProcess, file: string): Promise<MixedFigure['loopDelay']> {
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 20));
    try {
      const figure = JSON.parse(readFileSync(file, 'utf8')) as MixedFigure['loopDelay'];
      return figure;
    } catch {
      // not written yet
    }
  }
  throw new Error('the server did not report its event-loop delay');
}

export async function mixedLoad(o: {
  base: string;
  server: ServerProcess;
  /** BENCH_LOOP_DELAY_FILE given to the server. */
  delayFile: string;
  sites: MixedSite[];
  seconds: number;
  connections: number;
}): Promise<MixedFigure> {
  // The first signal starts the measurement afresh; its figure (start-up) is dropped.
  await loopDelay(o.server, o.delayFile);
  const sched0 = schedstat(o.server.child.pid);
  const recorder = new KindRecorder();
  const r = await autocannon({
    url: o.base,
    connections: o.connections,
    duration: o.seconds,
    pipelining: 1,
    requests: recorder.instrument(mixedRequests(o.sites)),
    setupClient: recorder.setupClient,
  });
  const delay = await loopDelay(o.server, `${o.delayFile}`);
  const sched1 = schedstat(o.server.child.pid);
  const seconds = (ns: number) => Math.round(ns / 1e8) / 10;
  return {
    seconds: o.seconds,
    connections: o.connections,
    requests: Math.round(r.requests.average * o.seconds),
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    status5xx: r['5xx'],
    errors: r.errors + r.timeouts,
    loopDelay: delay,
    byKind: recorder.figures(),
    mainThread:
      sched0 && sched1
        ? { ranS: seconds(sched1[0] - sched0[0]), waitedForCpuS: seconds(sched1[1] - sched0[1]) }
        : null,
  };
}

/**
 * /healthz latency while three worst-case searches are in flight, over a few rounds: the worst round. Each
 * round asks for pages no earlier round asked for, so every search runs (none is answered from the cache).
 */
export async function healthzDuringSearches(
  base: string,
  host: string,
  rounds = 5,
): Promise<{ maxMs: number; searchMs: number }> {
  let maxMs = 0;
  let searchMs = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const searches = [1, 2, 3].map(async (k) => {
      const page = i * 3 + k;
      const res = await fetch(`${base}/search?q=${WORST_SEARCH_WORD}&page=${page}`, { headers: { host } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`search answered ${res.status}`);
      return performance.now() - t0;
    });
    // Once the searches are on their way.
    await new Promise((r) => setTimeout(r, 5));
    const h0 = performance.now();
    const health = await fetch(`${base}/healthz`);
    await health.arrayBuffer();
    maxMs = Math.max(maxMs, performance.now() - h0);
    searchMs = Math.max(searchMs, ...(await Promise.all(searches)));
  }
  return { maxMs: Math.round(maxMs * 10) / 10, searchMs: Math.round(searchMs) };
}
