// What `npm run bench` calls to report the two accounts figures: the cost of a page request with a session
// (cookie parsed, session looked up, header links spliced in, gzip kept) over the same page without, and
// the time of one argon2id hash at the configured cost.
//
// Usage from bench/run.ts:
//   const cookie = await prepareSessionBench(rt, 'news.localhost');   // an account and a live session
//   const r = await measureSessionOverhead({ url: 'http://127.0.0.1:PORT/', host: 'news.localhost:PORT', cookie });
//   r.ratio  // requests/s without a session ÷ with one; the target is ≤ 1.2
//   await timeArgon2({ memoryKib, timeCost, parallelism })           // from passwords.ts; target 50–150 ms
import type { Runtime } from '../runtime.ts';

export { timeArgon2 } from './passwords.ts';

/** Creates (once) a bench account and signs it in on the site at `host`; returns the Cookie header. */
export async function prepareSessionBench(rt: Runtime, host: string): Promise<string> {
  const ctx = rt.directory.forHost(host.split(':')[0]!);
  if (!ctx) throw new Error(`no site answers on ${host}`);
  const email = 'bench.reader@example.invalid';
  const user =
    (await rt.accounts.findByEmail(email)) ??
    (await rt.accounts.createUser({
      email,
      displayName: 'Bench Reader',
      password: 'bench-reader-passphrase',
    }));
  const signedIn = await rt.db.kysely.transaction().execute((trx) =>
    rt.accounts.startSession(trx, user.id, {
      ip: '127.0.0.1',
      userAgent: 'bench',
      siteId: ctx.site.id,
      origin: `http://${host}`,
    }),
  );
  return `dl_session=${signedIn.token}`;
}

export interface OverheadResult {
  anonymous: { requestsPerSecond: number; p99Ms: number };
  signedIn: { requestsPerSecond: number; p99Ms: number };
  /** Cost ratio: anonymous throughput over signed-in throughput (1.0 = no overhead). */
  ratio: number;
}

/** Loads the same page with and without the session cookie (gzip accepted in both) using autocannon. */
export async function measureSessionOverhead(opts: {
  url: string;
  host: string;
  cookie: string;
  seconds?: number;
  connections?: number;
}): Promise<OverheadResult> {
  // biome-ignore lint/suspicious/noExplicitAny: autocannon ships no types; it is a dev dependency.
  const autocannon = ((await import('autocannon' as string)) as { default: any }).default;
  const run = async (extra: Record<string, string>) => {
    const r = await autocannon({
      url: opts.url,
      duration: opts.seconds ?? 5,
      connections: opts.connections ?? 10,
      headers: { host: opts.host, 'accept-encoding': 'gzip, br', ...extra },
    });
    return { requestsPerSecond: r.requests.average as number, p99Ms: r.latency.p99 as number };
  };
  await run({});
  const anonymous = await run({});
  const signedIn = await run({ cookie: opts.cookie });
  return { anonymous, signedIn, ratio: anonymous.requestsPerSecond / signedIn.requestsPerSecond };
}
