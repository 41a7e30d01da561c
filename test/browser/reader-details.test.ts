// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the text as rendered (capitals set by CSS, lines as laid out), which is what these checks look at.
// The reader pages' details that a contrast or layout score cannot see (issue 13), in Debian's Chromium on
// the three demo sites: times carry the zone's full name, every section label has one case, tracking and
// weight while the markup keeps the name as written, the masthead's items stay whole phrases on one line
// each from 320 to 1280 px, signed out and signed in, and the phone's section bar shows an arrow while it
// has more sections to scroll to. The masthead's contrast, light and dark, is measured by
// reader-design.test.ts with every other text node.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FAST_ARGON2 } from '../../src/accounts/testing.ts';
import { loadConfig } from '../../src/config/config.ts';
import { seedDemoNetwork } from '../../src/demo/seed.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { buildServer } from '../../src/web/server.tsx';
import { launchBrowser } from './browser.ts';

const SITES = ['news', 'life', 'travel'] as const;
/** The full names ICU gives each demo site's zone, in winter and in summer. */
const ZONE_NAMES: Record<(typeof SITES)[number], RegExp> = {
  news: /Japan Standard Time$/,
  life: /(Greenwich Mean|British Summer) Time$/,
  travel: /Eastern (Standard|Daylight) Time$/,
};
const EMAIL = 'details.reader@example.com';
const PASSWORD = 'lantern-harbour-quill';

let rt: Runtime;
let app: Awaited<ReturnType<typeof buildServer>>;
let browser: Browser;
let port: number;
const articles = new Map<string, string>();

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-details-browser-'));
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
  await rt.accounts.createUser({ email: EMAIL, displayName: 'Details Reader', password: PASSWORD });
  for (const slug of SITES) {
    const row = await rt.db.kysely
      .selectFrom('placements as p')
      .innerJoin('sections as s', 's.id', 'p.section_id')
      .innerJoin('sites as site', 'site.id', 'p.site_id')
      .select(['p.slug', 's.slug as section'])
      .where('site.slug', '=', slug)
      .where('p.live', '=', 1)
      .orderBy('p.published_at', 'desc')
      .executeTakeFirstOrThrow();
    articles.set(slug, `/${row.section}/${row.slug}`);
  }
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

const origin = (site: string) => `http://${site}.localhost:${port}`;

async function open(width: number, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 844 : 800 },
    colorScheme: scheme,
  });
  await context.addInitScript('globalThis.__name = (f) => f;');
  return context.newPage();
}

async function visit(page: Page, url: string): Promise<void> {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.equal(res?.status(), 200, url);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

test('teasers, home blocks, section lists and the article meta read the zone’s full name, with the instant in datetime', async () => {
  const page = await open(1280);
  const wrong: string[] = [];
  let seen = 0;
  for (const site of SITES) {
    const section = articles.get(site)!.split('/')[1]!;
    for (const path of ['/', `/${section}`, articles.get(site)!]) {
      await visit(page, `${origin(site)}${path}`);
      const times = await page.$$eval('.teaser__meta time, .article__meta time', (els) =>
        els.map((t) => ({ text: (t.textContent ?? '').replace(/\s/g, ' '), at: t.getAttribute('datetime') })),
      );
      assert.ok(times.length > 0, `${site}${path} shows times`);
      seen += times.length;
      for (const t of times) {
        if (!ZONE_NAMES[site].test(t.text) || /GMT[+-]/.test(t.text)) wrong.push(`${site}${path}: ${t.text}`);
        if (!t.at || Number.isNaN(Date.parse(t.at)) || !t.at.endsWith('Z'))
          wrong.push(`${site}${path}: ${t.at}`);
      }
    }
  }
  await page.context().close();
  assert.deepEqual(wrong, []);
  assert.ok(seen > 20, `times seen: ${seen}`);
});

test('every section label is set in capitals by CSS from the name as written, with one tracking and one weight', async () => {
  const page = await open(1280);
  const styles = new Set<string>();
  const problems: string[] = [];
  for (const site of SITES) {
    const names = (await rt.sections.list((await rt.sites.get(site))!.id)).map((s) => s.name);
    const section = articles.get(site)!.split('/')[1]!;
    for (const path of ['/', `/${section}`, articles.get(site)!]) {
      await visit(page, `${origin(site)}${path}`);
      const labels = await page.$$eval(
        '.teaser__label, .article__section, .sections a, .home-block > h2.block-title > a, h1.section-title',
        (els) =>
          els.map((el) => {
            // A link inside a block title takes its case from the title.
            const styled = el.matches('h2 > a') ? el.parentElement! : el;
            const c = getComputedStyle(styled);
            return {
              what: el.className || el.tagName,
              text: el.textContent ?? '',
              shown: (el as HTMLElement).innerText,
              style: `${c.textTransform} ${c.letterSpacing === 'normal' ? '0' : (Number.parseFloat(c.letterSpacing) / Number.parseFloat(c.fontSize)).toFixed(3)}em ${c.fontWeight}`,
            };
          }),
      );
      assert.ok(labels.length > 0);
      for (const l of labels) {
        styles.add(l.style);
        if (!names.includes(l.text))
          problems.push(`${site}${path} ${l.what}: "${l.text}" is not a section's name`);
        if (l.shown !== l.text.toUpperCase())
          problems.push(`${site}${path} ${l.what}: shown as "${l.shown}"`);
      }
      // Each kind of label is on the page where it belongs.
      const kinds = new Set(labels.map((l) => l.what));
      const expected =
        path === '/'
          ? ['teaser__label', 'A']
          : path === `/${section}`
            ? ['section-title']
            : ['article__section'];
      for (const k of expected) if (!kinds.has(k)) problems.push(`${site}${path}: no ${k} label`);
    }
  }
  await page.context().close();
  assert.deepEqual(problems, []);
  assert.deepEqual([...styles], ['uppercase 0.040em 700']);
});

/**
 * Each masthead item's text lines (one per distinct line box), whether it lies inside the viewport, and
 * its box beside the nameplate's.
 */
async function mastheadItems(page: Page) {
  return page.$$eval('.masthead__newsletters, #account-links', (els) => {
    const name = document.querySelector('.masthead__name')!.getBoundingClientRect();
    return els.map((el) => {
      const range = document.createRange();
      const lines = new Set<number>();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent?.trim()) continue;
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.width > 0) lines.add(Math.round(r.top + r.height / 2));
      }
      const box = el.getBoundingClientRect();
      // Text within one line box sits within a few pixels of one middle.
      const middles = [...lines].sort((a, b) => a - b);
      const oneLine = middles.length > 0 && middles[middles.length - 1]! - middles[0]! <= 6;
      return {
        text: (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
        oneLine,
        inside:
          box.left >= 0 &&
          box.right <= document.documentElement.clientWidth + 0.5 &&
          box.bottom <= innerHeight,
        middle: box.top + box.height / 2,
        besideName: box.left >= name.right && box.top < name.bottom,
      };
    });
  });
}

test('the masthead’s items stay whole phrases on one row, on screen, from 320 to 1280 px (beside the nameplate from 768), signed out and signed in, light and dark', async () => {
  const problems: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [320, 360, 390, 768, 1280]) {
      const page = await open(width, scheme);
      const where = (site: string, who: string) => `${site} ${who} ${scheme} ${width} px`;
      const checkItems = async (site: string, who: string, expected: string[]) => {
        const items = await mastheadItems(page);
        assert.deepEqual(
          items.map((i) => i.text),
          expected,
          where(site, who),
        );
        for (const i of items) {
          if (!i.oneLine) problems.push(`${where(site, who)}: "${i.text}" breaks over lines`);
          if (!i.inside) problems.push(`${where(site, who)}: "${i.text}" is off screen`);
          // From a tablet's width the items sit on the nameplate's row, to its right.
          if (width >= 768 && !i.besideName)
            problems.push(`${where(site, who)}: "${i.text}" not beside the nameplate`);
        }
        // The items share one row; only a signed-in reader's name and Log out may need a row of their own
        // on the narrowest phones.
        const middles = items.map((i) => i.middle);
        const oneRow = Math.max(...middles) - Math.min(...middles) <= 6;
        if (!oneRow && (who === 'signed out' || width >= 360))
          problems.push(`${where(site, who)}: the items take more than one row`);
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
        if (sideways) problems.push(`${where(site, who)}: the page scrolls sideways`);
      };
      for (const site of SITES) {
        await visit(page, `${origin(site)}${articles.get(site)!}`);
        await checkItems(site, 'signed out', ['Newsletter Signup', 'Register / Login']);
      }
      // Signed in from a story's masthead, on one site and so on each sister site.
      await page.goto(`${origin('news')}${articles.get('news')!}`);
      await page.locator('#account-links').getByRole('link', { name: 'Login' }).click();
      await page.getByLabel('Email address').fill(EMAIL);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${origin('news')}${articles.get('news')!}`);
      for (const site of SITES) {
        await visit(page, `${origin(site)}${articles.get(site)!}`);
        await checkItems(site, 'signed in', ['Newsletter Signup', 'Details Reader Log out']);
      }
      await page.context().close();
    }
  }
  assert.deepEqual(problems, []);
});

test('on a phone search opens from a magnifier button beside the nameplate, without JavaScript too; from 768 px the form is always shown', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled });
    const phone = await context.newPage();
    await visit(phone, `${origin('news')}/`);
    const toggle = phone.locator('.masthead__find-toggle');
    const field = phone.getByRole('searchbox', { name: /^Search / });
    assert.equal(await field.isVisible(), false, 'the form is closed on a phone');
    assert.equal(await toggle.isVisible(), true);
    assert.equal((await toggle.textContent())?.trim(), 'Search', 'the button is named Search');
    // A target big enough for a thumb, on the nameplate's row.
    const [box, name] = await Promise.all([
      toggle.boundingBox(),
      phone.locator('.masthead__name').boundingBox(),
    ]);
    assert.ok(box && name && box.width >= 44 && box.height >= 44, `button size ${JSON.stringify(box)}`);
    assert.ok(
      box.y < name.y + name.height && box.x > name.x + name.width,
      'the button sits right of the nameplate',
    );
    await toggle.click();
    assert.equal(await field.isVisible(), true, 'the button opens the form');
    const formBox = await phone.locator('.masthead__search').boundingBox();
    assert.ok(
      formBox && formBox.width > 300,
      `the open form takes a row of its own: ${JSON.stringify(formBox)}`,
    );
    await field.fill('Okayama');
    await field.press('Enter');
    await phone.waitForURL(/\/search\?q=Okayama/);
    assert.equal(await phone.locator('main h1').count(), 1);
    await context.close();
  }
  const desk = await open(1280);
  await visit(desk, `${origin('news')}/`);
  assert.equal(await desk.locator('.masthead__find-toggle').isVisible(), false, 'no button on a wide screen');
  assert.equal(
    await desk.getByRole('searchbox', { name: /^Search / }).isVisible(),
    true,
    'the form is shown',
  );
  await desk.context().close();
});

/** The arrow after the section bar: its width and opacity, and how far the bar can still scroll. */
async function sectionCue(page: Page) {
  return page.evaluate(() => {
    const cue = getComputedStyle(document.querySelector('nav.sections')!, '::after');
    const list = document.querySelector('nav.sections ul')!;
    return {
      width: Number.parseFloat(cue.width),
      opacity: Number(cue.opacity),
      more: list.scrollWidth - list.clientWidth - list.scrollLeft,
    };
  });
}

test('the phone’s section bar shows an arrow while more sections lie past its edge, and none when all fit', async () => {
  const phone = await open(390);
  await visit(phone, `${origin('news')}/`);
  const start = await sectionCue(phone);
  assert.ok(start.more > 20, `the news site's six sections overflow 390 px: ${JSON.stringify(start)}`);
  assert.ok(start.width >= 20 && start.opacity === 1, `arrow before scrolling: ${JSON.stringify(start)}`);
  // The list keeps clear of the arrow: the last visible section ends before it.
  const clear = await phone.evaluate(() => {
    const list = document.querySelector('nav.sections ul')!.getBoundingClientRect();
    return list.right <= document.documentElement.clientWidth - 20;
  });
  assert.ok(clear, 'the list ends where the arrow starts');
  await phone.evaluate(() => {
    const list = document.querySelector('nav.sections ul')!;
    list.scrollLeft = list.scrollWidth;
  });
  await phone.waitForFunction(() => {
    const cue = getComputedStyle(document.querySelector('nav.sections')!, '::after');
    return Number(cue.opacity) < 0.05;
  });
  await phone.context().close();

  const desk = await open(1280);
  await visit(desk, `${origin('news')}/`);
  const wide = await sectionCue(desk);
  await desk.context().close();
  assert.equal(wide.more, 0);
  assert.deepEqual([wide.width, wide.opacity], [0, 1], 'no arrow and no room taken when every section fits');
});

test('the search page’s date fields show the site’s own day order as a hint and take ISO dates too', async () => {
  const page = await open(390);
  const hints: Record<string, string> = {};
  for (const site of SITES) {
    await visit(page, `${origin(site)}/search?q=the`);
    hints[site] = (await page.locator('input[name=from]').getAttribute('placeholder')) ?? '';
    assert.equal(await page.locator('input[name=from]').getAttribute('type'), 'text');
  }
  assert.deepEqual(hints, { news: 'MM/DD/YYYY', life: 'DD/MM/YYYY', travel: 'MM/DD/YYYY' });
  await visit(page, `${origin('life')}/search?q=the&from=2026-01-31`);
  assert.equal(await page.locator('input[name=from]').inputValue(), '31/01/2026');
  await page.context().close();
});
