// The comment moderation screens in Chromium: every screen at 390 and 1280 px, light and dark, passes axe
// and the page checks (contrast, focus, no sideways scrolling, tap targets), with a screenshot of each in
// test/browser/screenshots/moderation-*.png to look at; the keys (j/k, a, r) work with the script, and
// approving and rejecting work with JavaScript off.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { FAST_ARGON2 } from '../../src/accounts/testing.ts';
import { type ModFixture, modFixture } from '../../src/admin/comments/testing.ts';
import { startTestApp, type TestApp } from '../app.ts';
import { openTestDb } from '../dialects.ts';
import { CHROMIUM } from './browser.ts';
import { inspectPage, measureProbes } from './page-checks.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const MOD = { email: 'moderator@meridian.example', password: 'quiet-harbour-moderation' };

interface AxeResult {
  id: string;
  nodes: { target: string[] }[];
}

let t: TestApp;
let f: ModFixture;
let browser: Browser;
let admin: string;
let ids: { held: number; member: number; story: number };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  t = await startTestApp(await openTestDb('sqlite'), { ...FAST_ARGON2, PORT: String(port) });
  await t.app.listen({ port, host: '127.0.0.1' });
  admin = `http://admin.localhost:${port}`;
  f = await modFixture(t);
  const mod = await t.rt.accounts.createUser({
    email: MOD.email,
    displayName: 'Mona Moderator',
    password: MOD.password,
    roles: [{ role: 'moderator', siteId: null }],
  });
  const ada = await f.reader('Ada Longname-Commenter');
  const ben = await f.reader('Ben');
  const top = await f.comment({
    authorId: ada.id,
    status: 'published',
    body: 'The bridge closure cost the harbour shops a month of trade.\n\nhttps://example.org/a-rather-long-link-that-should-wrap-on-a-phone-screen',
  });
  const held = await f.comment({
    authorId: ben.id,
    body: 'This looks like a scam to me, and I have said so before.',
    holdReasons: [{ code: 'suspect_word', detail: 'scam' }, { code: 'new_member' }],
    parentId: top,
  });
  for (let i = 0; i < 4; i++)
    await f.comment({
      authorId: ada.id,
      body: `Held comment ${i} about the bridge`,
      holdReasons: [{ code: 'pre_moderation' }],
    });
  await f.comment({
    authorId: ben.id,
    status: 'published',
    body: 'Reported for being off-topic.',
    reports: [
      { userId: ada.id, reason: 'off_topic', note: 'about football' },
      { userId: mod.id, reason: 'spam' },
    ],
  });
  await f.comment({ authorId: ben.id, siteId: f.sister.site.id, body: 'On the sister site, held.' });
  const m = { userId: mod.id, label: `staff:${mod.id}` };
  await t.rt.comments.addMemberNote(m, ben.id, 'Argues in good faith, mostly.');
  await t.rt.comments.sanction(m, ben.id, {
    kind: 'warning',
    siteId: f.news.site.id,
    message: 'Keep it civil.',
  });
  await t.rt.comments.words.add(m, { siteId: f.news.site.id, kind: 'suspect', pattern: 'scam*' });
  await t.rt.comments.words.add(m, { siteId: null, kind: 'banned', pattern: 'badword' });
  ids = { held, member: ben.id, story: f.story.id };
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
  });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function signedIn(
  o: { width?: number; js?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1280, height: 900 },
    javaScriptEnabled: o.js ?? true,
  });
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  await page.goto(`${admin}/login`);
  await page.fill('input[name=email]', MOD.email);
  await page.fill('input[name=password]', MOD.password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { context, page };
}

test('every moderation screen at 390 and 1280 px, light and dark: axe and the page checks find nothing', async () => {
  const { context, page } = await signedIn();
  const screens: [string, string][] = [
    ['queue-pending', '/comments'],
    ['queue-reported', '/comments?queue=reported'],
    ['queue-rejected', '/comments?queue=rejected'],
    ['comment', `/comments/${ids.held}`],
    ['thread', `/comments/threads/${f.news.site.id}/${ids.story}`],
    ['members', '/comments/members?q=e'],
    ['member', `/comments/members/${ids.member}`],
    ['settings', '/comments/settings'],
  ];
  const problems: string[] = [];
  for (const width of [390, 1280]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, path] of screens) {
        const res = await page.goto(`${admin}${path}`);
        if (res?.status() !== 200) {
          problems.push(`${path} ${width} ${scheme}: HTTP ${res?.status()}`);
          continue;
        }
        await page.screenshot({
          path: join(SHOTS, `moderation-${name}-${width}-${scheme}.png`),
          fullPage: true,
        });
        // Open the folded forms, so what they hold is checked too.
        await page.evaluate(() => {
          for (const d of document.querySelectorAll('details')) d.open = true;
        });
        await page.evaluate(AXE);
        const axe = await page.evaluate(async () => {
          const r = await (
            globalThis as unknown as {
              axe: { run(c: Document, o: object): Promise<Record<'violations', AxeResult[]>> };
            }
          ).axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        for (const v of axe) problems.push(`${path} ${width} ${scheme}: axe ${v}`);
        const report = await page.evaluate(inspectPage, { mobile: width < 600 });
        const pixels = await measureProbes(page, report.probes);
        for (const p of [...report.problems, ...pixels]) problems.push(`${path} ${width} ${scheme}: ${p}`);
      }
    }
  }
  await context.close();
  assert.deepEqual(problems, [], problems.slice(0, 40).join('\n'));
});

test('keys: the help line shows, j/k move, r opens the reject form and Enter rejects, a approves', async () => {
  const { context, page } = await signedIn();
  await page.goto(`${admin}/comments`);
  assert.ok(await page.isVisible('#mod-keys'), 'the help line is shown with the script');
  const items = page.locator('.mod-item');
  const first = await items.nth(0).getAttribute('data-comment');
  const second = await items.nth(1).getAttribute('data-comment');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-comment')), second);
  await page.keyboard.press('k');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-comment')), first);
  await page.keyboard.press('r');
  assert.ok(await page.isVisible(`#c-${first} .mod-reject-form`));
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SELECT');
  // Typing in the form does not trigger keys; Enter on the reason rejects with it.
  await page.keyboard.press('a');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SELECT');
  await page.selectOption(`#reason-${first}`, 'abuse');
  await Promise.all([page.waitForURL(/done=comment-rejected/), page.keyboard.press('Enter')]);
  const rejected = await t.rt.db.kysely
    .selectFrom('comments')
    .select(['status', 'reject_reason'])
    .where('id', '=', Number(first))
    .executeTakeFirst();
  assert.deepEqual(rejected, { status: 'rejected', reject_reason: 'abuse' });
  await page.locator(`#c-${second}`).focus();
  await Promise.all([page.waitForURL(/done=comment-approved/), page.keyboard.press('a')]);
  const row = await t.rt.db.kysely
    .selectFrom('comments')
    .select('status')
    .where('id', '=', Number(second))
    .executeTakeFirst();
  assert.equal(row?.status, 'published');
  await context.close();
});

test('with JavaScript off: the help line stays hidden, Approve and Reject (with a reason) work', async () => {
  const { context, page } = await signedIn({ js: false, width: 390 });
  await page.goto(`${admin}/comments`);
  assert.equal(await page.isVisible('#mod-keys'), false);
  const id = await page.locator('.mod-item').nth(0).getAttribute('data-comment');
  await page.click(`#c-${id} button[data-key=approve]`);
  await page.waitForURL(/done=comment-approved/);
  const next = await page.locator('.mod-item').nth(0).getAttribute('data-comment');
  await page.click(`#c-${next} .mod-reject summary`);
  await page.selectOption(`#reason-${next}`, 'spam');
  await page.fill(`#note-${next}`, 'Links to a shop.');
  await page.click(`#c-${next} button[data-key=reject]`);
  await page.waitForURL(/done=comment-rejected/);
  const rows = await t.rt.db.kysely
    .selectFrom('comments')
    .select(['id', 'status', 'reject_reason', 'reject_note'])
    .where('id', 'in', [Number(id), Number(next)])
    .orderBy('id')
    .execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  assert.equal(byId.get(Number(id))?.status, 'published');
  assert.equal(byId.get(Number(next))?.reject_reason, 'spam');
  assert.equal(byId.get(Number(next))?.reject_note, 'Links to a shop.');
  await context.close();
});
