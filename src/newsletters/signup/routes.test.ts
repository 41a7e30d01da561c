// The reader's newsletter routes over HTTP (fastify.inject), on both databases: the /newsletters page,
// signup by address with JavaScript off (bad input named in the form, CSRF refused, the same answer for a
// new and an already subscribed address), the confirmation link, one-click unsubscribe (GET shows a page,
// POST without cookies or token unsubscribes, urlencoded or multipart), the preference page, tampered
// links, the signed-in one-click signup, My account's section, the masthead link and the article box.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2, linkIn } from '../../accounts/testing.ts';
import { recipientLinks } from '../links.ts';
import type { Newsletter } from '../lists.ts';

const NEWS = 'http://news.localhost:3000';

describeEachDialect('newsletter signup routes', (d) => {
  let t: TestApp;
  let siteId: number;
  let morning: Newsletter;
  let alerts: Newsletter;
  let storyPath: string;

  const confirmMails = async (to: string) =>
    (await t.rt.mail.outbox({ to, limit: 50 })).filter((m) => m.kind === 'newsletter-confirm');
  const statusOf = async (email: string, listId: number) =>
    (
      await t.rt.db.kysely
        .selectFrom('newsletter_subscriptions as s')
        .innerJoin('newsletter_subscribers as p', 'p.id', 's.subscriber_id')
        .select('s.status')
        .where('p.email', '=', email)
        .where('s.newsletter_id', '=', listId)
        .executeTakeFirst()
    )?.status ?? null;
  const visible = (html: string) =>
    html
      .replace(/<input type="hidden" name="csrf"[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');

  before(async () => {
    t = await startTestApp(d.db, FAST_ARGON2);
    const s = await newsSite(t.rt);
    siteId = s.site.id;
    const lists = t.rt.newsletterSignup.lists;
    morning = await lists.create(siteId, {
      slug: 'morning-briefing',
      name: 'Morning Briefing',
      description: 'The news you need before work.',
      kind: 'digest',
      schedule: { days: [1, 2, 3, 4, 5], time: '07:00' },
      composition: { topCount: 5, sections: [] },
      senderName: 'Example Times',
      senderEmail: 'news@times.co.jp',
      articleBox: true,
      trackEngagement: true,
    });
    alerts = await lists.create(siteId, {
      slug: 'alerts',
      name: 'Breaking news',
      kind: 'alerts',
      senderName: 'Example Times',
      senderEmail: 'alerts@times.co.jp',
    });
    const story = (
      await t.rt.articles.create(
        { siteId, sectionId: s.world.id, headline: 'Summit opens in Dushanbe', bodyHtml: '<p>Text.</p>' },
        'test',
      )
    ).article;
    const placed = await t.rt.db.kysely
      .selectFrom('placements')
      .select('slug')
      .where('article_id', '=', story.id)
      .executeTakeFirstOrThrow();
    storyPath = `/world/${placed.slug}`;
  });
  after(async () => {
    await t.close();
  });

  test('the page lists the newsletters with how often, a sample, the tracking statement, and works without JS', async () => {
    const c = new Client(t.app);
    const page = await c.get(`${NEWS}/newsletters`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Morning Briefing/);
    assert.match(page.body, /Every weekday at 7:00 \(Japan Standard Time\)/);
    assert.match(page.body, /href="\/newsletters\/morning-briefing\/latest"/);
    assert.match(page.body, /When major news breaks/);
    assert.match(page.body, /We count who opens this newsletter/);
    assert.match(page.body, /<form method="post" action="\/newsletters"/);
    const sample = await c.get(`${NEWS}/newsletters/morning-briefing/latest`);
    assert.equal(sample.status, 200);
    assert.match(sample.body, /Summit opens in Dushanbe/);
    assert.equal((await c.get(`${NEWS}/newsletters/nothing-here/latest`)).status, 404);
  });

  test('every page has the masthead link, and a story ends with the signup box saying what the reader gets', async () => {
    const c = new Client(t.app);
    const home = await c.get(`${NEWS}/`);
    assert.match(home.body, /<a class="masthead__newsletters" href="\/newsletters">Newsletter Signup<\/a>/);
    const story = await c.get(`${NEWS}${storyPath}`);
    assert.equal(story.status, 200);
    assert.match(story.body, /class="newsletter-box"/);
    assert.match(story.body, /The news you need before work\./);
    assert.match(story.body, /Every weekday at 7:00/);
    // The box's GET form lands on the signup page with the address and the newsletter filled in.
    const landed = await c.get(`${NEWS}/newsletters?n=${morning.id}&email=ivy%40mail.co.jp`);
    // A site with an alert list offers alerts in the browser: a button the reader presses, whose script is
    // a module from this origin (no permission prompt on load: the script asks only on the button's click).
    assert.match(
      landed.body,
      /<div class="push-optin" data-push-optin="true" hidden><h2>Alerts in this browser<\/h2>/,
    );
    assert.match(
      landed.body,
      /<button type="button" class="btn btn--plain push-optin__button" data-push-button/,
    );
    assert.match(landed.body, /<script type="module" src="\/assets\/push\/[0-9a-f]+\/opt-in\.js"><\/script>/);
    assert.match(landed.body, /value="ivy@mail\.co\.jp"/);
    assert.match(landed.body, new RegExp(`value="${morning.id}"[^>]*checked`));
    // Changing the lists drops the cached story: the box follows.
    await t.rt.newsletterSignup.lists.update(morning.id, { description: 'Five stories, seven o’clock.' });
    const again = await c.get(`${NEWS}${storyPath}`);
    assert.match(again.body, /Five stories, seven o’clock\./);
  });

  test('bad input is named in the form; a post without the page’s token is refused and changes nothing', async () => {
    const c = new Client(t.app);
    for (const [email, n, field] of [
      ['not-an-address', String(morning.id), 'f-email'],
      ['x@example.com', String(morning.id), 'f-email'],
      [`${'a'.repeat(260)}@mail.co.jp`, String(morning.id), 'f-email'],
      ['jo@mail.co.jp', '', 'f-newsletters'],
    ] as const) {
      const res = await c.submit(`${NEWS}/newsletters`, '/newsletters', { email, n });
      assert.equal(res.status, 400, email);
      assert.match(res.body, new RegExp(`href="#${field}"`), email);
      assert.match(res.body, /There is a problem/);
    }
    const forged = await c.post(`${NEWS}/newsletters`, { email: 'jo@mail.co.jp', n: String(morning.id) });
    assert.equal(forged.status, 403);
    assert.equal(await statusOf('jo@mail.co.jp', morning.id), null);
  });

  test('signup, confirm by the mailed link, and the answer never tells whether an address was subscribed', async () => {
    const c = new Client(t.app);
    const email = 'kim@mail.co.jp';
    const first = await c.submit(`${NEWS}/newsletters`, '/newsletters', { email, n: String(morning.id) });
    assert.equal(first.status, 200);
    assert.match(first.body, /Check your inbox/);
    assert.equal(await statusOf(email, morning.id), 'pending');
    const mails = await confirmMails(email);
    assert.equal(mails.length, 1);
    const link = linkIn(mails[0]!.text, '/newsletters/confirm?t=');
    // The GET (a mail scanner's fetch) confirms nothing; the page's button does.
    const page = await c.get(link);
    assert.equal(page.status, 200);
    assert.match(page.body, /Yes, subscribe me/);
    assert.equal(await statusOf(email, morning.id), 'pending');
    const done = await c.post(`${NEWS}/newsletters/confirm`, {
      csrf: csrfOf(page.body),
      t: new URL(link).searchParams.get('t')!,
    });
    assert.equal(done.status, 200);
    assert.match(done.body, /Subscription confirmed/);
    assert.equal(await statusOf(email, morning.id), 'active');
    // The same address again, and a new one: the same words, and no mail for the subscribed one.
    const other = new Client(t.app);
    const known = await other.submit(`${NEWS}/newsletters`, '/newsletters', { email, n: String(morning.id) });
    const fresh = await other.submit(`${NEWS}/newsletters`, '/newsletters', {
      email: 'lee@mail.co.jp',
      n: String(morning.id),
    });
    assert.equal(known.status, fresh.status);
    assert.equal(visible(known.body), visible(fresh.body));
    assert.equal((await confirmMails(email)).length, 1);
    assert.equal((await confirmMails('lee@mail.co.jp')).length, 1);
    // A tampered confirmation link: a clear page with the code, nothing changed.
    const bad = await c.get(
      `${NEWS}/newsletters/confirm?t=${encodeURIComponent(`${new URL(link).searchParams.get('t')!}x`)}`,
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body, /DATELINE_ERR_NEWSLETTER_LINK_INVALID/);
  });

  test('one-click unsubscribe: GET shows a page, POST with no cookie or token unsubscribes; tampered links change nothing', async () => {
    const email = 'kim@mail.co.jp';
    const sub = await t.rt.db.kysely
      .selectFrom('newsletter_subscribers')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const links = recipientLinks(
      t.rt.accounts.signingKey,
      NEWS,
      { subscriberId: sub.id, linkVersion: sub.link_version },
      morning.id,
    );
    const path = new URL(links.unsubscribe).pathname + new URL(links.unsubscribe).search;
    const shown = await t.app.inject({
      method: 'GET',
      url: path,
      headers: { host: 'news.localhost:3000', accept: 'text/html' },
    });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Unsubscribe from Morning Briefing/);
    assert.match(shown.body, /name="List-Unsubscribe" value="One-Click"/);
    // A reader who only meant to change what they get has the preference page one link away.
    const prefsPath = new URL(links.preferences).pathname + new URL(links.preferences).search;
    assert.ok(
      shown.body.includes(`href="${prefsPath.replaceAll('&', '&amp;')}"`) ||
        shown.body.includes(links.preferences),
      'the confirmation page links to the preference page',
    );
    assert.equal(await statusOf(email, morning.id), 'active');
    const tampered = path.replace(/t=(\d+)\./, (_m, id) => `t=${Number(id) + 1}.`);
    for (const url of [tampered, '/newsletters/unsubscribe?t=nonsense', '/newsletters/unsubscribe']) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: {
          host: 'news.localhost:3000',
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
        },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(res.statusCode, 400, url);
      assert.match(res.body, /DATELINE_ERR_NEWSLETTER_LINK_INVALID/);
    }
    // Without the one-click body: refused.
    const empty = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { host: 'news.localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    assert.equal(empty.statusCode, 400);
    assert.equal(await statusOf(email, morning.id), 'active');
    // A mail client's RFC 8058 request, multipart: no cookie, no CSRF token.
    const res = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { host: 'news.localhost:3000', 'content-type': 'multipart/form-data; boundary=XX' },
      payload:
        '--XX\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XX--\r\n',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(await statusOf(email, morning.id), 'unsubscribed');
    // The preference page from the same mail: choose again, then leave all.
    const c = new Client(t.app);
    const prefs = await c.get(links.preferences);
    assert.equal(prefs.status, 200);
    assert.match(prefs.body, /Your newsletters/);
    const saved = await c.post(`${NEWS}/newsletters/preferences`, {
      csrf: csrfOf(prefs.body),
      t: new URL(links.preferences).searchParams.get('t')!,
      n: String(morning.id),
      action: 'save',
    });
    assert.equal(saved.status, 200);
    assert.equal(await statusOf(email, morning.id), 'active');
    const left = await c.post(`${NEWS}/newsletters/preferences`, {
      csrf: csrfOf(saved.body),
      t: new URL(links.preferences).searchParams.get('t')!,
      n: String(morning.id),
      action: 'leave',
    });
    assert.match(left.body, /You have left all our newsletters/);
    assert.equal(await statusOf(email, morning.id), 'unsubscribed');
    const forged = await c.get(`${links.preferences}A`);
    assert.equal(forged.status, 400);
    assert.match(forged.body, /DATELINE_ERR_NEWSLETTER_LINK_INVALID/);
  });

  test('a signed-in reader signs up with one click and manages newsletters and alerts in My account', async () => {
    const email = 'mo@mail.co.jp';
    const user = await t.rt.accounts.createUser({
      email,
      displayName: 'Mo Reader',
      password: 'a long pass phrase 42',
    });
    await t.rt.db.kysely
      .updateTable('users')
      .set({ email_verified_at: new Date().toISOString() })
      .where('id', '=', user.id)
      .execute();
    const c = new Client(t.app);
    const login = await c.submit(`${NEWS}/account/login`, '/account/login', {
      email,
      password: 'a long pass phrase 42',
    });
    await c.follow(login);
    const page = await c.get(`${NEWS}/newsletters`);
    assert.match(page.body, /we will send them to <strong>mo@mail\.co\.jp<\/strong>/);
    const done = await c.post(`${NEWS}/newsletters`, {
      csrf: csrfOf(page.body),
      account: '1',
      n: String(morning.id),
    });
    assert.equal(done.status, 200);
    assert.match(done.body, /You are subscribed/);
    assert.equal(await statusOf(email, morning.id), 'active');
    assert.equal((await confirmMails(email)).length, 0);
    const account = await c.get(`${NEWS}/account`);
    assert.match(account.body, /Newsletters and alerts/);
    assert.match(account.body, /You have not asked for news alerts/);
    // The browser alerts button is there too (hidden until its script finds push support).
    assert.match(account.body, /<div class="push-optin" data-push-optin="true" hidden><button/);
    const saved = await c.post(`${NEWS}/account/newsletters`, { csrf: csrfOf(account.body), alerts: '1' });
    assert.equal(saved.status, 303);
    assert.equal(await statusOf(email, alerts.id), 'active');
    assert.equal(await statusOf(email, morning.id), 'unsubscribed');
    assert.ok((await t.rt.accounts.user(user.id))!.newsAlertsConfirmedAt);
    const after = await c.get(`${NEWS}/account`);
    assert.match(after.body, /You receive our news alerts/);
    await c.post(`${NEWS}/account/newsletters`, { csrf: csrfOf(after.body), n: String(morning.id) });
    assert.equal(await statusOf(email, alerts.id), 'unsubscribed');
    assert.equal((await t.rt.accounts.user(user.id))!.newsAlertsConfirmedAt, null);
    // Without the session's token: refused.
    const forged = await c.post(`${NEWS}/account/newsletters`, { alerts: '1' });
    assert.equal(forged.status, 403);
    assert.equal(await statusOf(email, alerts.id), 'unsubscribed');
  });

  test('accepting the news-alert invitation of a social sign-up subscribes the reader to the site’s alert list', async () => {
    const email = 'nia@mail.co.jp';
    const out = await t.rt.social.resolve(
      { provider: 'oidc', subject: 'nia-sub', email, emailVerified: true, name: 'Nia Social' },
      { linkUserId: null, next: '/' },
      { ip: '127.0.0.1', userAgent: 'test', siteId, origin: NEWS },
    );
    assert.equal(out.kind, 'signed-in');
    const invite = (await t.rt.mail.outbox({ to: email })).find((m) => m.kind === 'news-alerts-invite')!;
    assert.equal(await statusOf(email, alerts.id), null);
    const c = new Client(t.app);
    const link = linkIn(invite.text, '/account/news-alerts?t=');
    const page = await c.get(link);
    const done = await c.post(`${NEWS}/account/news-alerts`, {
      csrf: csrfOf(page.body),
      t: new URL(link).searchParams.get('t')!,
    });
    assert.equal(done.status, 200);
    assert.equal(await statusOf(email, alerts.id), 'active');
    const row = await t.rt.db.kysely
      .selectFrom('newsletter_subscriptions')
      .select('consent_source')
      .where('newsletter_id', '=', alerts.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.consent_source, 'social');
    assert.ok((await t.rt.accounts.findByEmail(email))!.newsAlertsConfirmedAt);
  });
});
