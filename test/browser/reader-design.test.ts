// What a reader sees on every page type of every demo site, light and dark, on a phone (390 px) and a
// desktop (1280 px): the page is painted in the scheme asked for (light or dark), every visible text node
// and form control has AA contrast against what is really painted behind it (4.5:1, 3:1 for large text,
// field boundaries and focus indicators), nothing scrolls
// sideways or spills past the viewport, no text is clipped, targets are at least 24×24 px (or spaced as
// WCAG 2.5.8 allows), and the masthead's controls are on screen without scrolling; axe finds no
// violations, and no colour contrast it could not decide (its "incomplete" results, which hid the white
// masthead links before: those fail too). Screenshots of each page go to test/browser/screenshots/
// (git-ignored) for people to look at.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { FAST_ARGON2 } from '../../src/accounts/testing.ts';
import { loadConfig } from '../../src/config/config.ts';
import { seedDemoNetwork } from '../../src/demo/seed.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { buildServer } from '../../src/web/server.tsx';
import { launchBrowser } from './browser.ts';
import { inspectPage, measureProbes } from './page-checks.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
const SITES = ['news', 'life', 'travel'] as const;
const EMAIL = 'design.reader@example.com';
const PASSWORD = 'lantern-harbour-quill';
const BODY_CAPTION = 'The square again in the evening, after the market closed.';
const BODY_CREDIT = 'Illustration: Design Desk';

let rt: Runtime;
let app: Awaited<ReturnType<typeof buildServer>>;
let browser: Browser;
let port: number;
/** Per site: the paths of a section, a story and a search with results. */
const paths = new Map<string, { section: string; article: string; search: string }>();

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-design-browser-'));
  rt = await openRuntime(
    loadConfig(
      {
        DATELINE_DATA_DIR: dir,
        DATABASE_URL: ':memory:',
        LOG_LEVEL: 'silent',
        DATELINE_DEMO: 'false',
        ...FAST_ARGON2,
      },
      dir,
    ),
    { error: () => {} },
  );
  await seedDemoNetwork(rt, { articlesPerSite: 6 });
  await rt.directory.load();
  await rt.accounts.createUser({ email: EMAIL, displayName: 'Design Reader', password: PASSWORD });
  for (const slug of SITES) {
    const row = await rt.db.kysely
      .selectFrom('placements as p')
      .innerJoin('articles as a', 'a.id', 'p.article_id')
      .innerJoin('sections as s', 's.id', 'p.section_id')
      .innerJoin('sites as site', 'site.id', 'p.site_id')
      .select(['p.slug', 's.slug as section', 'a.id', 'a.headline', 'a.lead_media_id', 'a.body_html'])
      .where('site.slug', '=', slug)
      .where('p.live', '=', 1)
      .orderBy('a.lead_media_id', 'desc')
      .orderBy('p.published_at', 'desc')
      .executeTakeFirstOrThrow();
    const word = row.headline.split(/[^\p{L}]+/u).sort((a, b) => b.length - a.length)[0]!;
    // A picture in the body, as the editor writes it (caption, then the credit in <cite>), so its caption
    // and credit are measured and laid out like the rest of the story.
    const paragraphs = row.body_html.split('</p>');
    const figure = `<figure><img src="/media/${row.lead_media_id}/480.webp" alt="The same scene again" width="480" height="270"><figcaption>${BODY_CAPTION} <cite>${BODY_CREDIT}</cite></figcaption></figure>`;
    await rt.db.kysely
      .updateTable('articles')
      .set({ body_html: [paragraphs[0], figure + paragraphs.slice(1).join('</p>')].join('</p>') })
      .where('id', '=', row.id)
      .execute();
    paths.set(slug, {
      section: `/${row.section}`,
      article: `/${row.section}/${row.slug}`,
      search: `/search?q=${encodeURIComponent(word)}`,
    });
  }
  app = await buildServer(rt, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  await rt.searchIndexer.idle();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await rt?.close();
});

const origin = (site: string) => `http://${site}.localhost:${port}`;

interface AxeResult {
  id: string;
  nodes: { target: string[] }[];
}

/**
 * axe on the page as it stands: every violation, and every colour-contrast check axe could not decide
 * (text over a picture or a gradient, say), since a reader cannot be told "needs review". axe is run
 * through the debugging protocol: the page's CSP forbids inline scripts.
 */
async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await (
      globalThis as unknown as {
        axe: { run(c: Document, o: object): Promise<Record<'violations' | 'incomplete', AxeResult[]>> };
      }
    ).axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const brief = (x: AxeResult) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`;
    return [
      ...r.violations.map((v) => `axe ${brief(v)}`),
      ...r.incomplete.filter((v) => v.id === 'color-contrast').map((v) => `axe could not decide ${brief(v)}`),
    ];
  });
}

/**
 * The colour scheme the page is really painted in: the median luminance of its screenshot (pictures and
 * the dark footer barely move a median) is near white for the light scheme and near black for the dark.
 */
async function paintedScheme(png: Buffer): Promise<{ scheme: 'light' | 'dark' | 'neither'; median: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const values: number[] = [];
  for (let i = 0; i < data.length; i += info.channels * 7)
    values.push(0.2126 * lin(data[i]!) + 0.7152 * lin(data[i + 1]!) + 0.0722 * lin(data[i + 2]!));
  values.sort((a, b) => a - b);
  const median = values[Math.floor(values.length / 2)] ?? 0;
  return { scheme: median > 0.8 ? 'light' : median < 0.02 ? 'dark' : 'neither', median };
}

async function check(
  page: Page,
  url: string,
  type: string,
  name: string,
  width: number,
  scheme: 'light' | 'dark',
): Promise<string[]> {
  const res = await page.goto(url, { waitUntil: 'load' });
  const status = res?.status() ?? 0;
  const expected = type === '404' ? 404 : 200;
  if (status !== expected) return [`${name}: HTTP ${status}, expected ${expected}`];
  // Web fonts and pictures settle before anything is measured.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const axe = await axeProblems(page);
  const report = await page.evaluate(inspectPage, { mobile: width < 600 });
  const pixels = await measureProbes(page, report.probes);
  const png = await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
    animations: 'disabled',
  });
  const painted = await paintedScheme(png);
  const schemeProblems =
    painted.scheme === scheme
      ? []
      : [`painted ${painted.scheme} (median luminance ${painted.median.toFixed(3)}), expected ${scheme}`];
  return [...schemeProblems, ...axe, ...report.problems, ...pixels].map((p) => `${name}: ${p}`);
}

/** Signs in from a story's masthead, as a reader would, and comes back to that story. */
async function signIn(page: Page, site: string): Promise<string[]> {
  const story = `${origin(site)}${paths.get(site)!.article}`;
  await page.goto(story);
  await page.locator('#account-links').getByRole('link', { name: 'Login' }).click();
  await page.getByLabel('Email address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(story);
  const links = (await page.locator('#account-links').textContent()) ?? '';
  return /Design Reader/.test(links) ? [] : [`after signing in from ${story}: account links read "${links}"`];
}

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [390, 1280]) {
    test(`every page type on every demo site reads clearly and fits, ${scheme}, ${width} px`, async () => {
      const context: BrowserContext = await browser.newContext({
        viewport: { width, height: width < 600 ? 844 : 800 },
        colorScheme: scheme,
        reducedMotion: 'reduce',
      });
      // tsx names the functions it compiles with a helper the page does not have.
      await context.addInitScript('globalThis.__name = (f) => f;');
      const page = await context.newPage();
      const problems: string[] = [];
      for (const site of SITES) {
        const p = paths.get(site)!;
        const pages: [string, string][] = [
          ['home', '/'],
          ['section', p.section],
          ['article', p.article],
          ['search', p.search],
          ['login', '/account/login'],
          ['register', '/account/register'],
          ['404', '/no-such-page-here'],
        ];
        for (const [type, path] of pages)
          problems.push(
            ...(await check(
              page,
              `${origin(site)}${path}`,
              type,
              `${site}-${type}-${scheme}-${width}`,
              width,
              scheme,
            )),
          );
      }
      // Signed in from a story's masthead (which brings the reader back to it, on one site and so on every
      // sister site): the account page and the reader's masthead.
      problems.push(...(await signIn(page, 'news')));
      for (const site of SITES)
        problems.push(
          ...(await check(
            page,
            `${origin(site)}/account`,
            'account',
            `${site}-account-${scheme}-${width}`,
            width,
            scheme,
          )),
        );
      await context.close();
      assert.deepEqual(problems, []);
    });
  }
}

test('a printed article keeps the story, its picture with caption and credit and both copyright lines, and drops navigation, controls and related blocks', async () => {
  // A wire story with a picture, so the source's copyright line is there to keep.
  const row = await rt.db.kysely
    .selectFrom('placements as p')
    .innerJoin('articles as a', 'a.id', 'p.article_id')
    .innerJoin('sections as s', 's.id', 'p.section_id')
    .innerJoin('sites as site', 'site.id', 'p.site_id')
    .select(['p.slug', 's.slug as section'])
    .where('site.slug', '=', 'news')
    .where('p.live', '=', 1)
    .where('a.source_copyright', 'is not', null)
    .where('a.lead_media_id', 'is not', null)
    .executeTakeFirstOrThrow();
  // The screen is dark: paper still gets dark ink on white.
  const context = await browser.newContext({ viewport: { width: 800, height: 1000 }, colorScheme: 'dark' });
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  await page.emulateMedia({ media: 'print' });
  await page.goto(`${origin('news')}/${row.section}/${row.slug}`, { waitUntil: 'load' });
  const seen = await page.evaluate(() => {
    const shown = (sel: string) =>
      [...document.querySelectorAll(sel)].some((el) => (el as HTMLElement).checkVisibility());
    const style = getComputedStyle(document.body);
    return {
      hidden: [
        '.sections',
        '.masthead__search',
        '.masthead__account',
        '.site-footer nav',
        '.related',
        '.trending',
        '.most-read',
        // Forms go, but a comment's tally stays on paper beside it: its vote form shows only that.
        'form:not(.vote)',
        '.vote button',
      ].filter(shown),
      kept: [
        '.masthead__name',
        '.lead img',
        '.lead__caption',
        '.lead__credit',
        '.article h1',
        '.article__body',
        '.article__source-copyright',
        '.site-footer__copyright',
      ].filter((sel) => !shown(sel)),
      related: document.querySelectorAll('.related, .trending, .most-read').length,
      colours: [style.color, style.backgroundColor],
    };
  });
  await page.screenshot({ path: join(SCREENSHOTS, 'news-article-print.png'), fullPage: true });
  await context.close();
  // The page has blocks to drop, so dropping them is what is checked.
  assert.ok(seen.related > 0, 'the article page has related or trending blocks');
  assert.deepEqual(seen.hidden, [], 'shown on paper');
  assert.deepEqual(seen.kept, [], 'missing from paper');
  assert.deepEqual(seen.colours, ['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
});

test('a body picture’s credit sits on its own line under the caption, smaller and upright', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  await page.goto(`${origin('news')}${paths.get('news')!.article}`, { waitUntil: 'load' });
  const credit = await page.evaluate(() => {
    const cite = document.querySelector<HTMLElement>('.article__body figure figcaption cite')!;
    const caption = cite.parentElement!;
    const range = document.createRange();
    range.selectNodeContents(caption.firstChild!);
    const captionLines = [...range.getClientRects()];
    const c = getComputedStyle(cite);
    return {
      text: caption.textContent,
      display: c.display,
      italic: c.fontStyle !== 'normal',
      smaller: Number.parseFloat(c.fontSize) < Number.parseFloat(getComputedStyle(caption).fontSize),
      below: cite.getBoundingClientRect().top >= captionLines[captionLines.length - 1]!.bottom - 1,
      left: Math.abs(cite.getBoundingClientRect().left - caption.getBoundingClientRect().left) < 1,
    };
  });
  await context.close();
  assert.deepEqual(credit, {
    text: `${BODY_CAPTION} ${BODY_CREDIT}`,
    display: 'block',
    italic: false,
    smaller: true,
    below: true,
    left: true,
  });
});

test('an article page sets headlines in the serif and text in the sans, self-hosted, preloaded and within 80 KB of fonts', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  const fonts: { url: string; bytes: number; cache: string }[] = [];
  page.on('response', async (res) => {
    if (res.request().resourceType() !== 'font') return;
    fonts.push({
      url: new URL(res.url()).pathname,
      bytes: (await res.body()).length,
      cache: res.headers()['cache-control'] ?? '',
    });
  });
  await page.goto(`${origin('news')}${paths.get('news')!.article}`, { waitUntil: 'load' });
  const seen = await page.evaluate(async () => {
    await document.fonts.ready;
    const family = (sel: string) => getComputedStyle(document.querySelector(sel)!).fontFamily.split(',')[0];
    const face = (font: string) => document.fonts.check(font, 'Headline');
    const preload = document.querySelector<HTMLLinkElement>('link[rel=preload][as=font]');
    return {
      headline: family('.article h1'),
      body: family('.article__body p'),
      loaded: { serif: face('700 20px "Source Serif 4"'), sans: face('400 20px "Source Sans 3"') },
      preload: preload ? { path: new URL(preload.href).pathname, cors: preload.crossOrigin } : null,
    };
  });
  await context.close();
  assert.equal(seen.headline, '"Source Serif 4"');
  assert.equal(seen.body, '"Source Sans 3"');
  assert.deepEqual(seen.loaded, { serif: true, sans: true });
  assert.ok(fonts.length >= 2, `fonts fetched: ${JSON.stringify(fonts)}`);
  for (const f of fonts) {
    assert.match(f.url, /^\/assets\/[0-9a-f]{10}\/[a-z0-9-]+\.woff2$/);
    assert.match(f.cache, /max-age=31536000, immutable/);
  }
  // The preloaded file is the headline face the page then uses, fetched once.
  assert.equal(seen.preload?.cors, 'anonymous');
  assert.ok(fonts.some((f) => f.url === seen.preload?.path && /serif-4-latin-700/.test(f.url)));
  assert.equal(new Set(fonts.map((f) => f.url)).size, fonts.length);
  const total = fonts.reduce((n, f) => n + f.bytes, 0);
  assert.ok(total <= 80 * 1024, `fonts on an article page: ${total} bytes`);
});
