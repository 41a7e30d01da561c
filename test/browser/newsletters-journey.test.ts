// The newsletters issue's "done when" (issue 10), end to end on one running server on the demo network, in
// Chromium, with a real SMTP server (smtp-server, which keeps every message) and the local Web Push service
// that decrypts what it receives (test/push-endpoint.ts). A new reader clicks "Newsletter Signup" in the news
// site's masthead, signs up for the digest with just an address, confirms through the link in the mail
// (a page with a button: mail scanners fetch links) and sees it confirmed. The operator's send-now (the CLI's
// own function) sends the digest: it arrives once, with List-Unsubscribe (https and mailto),
// List-Unsubscribe-Post, a plain-text part and the stories' links. A GET of the unsubscribe URL shows a
// confirmation page and changes nothing; the one-click POST with no cookie or session unsubscribes; the
// preference page shows it. There the reader chooses breaking alerts; the browser takes push alerts (the
// button is on the page and asks nothing on load; the subscription is posted to /push/subscriptions with the
// local push service's keys, since headless Chromium reaches no real push service); an editor publishes a
// story marked urgent, and the alert reaches the SMTP server and the push service, which decrypts the
// headline. Screenshots at 390 and 1280 px go to /work/shots/h2 (NEWSLETTER_SHOTS overrides it).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { FAST_ARGON2, linkIn } from '../../src/accounts/testing.ts';
import { StoryEditing } from '../../src/articles/editing.ts';
import { StoryPublishing } from '../../src/articles/publishing.ts';
import { sendNow } from '../../src/cli/newsletter-command.ts';
import { loadConfig } from '../../src/config/config.ts';
import { seedDemoNetwork } from '../../src/demo/seed.ts';
import { parseItems } from '../../src/newsletters/digests/issues.ts';
import { type BulkSink, startBulkSink } from '../../src/newsletters/sending/testing.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { buildServer } from '../../src/web/server.tsx';
import { type PushEndpoint, startPushEndpoint } from '../push-endpoint.ts';
import { CHROMIUM } from './browser.ts';
import { mailsTo, plainRequest, sinkMails, until } from './newsletters-mail.ts';

const SHOTS = process.env.NEWSLETTER_SHOTS ?? '/work/shots/h2';
// Not a reserved or example domain: the signup form refuses those as undeliverable.
const READER = 'nora.newreader@meridian-readers.net';
const WIDTHS = [390, 1280] as const;

let rt: Runtime;
let app: Awaited<ReturnType<typeof buildServer>>;
let browser: Browser;
let sink: BulkSink;
let push: PushEndpoint;
let port: number;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

const news = (path = '/') => `http://news.localhost:${port}${path}`;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sink = await startBulkSink({ keepRaw: true });
  push = await startPushEndpoint();
  port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dateline-newsletters-browser-'));
  const config = loadConfig(
    {
      ...FAST_ARGON2,
      DATELINE_DATA_DIR: dir,
      DATABASE_URL: ':memory:',
      LOG_LEVEL: 'silent',
      DATELINE_DEMO: 'false',
      PORT: String(port),
      SMTP_URL: sink.url,
      DATELINE_PUSH_ALLOW_HTTP_LOOPBACK: 'true',
    },
    dir,
  );
  rt = await openRuntime(config, pino({ level: 'silent' }));
  await seedDemoNetwork(rt, { articlesPerSite: 8 });
  await rt.directory.load();
  app = await buildServer(rt, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
  });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await rt?.close();
  await sink?.close();
  await push?.close();
});

/** The page at both widths, top to bottom, as /work/shots/h2/newsletters-<name>-<width>.png. */
async function shoot(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 1280;
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.screenshot({ path: join(SHOTS, `newsletters-${name}-${w}.png`), fullPage: true });
  }
  await page.setViewportSize({ width, height: 900 });
}

async function subscriptionStatus(listSlug: string): Promise<string | null> {
  const row = await rt.db.kysely
    .selectFrom('newsletter_subscriptions as s')
    .innerJoin('newsletter_subscribers as r', 'r.id', 's.subscriber_id')
    .innerJoin('newsletters as n', 'n.id', 's.newsletter_id')
    .innerJoin('sites', 'sites.id', 'n.site_id')
    .select('s.status')
    .where('r.email', '=', READER)
    .where('n.slug', '=', listSlug)
    .where('sites.slug', '=', 'news')
    .executeTakeFirst();
  return row?.status ?? null;
}

/** An editor of the news site: the admin's story services (StoryEditing, StoryPublishing) act as them. */
async function editor(): Promise<{ userId: number }> {
  const user = await rt.accounts.createUser({
    email: 'eda.editor@meridian-newsroom.net',
    displayName: 'Eda Editor',
    password: 'harbour-lantern-desk-evening',
    roles: [{ role: 'editor', siteId: null }],
  });
  return { userId: user.id };
}

test('a new reader signs up, confirms, gets the digest once, leaves with one click, then gets an alert by mail and push', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Counts every ask for notification permission or a push subscription: none may happen on page load.
  await context.addInitScript(() => {
    const w = window as unknown as { __asks: string[] };
    w.__asks = [];
    if ('Notification' in window) {
      const ask = Notification.requestPermission.bind(Notification);
      Notification.requestPermission = (...a: Parameters<typeof ask>) => {
        w.__asks.push('permission');
        return ask(...a);
      };
    }
    if ('PushManager' in window) {
      const subscribe = PushManager.prototype.subscribe;
      PushManager.prototype.subscribe = function (this: PushManager, ...a: Parameters<typeof subscribe>) {
        w.__asks.push('subscribe');
        return subscribe.apply(this, a);
      };
    }
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  try {
    // ------------------------------------------------------------- the masthead link and the signup page
    await page.goto(news('/'));
    await page.getByRole('link', { name: 'Newsletter Signup' }).first().click();
    await page.waitForURL(news('/newsletters'));
    await page.getByRole('heading', { level: 1, name: 'Newsletters' }).waitFor();
    await page.waitForLoadState('networkidle');
    const digestBox = page.getByRole('checkbox', { name: 'Morning Briefing' });
    const alertsBox = page.getByRole('checkbox', { name: 'Breaking news alerts' });
    assert.equal(await digestBox.count(), 1);
    assert.equal(await alertsBox.count(), 1);
    assert.equal(await page.getByText('Every weekday at 7:00 (Japan Standard Time)').count(), 1);
    // The alerts opt-in is a button the reader presses (shown: *.localhost is a secure context), and
    // loading the page asked for nothing.
    const pushButton = page.getByRole('button', { name: 'Get breaking news alerts in this browser' });
    await pushButton.waitFor({ state: 'visible' });
    assert.equal(
      await pushButton.evaluate((b) => b.tagName === 'BUTTON' && b.getAttribute('type')),
      'button',
    );
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __asks: string[] }).__asks), []);
    await shoot(page, 'signup');

    // ------------------------------------------------------------- sign up with just an address
    await digestBox.check();
    await page.getByLabel('Your email address').fill(READER);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
    assert.equal(await subscriptionStatus('morning-briefing'), 'pending');

    // ------------------------------------------------------------- confirm through the mail's link
    const [confirmMail] = await mailsTo(sink, READER, /^Confirm your subscription/);
    const confirmLink = linkIn(confirmMail!.text, '/newsletters/confirm');
    assert.ok(confirmLink.startsWith(news('/newsletters/confirm?t=')), confirmLink);
    await page.goto(confirmLink);
    await page.getByRole('heading', { level: 1, name: 'Confirm your subscription' }).waitFor();
    // Opening the link (as a mail scanner would) confirms nothing: the button does.
    assert.equal(await subscriptionStatus('morning-briefing'), 'pending');
    await shoot(page, 'confirm');
    await page.getByRole('button', { name: /subscribe|confirm/i }).click();
    await page.getByRole('heading', { level: 1, name: 'Subscription confirmed' }).waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /Morning Briefing/);
    assert.equal(await subscriptionStatus('morning-briefing'), 'active');
    await shoot(page, 'confirmed');

    // ------------------------------------------------------------- send-now: the digest arrives once
    const sent = await sendNow(rt, { site: 'news', newsletter: 'morning-briefing', wait: true });
    assert.equal(sent.outcome, 'started');
    assert.equal(sent.progress?.status, 'sent');
    assert.equal(sent.progress?.failed, 0);
    const [digest] = await mailsTo(sink, READER, /^Morning Briefing: /);
    const digests = (await sinkMails(sink)).filter(
      (m) => m.to === READER && m.subject.startsWith('Morning Briefing: '),
    );
    assert.equal(digests.length, 1, 'the reader got the digest exactly once');
    assert.equal(sent.progress?.sent, sent.progress?.total, 'every frozen recipient was sent to');
    assert.equal(digest!.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    const listUnsubscribe = digest!.headers.get('list-unsubscribe') ?? '';
    const [, unsubscribeUrl, mailto] =
      /^<(http:\/\/news\.localhost:\d+\/newsletters\/unsubscribe\?[^>]+)>, <(mailto:[^>]+)>$/.exec(
        listUnsubscribe,
      ) ?? [];
    assert.ok(unsubscribeUrl && mailto, `List-Unsubscribe: ${listUnsubscribe}`);
    assert.equal(digest!.headers.get('precedence'), 'bulk');
    // A plain-text part and the HTML part both carry every story of the issue, with its link.
    const issue = await rt.db.kysely
      .selectFrom('newsletter_issues')
      .select('items')
      .where('id', '=', sent.issueId)
      .executeTakeFirstOrThrow();
    const items = parseItems(issue.items);
    assert.ok(items.length > 0, 'the issue has stories');
    const newsSite = rt.directory.all().find((c) => c.site.slug === 'news')!.site;
    assert.ok(digest!.text.length > 200, 'a plain-text part');
    // The plain text wraps long headlines over two lines.
    const text = digest!.text.replace(/\s+/g, ' ');
    for (const item of items) {
      const found = await rt.articles.get(item.articleId);
      assert.ok(found, `story ${item.articleId}`);
      const { headline } = found.article;
      const placement = found.placements.find((p) => p.siteId === newsSite.id)!;
      const link = news(rt.reader.pathOf(placement));
      assert.ok(text.includes(headline), `text names "${headline}"`);
      assert.ok(text.includes(link), `text links ${link}`);
      assert.ok(digest!.html.includes(`href="${link}"`), `html links ${link}`);
    }

    // ------------------------------------------------------------- unsubscribe: GET asks, POST does
    await page.goto(unsubscribeUrl!);
    await page.getByRole('heading', { level: 1, name: 'Unsubscribe from Morning Briefing' }).waitFor();
    await page.getByRole('button', { name: 'Unsubscribe' }).waitFor();
    assert.equal(await subscriptionStatus('morning-briefing'), 'active', 'a GET unsubscribes nobody');
    await shoot(page, 'unsubscribe');
    // The mail client's one-click POST (RFC 8058): no cookie, no session, no CSRF token.
    const oneClick = await plainRequest(unsubscribeUrl!, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(oneClick.status, 200, oneClick.body);
    assert.match(oneClick.body, /You are unsubscribed/);
    assert.equal(oneClick.headers['set-cookie'], undefined);
    assert.equal(await subscriptionStatus('morning-briefing'), 'unsubscribed');
    const unsubscribed = await rt.db.kysely
      .selectFrom('newsletter_issues')
      .select('unsubscribed_count')
      .where('id', '=', sent.issueId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(unsubscribed.unsubscribed_count), 1, 'counted on the issue it came from');
    await page.setContent(oneClick.body.replace('<head>', `<head><base href="${news('/')}">`));
    await shoot(page, 'unsubscribed');

    // ------------------------------------------------------------- the preference page: left; alerts on
    const preferencesUrl = linkIn(digest!.text, '/newsletters/preferences');
    await page.goto(preferencesUrl);
    await page.getByRole('heading', { level: 1, name: 'Your newsletters' }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'Morning Briefing' }).isChecked(), false);
    // Says so, rather than looking like a list never asked for.
    assert.match(
      (await page.locator('li', { has: page.getByLabel('Morning Briefing') }).textContent()) ?? '',
      /You unsubscribed\./,
    );
    await shoot(page, 'preferences');
    await page.getByRole('checkbox', { name: 'Breaking news alerts' }).check();
    await page.getByRole('button', { name: 'Save my choice' }).click();
    await page.getByText('Your choice is saved.').waitFor();
    assert.equal(await page.getByRole('checkbox', { name: 'Breaking news alerts' }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'Morning Briefing' }).isChecked(), false);
    assert.equal(await subscriptionStatus('alerts'), 'active');
    assert.equal(await subscriptionStatus('morning-briefing'), 'unsubscribed');

    // ------------------------------------------------------------- this browser takes push alerts
    await page.goto(news('/newsletters'));
    await pushButton.waitFor({ state: 'visible' });
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __asks: string[] }).__asks), []);
    const device = push.newSubscription();
    const posted = await page.evaluate(async (subscription) => {
      const key = await (await fetch('/push/key', { credentials: 'same-origin' })).json();
      const res = await fetch('/push/subscriptions', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          subscription: { endpoint: subscription.endpoint, keys: subscription.keys },
          csrf: key.csrf,
        }),
      });
      return { status: res.status, available: key.available as boolean };
    }, device);
    assert.deepEqual(posted, { status: 201, available: true });

    // ------------------------------------------------------------- an editor publishes an urgent story
    const newsCtx = rt.directory.all().find((c) => c.site.slug === 'news')!;
    const section = [...newsCtx.sectionsBySlug.values()][0]!;
    const headline = 'Strong earthquake shakes the coast; no tsunami warning';
    const actor = await editor();
    const draft = await new StoryEditing(rt.db, rt.articles).createDraft(
      {
        siteId: newsCtx.site.id,
        sectionId: section.id,
        fields: {
          headline,
          dek: 'Buildings swayed in the capital for nearly a minute.',
          body_html: '<p>The meteorological agency measured the quake at magnitude 6.8.</p>',
          urgent: true,
        },
      },
      actor,
    );
    await new StoryPublishing(rt.db, rt.articles).publishNow(draft.story.article.id, actor);

    // The alert mail reaches the SMTP server, and the push service decrypts the headline.
    const [alert] = await mailsTo(sink, READER, new RegExp(headline.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.ok(alert!.text.includes(headline));
    assert.match(alert!.headers.get('list-unsubscribe') ?? '', /^<http:\/\/news\.localhost:\d+\/newsletters/);
    const pushed = await until('the push with the headline', () =>
      push.received.find((r) => r.id === device.id && JSON.stringify(r.payload).includes(headline)),
    );
    assert.ok(pushed.topic, 'the push carries a Topic, so a correction replaces it');
    assert.deepEqual(push.refused, []);

    // Nothing was sent twice in all that: one digest, one alert.
    const mine = (await sinkMails(sink)).filter((m) => m.to === READER);
    assert.equal(mine.filter((m) => m.subject.startsWith('Morning Briefing: ')).length, 1);
    assert.equal(mine.filter((m) => m.subject.includes(headline)).length, 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
