// The newsroom's first day, end to end, as the admin issue's "done when" describes it: the server is
// started the way `npm start` starts it, on a new database (the demo network seeds itself); the owner opens
// the printed setup link, creates their account and sets up two-factor sign-in; invites an editor by email
// (through a real SMTP server); the editor signs in, uploads a picture, writes a story with it, leaves and
// comes back to find the autosaved text, saves revisions and restores one, previews the draft on the
// site's host, schedules it, publishes it, circulates it to a sister site, and publishes a wire story from
// the queue. Each step is checked on the reader pages. Screenshots of the admin go to docs/screenshots/
// for the README.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { FAST_ARGON2, startSmtpSink } from '../../src/accounts/testing.ts';
import { base32Decode, totpCode } from '../../src/accounts/totp.ts';
import { CHROMIUM } from './browser.ts';
import { inspectPage, measureProbes } from './page-checks.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  id: string;
  nodes: { target: string[] }[];
}
const SHOTS = join(ROOT, 'docs', 'screenshots');
const OWNER = { name: 'Olive Owner', email: 'owner@meridian.example', password: 'harbour-lights-at-dawn' };
const EDITOR = { name: 'Eddie Editor', email: 'eddie@meridian.example', password: 'copy-desk-midnight-ink' };

let server: ChildProcess;
let output = '';
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let browser: Browser;
let port: number;
let admin: string;
let setupLink: string;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function waitForOutput(pattern: RegExp, ms = 120_000): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(output);
    if (m) return m;
    if (Date.now() > until) throw new Error(`the server never printed ${pattern}:\n${output}`);
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const site = (slug: string) => `http://${slug}.localhost:${port}`;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  smtp = await startSmtpSink();
  port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dateline-admin-journey-'));
  server = spawn(process.execPath, ['bin/dateline.js', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATELINE_DATA_DIR: dir,
      SMTP_URL: smtp.url,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      ...FAST_ARGON2,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => {
    output += String(d);
  });
  server.stderr!.on('data', (d) => {
    output += String(d);
  });
  admin = (await waitForOutput(/The newsroom admin:\s+(http:\/\/admin\.localhost:\d+)\//))[1]!;
  setupLink = (await waitForOutput(/(http:\/\/admin\.localhost:\d+\/setup\?t=[A-Za-z0-9_-]+)/))[1]!;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', `--host-resolver-rules=MAP *.localhost 127.0.0.1`],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await smtp?.close();
});

async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  // tsx names functions with a helper the page lacks; page-checks.ts functions run in the page.
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  return { context, page };
}

/** Signs in at the admin; answers the second step with a fresh app code when the account has one. */
async function signIn(page: Page, who: { email: string; password: string }, totpSecret?: string) {
  await page.goto(`${admin}/login`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  if (totpSecret) {
    await page.waitForURL(/\/login\/second-factor/);
    await page.fill('input[name=code]', totpCode(base32Decode(totpSecret)!, new Date()));
    await page.click('form:has(input[name=code]) button[type=submit]');
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

test('the newsroom starts from the printed setup link and publishes across the network', {
  timeout: 600_000,
}, async () => {
  // 1. The owner creates their account from the setup link, and must set up two-factor sign-in first.
  const { context: ownerCtx, page: owner } = await newPage();
  await owner.goto(setupLink);
  await shot(owner, 'admin-setup');
  await owner.fill('input[name=displayName]', OWNER.name);
  await owner.fill('input[name=email]', OWNER.email);
  await owner.fill('input[name=password]', OWNER.password);
  await owner.click('button[type=submit]');
  await owner.waitForLoadState();
  assert.match(
    owner.url(),
    /\/security/,
    `the owner is sent to set up two-factor sign-in, not ${owner.url()}`,
  );
  // Start the authenticator-app enrolment if the page asks for a button press first.
  const start = owner.locator('form[action="/security/two-factor/start"] button');
  if (await start.count()) await start.first().click();
  await owner.locator('.adm-secret').waitFor();
  const ownerSecret = ((await owner.locator('.adm-secret').textContent()) ?? '').replace(/\s+/g, '');
  await shot(owner, 'admin-two-factor');
  await owner.fill('input[name=code]', totpCode(base32Decode(ownerSecret)!, new Date()));
  await owner.click('form:has(input[name=code]) button[type=submit]');
  await owner.waitForLoadState();
  assert.match(await owner.content(), /recovery codes/i);
  await owner.goto(`${admin}/`);
  assert.match((await owner.locator('h1').textContent()) ?? '', /Dashboard/);
  await shot(owner, 'admin-dashboard');

  // 2. The owner invites an editor for every site; the invitation goes out by mail.
  await owner.goto(`${admin}/staff/invite`);
  // Within the form: the top bar's site switcher is a select named "site" too.
  const inviteForm = owner.locator('form[action="/staff/invite"]');
  await inviteForm.locator('input[name=email]').fill(EDITOR.email);
  await inviteForm.locator('input[name=displayName]').fill(EDITOR.name);
  await inviteForm.locator('select[name=role]').selectOption('editor');
  await inviteForm.locator('select[name=site]').selectOption({ index: 0 });
  await shot(owner, 'admin-staff-invite');
  await owner.click('form[action="/staff/invite"] button[type=submit]');
  await owner.waitForURL(/\/staff\/\d+/);
  const [invite] = await smtp.waitFor(EDITOR.email);
  const link = /https?:\/\/admin\.localhost:\d+\/account\/reset\?t=[A-Za-z0-9_-]+/.exec(invite!.text)?.[0];
  assert.ok(link, `the invitation carries a set-password link: ${invite!.text}`);
  await ownerCtx.close();

  // 3. The editor sets a password from the mail and signs in.
  const { context: editorCtx, page: ed } = await newPage();
  await ed.goto(link!);
  await ed.fill('input[name=password]', EDITOR.password);
  await ed.click('form[action="/account/reset"] button[type=submit]');
  await ed.waitForLoadState();
  await signIn(ed, EDITOR);
  await shot(ed, 'admin-editor-dashboard');

  // 4. A picture for the story, uploaded to the library.
  const jpeg = await sharp({
    create: { width: 1600, height: 1000, channels: 3, background: { r: 30, g: 80, b: 140 } },
  })
    .jpeg({ quality: 70 })
    .toBuffer();
  await ed.goto(`${admin}/media/upload`);
  await ed.setInputFiles('form[data-media-upload] input[type=file]', {
    name: 'harbour.jpg',
    mimeType: 'image/jpeg',
    buffer: jpeg,
  });
  // The upload script sends the file as soon as it is chosen and lists the stored picture.
  const uploaded = await ed.waitForFunction(() =>
    [...document.querySelectorAll('main a[href^="/media/"]')]
      .map((a) => a.getAttribute('href')!)
      .find((h) => /^\/media\/\d+$/.test(h)),
  );
  const mediaHref = (await uploaded.jsonValue()) as string;
  await shot(ed, 'admin-media-upload');
  await ed.goto(`${admin}/media`);
  await shot(ed, 'admin-media');
  const mediaId = mediaHref!.split('/')[2]!;

  // 5. A new story on the news site, written in the editor; autosave keeps it across a reload.
  const headline = 'Harbour pilots agree new night rota';
  await ed.goto(`${admin}/stories/new`);
  await ed.fill('input[name=headline]', headline);
  const place = await ed
    .locator('select[name=place] option')
    .evaluateAll((os) => os.map((o) => ({ v: (o as HTMLOptionElement).value, t: o.textContent ?? '' })));
  await ed.selectOption('select[name=place]', place.find((o) => /World/.test(o.t))?.v ?? place[0]!.v);
  await ed.click('form[action="/stories/new"] button[type=submit]');
  await ed.waitForURL(/\/stories\/\d+(\?|$)/);
  const storyUrl = ed.url().replace(/\?.*$/, '');
  await ed.fill('input[name=lead_media_id]', mediaId);
  await ed.fill('input[name=dek]', 'The port and the pilots settle a months-long dispute.');
  const body = ed.locator('.editor-body [contenteditable=true]');
  await body.click();
  await ed.keyboard.press('Control+End');
  await ed.keyboard.type('The harbour authority and the pilots signed the rota on Tuesday.');
  await ed.locator('.editor-status', { hasText: /^Saved/ }).waitFor({ timeout: 15_000 });
  await shot(ed, 'admin-editor');
  await ed.reload();
  await ed.locator('.editor-body [contenteditable=true]').waitFor();
  // The autosaved text is offered back: the server kept it, and the page says so.
  await shot(ed, 'admin-editor-autosave-offered');
  await ed.click('.story-autosave a[href$="?draft=mine"]');
  await ed.locator('.editor-body [contenteditable=true]').waitFor();
  assert.match((await ed.locator('.editor-body').textContent()) ?? '', /signed the rota on Tuesday/);

  // 6. Two saves make two revisions; the first is restored from the comparison page.
  await ed.click('.story-save button[type=submit]');
  await ed.waitForLoadState();
  await ed.fill('input[name=headline]', `${headline} (corrected)`);
  await ed.click('.story-save button[type=submit]');
  await ed.waitForLoadState();
  await ed.goto(`${storyUrl}/revisions`);
  await shot(ed, 'admin-revisions');
  // The newest revision that can be restored is the one before the correction.
  const restorable = await ed
    .locator('form[action*="/restore"]')
    .evaluateAll((fs) =>
      fs.map((f) => Number(/\/revisions\/(\d+)\/restore/.exec(f.getAttribute('action')!)![1])),
    );
  assert.ok(restorable.length >= 1, 'older revisions can be restored');
  const before = Math.max(...restorable);
  ed.once('dialog', (d) => void d.accept());
  await ed.click(`form[action$="/revisions/${before}/restore"] button[type=submit]`);
  await ed.waitForLoadState();
  await ed.goto(storyUrl);
  assert.equal(await ed.inputValue('input[name=headline]'), headline);

  // 7. A preview link shows the draft on the site's host, marked not to be indexed.
  await ed.click('form[action$="/previews"] button[type=submit]');
  await ed.waitForLoadState();
  const previewUrl = await ed.locator('.story-previews a[href*="/preview/"]').first().getAttribute('href');
  assert.ok(previewUrl, 'a preview link was made');
  const { context: readerCtx, page: reader } = await newPage(390);
  const preview = await reader.goto(previewUrl!);
  assert.equal(preview!.status(), 200);
  assert.match(String(preview!.headers()['cache-control']), /no-store/);
  assert.match(String(preview!.headers()['x-robots-tag']), /noindex/);
  assert.match(await reader.content(), new RegExp(headline));
  await shot(reader, 'admin-preview-on-site-390');

  // 8. Scheduled on the site's clock, then published now: it is on the site's home page.
  const later = new Date(Date.now() + 3 * 86_400_000);
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(later)
    .replace(' ', 'T');
  await ed.goto(storyUrl);
  await ed.fill('input[name=publish_at]', local);
  await ed.click('form[action$="/schedule"] button[type=submit]');
  await ed.waitForLoadState();
  assert.match(await ed.content(), /[Ss]cheduled/);
  ed.once('dialog', (d) => void d.accept());
  await ed.click('form[action$="/publish"] button[type=submit]');
  await ed.waitForLoadState();
  await shot(ed, 'admin-published');
  await reader.goto(`${site('news')}/`);
  assert.match(await reader.content(), new RegExp(headline));

  // 9. Circulated to the sister site Lantern, where it appears too.
  await ed.goto(storyUrl);
  const targets = await ed
    .locator('select[name=target] option')
    .evaluateAll((os) => os.map((o) => ({ v: (o as HTMLOptionElement).value, t: o.textContent ?? '' })));
  const lantern = targets.find((o) => /Lantern/.test(o.t) && o.v);
  assert.ok(lantern, `Lantern is offered for circulation: ${JSON.stringify(targets)}`);
  await ed.selectOption('select[name=target]', lantern!.v);
  await ed.click('form[action$="/circulate"] button[type=submit]');
  await ed.waitForLoadState();
  await reader.goto(`${site('life')}/`);
  assert.match(await reader.content(), new RegExp(headline));

  // 10. A new agency set up in the admin sends a story that no routing rule matches: it waits in the
  // review queue, and the editor publishes it from there to the news site.
  await ed.goto(`${admin}/wire/setup`);
  const addAgency = ed.locator('form[action="/wire/agencies"]');
  await ed.locator('details.wire-add:has(form[action="/wire/agencies"]) > summary').click();
  await addAgency.locator('input[name=slug]').fill('harbour-wire');
  await addAgency.locator('input[name=name]').fill('Harbour Wire');
  await addAgency.locator('input[name=credit]').fill('Harbour Wire');
  await addAgency.locator('input[name=sites][value=news]').check();
  await addAgency.locator('button[type=submit]').click();
  await ed.waitForLoadState();
  const agencyToken = ((await ed.locator('.wire-token-value').textContent()) ?? '').trim();
  assert.ok(agencyToken.length > 20, 'the agency token is shown once');
  const wireHeadline = 'Ferry line adds winter sailings to the islands';
  const delivered = await fetch(`http://127.0.0.1:${port}/api/wire/ingest`, {
    method: 'POST',
    headers: {
      host: `news.localhost:${port}`,
      authorization: `Bearer ${agencyToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      uri: 'urn:newsml:harbourwire.example:2026:HW-1',
      type: 'text',
      version: '1',
      versioncreated: new Date().toISOString(),
      pubstatus: 'usable',
      language: 'en',
      headline: wireHeadline,
      byline: 'Harbour Wire',
      located: 'OSAKA',
      body_html: '<p>The ferry operator will add two winter sailings a week.</p>',
      copyrightnotice: '© Harbour Wire 2026',
      usageterms: 'For subscribers only.',
      ednote: 'Check the schedule with the operator before publishing.',
    }),
  });
  assert.equal(delivered.status, 200, await delivered.text());
  await ed.goto(`${admin}/wire`);
  await shot(ed, 'admin-wire-queue');
  await ed.locator('a[href^="/wire/queue/"]', { hasText: wireHeadline }).click();
  await ed.waitForLoadState();
  assert.match(
    await ed.content(),
    /Check the schedule with the operator/,
    "the agency's editor's note is shown",
  );
  await shot(ed, 'admin-wire-entry');
  const wireForm = ed.locator('form[action$="/publish"]');
  const wireTargets = await wireForm
    .locator('select[name=target] option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  await wireForm
    .locator('select[name=target]')
    .selectOption(wireTargets.find((v) => v === 'news/world') ?? wireTargets[0]!);
  await wireForm.locator('input[name=when][value=now]').check();
  await wireForm.locator('button[type=submit]').click();
  await ed.waitForLoadState();
  await reader.goto(`${site('news')}/`);
  assert.match(await reader.content(), new RegExp(wireHeadline));
  assert.doesNotMatch(await reader.content(), /Check the schedule with the operator/);

  // What staff see on each screen, light and dark, at 390 and 1280 px: every text and control has AA
  // contrast against what is painted behind it, nothing scrolls sideways or spills past the viewport, no
  // text is clipped, targets are large enough (the reader pages' checks, test/browser/page-checks.ts).
  const screens = [
    '/',
    '/stories',
    storyUrl.replace(/^https?:\/\/[^/]+/, ''),
    `${storyUrl.replace(/^https?:\/\/[^/]+/, '')}/revisions`,
    '/media',
    `/media/${mediaId}`,
    '/wire',
    '/wire/problems',
    '/wire/setup',
    '/sites',
    '/trending',
    '/security',
    '/api-tokens',
  ];
  const problems: string[] = [];
  const axeToLookAt = new Set<string>();
  for (const width of [390, 1280]) {
    for (const scheme of ['light', 'dark'] as const) {
      await ed.setViewportSize({ width, height: 900 });
      await ed.emulateMedia({ colorScheme: scheme });
      for (const path of screens) {
        const res = await ed.goto(`${admin}${path}`);
        if (res?.status() !== 200) {
          problems.push(`${path} ${width} ${scheme}: HTTP ${res?.status()}`);
          continue;
        }
        // axe, injected through the debugging protocol (the page's CSP forbids inline scripts).
        await ed.evaluate(AXE);
        const axe = await ed.evaluate(async () => {
          const r = await (
            globalThis as unknown as {
              axe: { run(c: Document, o: object): Promise<Record<'violations' | 'incomplete', AxeResult[]>> };
            }
          ).axe.run(document, { resultTypes: ['violations', 'incomplete'] });
          const brief = (x: AxeResult) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`;
          return { violations: r.violations.map(brief), incomplete: r.incomplete.map(brief) };
        });
        for (const v of axe.violations) problems.push(`${path} ${width} ${scheme}: axe ${v}`);
        // Colour contrast axe could not decide is measured by the checks below; other "incomplete" results are
        // listed for a person to look at.
        for (const v of axe.incomplete) axeToLookAt.add(`${path}: ${v}`);
        const report = await ed.evaluate(inspectPage, { mobile: width < 600 });
        const pixels = await measureProbes(ed, report.probes);
        for (const p of [...report.problems, ...pixels]) problems.push(`${path} ${width} ${scheme}: ${p}`);
      }
    }
  }
  await ed.emulateMedia({ colorScheme: 'light' });
  await ed.setViewportSize({ width: 1280, height: 900 });
  const artefacts = join(ROOT, 'test', 'browser', 'screenshots');
  mkdirSync(artefacts, { recursive: true });
  writeFileSync(join(artefacts, 'admin-axe-incomplete.txt'), [...axeToLookAt].join('\n'));
  if (problems.length) writeFileSync(join(tmpdir(), 'admin-screen-problems.txt'), problems.join('\n'));
  assert.deepEqual(problems, [], problems.slice(0, 40).join('\n'));

  // The story list, at both widths.
  await ed.goto(`${admin}/stories`);
  await shot(ed, 'admin-stories');
  await ed.setViewportSize({ width: 390, height: 900 });
  await shot(ed, 'admin-stories-390');
  await ed.goto(storyUrl);
  await shot(ed, 'admin-editor-390');
  await readerCtx.close();
  await editorCtx.close();
});
