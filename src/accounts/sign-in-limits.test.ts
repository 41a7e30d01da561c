import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { AccountLimits } from './rate-limit.ts';
import type { RequestContext } from './service.ts';
import { FAST_ARGON2, linkIn } from './testing.ts';

const PW = 'velvet-harbour-lantern';

describeEachDialect('sign-in, verification and reset limits per IP and per address', (ctx) => {
  let t: TestApp;
  let siteId: number;
  let n = 0;
  // Every test has addresses and network addresses of its own, so that none depends on another's counters.
  const unique = (what: string) => `${what}-${++n}-${Math.random().toString(36).slice(2, 7)}`;
  const from = (ip: string): RequestContext => ({
    ip,
    userAgent: 'test',
    siteId,
    origin: 'http://news.localhost:3000',
  });
  const freshIp = () => `203.0.${++n % 250}.${Math.floor(Math.random() * 250) + 1}`;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    siteId = (await newsSite(t.rt, 'news')).site.id;
  });
  after(() => t.close());

  async function outcome(p: Promise<unknown>): Promise<{ code: string; retryAfter?: number }> {
    try {
      await p;
      return { code: 'ok' };
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      const retry = e.where?.retryAfter;
      return { code: e.code, ...(retry === undefined ? {} : { retryAfter: Number(retry) }) };
    }
  }
  const codeOf = async (p: Promise<unknown>) => (await outcome(p)).code;
  const pendingResets = async () =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('kind', '=', 'accounts.reset-request')
          .where('state', 'in', ['queued', 'running'])
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function member() {
    const email = `${unique('member')}@example.com`;
    await t.rt.accounts.createUser({ email, displayName: unique('Member'), password: PW });
    return email;
  }

  test('the per-IP sign-in block starts after exactly 30 failures: the 30th try is heard, the 31st is not', async () => {
    assert.equal(AccountLimits.LOGIN_IP_FAILURES, 30);
    const email = await member();
    const ip = freshIp();
    // Each failure names another address, so the per-email pause and lock stay out of the way.
    const fail = () =>
      codeOf(
        t.rt.accounts.login({ email: `${unique('guess')}@example.com`, password: 'not-it-at-all' }, from(ip)),
      );
    for (let i = 1; i <= 29; i++) assert.equal(await fail(), 'DATELINE_ERR_LOGIN_FAILED', `failure ${i}`);
    // After 29 failures the address may still sign in…
    assert.equal(await codeOf(t.rt.accounts.login({ email, password: PW }, from(ip))), 'ok');
    // …and its 30th failure is still checked against the password, not refused unheard.
    assert.equal(await fail(), 'DATELINE_ERR_LOGIN_FAILED', 'failure 30');
    // From then on every try from that address is refused, even with the right password, for 15 minutes.
    const blocked = await outcome(t.rt.accounts.login({ email, password: PW }, from(ip)));
    assert.equal(blocked.code, 'DATELINE_ERR_RATE_LIMITED');
    assert.ok(
      blocked.retryAfter! > AccountLimits.LOGIN_IP_BLOCK_SECONDS - 60 &&
        blocked.retryAfter! <= AccountLimits.LOGIN_IP_BLOCK_SECONDS,
      String(blocked.retryAfter),
    );
    assert.equal(await fail(), 'DATELINE_ERR_RATE_LIMITED');
    assert.equal(
      await codeOf(t.rt.accounts.login({ email, password: PW }, from(freshIp()))),
      'ok',
      'other addresses are not blocked',
    );
  });

  test('verification and reset links: 30 tries in 10 minutes per IP, then even a valid link waits', async () => {
    const email = `${unique('new')}@example.com`;
    await t.rt.accounts.register({ email, displayName: unique('New'), password: PW }, from(freshIp()));
    await t.rt.jobs.drain();
    const [mail] = (await t.rt.mail.outbox({ to: email })).filter((m) => m.kind === 'verify');
    const token = new URL(linkIn(mail!.text, '/account/verify?t=')).searchParams.get('t')!;
    const ip = freshIp();
    for (let i = 0; i < 30; i++) {
      assert.equal(
        await codeOf(
          t.rt.accounts.verifyEmail(`${token.slice(0, -4)}${i}`.padEnd(token.length, 'x'), from(ip)),
        ),
        'DATELINE_ERR_TOKEN_INVALID',
        `guess ${i + 1}`,
      );
    }
    assert.equal(await codeOf(t.rt.accounts.verifyEmail(token, from(ip))), 'DATELINE_ERR_RATE_LIMITED');
    assert.equal(
      await codeOf(t.rt.accounts.resetPassword('a-guessed-reset-token', 'a-brand-new-passphrase', from(ip))),
      'DATELINE_ERR_RATE_LIMITED',
      'reset links share the limit',
    );
    assert.equal((await t.rt.accounts.findByEmail(email))!.emailVerified, false);
    assert.equal(await codeOf(t.rt.accounts.verifyEmail(token, from(freshIp()))), 'ok');
  });

  test('reset mails: three an hour per address, whoever asks and from wherever, with the same answer', async () => {
    const email = await member();
    const answers: string[] = [];
    for (let i = 0; i < 5; i++)
      answers.push(await codeOf(t.rt.accounts.requestReset(email, from(freshIp()))));
    answers.push(
      await codeOf(t.rt.accounts.requestReset(`${unique('nobody')}@example.com`, from(freshIp()))),
    );
    assert.deepEqual(answers, Array(6).fill('ok'));
    // The look-up runs in a job, which the runtime's own worker may be running: wait for all five to finish.
    for (let i = 0; i < 200 && (await t.rt.jobs.drain()) + (await pendingResets()) > 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal((await t.rt.mail.outbox({ to: email })).filter((m) => m.kind === 'reset').length, 3);
  });
});
