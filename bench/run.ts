// `npm run bench`: builds a 10,000-story database across the three demo sites, then measures the pages
// (warm, and with render caches off), start-up time and idle memory, next to a bare node:http ceiling.
// Prints a table and writes bench/results/<date>.json. Sections for other features add their own figures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { seedBenchNetwork } from './seed.ts';
import { ceiling, type LoadFigure, load, startServer } from './web.ts';

const TOTAL = Number(process.env.BENCH_ARTICLES ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

interface Row {
  measurement: string;
  value: string;
  target: string;
  met: boolean | null;
}

async function main() {
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-'));
  const env = { DATELINE_DATA_DIR: dir, DATABASE_URL: join(dir, 'dateline.db') };
  console.log(`Building a ${TOTAL}-story database in ${dir} …`);
  const t0 = performance.now();
  const rt = await openRuntime(
    loadConfig({ ...process.env, ...env, LOG_LEVEL: 'silent' }),
    pino({ level: 'silent' }),
  );
  await seedBenchNetwork(rt, TOTAL, (l) => console.log(`  ${l}`));
  const news = rt.directory.all().find((c) => c.site.slug === 'news')!;
  const section = news.sections[0]!;
  const newest = (await rt.reader.sectionPage(news, section.id, 1))!.teasers[0]!;
  await rt.close();
  console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const host = news.site.hosts[0]!;
  const articlePath = `/${section.slug}/${newest.slug}`;
  const headers = { host, 'accept-encoding': 'br, gzip' };
  const port = 3900;

  // Warm: the page cache on.
  const server = await startServer(env, { host, path: articlePath }, port);
  figures.startToFirstResponseMs = server.startToFirstResponseMs;
  const base = `http://127.0.0.1:${port}`;
  const body = Buffer.from(await (await fetch(`${base}${articlePath}`, { headers: { host } })).arrayBuffer());
  figures.articleBytes = body.length;
  await new Promise((r) => setTimeout(r, 1500));
  figures.idleRssMb = server.rssMb();
  const warm: LoadFigure[] = [];
  for (const [name, path] of [
    ['article page, warm', articlePath],
    ['section page, warm', `/${section.slug}`],
    ['home page, warm', '/'],
  ] as const) {
    warm.push(await load(name, `${base}${path}`, headers, { seconds: SECONDS }));
  }
  figures.rssAfterLoadMb = server.rssMb();
  await server.stop();

  // Cold: every request renders (page cache off).
  const cold = await startServer(
    { ...env, DATELINE_PAGE_CACHE: 'false' },
    { host, path: articlePath },
    port + 1,
  );
  const coldFig = await load(
    'article page, render caches off',
    `http://127.0.0.1:${port + 1}${articlePath}`,
    headers,
    {
      seconds: SECONDS,
    },
  );
  await cold.stop();

  const ceil = await ceiling(body, port + 2);
  const all = [...warm, coldFig, ceil];
  figures.load = all;

  const article = warm[0]!;
  rows.push(
    {
      measurement: 'Article page, warm (32 connections)',
      value: `${article.rps} req/s, p99 ${article.p99} ms`,
      target: `≥ 10,000 req/s and ≥ ${Math.round(ceil.rps / 3)} (⅓ of ceiling), p99 ≤ 20 ms`,
      met: article.rps >= 10_000 && article.rps >= ceil.rps / 3 && article.p99 <= 20,
    },
    {
      measurement: 'Article page, render caches off',
      value: `${coldFig.rps} req/s, p99 ${coldFig.p99} ms`,
      target: '≥ 1,500 req/s',
      met: coldFig.rps >= 1500,
    },
    {
      measurement: `Idle RSS with ${TOTAL} articles`,
      value: `${figures.idleRssMb} MB`,
      target: '≤ 120 MB',
      met: (figures.idleRssMb as number) <= 120,
    },
    {
      measurement: `Start to first response with ${TOTAL} articles`,
      value: `${figures.startToFirstResponseMs} ms`,
      target: '≤ 1,500 ms',
      met: (figures.startToFirstResponseMs as number) <= 1500,
    },
  );

  console.log('\nLoad (autocannon, 32 connections, %d s each):', SECONDS);
  console.table(
    all.map((f) => ({
      page: f.name,
      'req/s': f.rps,
      'p50 ms': f.p50,
      'p99 ms': f.p99,
      errors: f.errors,
      non2xx: f.non2xx,
    })),
  );
  console.log('\nTargets:');
  console.table(
    rows.map((r) => ({
      measurement: r.measurement,
      measured: r.value,
      target: r.target,
      met: r.met === null ? '—' : r.met ? 'yes' : 'NO',
    })),
  );

  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${new Date().toISOString().slice(0, 10)}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), articles: TOTAL, figures, targets: rows }, null, 2)}\n`,
  );
  console.log(`\nWrote ${file}`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
