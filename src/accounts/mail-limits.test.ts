import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { CAPPED } from '../mail/mailer.ts';
import type { RequestContext } from './service.ts';
import { Client, csrfOf, FAST_ARGON2 } from './testing.ts';

const NEWS = 'http://news.localhost:3000';
const PW = 'velvet-harbour-lantern';

describeEachDialect('limits on the mail that requests send', (ctx) => {
  let t: TestApp;
  let siteId: number;
  let n = 0;
  // Every test uses addresses and network addresses of its own, so that none depends on another's counters.
  const unique = (what: string) => `${what}-${++n}-${Math.random().toString(36).slice(2, 7)}`;
  const freshIp = () => `198.51.${n % 250}.${Math.floor(Math.random() * 250) + 1}`;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    siteId = (await newsSite(t.rt, 'news')).site.id;
  });
  after(() => t.close());

  const mailTo = async (email: string) => {
    await t.rt.jobs.drain();
    return t.rt.mail.outbox({ to: email, limit: 100 });
  };
  /** Reset requests write their mail from a job, which the runtime's own worker may be running: wait for it. */
  const mailsOnceWritten = async (email: string, count: number) => {
    for (let i = 0; i < 200; i++) {
      const mails = await mailTo(email);
      if (mails.length >= count) return mails;
      await new Promise((r) => setTimeout(r, 25));
    }
    return mailTo(email);
  };

  async function signedInReader(ip = freshIp()) {
    const email = `${unique('reader')}@example.com`;
    await t.rt.accounts.createUser({ email, displayName: unique('Reader'), password: PW });
    const c = new Client(t.app);
    c.ip = ip;
    const r = await c.submit(`${NEWS}/account/login`, '/account/login', { email, password: PW });
    assert.equal(r.status, 303);
    const user = (await t.rt.accounts.findByEmail(email))!;
    return { c, email, user };
  }

  async function changeEmail(c: Client, email: string) {
    const page = await c.get(`${NEWS}/account`);
    return c.post(`${NEWS}/account/email`, { csrf: csrfOf(page.body), email, password: PW });
  }

  async function codeOf(p: Promise<unknown>): Promise<string> {
    try {
      await p;
      return 'ok';
    } catch (e) {
      if (isDatelineError(e)) return e.code;
      throw e;
    }
  }

  test('repeated POST /account/email: the third party gets three mails, then nothing; the account is refused after five an hour', async () => {
    const { c, user } = await signedInReader();
    const stranger = `${unique('stranger')}@example.com`;
    for (let i = 0; i < 5; i++) {
      const r = await changeEmail(c, stranger);
      assert.equal(r.status, 303, `request ${i + 1}`);
      assert.equal(r.headers.location, '/account?m=email-sent', 'the answer does not change when skipped');
    }
    const mails = (await mailTo(stranger)).filter((m) => m.kind === 'change-email');
    assert.equal(mails.length, 3, 'the address mailed is limited whoever asks');
    const refused = await changeEmail(c, `${unique('elsewhere')}@example.com`);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0, String(refused.headers['retry-after']));
    const ctx: RequestContext = { ip: freshIp(), userAgent: 'test', siteId, origin: NEWS };
    assert.equal(
      await codeOf(
        t.rt.accounts.requestEmailChange(user.id, { email: `${unique('x')}@example.com`, password: PW }, ctx),
      ),
      'DATELINE_ERR_MAIL_RATE_LIMITED',
      'the limit is per account, from any network address',
    );
  });

  test('an existing member gets at most three "address taken" mails an hour, and the answer never tells', async () => {
    const member = `${unique('member')}@example.com`;
    await t.rt.accounts.createUser({ email: member, displayName: unique('Member'), password: PW });
    const free = `${unique('free')}@example.com`;
    // Two readers on two network addresses take turns asking to move to the member's address.
    const readers = [await signedInReader(), await signedInReader()];
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await changeEmail(readers[i % 2]!.c, member);
      answers.push(`${r.status} ${r.headers.location}`);
    }
    const freeAnswer = await changeEmail(readers[0]!.c, free);
    assert.deepEqual(answers, Array(6).fill(`${freeAnswer.status} ${freeAnswer.headers.location}`));
    const taken = (await mailTo(member)).filter((m) => m.kind === 'email-taken');
    assert.equal(taken.length, 3);
    assert.equal((await t.rt.accounts.findByEmail(member))!.email, member);
  });

  test('requests that mail someone are limited per network address, across accounts', async () => {
    const ip = freshIp();
    const readers = [];
    for (let i = 0; i < 5; i++) readers.push(await signedInReader(ip));
    for (let i = 0; i < 20; i++) {
      const r = await changeEmail(readers[i % 5]!.c, `${unique('target')}@example.com`);
      assert.equal(r.status, 303, `request ${i + 1}`);
    }
    const refused = await changeEmail(readers[0]!.c, `${unique('target')}@example.com`);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    const elsewhere = await signedInReader();
    assert.equal((await changeEmail(elsewhere.c, `${unique('target')}@example.com`)).status, 303);
  });

  test('a new confirmation link at sign-in is limited too, with a clear refusal', async () => {
    const email = `${unique('unverified')}@example.com`;
    const c = new Client(t.app);
    c.ip = freshIp();
    const reg = await c.submit(`${NEWS}/account/register`, '/account/register', {
      email,
      displayName: unique('Unverified'),
      password: PW,
    });
    assert.equal(reg.status, 200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await c.submit(`${NEWS}/account/login`, '/account/login', { email, password: PW });
      statuses.push(r.status);
      if (r.status === 429) assert.ok(Number(r.headers['retry-after']) > 0);
    }
    // Registering counted once for the address, and each sign-in that sends a link once more.
    assert.deepEqual(statuses, [403, 403, 429]);
    assert.equal((await mailTo(email)).filter((m) => m.kind === 'verify').length, 3);
  });

  test('registering an existing address over and over: the same page, a few mails, and the mail cap holds on every path', async () => {
    const member = `${unique('registered')}@example.com`;
    await t.rt.accounts.createUser({ email: member, displayName: unique('Registered'), password: PW });
    const bodies = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const c = new Client(t.app);
      c.ip = freshIp();
      const r = await c.submit(`${NEWS}/account/register`, '/account/register', {
        email: member,
        displayName: unique('Copycat'),
        password: PW,
      });
      assert.equal(r.status, 200);
      bodies.add(r.body.replace(/name="csrf" value="[^"]+"/, ''));
    }
    assert.equal(bodies.size, 1);
    assert.equal((await mailTo(member)).filter((m) => m.kind === 'already-registered').length, 3);
    // Password resets for the same address, from elsewhere, have a limit of their own (three an hour)…
    for (let i = 0; i < 3; i++) {
      const c = new Client(t.app);
      c.ip = freshIp();
      const r = await c.submit(`${NEWS}/account/forgot`, '/account/forgot', { email: member });
      assert.equal(r.status, 200);
    }
    // …but the address never receives more than five an hour in all: the sixth is recorded, not sent.
    const all = await mailsOnceWritten(member, 6);
    assert.equal(all.filter((m) => m.transport !== CAPPED).length, 5);
    assert.deepEqual(
      all.filter((m) => m.transport === CAPPED).map((m) => [m.kind, m.sentAt]),
      [['reset', null]],
    );
  });
});
