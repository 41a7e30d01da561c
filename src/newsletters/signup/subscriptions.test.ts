// The signup service and the lists repository on both databases: double opt-in with one mail per 10
// minutes, confirmation, expiry and forgetting after 7 days, signed unsubscribe and preference links
// (tampered and old link versions change nothing), the issue's unsubscribe count, imports with and without
// consent, flood limits, and the lists' field checks.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import { confirmToken, recipientLinks, recipientToken } from '../links.ts';
import type { Newsletter, NewsletterInput } from '../lists.ts';
import { NewsletterSubscriptions } from './subscriptions.ts';

const FORM = { source: 'form' as const, ip: '192.0.2.1' };

describeEachDialect('newsletter signup service', (d) => {
  let t: TestApp;
  let siteId: number;
  let other: number;
  let morning: Newsletter;
  let weekly: Newsletter;
  let elsewhere: Newsletter;
  let clock = new Date('2026-12-01T00:00:00Z');
  let svc: NewsletterSubscriptions;

  const outbox = async (to: string) =>
    (await t.rt.mail.outbox({ to, limit: 100 })).filter((m) => m.kind === 'newsletter-confirm');
  const statusOf = async (email: string, listId: number) => {
    const row = await t.rt.db.kysely
      .selectFrom('newsletter_subscriptions as s')
      .innerJoin('newsletter_subscribers as p', 'p.id', 's.subscriber_id')
      .select('s.status')
      .where('p.email', '=', email)
      .where('s.newsletter_id', '=', listId)
      .executeTakeFirst();
    return row?.status ?? null;
  };
  const tokenIn = (text: string) => /\/newsletters\/confirm\?t=([A-Za-z0-9._-]+)/.exec(text)![1]!;

  before(async () => {
    t = await startTestApp(d.db);
    const s = await newsSite(t.rt);
    siteId = s.site.id;
    const lists = t.rt.newsletterSignup.lists;
    const base = { senderName: 'Example Times', senderEmail: 'news@times.co.jp' };
    morning = await lists.create(siteId, {
      ...base,
      slug: 'morning',
      name: 'Morning Briefing',
      kind: 'digest',
      schedule: { days: [1, 2, 3, 4, 5], time: '07:00' },
      composition: { topCount: 5, sections: [{ sectionId: s.world.id, count: 3 }] },
      articleBox: true,
    });
    weekly = await lists.create(siteId, {
      ...base,
      slug: 'weekly',
      name: 'Weekly Travel',
      kind: 'digest',
      schedule: { days: [6], time: '09:00' },
    });
    const second = await newsSite(t.rt, 'life');
    other = second.site.id;
    elsewhere = await lists.create(other, {
      ...base,
      slug: 'morning',
      name: 'Life Mornings',
      kind: 'digest',
      schedule: { days: [7], time: '08:00' },
    });
    svc = new NewsletterSubscriptions({
      db: d.db,
      lists,
      mail: t.rt.mail,
      limits: t.rt.accounts.limits.factory,
      signingKey: () => t.rt.accounts.signingKey,
      mailSite: (id, origin) => t.rt.accounts.mailSite(id, origin),
      siteOrigin: () => 'http://news.localhost:3000',
      settings: { perIpPerHour: 1000, perAddressPerHour: 3 },
      now: () => clock,
    });
  });
  after(async () => {
    await t.close();
  });

  test('a form signup is pending with one confirmation mail; again within 10 minutes, no second mail', async () => {
    const email = 'ann@mail.co.jp';
    const first = await svc.subscribe({
      ...FORM,
      siteId,
      email: ' Ann@Mail.co.jp ',
      newsletterIds: [morning.id, weekly.id],
    });
    assert.equal(first.mailed, true);
    assert.equal(await statusOf(email, morning.id), 'pending');
    assert.equal(await statusOf(email, weekly.id), 'pending');
    const mails = await outbox(email);
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.text, /Morning Briefing/);
    assert.match(mails[0]!.text, /Weekly Travel/);
    clock = new Date(clock.getTime() + 9 * 60_000);
    const again = await svc.subscribe({ ...FORM, siteId, email, newsletterIds: [morning.id] });
    assert.equal(again.mailed, false);
    assert.equal((await outbox(email)).length, 1);
    clock = new Date(clock.getTime() + 2 * 60_000);
    assert.equal((await svc.subscribe({ ...FORM, siteId, email, newsletterIds: [morning.id] })).mailed, true);
    assert.equal((await outbox(email)).length, 2);
  });

  test('the confirmation link confirms every pending list of the site, only there, and not once expired', async () => {
    const email = 'bo@mail.co.jp';
    clock = new Date('2026-12-02T00:00:00Z');
    await svc.subscribe({ ...FORM, siteId, email, newsletterIds: [morning.id, weekly.id] });
    await svc.subscribe({ ...FORM, siteId: other, email, newsletterIds: [elsewhere.id] });
    const token = tokenIn((await outbox(email)).find((m) => m.siteId === siteId)!.text);
    // Another site's host, a changed signature, a changed subscriber: refused, nothing changes.
    await assert.rejects(svc.confirm(token, other), (e) => isDatelineError(e, 'NEWSLETTER_LINK_INVALID'));
    const [s, site, at, sig] = token.split('.');
    const forged = `${Number(s) + 1}.${site}.${at}.${sig}`;
    await assert.rejects(svc.confirm(forged, siteId), (e) => isDatelineError(e, 'NEWSLETTER_LINK_INVALID'));
    await assert.rejects(svc.confirm(`${token.slice(0, -2)}xx`, siteId), (e) =>
      isDatelineError(e, 'NEWSLETTER_LINK_INVALID'),
    );
    assert.equal(await statusOf(email, morning.id), 'pending');
    const done = await svc.confirm(token, siteId);
    assert.deepEqual(done.confirmed.sort(), ['Morning Briefing', 'Weekly Travel']);
    assert.equal(await statusOf(email, morning.id), 'active');
    assert.equal(await statusOf(email, weekly.id), 'active');
    assert.equal(await statusOf(email, elsewhere.id), 'pending');
    assert.deepEqual((await svc.confirm(token, siteId)).confirmed, []);
    // The other site's link, 8 days on: expired.
    const late = tokenIn((await outbox(email)).find((m) => m.siteId === other)!.text);
    clock = new Date(clock.getTime() + 8 * 86_400_000);
    await assert.rejects(svc.confirm(late, other), (e) => isDatelineError(e, 'NEWSLETTER_LINK_INVALID'));
    assert.equal(await statusOf(email, elsewhere.id), 'pending');
  });

  test('unconfirmed signups, and addresses left with none, are forgotten after 7 days', async () => {
    clock = new Date('2026-12-20T00:00:00Z');
    await svc.subscribe({ ...FORM, siteId, email: 'cy@mail.co.jp', newsletterIds: [weekly.id] });
    clock = new Date('2026-12-26T00:00:00Z');
    await svc.subscribe({ ...FORM, siteId, email: 'di@mail.co.jp', newsletterIds: [weekly.id] });
    clock = new Date('2026-12-27T01:00:00Z');
    await svc.forgetUnconfirmed();
    const left = await t.rt.db.kysely.selectFrom('newsletter_subscribers').select('email').execute();
    const emails = left.map((r) => r.email);
    assert.ok(!emails.includes('cy@mail.co.jp'));
    assert.ok(emails.includes('di@mail.co.jp'));
    // Confirmed ones stay, whatever their age.
    assert.equal(await statusOf('bo@mail.co.jp', morning.id), 'active');
  });

  test('one-click unsubscribe leaves one list and counts it on the issue; old link versions change nothing', async () => {
    clock = new Date('2027-01-05T00:00:00Z');
    const email = 'ed@mail.co.jp';
    await svc.subscribe({ ...FORM, siteId, email, newsletterIds: [morning.id, weekly.id] });
    await svc.confirm(tokenIn((await outbox(email))[0]!.text), siteId);
    const sub = (await t.rt.db.kysely
      .selectFrom('newsletter_subscribers')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow())!;
    const issue = await t.rt.db.kysely
      .insertInto('newsletter_issues')
      .values({
        newsletter_id: morning.id,
        site_id: siteId,
        kind: 'digest',
        status: 'sent',
        subject: 'Monday',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.rt.db.kysely
      .insertInto('newsletter_deliveries')
      .values({ issue_id: issue.id, subscriber_id: sub.id, email, status: 'sent' })
      .execute();
    const key = t.rt.accounts.signingKey;
    const links = recipientLinks(
      key,
      'http://news.localhost:3000',
      { subscriberId: sub.id, linkVersion: 1 },
      morning.id,
      issue.id,
    );
    assert.match(links.unsubscribe, /^http:\/\/news\.localhost:3000\/newsletters\/unsubscribe\?t=.+&i=\d+$/);
    assert.match(links.unsubscribeMailto, /^mailto:unsubscribe@news\.localhost\?subject=/);
    const token = new URL(links.unsubscribe).searchParams.get('t')!;
    // A token for the preference page cannot unsubscribe; a forged list id fails the signature.
    await assert.rejects(
      svc.unsubscribe(recipientToken(key, { subscriberId: sub.id, linkVersion: 1 }, null), siteId),
      (e) => isDatelineError(e, 'NEWSLETTER_LINK_INVALID'),
    );
    await assert.rejects(svc.unsubscribe(token.replace(`.${morning.id}.`, `.${weekly.id}.`), siteId), (e) =>
      isDatelineError(e, 'NEWSLETTER_LINK_INVALID'),
    );
    const out = await svc.unsubscribe(token, siteId, issue.id);
    assert.equal(out.changed, true);
    assert.equal(await statusOf(email, morning.id), 'unsubscribed');
    assert.equal(await statusOf(email, weekly.id), 'active');
    assert.equal((await svc.unsubscribe(token, siteId, issue.id)).changed, false);
    const counted = await t.rt.db.kysely
      .selectFrom('newsletter_issues')
      .select('unsubscribed_count')
      .where('id', '=', issue.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(counted.unsubscribed_count), 1);
    // Raising the link version ends every link mailed so far.
    const prefs = recipientToken(key, { subscriberId: sub.id, linkVersion: 1 }, null);
    await t.rt.db.kysely
      .updateTable('newsletter_subscribers')
      .set({ link_version: 2 })
      .where('id', '=', sub.id)
      .execute();
    await assert.rejects(svc.savePreferences(prefs, siteId, []), (e) =>
      isDatelineError(e, 'NEWSLETTER_LINK_INVALID'),
    );
    assert.equal(await statusOf(email, weekly.id), 'active');
    const fresh = recipientToken(key, { subscriberId: sub.id, linkVersion: 2 }, null);
    const choices = await svc.savePreferences(fresh, siteId, [morning.id]);
    assert.deepEqual(
      choices.map((c) => [c.newsletter.slug, c.status]),
      [
        ['morning', 'active'],
        ['weekly', 'unsubscribed'],
      ],
    );
    await svc.savePreferences(fresh, siteId, []);
    assert.equal(await statusOf(email, morning.id), 'unsubscribed');
  });

  test('bad addresses and unknown lists are refused with the field named; floods are limited', async () => {
    for (const [email, field] of [
      ['not an address', 'email'],
      [`${'a'.repeat(250)}@mail.co.jp`, 'email'],
      ['someone@example.com', 'email'],
      ['x@site.test', 'email'],
      ['', 'email'],
    ] as const) {
      await assert.rejects(
        svc.subscribe({ ...FORM, siteId, email, newsletterIds: [morning.id] }),
        (e) => isDatelineError(e, 'NEWSLETTER_SIGNUP_INVALID') && e.where?.field === field,
        email,
      );
    }
    for (const ids of [[], [elsewhere.id], [morning.id, 99_999]]) {
      await assert.rejects(
        svc.subscribe({ ...FORM, siteId, email: 'fi@mail.co.jp', newsletterIds: ids }),
        (e) => isDatelineError(e, 'NEWSLETTER_SIGNUP_INVALID') && e.where?.field === 'newsletters',
      );
    }
    const strict = new NewsletterSubscriptions({
      db: d.db,
      lists: t.rt.newsletterSignup.lists,
      mail: t.rt.mail,
      limits: t.rt.accounts.limits.factory,
      signingKey: () => t.rt.accounts.signingKey,
      mailSite: (id, origin) => t.rt.accounts.mailSite(id, origin),
      siteOrigin: () => 'http://news.localhost:3000',
      settings: { perIpPerHour: 3, perAddressPerHour: 1 },
      now: () => clock,
    });
    const ip = '198.51.100.7';
    for (let i = 0; i < 3; i++)
      await strict.subscribe({
        source: 'form',
        ip,
        siteId,
        email: `flood${i}@mail.co.jp`,
        newsletterIds: [weekly.id],
      });
    await assert.rejects(
      strict.subscribe({
        source: 'form',
        ip,
        siteId,
        email: 'flood9@mail.co.jp',
        newsletterIds: [weekly.id],
      }),
      (e) => isDatelineError(e, 'NEWSLETTER_SIGNUP_LIMITED') && Number(e.where?.retryAfter) > 0,
    );
    // One mailbox: past its confirmations per hour the answer is the same and no mail goes.
    clock = new Date(clock.getTime() + 3600_000);
    const target = 'victim@mail.co.jp';
    assert.equal(
      (
        await strict.subscribe({
          source: 'form',
          ip: '203.0.113.1',
          siteId,
          email: target,
          newsletterIds: [weekly.id],
        })
      ).mailed,
      true,
    );
    clock = new Date(clock.getTime() + 11 * 60_000);
    const over = await strict.subscribe({
      source: 'form',
      ip: '203.0.113.2',
      siteId,
      email: target,
      newsletterIds: [weekly.id],
    });
    assert.equal(over.mailed, false);
    assert.equal((await outbox(target)).length, 1);
  });

  test('imports: consent makes a row active, without it a confirmation mail; bad and repeated rows are reported', async () => {
    clock = new Date('2027-02-01T00:00:00Z');
    const out = await svc.importSubscribers(weekly.id, [
      { email: 'gi@mail.co.jp', consent: true },
      { email: 'ha@mail.co.jp', consent: false },
      { email: 'nonsense', consent: true },
      { email: 'GI@mail.co.jp', consent: true },
    ]);
    assert.equal(out.active, 1);
    assert.equal(out.pending, 1);
    assert.equal(out.mailed, 1);
    assert.deepEqual(
      out.skipped.map((s) => s.line),
      [3, 4],
    );
    assert.equal(await statusOf('gi@mail.co.jp', weekly.id), 'active');
    assert.equal(await statusOf('ha@mail.co.jp', weekly.id), 'pending');
    assert.equal((await outbox('ha@mail.co.jp')).length, 1);
    assert.equal((await outbox('gi@mail.co.jp')).length, 0);
  });

  test('a confirmation token names its address: a row id given to a later address does not confirm it', async () => {
    const key = t.rt.accounts.signingKey;
    const sub = await t.rt.db.kysely
      .selectFrom('newsletter_subscribers')
      .select(['id'])
      .where('email', '=', 'ha@mail.co.jp')
      .executeTakeFirstOrThrow();
    const forOther = confirmToken(
      key,
      { subscriberId: sub.id, siteId, email: 'someone-else@mail.co.jp' },
      clock,
    );
    await assert.rejects(svc.confirm(forOther, siteId), (e) => isDatelineError(e, 'NEWSLETTER_LINK_INVALID'));
    assert.equal(await statusOf('ha@mail.co.jp', weekly.id), 'pending');
  });

  test('lists: fields are checked with the field named, slugs are unique per site, one article box per site', async () => {
    const lists = t.rt.newsletterSignup.lists;
    const base = {
      slug: 'evening',
      name: 'Evening',
      kind: 'digest' as const,
      senderName: 'Times',
      senderEmail: 'news@times.co.jp',
      schedule: { days: [1], time: '18:00' },
    };
    for (const [patch, field] of [
      [{ senderEmail: 'not-an-address' }, 'senderEmail'],
      [{ replyTo: 'also bad' }, 'replyTo'],
      [{ slug: 'Bad Slug' }, 'slug'],
      [{ name: '' }, 'name'],
      [{ schedule: { days: [8], time: '18:00' } }, 'schedule'],
      [{ schedule: { days: [1], time: '25:00' } }, 'schedule'],
      [{ schedule: { days: [], time: '18:00' } }, 'schedule'],
      [{ composition: { topCount: 3, sections: [{ sectionId: 99_999, count: 2 }] } }, 'composition'],
    ] as [Partial<NewsletterInput>, string][]) {
      await assert.rejects(
        lists.create(siteId, { ...base, ...patch }),
        (e) => isDatelineError(e, 'NEWSLETTER_INVALID') && e.where?.field === field,
        field,
      );
    }
    await assert.rejects(lists.create(siteId, { ...base, slug: 'morning' }), (e) =>
      isDatelineError(e, 'NEWSLETTER_SLUG_TAKEN'),
    );
    const evening = await lists.create(siteId, { ...base, articleBox: true });
    assert.equal((await lists.require(morning.id)).articleBox, false);
    assert.equal(evening.articleBox, true);
    const alerts = await lists.create(siteId, {
      ...base,
      slug: 'alerts',
      name: 'Breaking news',
      kind: 'alerts',
    });
    assert.equal(alerts.schedule, null);
    await assert.rejects(lists.create(siteId, { ...base, slug: 'alerts2', kind: 'alerts' }), (e) =>
      isDatelineError(e, 'NEWSLETTER_INVALID'),
    );
    assert.equal((await lists.alertsList(siteId))!.id, alerts.id);
    const renamed = await lists.update(evening.id, {
      name: 'Evening Edition',
      articleBox: false,
      active: false,
    });
    assert.equal(renamed.name, 'Evening Edition');
    assert.equal(renamed.active, false);
    assert.deepEqual((await lists.listBySite(siteId, { activeOnly: true })).map((l) => l.slug).sort(), [
      'alerts',
      'morning',
      'weekly',
    ]);
  });
});
