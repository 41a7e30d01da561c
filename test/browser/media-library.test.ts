// The media library in a real browser: an editor drops two files on the upload form (one picture, one not)
// and chooses another with the file field; each goes up on its own request with a progress bar, and the
// list says which was stored and why the other was refused. On a picture's page a click on the picture,
// then an arrow key, set the focal point, and saving it readdresses the crops. With JavaScript off the same
// form uploads several files at once and the number fields set the point. The console stays clean (no CSP
// violations), and screenshots at 1280 and 390 px, light and dark, go to test/browser/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { FAST_ARGON2 } from '../../src/accounts/testing.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { buildServer } from '../../src/web/server.tsx';
import { launchBrowser } from './browser.ts';

const EMAIL = 'picture.editor@example.com';
const PASSWORD = 'harbour-lantern-okapi';
const SHOTS = join(import.meta.dirname, 'screenshots');
const BOUNDED = { timeout: 60_000 };

let rt: Runtime;
let app: Awaited<ReturnType<typeof buildServer>>;
let browser: Browser;
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** A landscape picture: the left half red, the right half blue, so crops show where they were cut. */
async function halves(width = 1600, height = 900): Promise<Buffer> {
  const half = (background: string) =>
    sharp({ create: { width: width / 2, height, channels: 3, background } })
      .png()
      .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#000' } })
    .composite([
      { input: await half('#c0392b'), left: 0, top: 0 },
      { input: await half('#2c3e91'), left: width / 2, top: 0 },
    ])
    .jpeg()
    .toBuffer();
}

const ADMIN = () => `http://admin.localhost:${port}`;

before(async () => {
  port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dateline-media-browser-'));
  const config = loadConfig(
    {
      DATELINE_DATA_DIR: dir,
      DATABASE_URL: ':memory:',
      LOG_LEVEL: 'silent',
      DATELINE_DEMO: 'false',
      PORT: String(port),
      ...FAST_ARGON2,
    },
    dir,
  );
  rt = await openRuntime(config, { error: () => {} });
  const news = await rt.sites.create({
    slug: 'news',
    name: 'The Meridian Dispatch',
    hosts: ['news.localhost'],
  });
  await rt.sections.create(news.id, { slug: 'world', name: 'World' });
  await rt.directory.load();
  await rt.accounts.createUser({
    email: EMAIL,
    displayName: 'Pat Picture-Editor',
    password: PASSWORD,
    roles: [{ role: 'editor', siteId: null }],
  });
  app = await buildServer(rt, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await rt?.close();
});

async function signIn(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // A refused upload answers with its refusal's status (415, 413, 400), which Chromium logs as an error.
    const refusedUpload =
      /\/media\/uploads?: Failed to load resource: the server responded with a status of (4\d\d)/;
    if (m.type() === 'error' && !refusedUpload.test(`${m.location().url}: ${m.text()}`))
      problems.push(`${m.location().url}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${ADMIN()}/login`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: /Sign in/ }).click();
  await page.waitForURL(`${ADMIN()}/`);
  return { page, problems };
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `media-${name}-${width}-${scheme}.png`), fullPage: true });
      // Nothing runs off the side of the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width} px is ${overflow} px wider than the screen`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('uploads by drop and by the file field, each with its own progress and outcome', BOUNDED, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, problems } = await signIn(context);
  await page.getByRole('link', { name: 'Pictures' }).click();
  await page.getByRole('link', { name: 'Upload pictures' }).click();
  await page.getByRole('heading', { name: 'Upload pictures' }).waitFor();

  // Every progress bar the script makes is noted, however fast the upload ends.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { bars: string[] }).bars = seen;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n instanceof HTMLElement && n.querySelector('progress')) seen.push(n.textContent ?? '');
    }).observe(document.getElementById('media-upload-results')!, { childList: true });
  });

  const picture = (await halves()).toString('base64');
  await page.evaluate(
    ({ picture }) => {
      const bytes = Uint8Array.from(atob(picture), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'harbour.jpg', { type: 'image/jpeg' }));
      data.items.add(new File(['Notes from the meeting, not a photo.'], 'notes.txt', { type: 'text/plain' }));
      const zone = document.querySelector('[data-drop-zone]')!;
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { picture },
  );
  const stored = page.locator('.media-upload-item.is-ok', { hasText: 'harbour.jpg' });
  const refused = page.locator('.media-upload-item.is-problem', { hasText: 'notes.txt' });
  await stored.waitFor();
  await refused.waitFor();
  assert.match((await refused.textContent()) ?? '', /not an image we can read/);
  assert.deepEqual(
    ((await page.evaluate(() => (window as unknown as { bars: string[] }).bars)) as string[]).map(
      (t) => t.split('Waiting')[0],
    ),
    ['harbour.jpg', 'notes.txt'],
  );

  // The file field uploads as soon as files are chosen.
  await page.getByLabel('Pictures to upload').setInputFiles({
    name: 'quay.jpg',
    mimeType: 'image/jpeg',
    buffer: await halves(1200, 800),
  });
  await page.locator('.media-upload-item.is-ok', { hasText: 'quay.jpg' }).waitFor();
  assert.equal(await page.locator('.media-upload-item').count(), 3);
  await shoot(page, 'upload');

  // The stored picture opens from its outcome.
  await stored.getByRole('link').click();
  await page.getByRole('heading', { name: /Picture/ }).waitFor();
  assert.equal(await page.getByLabel('Caption', { exact: true }).inputValue(), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the focal point is set by a click and the arrow keys, and the crops follow it', BOUNDED, async () => {
  const record = await rt.media.addImage(await halves(), {
    caption: 'Ferries at the pier before the storm',
    credit: 'Agency/Photographer',
    alt: 'Two ferries moored side by side',
    filename: 'ferries.jpg',
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, problems } = await signIn(context);
  await page.goto(`${ADMIN()}/media/${record.id}`);
  const picker = page.locator('[data-focal-picker]');
  const box = (await picker.locator('img').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.7);
  const x = Number(await page.getByLabel(/Across/).inputValue());
  const y = Number(await page.getByLabel(/Down/).inputValue());
  assert.ok(Math.abs(x - 0.2) < 0.01 && Math.abs(y - 0.7) < 0.01, `${x}, ${y}`);
  assert.equal(await page.locator('[data-focal-marker]').isVisible(), true);
  await picker.focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(Number(await page.getByLabel(/Across/).inputValue()).toFixed(2), (x + 0.01).toFixed(2));
  await page.getByText(/Focal point \d+% across/).waitFor();
  await page.getByRole('button', { name: 'Save focal point' }).click();
  await page.getByText('Focal point saved').waitFor();

  const saved = await rt.media.get(record.id);
  assert.equal(saved.focalVersion, 1);
  assert.ok(Math.abs(saved.focalX - (x + 0.01)) < 0.0001);
  // The square crop shown now is the new version's, cut from the red left half.
  const square = page.locator('.media-crops img').nth(2);
  assert.match((await square.getAttribute('src')) ?? '', new RegExp(`/media/${record.id}/1x1-v1/`));
  await square.scrollIntoViewIfNeeded();
  await square.evaluate((img: HTMLImageElement) => img.decode());
  const shot = await square.screenshot();
  const { dominant } = await sharp(shot).stats();
  assert.ok(dominant.r > dominant.b, `the square crop is red: ${JSON.stringify(dominant)}`);
  await shoot(page, 'picture');
  assert.deepEqual(problems, []);
  await context.close();
});

test(
  'without JavaScript the form uploads several files at once and the fields set the point',
  BOUNDED,
  async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const { page, problems } = await signIn(context);
    await page.goto(`${ADMIN()}/media/upload`);
    await page.getByLabel('Pictures to upload').setInputFiles([
      { name: 'one.jpg', mimeType: 'image/jpeg', buffer: await halves(800, 600) },
      { name: 'two.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a but not really') },
    ]);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.locator('.media-upload-item.is-ok', { hasText: 'one.jpg' }).waitFor();
    assert.match(
      (await page.locator('.media-upload-item.is-problem').textContent()) ?? '',
      /two\.gif[\s\S]*DATELINE_ERR_MEDIA_INVALID/,
    );
    await page.locator('.media-upload-item.is-ok').getByRole('link').click();
    await page.getByLabel(/Across/).fill('0.9');
    await page.getByLabel(/Down/).fill('0.1');
    await page.getByRole('button', { name: 'Save focal point' }).click();
    await page.getByText('Focal point saved').waitFor();
    const id = Number(new URL(page.url()).pathname.split('/')[2]);
    const saved = await rt.media.get(id);
    assert.deepEqual([saved.focalX, saved.focalY, saved.focalVersion], [0.9, 0.1, 1]);
    await page.goto(`${ADMIN()}/media`);
    await shoot(page, 'library');
    assert.deepEqual(problems, []);
    await context.close();
  },
);
