// biome-ignore-all lint/suspicious/noExplicitAny: ical.js components are walked as parsed.
// Registration over HTTP (fastify.inject), on both databases, as a browser without JavaScript: "Register
// Today" on the event page and no join link there or in its JSON-LD and feed; the form with the event's
// questions; CSRF refused; signed out, the same "Check your inbox" for a new and a known address and the
// confirm link's button; the personal page with the join link and calendar links; the registrant's .ics
// read back with ical.js (METHOD:REQUEST, UID, DTSTAMP, SEQUENCE, URL, CONFERENCE); full events offering the
// waitlist; cancelling handing the place on and the claim link working; forged links; closed and cancelled
// events; one-click registration signed in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ICAL from 'ical.js';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2, linkIn } from '../../accounts/testing.ts';
import { instantAt, isoInZone } from '../event-times.ts';
import type { LiveEvent } from '../repository.ts';
import { type LiveEventInput, LiveEventService } from '../service.ts';

const NEWS = 'http://news.localhost:3000';
const DAY = 86_400_000;
const JOIN = 'https://meet.example.com/home-in-japan?pwd=a,b;c';

describeEachDialect('event registration routes', (d) => {
  let t: TestApp;
  let siteId: number;
  let events: LiveEventService;
  let webinar: LiveEvent;
  let n = 0;

  const tokyoDay = (days: number) => isoInZone(new Date(Date.now() + days * DAY), 'Asia/Tokyo').slice(0, 10);
  const makeEvent = (over: Partial<LiveEventInput> = {}) => {
    n += 1;
    return events.create(siteId, {
      slug: `event-${n}`,
      title: `Event ${n}`,
      kind: 'online',
      onlineUrl: JOIN,
      language: 'en',
      timeZone: 'Asia/Tokyo',
      startsAt: instantAt(tokyoDay(12), '18:00', 'Asia/Tokyo'),
      endsAt: instantAt(tokyoDay(12), '19:00', 'Asia/Tokyo'),
      published: true,
      ...over,
    });
  };
  const mailsTo = async (to: string, kind: string) =>
    (await t.rt.mail.outbox({ to, limit: 50 })).filter((m) => m.kind === `event-registration-${kind}`);
  const visible = (html: string) =>
    html
      .replace(/<input type="hidden" name="csrf"[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');

  /** Registers signed out and confirms from the mail; returns the personal page's URL. */
  const registerAndConfirm = async (
    c: Client,
    e: LiveEvent,
    email: string,
    form: Record<string, string> = {},
  ) => {
    const page = `${NEWS}/events/${e.slug}/register`;
    const res = await c.submit(page, page, { name: email.split('@')[0]!, email, ...form });
    assert.equal(res.status, 200, res.body);
    const [mail] = await mailsTo(email, 'confirm');
    const link = linkIn(mail!.text, '/register/confirm?t=');
    const button = await c.get(link);
    assert.equal(button.status, 200);
    const done = await c.post(`${NEWS}/events/${e.slug}/register/confirm`, {
      csrf: csrfOf(button.body),
      t: new URL(link).searchParams.get('t')!,
    });
    assert.equal(done.status, 303);
    return new URL(String(done.headers.location), NEWS).href;
  };

  before(async () => {
    t = await startTestApp(d.db, FAST_ARGON2);
    siteId = (await newsSite(t.rt)).site.id;
    events = new LiveEventService(t.rt.events);
    webinar = await events.create(siteId, {
      slug: 'how-to-buy-a-home-in-japan',
      title: 'How to Buy a Home in Japan as a Foreigner',
      summary: 'Market trends, buying procedures, and financing.',
      kind: 'online',
      onlineUrl: JOIN,
      language: 'en',
      timeZone: 'Asia/Tokyo',
      startsAt: instantAt(tokyoDay(12), '18:00', 'Asia/Tokyo'),
      endsAt: instantAt(tokyoDay(12), '19:00', 'Asia/Tokyo'),
      category: 'webinars',
      published: true,
    });
    await t.rt.eventRegistration.configure(webinar.id, {
      enabled: true,
      capacity: 2,
      questions: [
        {
          id: 'buying',
          kind: 'choice',
          label: 'When are you buying?',
          required: true,
          options: ['This year', 'Later'],
        },
        { id: 'agree', kind: 'checkbox', label: 'I may be emailed the slides', required: false },
      ],
    });
  });
  after(() => t.close());

  test('the event page says Register Today and shows the join link nowhere: page, JSON-LD or feed', async () => {
    const c = new Client(t.app);
    const page = await c.get(`${NEWS}/events/${webinar.slug}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /href="\/events\/how-to-buy-a-home-in-japan\/register"[^>]*>\s*Register Today/);
    assert.doesNotMatch(page.body, /meet\.example\.com/);
    assert.match(page.body, /The link to join is sent to those who register/);
    const feed = await c.get(`${NEWS}/events.ics`);
    assert.doesNotMatch(feed.body, /meet\.example\.com/);
    // An event that takes no registrations has no button.
    const other = await makeEvent();
    assert.doesNotMatch((await c.get(`${NEWS}/events/${other.slug}`)).body, /Register Today/);
    assert.equal((await c.get(`${NEWS}/events/${other.slug}/register`)).status, 404);
  });

  test('signed out: the form, its questions, CSRF, the same answer for a known address, the confirm button', async () => {
    const c = new Client(t.app);
    const form = await c.get(`${NEWS}/events/${webinar.slug}/register`);
    assert.equal(form.status, 200);
    assert.match(String(form.headers['cache-control']), /no-store/);
    assert.match(form.body, /2 places left/);
    assert.match(form.body, /name="q-buying" value="This year"/);
    assert.match(form.body, /I may be emailed the slides/);
    // No CSRF token: refused, nothing written.
    const forged = await c.post(`${NEWS}/events/${webinar.slug}/register`, {
      name: 'Mallory',
      email: 'mallory@mail.co.jp',
      'q-buying': 'Later',
    });
    assert.equal(forged.status, 403);
    assert.match(forged.body, /Request refused/);
    assert.equal((await t.rt.eventRegistration.counts(webinar.id)).pending_confirmation, 0);
    // A required question unanswered: named in the form, what was typed kept.
    const missing = await c.submit(
      `${NEWS}/events/${webinar.slug}/register`,
      `/events/${webinar.slug}/register`,
      {
        name: 'Aiko',
        email: 'aiko@mail.co.jp',
      },
    );
    assert.equal(missing.status, 400);
    assert.match(missing.body, /href="#f-q-buying"/);
    assert.match(missing.body, /value="aiko@mail\.co\.jp"/);
    const first = await c.submit(
      `${NEWS}/events/${webinar.slug}/register`,
      `/events/${webinar.slug}/register`,
      {
        name: 'Aiko',
        email: 'aiko@mail.co.jp',
        'q-buying': 'This year',
      },
    );
    assert.equal(first.status, 200);
    assert.match(first.body, /Check your inbox/);
    const again = await c.submit(
      `${NEWS}/events/${webinar.slug}/register`,
      `/events/${webinar.slug}/register`,
      {
        name: 'Aiko',
        email: 'aiko@mail.co.jp',
        'q-buying': 'This year',
      },
    );
    assert.equal(visible(again.body), visible(first.body));
    assert.equal((await t.rt.eventRegistration.counts(webinar.id)).pending_confirmation, 1);
    const [mail] = await mailsTo('aiko@mail.co.jp', 'confirm');
    const link = linkIn(mail!.text, '/register/confirm?t=');
    // The GET (a mail scanner) confirms nothing.
    const button = await c.get(link);
    assert.match(button.body, /Confirm my registration/);
    assert.equal((await t.rt.eventRegistration.counts(webinar.id)).confirmed, 0);
    // A forged confirm link: a clear page, nothing changed.
    const bad = await c.get(`${NEWS}/events/${webinar.slug}/register/confirm?t=${'A'.repeat(43)}`);
    assert.equal(bad.status, 404);
    assert.match(bad.body, /DATELINE_ERR_EVENT_REGISTRATION_LINK_INVALID/);
    const done = await c.post(`${NEWS}/events/${webinar.slug}/register/confirm`, {
      csrf: csrfOf(button.body),
      t: new URL(link).searchParams.get('t')!,
    });
    assert.equal(done.status, 303);
    const personal = await c.follow(done);
    assert.equal(personal.status, 200);
    assert.match(personal.body, /You are registered/);
    assert.match(personal.body, /your registration is confirmed/);
    assert.match(personal.body, /href="https:\/\/meet\.example\.com\/home-in-japan\?pwd=a,b;c"/);
    assert.match(personal.body, /calendar\.google\.com/);
    assert.match(personal.body, /Cancel my registration/);
    // The confirm link opened again goes to the personal page.
    const reopened = await c.get(link);
    assert.equal(reopened.status, 303);
    assert.match(String(reopened.headers.location), /\/registration\/[A-Za-z0-9_-]{43}$/);
  });

  test("the registrant's calendar file parses back with ical.js: REQUEST, UID, DTSTAMP, SEQUENCE, URL, CONFERENCE", async () => {
    const c = new Client(t.app);
    const personal = await registerAndConfirm(c, webinar, 'ical@mail.co.jp', { 'q-buying': 'Later' });
    const ics = await c.get(`${personal.split('?')[0]}/event.ics`);
    assert.equal(ics.status, 200);
    assert.match(String(ics.headers['content-type']), /^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(ics.body));
    assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
    const ev: any = cal.getFirstSubcomponent('vevent');
    assert.equal(ev.getFirstPropertyValue('uid'), `event-${webinar.id}@news.localhost`);
    assert.equal(ev.getFirstPropertyValue('sequence'), webinar.sequence);
    assert.ok(ev.getFirstPropertyValue('dtstamp'));
    assert.equal(ev.getFirstPropertyValue('dtstart').toJSDate().getTime(), webinar.startsAt.getTime());
    assert.equal(ev.getFirstPropertyValue('dtend').toJSDate().getTime(), webinar.endsAt.getTime());
    assert.equal(ev.getFirstPropertyValue('url'), `${NEWS}/events/${webinar.slug}`);
    assert.equal(ev.getFirstPropertyValue('summary'), webinar.title);
    const conference = ev.getFirstProperty('conference');
    assert.equal(conference.getFirstValue(), JOIN);
    assert.match(String(conference.getParameter('value') ?? conference.type), /^uri$/i);
    // The same UID as the public feed, which carries no join link.
    const feed = new ICAL.Component(ICAL.parse((await c.get(`${NEWS}/events.ics`)).body));
    const inFeed: any = feed
      .getAllSubcomponents('vevent')
      .find((v: any) => v.getFirstPropertyValue('uid') === `event-${webinar.id}@news.localhost`);
    assert.ok(inFeed);
    assert.equal(inFeed.getFirstProperty('conference'), null);
    // The mail links the file and the calendars.
    const [mail] = await mailsTo('ical@mail.co.jp', 'confirmed');
    assert.match(mail!.html, /Add to Google Calendar/);
    assert.match(mail!.html, /Add to Outlook calendar/);
    assert.match(mail!.html, /event\.ics/);
    // A forged personal link: a clear page.
    const forged = await c.get(`${NEWS}/events/${webinar.slug}/registration/${'B'.repeat(43)}`);
    assert.equal(forged.status, 404);
    assert.match(forged.body, /DATELINE_ERR_EVENT_REGISTRATION_LINK_INVALID/);
  });

  test('full: the waitlist is offered; a cancellation hands the place on and the claim link works', async () => {
    const e = await makeEvent();
    await t.rt.eventRegistration.configure(e.id, { enabled: true, capacity: 1 });
    const first = new Client(t.app);
    const firstPage = await registerAndConfirm(first, e, 'first@mail.co.jp');
    const form = await first.get(`${NEWS}/events/${e.slug}/register`);
    assert.match(form.body, /The event is full/);
    assert.match(form.body, /name="waitlist" value="1"/);
    // A form shown before the event filled, posted after: EVENT_FULL with the waitlist button.
    const late = new Client(t.app);
    const full = await late.submit(`${NEWS}/events/${e.slug}/register`, `/events/${e.slug}/register`, {
      name: 'Late',
      email: 'late@mail.co.jp',
    });
    assert.match(full.body, /Join the waitlist/);
    const second = new Client(t.app);
    const secondPage = await registerAndConfirm(second, e, 'second@mail.co.jp', { waitlist: '1' });
    const waiting = await second.get(secondPage);
    assert.match(secondPage, /\?m=waitlisted$/);
    assert.match(waiting.body, /You are on the waitlist/);
    assert.match(waiting.body, /you are on its waitlist/);
    assert.doesNotMatch(waiting.body, /registration is confirmed/);
    assert.match(waiting.body, /Leave the waitlist/);
    assert.doesNotMatch(waiting.body, /meet\.example\.com/);
    // The first cancels from the personal page.
    const mine = await first.get(firstPage);
    const cancelled = await first.post(`${firstPage.split('?')[0]}/cancel`, { csrf: csrfOf(mine.body) });
    assert.equal(cancelled.status, 303);
    assert.match((await first.follow(cancelled)).body, /Cancelled/);
    const [offer] = await mailsTo('second@mail.co.jp', 'offered');
    const claim = linkIn(offer!.text, '/register/claim?t=');
    const button = await second.get(claim);
    assert.match(button.body, /Claim my place/);
    const claimed = await second.post(`${NEWS}/events/${e.slug}/register/claim`, {
      csrf: csrfOf(button.body),
      t: new URL(claim).searchParams.get('t')!,
    });
    assert.equal(claimed.status, 303);
    const now = await second.follow(claimed);
    assert.match(now.body, /You are registered/);
    assert.match(now.body, /meet\.example\.com/);
    // Used again: a clear page, nothing changed.
    const reused = await second.get(claim);
    assert.equal(reused.status, 404);
    assert.match(reused.body, /DATELINE_ERR_EVENT_REGISTRATION_LINK_INVALID/);
    // A cancel without the page's token: refused.
    const forged = await new Client(t.app).post(`${secondPage.split('?')[0]}/cancel`, {});
    assert.equal(forged.status, 403);
    assert.equal((await t.rt.eventRegistration.counts(e.id)).confirmed, 1);
  });

  test('closed and cancelled events: a clear page with the code', async () => {
    const c = new Client(t.app);
    const closed = await makeEvent();
    await t.rt.eventRegistration.configure(closed.id, {
      enabled: true,
      closesAt: new Date(Date.now() - 1000),
    });
    const page = await c.get(`${NEWS}/events/${closed.slug}/register`);
    assert.equal(page.status, 409);
    assert.match(page.body, /DATELINE_ERR_EVENT_REGISTRATION_CLOSED/);
    const cancelled = await makeEvent({ status: 'cancelled' });
    await t.rt.eventRegistration.configure(cancelled.id, { enabled: true });
    const gone = await c.get(`${NEWS}/events/${cancelled.slug}/register`);
    assert.equal(gone.status, 409);
    assert.match(gone.body, /DATELINE_ERR_EVENT_CANCELLED/);
    assert.doesNotMatch((await c.get(`${NEWS}/events/${cancelled.slug}`)).body, /Register Today/);
  });

  test('signed in with a verified address: one click, questions still asked', async () => {
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
    await c.follow(
      await c.submit(`${NEWS}/account/login`, '/account/login', { email, password: 'a long pass phrase 42' }),
    );
    const e = await makeEvent();
    await t.rt.eventRegistration.configure(e.id, {
      enabled: true,
      questions: [{ id: 'city', kind: 'text', label: 'Your city', required: true }],
    });
    const form = await c.get(`${NEWS}/events/${e.slug}/register`);
    assert.match(form.body, /You are signed in as/);
    assert.match(form.body, /Register with one click/);
    assert.doesNotMatch(form.body, /name="email"/);
    const done = await c.post(`${NEWS}/events/${e.slug}/register`, {
      csrf: csrfOf(form.body),
      account: '1',
      'q-city': 'Osaka',
    });
    assert.equal(done.status, 303);
    const page = await c.follow(done);
    assert.match(page.body, /You are registered/);
    assert.match(page.body, /mo@mail\.co\.jp/);
    // Again: no second registration, a gentle note.
    const again = await c.post(`${NEWS}/events/${e.slug}/register`, {
      csrf: csrfOf(page.body),
      account: '1',
      'q-city': 'Osaka',
    });
    assert.match((await c.follow(again)).body, /You had registered already/);
    assert.equal((await t.rt.eventRegistration.counts(e.id)).confirmed, 1);
  });
});
