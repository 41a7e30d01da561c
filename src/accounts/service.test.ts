import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, mock, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services } from '../../test/fixtures.ts';
import { loadConfig } from '../config/config.ts';
import type { Db } from '../db/connection.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { JobQueue } from '../jobs/queue.ts';
import { MailService } from '../mail/mailer.ts';
import { SiteDirectory } from '../sites/directory.ts';
import { AccountLimits } from './rate-limit.ts';
import { AccountService, FormProblems, type RequestContext } from './service.ts';
import { FAST_ARGON2, linkIn } from './testing.ts';

async function setup(db: Db, env: Record<string, string> = {}) {
  let clock = Date.now();
  const now = () => new Date(clock);
  const dir = mkdtempSync(join(tmpdir(), 'dateline-acc-'));
  const config = loadConfig({ ...FAST_ARGON2, DATELINE_DEMO: 'false', ...env }, dir);
  const s = services(db);
  const slug = `s${Math.random().toString(36).slice(2, 8)}`;
  const site = await s.sites.create({ slug, name: 'Example Times', hosts: [`${slug}.localhost`] });
  const directory = new SiteDirectory(db);
  await directory.load();
  const jobs = new JobQueue(db);
  const mail = new MailService(db, jobs, { from: config.mailFrom, smtpUrl: null });
  const accounts = new AccountService(db, mail, jobs, directory, config, now);
  await accounts.init();
  const base: RequestContext = {
    ip: '',
    userAgent: 'test',
    siteId: site.id,
    origin: `http://${slug}.localhost:3000`,
  };
  // Each call comes from a different address, so per-IP limits stay out of the way unless a test wants them.
  const randomIp = () =>
    `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const inbox = async (to: string) => {
    await jobs.drain();
    return mail.outbox({ to });
  };
  return {
    accounts,
    mail,
    jobs,
    get ctx(): RequestContext {
      return { ...base, ip: randomIp() };
    },
    fixedIp: (ip: string): RequestContext => ({ ...base, ip }),
    site,
    inbox,
    advance: (ms: number) => (clock += ms),
    now,
  };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isDatelineError(e))
      return e instanceof FormProblems ? `${e.code}:${Object.keys(e.problems).sort().join(',')}` : e.code;
    throw e;
  }
}

const PW = 'velvet-harbour-lantern';

describeEachDialect('accounts service', (dbx) => {
  let t: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    t = await setup(dbx.db);
  });

  async function verifiedUser(email: string, name = 'Some Reader', password = PW) {
    await t.accounts.register({ email, displayName: name, password }, t.ctx);
    const [m] = await t.inbox(email);
    const token = new URL(linkIn(m!.text, '/account/verify?t=')).searchParams.get('t')!;
    return t.accounts.verifyEmail(token, t.ctx);
  }

  test('registration gives the same answer for a new and an existing email; mail tells them apart', async () => {
    assert.equal(
      await code(t.accounts.register({ email: 'Bo@Example.com ', displayName: 'Bo', password: PW }, t.ctx)),
      'ok',
    );
    assert.equal(
      await code(
        t.accounts.register({ email: 'bo@example.com', displayName: 'Bo Two', password: PW }, t.ctx),
      ),
      'ok',
    );
    const mails = await t.inbox('bo@example.com');
    assert.deepEqual(mails.map((m) => m.kind).sort(), ['already-registered', 'verify']);
    assert.ok(mails.every((m) => m.sentAt && m.transport === 'outbox'));
    assert.match(mails.find((m) => m.kind === 'verify')!.html, /Example Times/);
  });

  test('bad input is refused field by field, with clear reasons', async () => {
    const r = (email: string, displayName: string, password: string) =>
      code(t.accounts.register({ email, displayName, password }, t.ctx));
    assert.equal(await r('not-an-email', 'Ok Name', PW), 'DATELINE_ERR_ACCOUNT_INVALID:email');
    assert.equal(
      await r(`${'a'.repeat(250)}@example.com`, 'Ok Name', PW),
      'DATELINE_ERR_ACCOUNT_INVALID:email',
    );
    assert.equal(await r('x@example.com', 'Evil\u202Eeman', PW), 'DATELINE_ERR_ACCOUNT_INVALID:displayName');
    assert.equal(await r('x@example.com', 'Zero\u200Bwidth', PW), 'DATELINE_ERR_ACCOUNT_INVALID:displayName');
    assert.equal(await r('x@example.com', 'Bell\u0007', PW), 'DATELINE_ERR_ACCOUNT_INVALID:displayName');
    assert.equal(await r('x@example.com', 'n'.repeat(61), PW), 'DATELINE_ERR_ACCOUNT_INVALID:displayName');
    assert.equal(await r('x@example.com', 'Ok Name', 'short'), 'DATELINE_ERR_ACCOUNT_INVALID:password');
    assert.equal(
      await r('x@example.com', 'Ok Name', 'Password2024!'),
      'DATELINE_ERR_ACCOUNT_INVALID:password',
    );
    assert.equal(await r('x@example.com', 'Ok Name', 'qwertyuiop'), 'DATELINE_ERR_ACCOUNT_INVALID:password');
    assert.equal(await r('bad', '', 'x'), 'DATELINE_ERR_ACCOUNT_INVALID:displayName,email,password');
  });

  test('registration and reset requests are limited per IP address', async () => {
    const ctx = t.fixedIp('192.0.2.7');
    const results: string[] = [];
    for (let i = 0; i < 11; i++)
      results.push(
        await code(
          t.accounts.register({ email: `flood${i}@example.com`, displayName: 'Flood', password: PW }, ctx),
        ),
      );
    assert.deepEqual(results.slice(0, 10), Array(10).fill('ok'));
    assert.equal(results[10], 'DATELINE_ERR_RATE_LIMITED');
    for (let i = 0; i < 10; i++) await t.accounts.requestReset(`r${i}@example.com`, ctx);
    assert.equal(await code(t.accounts.requestReset('r@example.com', ctx)), 'DATELINE_ERR_RATE_LIMITED');
  });

  test('names that look like a member of staff are refused', async () => {
    await t.accounts.createUser({
      email: 'editor@example.com',
      displayName: 'Maria Editor',
      password: PW,
      roles: [{ role: 'editor', siteId: null }],
    });
    const r = (displayName: string) =>
      code(t.accounts.register({ email: 'y@example.com', displayName, password: PW }, t.ctx));
    assert.equal(await r('Maria Edit0r'), 'DATELINE_ERR_ACCOUNT_INVALID:displayName');
    assert.equal(await r('MARIA  EDITOR'), 'DATELINE_ERR_ACCOUNT_INVALID:displayName');
    assert.equal(await r('Mаria Editor'), 'DATELINE_ERR_ACCOUNT_INVALID:displayName', 'Cyrillic а');
    assert.equal(await r('Admin'), 'DATELINE_ERR_ACCOUNT_INVALID:displayName');
    assert.equal(await r('Maria Reader'), 'ok');
  });

  test('verification links work once, and replayed, tampered or expired ones change nothing', async () => {
    await t.accounts.register({ email: 'cy@example.com', displayName: 'Cy', password: PW }, t.ctx);
    const [m] = await t.inbox('cy@example.com');
    const token = new URL(linkIn(m!.text, '/account/verify?t=')).searchParams.get('t')!;
    assert.equal(
      await code(t.accounts.verifyEmail(`${token.slice(0, -2)}xx`, t.ctx)),
      'DATELINE_ERR_TOKEN_INVALID',
    );
    assert.equal(await code(t.accounts.verifyEmail('../../etc', t.ctx)), 'DATELINE_ERR_TOKEN_INVALID');
    assert.equal(await code(t.accounts.verifyEmail(token, t.ctx)), 'ok');
    assert.equal(await code(t.accounts.verifyEmail(token, t.ctx)), 'DATELINE_ERR_TOKEN_INVALID');
    assert.equal((await t.accounts.findByEmail('cy@example.com'))!.emailVerified, true);

    await t.accounts.register({ email: 'dee@example.com', displayName: 'Dee', password: PW }, t.ctx);
    const [m2] = await t.inbox('dee@example.com');
    const late = new URL(linkIn(m2!.text, '/account/verify?t=')).searchParams.get('t')!;
    t.advance(49 * 3600_000);
    assert.equal(await code(t.accounts.verifyEmail(late, t.ctx)), 'DATELINE_ERR_TOKEN_INVALID');
    assert.equal((await t.accounts.findByEmail('dee@example.com'))!.emailVerified, false);
  });

  test('sign-in: wrong password and unknown email give the same error; unverified accounts are sent a new link', async () => {
    await verifiedUser('eve@example.com', 'Eve');
    assert.equal(
      await code(t.accounts.login({ email: 'eve@example.com', password: 'wrong-password-1' }, t.ctx)),
      'DATELINE_ERR_LOGIN_FAILED',
    );
    assert.equal(
      await code(t.accounts.login({ email: 'nobody@example.com', password: 'wrong-password-1' }, t.ctx)),
      'DATELINE_ERR_LOGIN_FAILED',
    );
    assert.equal(await code(t.accounts.login({ email: 'EVE@example.com', password: PW }, t.ctx)), 'ok');
    await t.accounts.register({ email: 'fay@example.com', displayName: 'Fay', password: PW }, t.ctx);
    assert.equal(
      await code(t.accounts.login({ email: 'fay@example.com', password: PW }, t.ctx)),
      'DATELINE_ERR_EMAIL_NOT_VERIFIED',
    );
    assert.equal((await t.inbox('fay@example.com')).filter((m) => m.kind === 'verify').length, 2);
  });

  // Whether an account exists must not show in the time a failed sign-in takes: both paths run one argon2
  // verification at the configured cost (an unknown email against the hasher's dummy hash). The times
  // themselves are compared by `npm run bench` (bench/guard-timings.ts), not here, where load skews them.
  test('a failed sign-in does the same password work whether or not the account exists', async () => {
    await t.accounts.createUser({ email: 'timed@example.com', displayName: 'Timed', password: PW });
    const verify = mock.method(t.accounts.hasher, 'verify');
    try {
      const stored = async (email: string) => {
        const before = verify.mock.callCount();
        assert.equal(
          await code(t.accounts.login({ email, password: 'not-the-password' }, t.ctx)),
          'DATELINE_ERR_LOGIN_FAILED',
        );
        assert.equal(verify.mock.callCount() - before, 1, `one password verification for ${email}`);
        return verify.mock.calls.at(-1)!.arguments[0];
      };
      const known = await stored('timed@example.com');
      assert.match(String(known), /^\$argon2id\$/);
      // No account: the verification still runs, against the dummy hash of the same cost.
      assert.equal(await stored('ghost@example.com'), null);
    } finally {
      verify.mock.restore();
    }
  });

  test('repeated failures pause, then lock the account for a while, and the owner is told once', async () => {
    await verifiedUser('gus@example.com', 'Gus');
    const key = 'gus@example.com';
    const results: string[] = [];
    for (let i = 0; i < AccountLimits.LOCK_AFTER; i++) {
      results.push(await code(t.accounts.login({ email: key, password: `wrong-${i}-password` }, t.ctx)));
      if (i === AccountLimits.PAUSE_AFTER - 1) {
        // The pause is in force right after the third failure…
        assert.equal(
          await code(t.accounts.login({ email: key, password: PW }, t.ctx)),
          'DATELINE_ERR_RATE_LIMITED',
        );
      }
      // …and the test skips the wait instead of sleeping.
      await t.accounts.limits.loginPause.reset(key);
    }
    assert.ok(results.every((r) => r === 'DATELINE_ERR_LOGIN_FAILED'));
    assert.equal(
      await code(t.accounts.login({ email: key, password: PW }, t.ctx)),
      'DATELINE_ERR_ACCOUNT_LOCKED',
    );
    const notices = (await t.inbox(key)).filter((m) => m.kind === 'login-locked');
    assert.equal(notices.length, 1);
    // The same for an email with no account: nothing to tell, but the same answers.
    for (let i = 0; i < AccountLimits.LOCK_AFTER; i++) {
      await code(t.accounts.login({ email: 'ghost@example.com', password: 'x-wrong-password' }, t.ctx));
      await t.accounts.limits.loginPause.reset('ghost@example.com');
    }
    assert.equal(
      await code(t.accounts.login({ email: 'ghost@example.com', password: PW }, t.ctx)),
      'DATELINE_ERR_ACCOUNT_LOCKED',
    );
  });

  test('password reset: same answer for unknown email, single use, ends every session', async () => {
    const s1 = await verifiedUser('hal@example.com', 'Hal');
    const s2 = await t.accounts.login({ email: 'hal@example.com', password: PW }, t.ctx);
    assert.equal(await code(t.accounts.requestReset('nobody-here@example.com', t.ctx)), 'ok');
    assert.equal(await code(t.accounts.requestReset('hal@example.com', t.ctx)), 'ok');
    assert.equal((await t.inbox('nobody-here@example.com')).length, 0);
    const [mail] = (await t.inbox('hal@example.com')).filter((m) => m.kind === 'reset');
    const token = new URL(linkIn(mail!.text, '/account/reset?t=')).searchParams.get('t')!;
    assert.equal(
      await code(t.accounts.resetPassword(token, 'short', t.ctx)),
      'DATELINE_ERR_ACCOUNT_INVALID:password',
    );
    assert.equal(await code(t.accounts.resetPassword(token, 'a-brand-new-passphrase', t.ctx)), 'ok');
    assert.equal(
      await code(t.accounts.resetPassword(token, 'another-new-passphrase', t.ctx)),
      'DATELINE_ERR_TOKEN_INVALID',
    );
    assert.equal(await t.accounts.sessions.lookup(s1.token, null, { fresh: true }), null);
    assert.equal(await t.accounts.sessions.lookup(s2.token, null, { fresh: true }), null);
    assert.equal(
      await code(t.accounts.login({ email: 'hal@example.com', password: PW }, t.ctx)),
      'DATELINE_ERR_LOGIN_FAILED',
    );
    assert.equal(
      await code(t.accounts.login({ email: 'hal@example.com', password: 'a-brand-new-passphrase' }, t.ctx)),
      'ok',
    );
  });

  test('changing the password needs the current one and ends the other sessions', async () => {
    const a = await verifiedUser('ivy@example.com', 'Ivy');
    const b = await t.accounts.login({ email: 'ivy@example.com', password: PW }, t.ctx);
    const sa = (await t.accounts.sessions.lookup(a.token, null))!;
    assert.equal(
      await code(
        t.accounts.changePassword(
          sa,
          { currentPassword: 'wrong-one-here', newPassword: 'ivy-new-passphrase' },
          t.ctx,
        ),
      ),
      'DATELINE_ERR_ACCOUNT_INVALID:currentPassword',
    );
    const renewed = await t.accounts.changePassword(
      sa,
      { currentPassword: PW, newPassword: 'ivy-new-passphrase' },
      t.ctx,
    );
    assert.equal(await t.accounts.sessions.lookup(b.token, null, { fresh: true }), null);
    assert.equal(
      await t.accounts.sessions.lookup(a.token, null, { fresh: true }),
      null,
      'the old secret is rotated',
    );
    assert.ok(await t.accounts.sessions.lookup(renewed.token, null, { fresh: true }));
  });

  test('changing the email is confirmed at the new address and the old one is told; a taken address is not revealed', async () => {
    const s = await verifiedUser('jo@example.com', 'Jo');
    await verifiedUser('taken@example.com', 'Taken');
    assert.equal(
      await code(
        t.accounts.requestEmailChange(s.user.id, { email: 'taken@example.com', password: PW }, t.ctx),
      ),
      'ok',
    );
    assert.deepEqual((await t.inbox('taken@example.com')).map((m) => m.kind).sort(), [
      'email-taken',
      'verify',
    ]);
    assert.equal(
      await code(
        t.accounts.requestEmailChange(s.user.id, { email: 'jo.new@example.com', password: 'wrong' }, t.ctx),
      ),
      'DATELINE_ERR_ACCOUNT_INVALID:password',
    );
    await t.accounts.requestEmailChange(s.user.id, { email: 'jo.new@example.com', password: PW }, t.ctx);
    assert.ok((await t.inbox('jo@example.com')).some((m) => m.kind === 'email-change-notice'));
    const [m] = await t.inbox('jo.new@example.com');
    const token = new URL(linkIn(m!.text, '/account/email/confirm?t=')).searchParams.get('t')!;
    const u = await t.accounts.confirmEmailChange(token);
    assert.equal(u.email, 'jo.new@example.com');
    assert.equal(await code(t.accounts.confirmEmailChange(token)), 'DATELINE_ERR_TOKEN_INVALID');
  });

  test('sessions end when idle and at the absolute maximum', async () => {
    const s = await verifiedUser('kim@example.com', 'Kim');
    t.advance(13 * 86_400_000);
    assert.ok(
      await t.accounts.sessions.lookup(s.token, null, { fresh: true }),
      'used within the idle period',
    );
    t.advance(13 * 86_400_000);
    assert.ok(await t.accounts.sessions.lookup(s.token, null, { fresh: true }), 'still used');
    t.advance(15 * 86_400_000);
    assert.equal(await t.accounts.sessions.lookup(s.token, null, { fresh: true }), null, 'idle for 15 days');
    const s2 = await t.accounts.login({ email: 'kim@example.com', password: PW }, t.ctx);
    for (let i = 0; i < 6; i++) {
      t.advance(10 * 86_400_000);
      await t.accounts.sessions.lookup(s2.token, null, { fresh: true });
    }
    assert.equal(await t.accounts.sessions.lookup(s2.token, null, { fresh: true }), null, 'past 60 days');
    // A cookie is only good on the site that set it.
    const s3 = await t.accounts.login({ email: 'kim@example.com', password: PW }, t.ctx);
    assert.ok(await t.accounts.sessions.lookup(s3.token, t.site.id));
    assert.equal(await t.accounts.sessions.lookup(s3.token, t.site.id + 1000), null);
    // Page views answer from memory without waiting, and agree with lookup; only lookup reads the database.
    assert.equal(
      t.accounts.sessions.peek(s3.token, t.site.id),
      await t.accounts.sessions.lookup(s3.token, t.site.id),
    );
    assert.equal(t.accounts.sessions.peek(s3.token, t.site.id + 1000), null);
    assert.equal(t.accounts.sessions.peek('not-a-cached-token-at-all', t.site.id), undefined);
    t.advance(6_000);
    assert.equal(t.accounts.sessions.peek(s3.token, t.site.id), undefined, 'cached too long ago');
    t.advance(16 * 86_400_000);
    assert.equal(await t.accounts.sessions.lookup(s3.token, t.site.id, { fresh: true }), null);
    assert.equal(t.accounts.sessions.peek(s3.token, t.site.id), null, 'idle too long: over, from memory too');
  });

  test('a role change rotates the session secret; disabling ends every session', async () => {
    const s = await verifiedUser('lee@example.com', 'Lee');
    await t.accounts.setRole(s.user.id, { role: 'moderator', siteId: t.site.id }, true);
    assert.equal(await t.accounts.hasRole(s.user.id, 'moderator', t.site.id), true);
    assert.equal(await t.accounts.hasRole(s.user.id, 'moderator', null), false);
    const info = (await t.accounts.sessions.lookup(s.token, null))!;
    assert.equal(info.stalePrivileges, true);
    const rotated = await t.accounts.sessions.rotate(info);
    assert.equal(await t.accounts.sessions.lookup(s.token, null, { fresh: true }), null);
    assert.equal(
      (await t.accounts.sessions.lookup(rotated.token, null, { fresh: true }))!.stalePrivileges,
      false,
    );
    await t.accounts.setDisabled(s.user.id, true);
    assert.equal(await t.accounts.sessions.lookup(rotated.token, null, { fresh: true }), null);
    assert.equal(
      await code(t.accounts.login({ email: 'lee@example.com', password: PW }, t.ctx)),
      'DATELINE_ERR_ACCOUNT_DISABLED',
    );
    await t.accounts.setDisabled(s.user.id, false);
    assert.equal(await code(t.accounts.login({ email: 'lee@example.com', password: PW }, t.ctx)), 'ok');
    assert.equal(
      await code(t.accounts.setRole(s.user.id, { role: 'owner', siteId: t.site.id }, true)),
      'DATELINE_ERR_ACCOUNT_INVALID:role',
    );
  });

  test('deleting an account removes personal data and keeps an anonymous tombstone', async () => {
    const s = await verifiedUser('max@example.com', 'Max Person');
    const seen: number[] = [];
    t.accounts.onDelete(async (id, mode) => {
      seen.push(id);
      assert.equal(mode, 'anonymise');
    });
    const data = await t.accounts.exportData(s.user.id);
    assert.equal(data.account.email, 'max@example.com');
    assert.ok(data.mails.length >= 1 && data.sessions.length >= 1);
    assert.equal(
      await code(t.accounts.deleteAccount(s.user.id, { confirm: 'nope', password: PW })),
      'DATELINE_ERR_ACCOUNT_INVALID:confirm',
    );
    assert.equal(
      await code(t.accounts.deleteAccount(s.user.id, { confirm: 'delete', password: 'wrong' })),
      'DATELINE_ERR_ACCOUNT_INVALID:password',
    );
    await t.accounts.deleteAccount(s.user.id, { confirm: 'DELETE', password: PW });
    assert.deepEqual(seen, [s.user.id]);
    const gone = (await t.accounts.user(s.user.id))!;
    assert.equal(gone.email, null);
    assert.equal(gone.displayName, 'Deleted reader');
    assert.equal(gone.status, 'deleted');
    assert.equal(await t.accounts.sessions.lookup(s.token, null, { fresh: true }), null);
    assert.equal((await t.mail.outbox({ to: 'max@example.com' })).length, 0);
    assert.equal(
      await code(
        t.accounts.register({ email: 'max@example.com', displayName: 'Max Again', password: PW }, t.ctx),
      ),
      'ok',
    );
    assert.equal((await t.inbox('max@example.com'))[0]!.kind, 'verify', 'the address is free again');
  });
});
