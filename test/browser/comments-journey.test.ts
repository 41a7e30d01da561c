// The comments issue's "done when", end to end in Chromium on one running server: two readers register on
// the news site (verifying their addresses through a real SMTP server), one comments, the other replies,
// both vote, one reports the other; a moderator puts a suspect word on the site's list in the admin, the
// reader's comment with that word is held (the author is told, nobody sees it), the moderator approves it
// from the pending queue, and a signed-out reader sees it on the story page at the next request (the page
// cache dropped the old page). A reader then opens a member page from a comment's author link and follows
// "See in context" to the comment in its thread. Reader A has JavaScript off (posting and voting by plain
// forms, "More comments" as a page); reader B has it on (posting and voting without a reload, "More
// comments" in place). The thread, the member page and the queue are checked with axe and the page checks
// at 390 and 1280 px, light and dark, and screenshotted to docs/screenshots/comments-*.png for the README.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { FAST_ARGON2, linkIn, startSmtpSink } from '../../src/accounts/testing.ts';
import { type ModFixture, modFixture } from '../../src/admin/comments/testing.ts';
import { placementsOf } from '../../src/articles/repository.ts';
import { startTestApp, type TestApp } from '../app.ts';
import { openTestDb } from '../dialects.ts';
import { CHROMIUM } from './browser.ts';
import { inspectPage, measureProbes } from './page-checks.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');
const ARTEFACTS = join(ROOT, 'test', 'browser', 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const ADA = { name: 'Ada Harbourside', email: 'ada.reader@example.com', password: 'lantern-quay-evening' };
const BEN = { name: 'Ben Ferryman', email: 'ben.reader@example.com', password: 'tidal-chart-morning' };
const MOD = { email: 'mona.moderator@example.com', password: 'quiet-harbour-moderation' };
/** The reference style: net, then up and down, e.g. `-3 ( +37 / -40 )`. */
const TALLY = /^[+-]?\d+ \( \+\d+ \/ -\d+ \)$/;

interface AxeResult {
  id: string;
  nodes: { target: string[] }[];
}

let t: TestApp;
let f: ModFixture;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let browser: Browser;
let port: number;
let storyPath: string;
let longPath: string;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

const news = (path = '/') => `http://news.localhost:${port}${path}`;
const admin = (path = '/') => `http://admin.localhost:${port}${path}`;

/** The story's path on the news site, as the reader pages link it. */
async function pathOf(articleId: number): Promise<string> {
  const p = (await placementsOf(t.rt.db.kysely, articleId)).find((x) => x.siteId === f.news.site.id);
  assert.ok(p, 'the story is placed on the news site');
  return t.rt.reader.pathOf(p);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(ARTEFACTS, { recursive: true });
  smtp = await startSmtpSink();
  port = await freePort();
  t = await startTestApp(await openTestDb('sqlite'), {
    ...FAST_ARGON2,
    PORT: String(port),
    SMTP_URL: smtp.url,
  });
  await t.app.listen({ port, host: '127.0.0.1' });
  f = await modFixture(t);
  // The fixture names both sites alike; the queue names each site, so give the sister its own name.
  await t.rt.sites.update(f.sister.site.slug, { name: 'Harbour Weekly' });
  await t.rt.directory.load();
  await t.rt.accounts.createUser({
    email: MOD.email,
    displayName: 'Mona Moderator',
    password: MOD.password,
    roles: [{ role: 'moderator', siteId: null }],
  });
  // A second story with a long thread (55 top-level comments, more than the 50 a page shows), for
  // "More comments"; written straight into the table before any page is served, so nothing is cached yet.
  const long = await t.rt.articles.create(
    {
      siteId: f.news.site.id,
      sectionId: f.news.world.id,
      headline: 'Ferry timetable changes for the winter',
      bodyHtml: '<p>The ferry company publishes its winter timetable.</p>',
      status: 'published',
    },
    'test',
  );
  const voices = [await f.reader('Cleo Timetable'), await f.reader('Dev Ticketdesk')];
  for (let i = 1; i <= 55; i++)
    await f.comment({
      articleId: long.article.id,
      authorId: voices[i % 2]!.id,
      status: 'published',
      body: `Timetable remark number ${i}.`,
    });
  storyPath = await pathOf(f.story.id);
  longPath = await pathOf(long.article.id);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
  });
});

after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

async function newPage(o: { js: boolean; width?: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1280, height: 900 },
    javaScriptEnabled: o.js,
  });
  // tsx names functions with a helper the page lacks; page-checks.ts functions run in the page.
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${m.location().url}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  consoleProblems.set(page, problems);
  return { context, page };
}
const consoleProblems = new Map<Page, string[]>();

/** Registers from the thread's "Register" link and confirms the address from the mail that arrives. */
async function register(page: Page, who: typeof ADA): Promise<void> {
  await page.goto(news(storyPath));
  await page.locator('#comments').getByRole('link', { name: 'Register' }).click();
  await page.waitForURL((u) => u.pathname === '/account/register');
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Name to show').fill(who.name);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const [mail] = await smtp.waitFor(who.email);
  await page.goto(linkIn(mail!.text, '/account/verify?t='));
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await page.getByText('Your email address is confirmed').waitFor();
}

async function tallyOf(page: Page, id: number): Promise<string> {
  return ((await page.locator(`#comment-${id} > .comment__main .tally`).textContent()) ?? '').trim();
}

/** The comment whose text includes `text`, by its id. */
async function idOf(page: Page, text: string): Promise<number> {
  const li = page.locator('li.comment', { has: page.locator('.comment__text', { hasText: text }) }).last();
  const id = await li.getAttribute('id');
  assert.ok(id, `a comment says "${text}"`);
  return Number(id.slice('comment-'.length));
}

test('register, comment, reply, vote, report, held by a suspect word, approved, member page and context', {
  timeout: 900_000,
}, async () => {
  const headline = 'Harbour bridge reopens';
  // Reader A, without JavaScript: the plain forms.
  const { context: aCtx, page: a } = await newPage({ js: false });
  await a.goto(news(storyPath));
  assert.equal((await a.locator('.comment-count').textContent())?.trim(), '0 Comments');
  assert.equal((await a.locator('#comments-title').textContent())?.trim(), '0 Comments');
  assert.match((await a.locator('.thread__empty').textContent()) ?? '', /No comments yet/);
  assert.ok(await a.getByRole('link', { name: 'Log in to comment' }).isVisible());

  await register(a, ADA);
  await a.goto(news(storyPath));
  // Signed in on a shared (cached) page: the thread links to the reader's own thread page with the form.
  await a.locator('#comments').getByRole('link', { name: 'Write a comment' }).click();
  await a.waitForURL((u) => u.pathname === `${storyPath}/comments`);
  const first = 'The bridge closure cost the harbour shops a month of trade.';
  await a.getByLabel('Your comment').fill(first);
  await a.getByRole('button', { name: 'Post comment' }).click();
  await a.waitForURL(/done=posted/);
  assert.match((await a.locator('.notice').textContent()) ?? '', /Your comment is posted/);
  const adaComment = await idOf(a, first);
  assert.ok(await a.locator(`#comment-${adaComment}`).isVisible());
  assert.equal(await tallyOf(a, adaComment), '0 ( +0 / -0 )');

  // Reader B, with JavaScript: the form is put in place, a reply is posted and a vote cast without a reload.
  const { context: bCtx, page: b } = await newPage({ js: true });
  await register(b, BEN);
  await b.goto(news(storyPath));
  assert.equal((await b.locator('.comment-count').textContent())?.trim(), '1 Comment');
  await b.locator('#comments [data-compose] form[data-post]').waitFor();
  await b.evaluate(() => {
    (globalThis as { stayed?: boolean }).stayed = true;
  });
  await b.locator(`#comment-${adaComment} .comment__reply`).click();
  const reply = 'The shops on the east quay did better than the ones by the station.';
  const replyForm = b.locator(`#comment-${adaComment} form[data-post]`);
  await replyForm.getByLabel('Your reply').fill(reply);
  await replyForm.getByRole('button', { name: 'Post reply' }).click();
  await b.locator('.comment__text', { hasText: reply }).waitFor();
  const benReply = await idOf(b, reply);
  await b.locator(`#comment-${adaComment} .comments--replies #comment-${benReply}`).waitFor();
  await b.locator(`#comment-${adaComment} > .comment__main button[aria-label="Vote up"]`).click();
  await b
    .locator(
      `#comment-${adaComment} > .comment__main button[aria-pressed=true][aria-label="Withdraw up-vote"]`,
    )
    .waitFor();
  assert.equal(await tallyOf(b, adaComment), '+1 ( +1 / -0 )');
  // One's own reply cannot be voted on.
  assert.ok(await b.locator(`#comment-${benReply} button[aria-label="Vote up"]`).isDisabled());
  assert.equal(
    await b.evaluate(() => (globalThis as { stayed?: boolean }).stayed),
    true,
    'the reply and the vote happened without a reload',
  );
  assert.equal(new URL(b.url()).pathname, storyPath);

  // B reports A's comment (a form page of its own).
  await b.locator(`#comment-${adaComment} > .comment__main`).getByRole('link', { name: 'Report' }).click();
  await b.waitForURL((u) => u.pathname === `/comments/${adaComment}/report`);
  await b.getByLabel('Off-topic').check();
  await b.getByRole('button', { name: 'Send the report' }).click();
  await b.waitForURL(/done=reported/);
  assert.match((await b.locator('.notice').textContent()) ?? '', /A moderator will look at the comment/);

  // A, still without JavaScript, votes down B's reply from the shared story page: the vote is confirmed on a
  // page of A's own (the shared page carries no token), then the thread shows the tally.
  await a.goto(news(storyPath));
  await a.locator(`#comment-${benReply} button[aria-label="Vote down"]`).click();
  await a.waitForURL((u) => u.pathname === `/comments/${benReply}/vote`);
  await a.getByRole('button', { name: 'Vote down' }).click();
  await a.waitForURL(/done=voted/);
  assert.match((await a.locator('.notice').textContent()) ?? '', /Your vote is counted/);
  assert.equal(await tallyOf(a, benReply), '-1 ( +0 / -1 )');
  assert.equal(await tallyOf(a, adaComment), '+1 ( +1 / -0 )');
  for (const tally of await a.locator('.tally').allTextContents()) assert.match(tally.trim(), TALLY);

  // The moderator signs in at the admin (a moderator needs no second step unless the site requires it).
  const { context: modCtx, page: mod } = await newPage({ js: true });
  await mod.goto(admin('/login'));
  await mod.fill('input[name=email]', MOD.email);
  await mod.fill('input[name=password]', MOD.password);
  await mod.click('button[type=submit]');
  await mod.waitForURL((u) => !u.pathname.startsWith('/login'));
  // The report shows in the reported queue.
  await mod.goto(admin('/comments?queue=reported'));
  await mod.locator(`#c-${adaComment}`).waitFor();
  assert.match((await mod.locator(`#c-${adaComment}`).textContent()) ?? '', /Off-topic/i);

  // A suspect word on the news site's list, through the settings screen.
  await mod.goto(admin(`/comments/settings?site=${f.news.site.id}`));
  const words = mod.locator(`form.mod-word-add:has(input[name=siteId][value="${f.news.site.id}"])`);
  await words.getByLabel('Word or phrase').fill('scam*');
  await words.getByLabel('List').selectOption('suspect');
  await words.getByRole('button', { name: 'Add' }).click();
  await mod.waitForLoadState();
  await mod.locator('.mod-word-list code', { hasText: 'scam*' }).waitFor();

  // A signed-out reader has the story page (and so the cache has it) before the held comment.
  const { context: cCtx, page: c } = await newPage({ js: false });
  await c.goto(news(storyPath));
  assert.equal((await c.locator('.comment-count').textContent())?.trim(), '2 Comments');

  // A's comment with that word is held: A is told so, and nobody sees it.
  const suspect = 'The toll looks like a scammers’ charter to me, and the council should say why.';
  await a.goto(news(`${storyPath}/comments`));
  await a.locator('#reply').getByLabel('Your comment').fill(suspect);
  await a.locator('#reply').getByRole('button', { name: 'Post comment' }).click();
  await a.waitForURL(/done=held/);
  assert.match((await a.locator('.notice').textContent()) ?? '', /waiting for a moderator/);
  assert.equal(await a.getByText(suspect).count(), 0, 'the held comment is not in the thread');
  await b.goto(news(storyPath));
  assert.equal(await b.getByText(suspect).count(), 0, 'another reader does not see the held comment');
  assert.equal(await b.locator('.notice').count(), 0);
  await c.reload();
  assert.equal(await c.getByText(suspect).count(), 0);

  // The moderator finds it in the pending queue, with its reason, and approves it.
  await mod.goto(admin('/comments'));
  const item = mod.locator('.mod-item', { hasText: suspect });
  await item.waitFor();
  assert.match((await item.textContent()) ?? '', /scam/);
  const held = Number(await item.getAttribute('data-comment'));
  for (const width of [1280, 390]) {
    await mod.setViewportSize({ width, height: 900 });
    await mod.screenshot({ path: join(SHOTS, `comments-moderation-queue-${width}.png`), fullPage: true });
  }
  await mod.setViewportSize({ width: 1280, height: 900 });
  await item.locator('button[data-key=approve]').click();
  await mod.waitForURL(/done=comment-approved/);

  // The signed-out reader's next request shows it: the cached page was dropped.
  await c.reload();
  await c.locator(`#comment-${held}`).waitFor();
  assert.match((await c.locator(`#comment-${held} .comment__text`).textContent()) ?? '', /scammers/);
  assert.equal((await c.locator('.comment-count').textContent())?.trim(), '3 Comments');

  // A member page from the author link, then "See in context" back to the comment in its thread.
  await c.locator(`#comment-${adaComment} > .comment__main .comment__author`).click();
  await c.waitForURL(/\/members\//);
  assert.equal((await c.locator('h1').textContent())?.trim(), ADA.name);
  const onPage = c.locator('.member-comment', { hasText: 'scammers' });
  assert.match(
    ((await onPage.locator('.member-comment__where').textContent()) ?? '').replace(/\s+/g, ' ').trim(),
    new RegExp(`^Posted in: ${headline} · ${f.news.site.name}$`),
  );
  await onPage.getByRole('link', { name: /See in context/ }).click();
  await c.waitForURL((u) => u.hash === `#comment-${held}`);
  assert.equal(new URL(c.url()).pathname, storyPath);
  assert.ok(await c.locator(`#comment-${held}`).isVisible());
  assert.ok(await c.locator(`#comment-${held}`).isVisible());
  assert.ok(
    await c.evaluate((id) => {
      const r = document.getElementById(id)!.getBoundingClientRect();
      return r.top < window.innerHeight && r.bottom > 0;
    }, `comment-${held}`),
    'the page opens at the comment',
  );

  // "More comments": a page of its own without JavaScript, in place with it.
  await a.goto(news(longPath));
  assert.equal(await a.locator('ol[data-list] > li.comment').count(), 50);
  await a.getByRole('link', { name: 'More comments' }).click();
  await a.waitForURL((u) => u.pathname === `${longPath}/comments` && u.searchParams.get('page') === '2');
  assert.equal(await a.locator('ol[data-list] > li.comment').count(), 5);
  await b.goto(news(longPath));
  await b.evaluate(() => {
    (globalThis as { stayed?: boolean }).stayed = true;
  });
  await b.getByRole('link', { name: 'More comments' }).click();
  await b.locator('ol[data-list] > li.comment:nth-child(55)').waitFor();
  assert.equal(await b.locator('ol[data-list] > li.comment').count(), 55);
  assert.equal(new URL(b.url()).pathname, longPath);
  assert.equal(await b.evaluate(() => (globalThis as { stayed?: boolean }).stayed), true);
  assert.equal(await b.getByRole('link', { name: 'More comments' }).count(), 0);

  // What readers and moderators see, at 390 and 1280 px, light and dark.
  const problems: string[] = [];
  // axe needs timers, which a context without JavaScript does not run: the signed-out view is a fresh
  // context with JavaScript on, and A's thread page (no script) is A's session in a context with JavaScript
  // on whose scripts are not loaded, which renders what A sees.
  const { context: dCtx, page: d } = await newPage({ js: true });
  const aNoScript = await browser.newContext({ storageState: await aCtx.storageState() });
  await aNoScript.addInitScript('globalThis.__name = (f) => f;');
  await aNoScript.route(/\.js(\?|$)/, (r) => r.abort());
  const a2 = await aNoScript.newPage();
  const views: { name: string; page: Page; url: string; shot?: string }[] = [
    { name: 'story signed out', page: d, url: news(storyPath), shot: 'comments-thread-signed-out' },
    { name: 'story signed in (script)', page: b, url: news(storyPath), shot: 'comments-thread-signed-in' },
    { name: 'thread page signed in (no script)', page: a2, url: news(`${storyPath}/comments`) },
    { name: 'member page', page: d, url: '', shot: 'comments-member' },
  ];
  await c.goto(news(storyPath));
  views[3]!.url = await c
    .locator(`#comment-${adaComment} > .comment__main .comment__author`)
    .evaluate((el) => (el as HTMLAnchorElement).href);
  for (const width of [390, 1280]) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const v of views) {
        await v.page.setViewportSize({ width, height: 900 });
        await v.page.emulateMedia({ colorScheme: scheme });
        const res = await v.page.goto(v.url);
        if (res?.status() !== 200) {
          problems.push(`${v.name} ${width} ${scheme}: HTTP ${res?.status()}`);
          continue;
        }
        if (v.name.includes('script')) await v.page.locator('[data-compose] form[data-post]').waitFor();
        if (v.shot) {
          // Light ones for the README; dark ones to look at, beside the other browser tests' artefacts.
          const path =
            scheme === 'light'
              ? join(SHOTS, `${v.shot}-${width}.png`)
              : join(ARTEFACTS, `${v.shot}-${width}-dark.png`);
          const thread = v.page.locator('#comments');
          if (await thread.count()) await thread.screenshot({ path });
          else await v.page.screenshot({ path, fullPage: true });
        }
        for (const p of await checkPage(v.page, width)) problems.push(`${v.name} ${width} ${scheme}: ${p}`);
      }
    }
  }
  for (const [page, list] of consoleProblems)
    for (const p of list) problems.push(`console on ${page.url()}: ${p}`);
  assert.deepEqual(problems, [], problems.slice(0, 40).join('\n'));
  await aCtx.close();
  await bCtx.close();
  await cCtx.close();
  await modCtx.close();
  await dCtx.close();
  await aNoScript.close();
});

/** axe (violations and undecided results) and the page checks, with the page's folded parts opened. */
async function checkPage(page: Page, width: number): Promise<string[]> {
  const out: string[] = [];
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  // axe, run through the debugging protocol (the page's CSP forbids inline scripts).
  await page.evaluate(AXE);
  const axe = await page.evaluate(async () => {
    const r = await (
      globalThis as unknown as {
        axe: { run(c: Document, o: object): Promise<Record<'violations' | 'incomplete', AxeResult[]>> };
      }
    ).axe.run(document, { resultTypes: ['violations', 'incomplete'] });
    const brief = (x: AxeResult) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`;
    return { violations: r.violations.map(brief), incomplete: r.incomplete.map(brief) };
  });
  for (const v of axe.violations) out.push(`axe ${v}`);
  // What axe could not decide counts as a failure too: none is left on these pages (if one appears, look
  // at it, and explain here why it is fine before letting it pass).
  for (const v of axe.incomplete) out.push(`axe could not decide ${v}`);
  const report = await page.evaluate(inspectPage, { mobile: width < 600 });
  const pixels = await measureProbes(page, report.probes);
  out.push(...report.problems, ...pixels);
  return out;
}
