// Lighthouse 12.8.2 (mobile, its default settings) on the demo network's home page, a section page and a wire
// story, against the reader-design issue's targets: accessibility, best practices and SEO at 100,
// performance at least 95. The server is started as `npm start` starts it, on a new data directory (the
// demo network seeds itself); Lighthouse drives Debian's Chromium, which this test launches with a
// debugging port. One Lighthouse run per page (three, the median counting, when performance misses). The
// scores, and the article page's weights (HTML, CSS, JS and fonts as sent), are printed as tables for CI,
// and the reports saved to test/browser/screenshots/ (git-ignored) for a person to open.
//
// Lighthouse's performance score is simulated: it multiplies the CPU time it observed by
// cpuSlowdownMultiplier, 4 by default, which emulates its reference phone on a host with a benchmark index
// of about 1500. This machine is shared and often much slower than that, so the multiplier is calibrated
// as Lighthouse's docs (docs/throttling.md, "CPU throttling") say, from the benchmark index Lighthouse
// measured during the same run, and capped at the default. In simulate mode nothing is throttled while gathering, so the page is
// loaded once and its artefacts audited with the calibrated multiplier.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import lighthouse from 'lighthouse';
import { CHROMIUM } from './browser.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const REPORTS = join(import.meta.dirname, 'screenshots');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const TARGET: Record<(typeof CATEGORIES)[number], number> = {
  performance: 95,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};

let server: ChildProcess;
let chrome: ChildProcess;
let output = '';
let port: number;
let debuggingPort: number;
let work: string;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function waitFor<T>(what: string, find: () => T | undefined, ms = 180_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}:\n${output}`);
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A page from the server as a reader's browser asks for it (Node does not resolve *.localhost). */
function get(
  host: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { host: `${host}:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const hrefs = (html: string) => [...html.matchAll(/href="(\/[^"#?]*)"/g)].map((m) => m[1]!);

/**
 * Lighthouse's calibration (docs/throttling.md): the multiplier that makes this host act as its reference
 * phone, never above the default 4. A benchmark index is one second's sample, and on a shared machine a quiet
 * second (indexes up to 2700 were seen) would multiply the next stall by up to 9.
 */
function cpuMultiplier(benchmarkIndex: number): number {
  if (benchmarkIndex >= 1300) return Math.min(4, 3 + (benchmarkIndex - 1300) / 233);
  if (benchmarkIndex >= 800) return 2 + (benchmarkIndex - 800) / 500;
  return Math.max(1, 1 + (benchmarkIndex - 150) / 650);
}

before(async () => {
  mkdirSync(REPORTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'dateline-lighthouse-'));
  port = await freePort();
  server = spawn(process.execPath, ['bin/dateline.js', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATELINE_DATA_DIR: join(work, 'data'),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => {
    output += String(d);
  });
  server.stderr!.on('data', (d) => {
    output += String(d);
  });
  await waitFor('the server', () => (/The newsroom admin:/.test(output) ? true : undefined));
  // Chromium as Lighthouse wants it: headless, its own profile, a debugging port it picks and prints; no
  // background traffic to anywhere (the machine has no network, and a score must not depend on one).
  let log = '';
  chrome = spawn(
    CHROMIUM,
    [
      '--no-sandbox',
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${join(work, 'chromium')}`,
      '--host-resolver-rules=MAP *.localhost 127.0.0.1',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  chrome.stderr!.on('data', (d) => {
    log += String(d);
  });
  debuggingPort = Number(
    await waitFor('Chromium', () => /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(log)?.[1]),
  );
});

/** Stops a child and waits for it to be gone (Chromium writes its profile until it exits). */
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

after(async () => {
  await stop(chrome);
  await stop(server);
  if (work) rmSync(work, { recursive: true, force: true, maxRetries: 3 });
});

interface Audited {
  name: string;
  url: string;
  scores: Record<(typeof CATEGORIES)[number], number>;
  benchmarkIndex: number;
  multiplier: number;
  failing: string[];
  requests: { url: string; resourceType?: string; transferSize?: number }[];
}

/** One Lighthouse load of the page, audited with the CPU multiplier calibrated for that load. */
async function audit(name: string, url: string, load = 1): Promise<Audited> {
  const artefacts = join(work, `lh-${name}`);
  const flags = { port: debuggingPort, logLevel: 'error' as const, formFactor: 'mobile' as const };
  await lighthouse(url, { ...flags, gatherMode: artefacts });
  const file = join(artefacts, 'artifacts.json');
  const gathered = JSON.parse(readFileSync(file, 'utf8'));
  const benchmarkIndex: number = gathered.BenchmarkIndex;
  const multiplier = Math.round(cpuMultiplier(benchmarkIndex) * 100) / 100;
  // The gather did not throttle (simulate mode), so only the audit's multiplier changes; Lighthouse insists
  // the stored settings match the audit's.
  gathered.settings.throttling.cpuSlowdownMultiplier = multiplier;
  writeFileSync(file, JSON.stringify(gathered));
  const result = await lighthouse(
    url,
    { ...flags, auditMode: artefacts, output: 'html' },
    {
      extends: 'lighthouse:default',
      settings: { throttling: { ...gathered.settings.throttling } },
    },
  );
  assert.ok(result, `Lighthouse returned nothing for ${url}`);
  const lhr = result.lhr;
  writeFileSync(join(REPORTS, `lighthouse-${name}${load > 1 ? `-${load}` : ''}.html`), String(result.report));
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
  ) as Audited['scores'];
  // Every scored audit that is short of full marks, by category, for the failure message.
  const failing: string[] = [];
  for (const c of CATEGORIES)
    for (const ref of lhr.categories[c]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a && a.score !== null && a.score < 1)
        failing.push(`${c}/${ref.id} ${a.score}${a.displayValue ? ` (${a.displayValue})` : ''}`);
    }
  const requests = ((lhr.audits['network-requests']?.details as { items?: Audited['requests'] })?.items ??
    []) as Audited['requests'];
  return { name, url, scores, benchmarkIndex, multiplier, failing, requests };
}

/**
 * One load, and only when its performance misses the target two more, the median of the three counting (as
 * Lighthouse's docs advise for variance): on a shared machine another process can stall one load's main
 * thread for a few hundred milliseconds, which no calibration undoes. The other categories do not vary.
 */
async function auditMedian(name: string, url: string): Promise<Audited & { loads: number }> {
  const first = await audit(name, url);
  if (first.scores.performance >= TARGET.performance) return { ...first, loads: 1 };
  const all = [first, await audit(name, url, 2), await audit(name, url, 3)];
  all.sort((a, b) => a.scores.performance - b.scores.performance);
  return { ...all[1]!, loads: 3 };
}

test('Lighthouse mobile on the home page, a section page and a wire story meets the targets', async () => {
  const host = 'news.localhost';
  const origin = `http://${host}:${port}`;
  // The section the wire desk publishes to, and its newest wire story with a picture (the source's
  // copyright line marks a wire story).
  const home = (await get(host, '/')).body.toString();
  const section = '/world';
  assert.ok(hrefs(home).includes(section), 'the home page links the World section');
  let story: string | undefined;
  for (const path of new Set(hrefs((await get(host, section)).body.toString()))) {
    if (!path.startsWith(`${section}/`)) continue;
    const html = (await get(host, path)).body.toString();
    if (html.includes('article__source-copyright') && html.includes('class="lead')) {
      story = path;
      break;
    }
  }
  assert.ok(story, 'a wire story with a picture in World');

  const runs: (Audited & { loads: number })[] = [];
  for (const [name, path] of [
    ['home', '/'],
    ['section', section],
    ['article', story],
  ] as const)
    runs.push(await auditMedian(name, `${origin}${path}`));

  // Weights of the article page as Lighthouse's browser received them (headers included), and its HTML
  // compressed both ways the server offers.
  const article = runs.find((r) => r.name === 'article')!;
  const sent = (type: string) =>
    article.requests.filter((r) => r.resourceType === type).map((r) => r.transferSize ?? 0);
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  const page = await get(host, story);
  const br = (await get(host, story, { 'accept-encoding': 'br' })).body.length;
  const gz = (await get(host, story, { 'accept-encoding': 'gzip' })).body.length;
  const weights = {
    'HTML br (KB)': kb(br),
    'HTML gzip (KB)': kb(gz),
    'HTML as sent (KB)': kb(sent('Document').reduce((a, b) => a + b, 0)),
    'CSS requests': sent('Stylesheet').length,
    'CSS as sent (KB)': kb(sent('Stylesheet').reduce((a, b) => a + b, 0)),
    'JS as sent (KB)': kb(sent('Script').reduce((a, b) => a + b, 0)),
    'fonts as sent (KB)': kb(sent('Font').reduce((a, b) => a + b, 0)),
  };
  console.log(`Lighthouse 12.8.2, mobile, ${new Date().toISOString()}`);
  console.table(
    runs.map((r) => ({
      page: r.name,
      ...r.scores,
      'benchmark index': Math.round(r.benchmarkIndex),
      'CPU multiplier': r.multiplier,
      loads: r.loads,
    })),
  );
  console.log(`article page weights (${story}):`);
  console.table(weights);

  const problems: string[] = [];
  for (const r of runs) {
    for (const c of CATEGORIES)
      if (r.scores[c] < TARGET[c]) problems.push(`${r.name}: ${c} ${r.scores[c]} < ${TARGET[c]}`);
    if (CATEGORIES.some((c) => r.scores[c] < TARGET[c]))
      problems.push(...r.failing.map((f) => `${r.name}: ${f}`));
    // Nothing the page asks for leaves this machine: no third-party anything.
    for (const q of r.requests)
      if (!/^(https?:\/\/[a-z0-9-]+\.localhost:\d+\/|data:)/.test(q.url))
        problems.push(`${r.name}: requested ${q.url}`);
  }
  // Brotli and gzip were both asked for; compare to compressing the page here, so a server that stopped
  // compressing shows up rather than passing on a small page.
  assert.ok(br < page.body.length && gz < page.body.length, 'the HTML is sent compressed');
  assert.ok(br <= brotliCompressSync(page.body).length * 1.2 && gz <= gzipSync(page.body).length * 1.2);
  if (gz > 20 * 1024) problems.push(`article HTML ${gz} bytes gzip > 20 KB`);
  if (weights['CSS requests'] !== 1) problems.push(`article page: ${weights['CSS requests']} stylesheets`);
  if (weights['CSS as sent (KB)'] > 14)
    problems.push(`article CSS ${weights['CSS as sent (KB)']} KB > 14 KB`);
  if (weights['JS as sent (KB)'] > 10) problems.push(`article JS ${weights['JS as sent (KB)']} KB > 10 KB`);
  if (weights['fonts as sent (KB)'] > 80)
    problems.push(`article fonts ${weights['fonts as sent (KB)']} KB > 80 KB`);
  assert.deepEqual(problems, []);
});
