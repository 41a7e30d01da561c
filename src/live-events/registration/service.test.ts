// The rules of event registration on both databases: settings refused with the field named; signed-out
// registration held only once confirmed, the same address twice kept as one (mail resent, spaced out);
// 500 concurrent confirmations for the last 100 places never overbook; full, closed, not yet open and
// cancelled events refused with their codes; a cancellation offering the place to the first in line with
// a claim link and a durable lapse job; a lapsed offer passing on; leaving the waitlist; forged links.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { hashSecret, newSecret } from '../../accounts/secrets.ts';
import type { DatelineError } from '../../errors/catalogue.ts';
import { instantAt, isoInZone } from '../event-times.ts';
import type { LiveEvent } from '../repository.ts';
import { type LiveEventInput, LiveEventService } from '../service.ts';
import { insertRegistration, type Registration } from './repository.ts';
import { EventRegistrations, FORGET_JOB, LAPSE_JOB, type RegisterInput } from './service.ts';

const DAY = 86_400_000;
const ORIGIN = 'http://news.localhost:3000';

const code = (name: string) => (e: unknown) => (e as DatelineError).code === `DATELINE_ERR_${name}`;

describeEachDialect('event registration', (d) => {
  let t: TestApp;
  let siteId: number;
  let events: LiveEventService;
  let clock: Date;
  let reg: EventRegistrations;
  let n = 0;

  const tokyoDay = (days: number) => isoInZone(new Date(Date.now() + days * DAY), 'Asia/Tokyo').slice(0, 10);
  const makeEvent = (over: Partial<LiveEventInput> = {}): Promise<LiveEvent> => {
    n += 1;
    return events.create(siteId, {
      slug: `webinar-${n}`,
      title: `Webinar ${n}`,
      kind: 'online',
      onlineUrl: 'https://meet.example.com/room',
      language: 'en',
      timeZone: 'Asia/Tokyo',
      startsAt: instantAt(tokyoDay(10), '18:00', 'Asia/Tokyo'),
      endsAt: instantAt(tokyoDay(10), '19:00', 'Asia/Tokyo'),
      published: true,
      ...over,
    });
  };
  const input = (event: LiveEvent, over: Partial<RegisterInput> = {}): RegisterInput => ({
    event,
    name: 'Aiko Tanaka',
    email: 'aiko@mail.co.jp',
    form: {},
    account: null,
    waitlist: false,
    ip: null,
    origin: ORIGIN,
    ...over,
  });
  const mails = async (to: string, kind?: string) =>
    (await t.rt.mail.outbox({ to, limit: 100 })).filter(
      (m) => !kind || m.kind === `event-registration-${kind}`,
    );
  const tokenIn = (text: string, path: string) => {
    const m = new RegExp(`${path.replace(/[/?]/g, '\\$&')}([A-Za-z0-9_-]{43})`).exec(text);
    assert.ok(m, `no ${path} link in the mail`);
    return m[1]!;
  };
  const status = async (id: number) =>
    (
      await t.rt.db.kysely
        .selectFrom('event_registrations')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst()
    )?.status;
  /** A pending registration made directly, with its confirmation token. */
  const pending = async (event: LiveEvent, email: string): Promise<{ r: Registration; token: string }> => {
    const nonce = newSecret(24);
    const r = await insertRegistration(
      t.rt.db.kysely,
      {
        eventId: event.id,
        name: email,
        email,
        userId: null,
        answers: {},
        status: 'pending_confirmation',
        waitlistPosition: null,
        linkNonce: nonce,
        confirmTokenHash: hashSecret(reg.token('confirm', { linkNonce: nonce })),
        manageTokenHash: hashSecret(reg.token('manage', { linkNonce: nonce })),
      },
      clock,
    );
    return { r, token: reg.token('confirm', r) };
  };

  before(async () => {
    t = await startTestApp(d.db);
    const s = await newsSite(t.rt);
    siteId = s.site.id;
    events = new LiveEventService(t.rt.events);
    clock = new Date();
    reg = new EventRegistrations({
      db: t.rt.db,
      events: t.rt.events,
      mail: t.rt.mail,
      jobs: t.rt.jobs,
      limits: t.rt.accounts.limits.factory,
      signingKey: () => t.rt.accounts.signingKey,
      mailSite: (id, origin) => t.rt.accounts.mailSite(id, origin),
      siteOrigin: () => ORIGIN,
      siteLanguage: () => 'en',
      siteHost: () => 'news.localhost',
      settings: { perAddressPerHour: 1000 },
      now: () => clock,
    });
  });
  after(() => t.close());

  test('settings: bad ones are refused with the field named, nothing saved', async () => {
    const e = await makeEvent();
    const cases: [Parameters<EventRegistrations['configure']>[1], string][] = [
      [{ enabled: true, capacity: 0 }, 'capacity'],
      [{ enabled: true, capacity: 1.5 }, 'capacity'],
      [{ enabled: true, claimWindowHours: 0 }, 'claimWindowHours'],
      [{ enabled: true, opensAt: new Date(Date.now() + DAY), closesAt: new Date() }, 'closesAt'],
      [
        { enabled: true, questions: [{ id: 'a', kind: 'choice', label: 'Pick', options: ['one'] }] },
        'questions.0',
      ],
      [{ enabled: true, questions: [{ id: 'A B', kind: 'text', label: 'x' }] }, 'questions.0'],
    ];
    for (const [setup, field] of cases)
      await assert.rejects(reg.configure(e.id, setup), (err: DatelineError) => {
        assert.equal(err.code, 'DATELINE_ERR_EVENT_INVALID');
        assert.equal(err.where?.field, field);
        return true;
      });
    assert.equal((await reg.settings(e.id))?.enabled, false);
    // A capacity below the places taken.
    await reg.configure(e.id, { enabled: true, capacity: 5 });
    for (const who of ['a@mail.co.jp', 'b@mail.co.jp', 'c@mail.co.jp'])
      await reg.confirm((await pending(e, who)).token);
    await assert.rejects(reg.configure(e.id, { enabled: true, capacity: 2 }), (err: DatelineError) => {
      assert.equal(err.where?.field, 'capacity');
      return true;
    });
    assert.equal((await reg.settings(e.id))?.capacity, 5);
  });

  test('signed out: held only once confirmed; the same address twice is one registration, mail resent and spaced out', async () => {
    const e = await makeEvent();
    await reg.configure(e.id, {
      enabled: true,
      capacity: 10,
      questions: [
        { id: 'level', kind: 'choice', label: 'Your experience', required: true, options: ['None', 'Some'] },
        { id: 'note', kind: 'text', label: 'Anything to ask?', required: false },
      ],
    });
    const email = 'ren@mail.co.jp';
    await assert.rejects(reg.register(input(e, { email })), (err: DatelineError) => {
      assert.equal(err.code, 'DATELINE_ERR_EVENT_REGISTRATION_INVALID');
      assert.equal(err.where?.field, 'q-level');
      return true;
    });
    await assert.rejects(
      reg.register(input(e, { email, form: { 'q-level': 'Lots' } })),
      code('EVENT_REGISTRATION_INVALID'),
    );
    await assert.rejects(
      reg.register(input(e, { email: 'not an address', form: { 'q-level': 'None' } })),
      code('EVENT_REGISTRATION_INVALID'),
    );
    const out = await reg.register(
      input(e, { email: ' Ren@Mail.co.jp ', form: { 'q-level': 'None', 'q-note': 'Loans?' } }),
    );
    assert.deepEqual(out, { kind: 'check-inbox' });
    assert.equal((await reg.counts(e.id)).pending_confirmation, 1);
    const a = await reg.availability(e);
    assert.equal(a.state === 'open' ? a.placesLeft : -1, 10, 'a pending registration holds no place');
    const [confirmMail] = await mails(email, 'confirm');
    assert.ok(confirmMail);
    const token = tokenIn(confirmMail.text, '/register/confirm?t=');
    // Again straight away: no second registration, no second mail yet; later, the mail again.
    assert.deepEqual(await reg.register(input(e, { email, form: { 'q-level': 'Some' } })), {
      kind: 'check-inbox',
    });
    assert.equal((await mails(email, 'confirm')).length, 1);
    clock = new Date(clock.getTime() + 3 * 60_000);
    await reg.register(input(e, { email, form: { 'q-level': 'Some' } }));
    assert.equal((await mails(email, 'confirm')).length, 2);
    assert.equal((await reg.counts(e.id)).pending_confirmation, 1);
    const done = await reg.confirm(token);
    assert.equal(done.registration.status, 'confirmed');
    assert.deepEqual(done.registration.answers, { level: 'None', note: 'Loans?' });
    // Used again: nothing changes.
    assert.equal((await reg.confirm(token)).registration.status, 'confirmed');
    assert.equal((await reg.counts(e.id)).confirmed, 1);
    const [registered] = await mails(email, 'confirmed');
    assert.ok(registered);
    assert.match(registered.text, /https:\/\/meet\.example\.com\/room/);
    assert.match(registered.text, /calendar\.google\.com/);
    assert.match(registered.text, /outlook\.live\.com/);
    assert.match(registered.text, /\/registration\/[A-Za-z0-9_-]{43}\/event\.ics/);
    // Registered already: the mail again, gently.
    clock = new Date(clock.getTime() + 3 * 60_000);
    await reg.register(input(e, { email, form: { 'q-level': 'Some' } }));
    const again = await mails(email, 'confirmed');
    assert.equal(again.length, 2);
    assert.match(again[0]!.text, /already registered/);
  });

  test('500 concurrent confirmations for the last 100 places never overbook', async () => {
    const e = await makeEvent();
    await reg.configure(e.id, { enabled: true, capacity: 150 });
    for (let i = 0; i < 50; i++) await reg.confirm((await pending(e, `early${i}@mail.co.jp`)).token);
    const tokens: string[] = [];
    for (let i = 0; i < 500; i++) tokens.push((await pending(e, `rush${i}@mail.co.jp`)).token);
    const results = await Promise.all(tokens.map((tk) => reg.confirm(tk)));
    const counts = await reg.counts(e.id);
    assert.equal(counts.confirmed, 150);
    assert.equal(counts.waitlisted, 400);
    assert.equal(results.filter((r) => r.registration.status === 'confirmed').length, 100);
    const positions = results
      .filter((r) => r.registration.status === 'waitlisted')
      .map((r) => r.registration.waitlistPosition);
    assert.equal(new Set(positions).size, 400, 'every waitlisted registration has its own place in line');
  });

  test('full, closed, not yet open and cancelled events answer with their codes', async () => {
    const full = await makeEvent();
    await reg.configure(full.id, { enabled: true, capacity: 1 });
    await reg.confirm((await pending(full, 'first@mail.co.jp')).token);
    await assert.rejects(reg.register(input(full)), code('EVENT_FULL'));
    assert.deepEqual(await reg.register(input(full, { waitlist: true })), { kind: 'check-inbox' });
    const closed = await makeEvent();
    await reg.configure(closed.id, { enabled: true, closesAt: new Date(clock.getTime() - 1000) });
    await assert.rejects(reg.register(input(closed)), code('EVENT_REGISTRATION_CLOSED'));
    const later = await makeEvent();
    await reg.configure(later.id, { enabled: true, opensAt: new Date(clock.getTime() + DAY) });
    await assert.rejects(reg.register(input(later)), code('EVENT_REGISTRATION_NOT_OPEN'));
    const cancelled = await makeEvent({ status: 'cancelled' });
    await reg.configure(cancelled.id, { enabled: true });
    await assert.rejects(reg.register(input(cancelled)), code('EVENT_CANCELLED'));
    const off = await makeEvent();
    await assert.rejects(reg.register(input(off)), code('EVENT_NOT_FOUND'));
  });

  test('a freed place is offered to the next in line, who can claim it; a lapsed offer passes on', async () => {
    const e = await makeEvent();
    await reg.configure(e.id, { enabled: true, capacity: 1, claimWindowHours: 24 });
    const holder = await reg.confirm((await pending(e, 'holder@mail.co.jp')).token);
    const second = await reg.confirm((await pending(e, 'second@mail.co.jp')).token);
    const third = await reg.confirm((await pending(e, 'third@mail.co.jp')).token);
    assert.equal(second.registration.status, 'waitlisted');
    assert.equal((await reg.byManageToken(third.manageToken)).ahead, 1);
    // The holder cancels: the second in line gets an offer, a claim link and a lapse job at the deadline.
    await reg.cancel(holder.manageToken);
    assert.equal(await status(holder.registration.id), 'cancelled');
    assert.equal(await status(second.registration.id), 'offered');
    const [offer] = await mails('second@mail.co.jp', 'offered');
    assert.ok(offer);
    const claimToken = tokenIn(offer.text, '/register/claim?t=');
    const deadline = clock.getTime() + 24 * 3_600_000;
    const job = await t.rt.jobs.get(`${LAPSE_JOB}:${second.registration.id}:${deadline}`);
    assert.equal(job?.runAt.getTime(), deadline);
    // The offer holds the place: nobody else gets it meanwhile.
    const a = await reg.availability(e);
    assert.equal(a.state === 'open' && a.full, true);
    // The job before the deadline changes nothing; after it, the offer lapses and passes to the third.
    await reg.lapse(second.registration.id);
    assert.equal(await status(second.registration.id), 'offered');
    clock = new Date(deadline + 1000);
    await assert.rejects(reg.claim(claimToken), code('EVENT_CLAIM_EXPIRED'));
    assert.equal(await status(second.registration.id), 'offered', 'an expired claim changes nothing');
    await reg.lapse(second.registration.id);
    assert.equal(await status(second.registration.id), 'cancelled');
    assert.equal(await status(third.registration.id), 'offered');
    const [thirdOffer] = await mails('third@mail.co.jp', 'offered');
    const thirdClaim = tokenIn(thirdOffer!.text, '/register/claim?t=');
    const claimed = await reg.claim(thirdClaim);
    assert.equal(claimed.registration.status, 'confirmed');
    assert.equal((await mails('third@mail.co.jp', 'confirmed')).length, 1);
    // A claim link used again, or forged: not valid, nothing changed.
    await assert.rejects(reg.claim(thirdClaim), code('EVENT_REGISTRATION_LINK_INVALID'));
    await assert.rejects(reg.claim(`${thirdClaim.slice(0, 42)}A`), code('EVENT_REGISTRATION_LINK_INVALID'));
    await assert.rejects(reg.cancel('x'.repeat(43)), code('EVENT_REGISTRATION_LINK_INVALID'));
    await assert.rejects(reg.confirm('short'), code('EVENT_REGISTRATION_LINK_INVALID'));
    assert.equal((await reg.counts(e.id)).confirmed, 1);
    clock = new Date();
  });

  test('a person can leave the waitlist, and then register again', async () => {
    const e = await makeEvent();
    await reg.configure(e.id, { enabled: true, capacity: 1 });
    await reg.confirm((await pending(e, 'sits@mail.co.jp')).token);
    const waiting = await reg.confirm((await pending(e, 'waits@mail.co.jp')).token);
    assert.equal(waiting.registration.status, 'waitlisted');
    const left = await reg.cancel(waiting.manageToken);
    assert.equal(left.registration.status, 'cancelled');
    assert.equal(left.registration.waitlistPosition, null);
    // Cancelling twice changes nothing; the address may register again.
    assert.equal((await reg.cancel(waiting.manageToken)).registration.status, 'cancelled');
    assert.deepEqual(await reg.register(input(e, { email: 'waits@mail.co.jp', waitlist: true })), {
      kind: 'check-inbox',
    });
    assert.equal((await reg.counts(e.id)).pending_confirmation, 1);
  });

  test('a registration never confirmed is forgotten after a week by its durable job; a confirmed one is kept', async () => {
    const e = await makeEvent();
    await reg.configure(e.id, { enabled: true });
    await reg.register(input(e, { email: 'never@mail.co.jp' }));
    await reg.register(input(e, { email: 'kept@mail.co.jp' }));
    const rows = await t.rt.db.kysely
      .selectFrom('event_registrations')
      .select(['id', 'email'])
      .where('event_id', '=', e.id)
      .orderBy('id')
      .execute();
    const [never, kept] = rows;
    const job = await t.rt.jobs.get(`${FORGET_JOB}:${never!.id}`);
    assert.equal(job?.runAt.getTime(), clock.getTime() + 7 * DAY);
    const [mail] = await mails('kept@mail.co.jp', 'confirm');
    await reg.confirm(tokenIn(mail!.text, '/register/confirm?t='));
    // Too early: nothing goes.
    assert.equal(await reg.forgetUnconfirmed(never!.id), false);
    const saved = clock;
    clock = new Date(clock.getTime() + 7 * DAY);
    assert.equal(await reg.forgetUnconfirmed(never!.id), true);
    assert.equal(await reg.forgetUnconfirmed(kept!.id), false);
    assert.equal(await status(never!.id), undefined);
    assert.equal(await status(kept!.id), 'confirmed');
    clock = saved;
  });

  test('the per-address limit holds back mail, and the per-IP limit refuses', async () => {
    const e = await makeEvent();
    await reg.configure(e.id, { enabled: true });
    const limited = t.rt.eventRegistration;
    for (let i = 0; i < limited.limits.perIpPerHour; i++)
      await limited.register(input(e, { email: `ip${i}@mail.co.jp`, ip: '203.0.113.9' }));
    await assert.rejects(
      limited.register(input(e, { email: 'one-more@mail.co.jp', ip: '203.0.113.9' })),
      code('EVENT_REGISTRATION_LIMITED'),
    );
  });
});
