// A quick look at newsletter sending alone, without the page load or the kill run of bench/newsletters.ts:
// a 200-story database, one digest to N subscribers through the in-process send engine (rt.jobs.drain) to
// the SMTP sink in its own process, and the messages/s. SHOW=n prints the first n characters of one copy
// as the sink received it (the sink then runs in this process). Profile it with --cpu-prof.
//   N=10000 node --import tsx bench/newsletters-probe.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { startBulkSink } from '../src/newsletters/sending/testing.ts';
import { openRuntime } from '../src/runtime.ts';
import { subscribeMany } from './newsletter-parts.ts';
import { startSink } from './newsletters.ts';
import { seedBenchNetwork } from './seed.ts';

const sink = process.env.SHOW ? await startBulkSink({ keepRaw: true }) : null;
const far = sink ? null : await startSink();
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const file = join(dir, 'dateline.db');
const cfg = loadConfig({
  ...process.env,
  DATELINE_DATA_DIR: dir,
  DATABASE_URL: file,
  DATELINE_DEMO: 'false',
  LOG_LEVEL: 'silent',
  SMTP_URL: sink?.url ?? far!.url,
  DATELINE_BULK_RATE_PER_SECOND: '0',
});
const rt = await openRuntime(cfg, pino({ level: 'silent' }));
await seedBenchNetwork(rt, 200, () => {});
const news = rt.directory.all().find((c) => c.site.slug === 'news')!;
const host = news.site.hosts[0]!;
const digest = await rt.newsletterSignup.lists.create(news.site.id, {
  slug: 'bench-briefing',
  name: 'Bench briefing',
  kind: 'digest',
  schedule: { days: [((new Date().getUTCDay() + 2) % 7) + 1], time: '03:00' },
  composition: {
    topCount: 5,
    sections: news.sections.slice(0, 3).map((s) => ({ sectionId: s.id, count: 3 })),
  },
  senderName: 'Example Times',
  senderEmail: `newsletters@${host}`,
});
const N = Number(process.env.N ?? 3);
await subscribeMany(rt.db, digest.id, 'r', 'bench-readers.net', N);
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);
// TRACE=1: memory every two seconds, to see what grows during a send.
const tracer = process.env.TRACE
  ? setInterval(() => {
      const m = process.memoryUsage();
      const f = (b: number) => Math.round(b / 1048576);
      console.log(`rss ${f(m.rss)} heap ${f(m.heapUsed)}/${f(m.heapTotal)} external ${f(m.external)} MB`);
    }, 2000)
  : null;
const rssBefore = process.memoryUsage.rss();
const t0 = performance.now();
await rt.digests.sendNow(digest.id);
await rt.jobs.drain();
if (sink) await sink.waitForTotal(N, 600_000);
else await far!.ask('waitFor', N);
const ms = performance.now() - t0;
clearInterval(sampler);
if (tracer) clearInterval(tracer);
// With --expose-gc: what the heap holds once the garbage is gone (a leak stays, garbage goes).
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  gc();
  console.log(`after a full GC: heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB`);
}
const mb = (b: number) => Math.round(b / 1048576);
const h = process.memoryUsage();
console.log(
  `${N} in ${ms.toFixed(0)} ms: ${((N / ms) * 1000).toFixed(0)}/s; RSS ${mb(rssBefore)} MB before, peak ${mb(peakRss)} MB; heap ${mb(h.heapUsed)}/${mb(h.heapTotal)} MB, external ${mb(h.external)} MB`,
);
if (sink) console.log(sink.raw[0]!.data.slice(0, Number(process.env.SHOW)));
await rt.close();
await sink?.close();
far?.stop();
