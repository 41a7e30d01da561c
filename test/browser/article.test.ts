// A reader opens a demo wire story in a real browser: the caption, the credit, the dateline and both
// copyright lines are visible, pictures load, and the console stays clean (no CSP or script errors).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
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
  const dir = mkdtempSync(join(tmpdir(), 'dateline-browser-'));
  rt = await openRuntime(loadConfig({ DATELINE_DATA_DIR: dir, LOG_LEVEL: 'silent' }, dir), {
    error: () => {},
  });
  await seedDemoNetwork(rt, { articlesPerSite: 8 });
  await rt.directory.load();
  app = await buildServer(rt, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
  await rt?.close();
});

test('a demo wire story shows caption, credit, dateline and both copyright lines, with no console errors', async () => {
  const row = await rt.db.kysely
    .selectFrom('articles as a')
    .innerJoin('placements as p', 'p.article_id', 'a.id')
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .innerJoin('media as m', 'm.id', 'a.lead_media_id')
    .innerJoin('sites as site', 'site.id', 'a.site_id')
    .select([
      'p.slug',
      's.slug as section',
      'a.dateline',
      'a.source_copyright',
      'm.caption',
      'm.credit',
      'site.footer_text',
    ])
    .where('site.slug', '=', 'news')
    .where('a.source_copyright', 'is not', null)
    .where('a.dateline', 'is not', null)
    .executeTakeFirstOrThrow();

  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });

  const res = await page.goto(`http://news.localhost:${port}/${row.section}/${row.slug}`, {
    waitUntil: 'load',
  });
  assert.equal(res?.status(), 200);
  const figcaption = page.locator('figure.lead figcaption');
  assert.equal(await figcaption.locator('.lead__caption').textContent(), row.caption);
  assert.equal(await figcaption.locator('.lead__credit').textContent(), row.credit);
  assert.ok(await figcaption.isVisible());
  assert.ok(await page.getByText(row.dateline!, { exact: true }).isVisible());
  assert.ok(await page.getByText(row.source_copyright!, { exact: true }).isVisible());
  assert.ok(await page.getByText(row.footer_text, { exact: true }).isVisible());
  assert.equal(await page.locator('h1').count(), 1);
  // The lead picture is loaded (eager) and has a real size.
  const natural = await page
    .locator('figure.lead img')
    .evaluate((img) => (img as HTMLImageElement).naturalWidth);
  assert.ok(natural > 0);
  // Keyboard users see where they are.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  assert.deepEqual(problems, []);
  await page.close();
});
