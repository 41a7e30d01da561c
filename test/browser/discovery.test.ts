// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes; innerText is what a reader sees.
// A reader on the demo network, in a real browser: a news story ends with "Trending on our other sites",
// mixing stories of the magazine and the travel guide (category, title, site name) that lead to those sites;
// the masthead search finds a story with the words highlighted, and says so plainly when nothing matches.
// The console stays clean throughout: no CSP violations from the beacon script or the JSON-LD.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.ts';
import { seedDemoNetwork } from '../../src/demo/seed.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { buildServer } from '../../src/web/server.tsx';
import { launchBrowser } from './browser.ts';

let rt: Runtime;
let app: Awaited<ReturnType<typeof buildServer>>;
let browser: Browser;
let port: number;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-discovery-browser-'));
  rt = await openRuntime(
    loadConfig(
      { DATELINE_DATA_DIR: dir, DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DATELINE_DEMO: 'false' },
      dir,
    ),
    { error: () => {} },
  );
  await seedDemoNetwork(rt, { articlesPerSite: 6 });
  await rt.directory.load();
  app = await buildServer(rt, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  await rt.searchIndexer.idle();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
  await rt?.close();
});

/** A page that records every console error, failed request and uncaught exception. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A story page's live comment stream (Server-Sent Events) stays open for as long as the page does, so
    // leaving the page always ends it as aborted: that is the stream closing, not a failure.
    if (new URL(r.url()).pathname === '/comments/live' && r.failure()?.errorText === 'net::ERR_ABORTED')
      return;
    problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { page, problems };
}

/**
 * Waits until the page has no request in flight. Lazy pictures do not hold up the load event and may
 * still be arriving after it; navigating away then aborts them (net::ERR_ABORTED), a failure the test
 * itself would cause. Every step that leaves a page with pictures waits here first.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
}

async function newsStory(): Promise<{ path: string; headline: string }> {
  const row = await rt.db.kysely
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .innerJoin('sites as site', 'site.id', 'p.site_id')
    .select(['p.slug', 's.slug as section', 'a.headline'])
    .where('site.slug', '=', 'news')
    .where('p.live', '=', 1)
    .orderBy('p.published_at', 'desc')
    .executeTakeFirstOrThrow();
  return { path: `/${row.section}/${row.slug}`, headline: row.headline };
}

test('a news story shows what is trending on the magazine and the travel guide, and the links work', async () => {
  const { page, problems } = await watchedPage();
  const story = await newsStory();
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto(`http://news.localhost:${port}${story.path}`);
  assert.equal(await page.locator('h1').innerText(), story.headline);

  const block = page.getByRole('region', { name: 'Trending on our other sites' });
  await block.waitFor();
  const items = await block.locator('.trending__item').evaluateAll((lis) =>
    lis.map((li) => ({
      category: li.querySelector('.trending__category')?.textContent ?? '',
      title: li.querySelector('.trending__title')?.textContent ?? '',
      href: li.querySelector('a')?.getAttribute('href') ?? '',
      site: li.querySelector('.trending__site')?.textContent ?? '',
    })),
  );
  assert.ok(items.length >= 4, `a full block, got ${items.length}`);
  const sites = new Set(items.map((i) => i.site));
  const life = rt.directory.all().find((c) => c.site.slug === 'life')!.site.name;
  const travel = rt.directory.all().find((c) => c.site.slug === 'travel')!.site.name;
  assert.deepEqual([...sites].sort(), [life, travel].sort(), 'a mix of the two sister sites, never its own');
  for (const i of items) {
    assert.ok(i.category && i.title, 'category and title');
    assert.match(i.href, new RegExp(`^http://(life|travel)\\.localhost:${port}/[a-z0-9-]+/[a-z0-9-]+$`));
  }

  // The structured data is there and parses, and the beacon script is same-origin.
  const ld = await page.locator('script[type="application/ld+json"]').first().textContent();
  const parsed = JSON.parse(ld ?? 'null');
  assert.equal(parsed[0]['@type'], 'NewsArticle');
  assert.ok(
    scripts.some((p) => /^\/assets\/discovery\/[0-9a-f]+\/read\.js$/.test(p)),
    'read.js loaded',
  );

  // Follow the first trending link to the sister site.
  const first = items[0]!;
  await settled(page);
  await block.getByRole('link', { name: first.title }).click();
  await page.waitForURL(first.href);
  assert.equal(await page.locator('h1').innerText(), first.title);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a reader searches from the masthead, sees highlighted results, opens one, and gets a helpful empty state', async () => {
  const { page, problems } = await watchedPage();
  const story = await newsStory();
  const word = story.headline
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length >= 5)
    .sort((a, b) => b.length - a.length)[0]!;
  await page.goto(`http://news.localhost:${port}/`);
  await settled(page);
  const box = page.getByRole('searchbox', { name: /^Search / });
  await box.fill(word);
  await box.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  assert.equal(await page.locator('h1').innerText(), 'Search');
  const status = await page.getByRole('status').innerText();
  assert.match(status, /(story matches|stories match) “/);
  const results = page.locator('.search-result');
  assert.ok((await results.count()) >= 1);
  const marks = await page.locator('.search-result mark').allInnerTexts();
  assert.ok(
    marks.some((m) => m.toLowerCase().startsWith(word.toLowerCase().slice(0, 4))),
    `highlights ${JSON.stringify(marks)} for ${word}`,
  );
  const link = results.locator('h2 a', { hasText: story.headline });
  await link.first().click();
  await page.waitForURL(`http://news.localhost:${port}${story.path}`);
  assert.equal(await page.locator('h1').innerText(), story.headline);
  await settled(page);

  // Nothing found, and nothing searchable: both explained, neither an error.
  await page.goto(`http://news.localhost:${port}/search?q=${encodeURIComponent('zzyzx qwxv')}`);
  assert.match(await page.getByRole('status').innerText(), /No stories match/);
  await page.getByRole('searchbox', { name: 'Words' }).fill('"*( NEAR');
  await page.getByRole('button', { name: 'Search', exact: true }).last().click();
  await page.waitForLoadState();
  assert.match(
    await page.getByRole('status').innerText(),
    /stories match|story matches|No stories match|no words/,
  );
  assert.deepEqual(problems, []);
  await page.close();
});
