// TwoFactorService on both dialects, with a test clock: enrolling an authenticator app and confirming it,
// codes accepted once and only within a step of now, the secret sealed at rest and bound to its account,
// recovery codes used once and replaced, moving to a new phone, the per-account wait after wrong guesses,
// and passkeys registered and used with a software authenticator (two-factor-test-authenticator.ts), with
// each refusal: a used, expired, foreign or wrong-ceremony challenge, the wrong origin, another key, a
// counter that went back, another account's passkey.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import type { Db } from '../db/connection.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { LimiterFactory } from './rate-limit.ts';
import { insertAccount } from './repository.ts';
import { base32Decode, hotp, timeStep, totpCode } from './totp.ts';
import {
  CHALLENGE_SECONDS,
  RECOVERY_CODE_COUNT,
  type RelyingParty,
  requiredFor,
  TwoFactorLimits,
  TwoFactorService,
} from './two-factor.ts';
import { SoftwareAuthenticator } from './two-factor-test-authenticator.ts';

const RP: RelyingParty = {
  id: 'admin.localhost',
  name: 'Dateline newsroom',
  origin: 'http://admin.localhost:3000',
};
const T0 = new Date('2026-03-01T09:00:05Z');

const is = (name: Parameters<typeof isDatelineError>[1]) => (e: unknown) => isDatelineError(e, name);

let accounts = 0;
async function newStaff(db: Db): Promise<{ id: number; email: string; displayName: string }> {
  accounts += 1;
  const email = `two-factor-${accounts}@example.com`;
  const displayName = `Editor ${accounts}`;
  const id = await insertAccount(db.kysely, {
    email,
    emailVerifiedAt: new Date(),
    displayName,
    passwordHash: null,
  });
  return { id, email, displayName };
}

function setup(db: Db, signingKey = randomBytes(32)) {
  const clock = { now: T0 };
  const factory = new LimiterFactory(db, null);
  const service = new TwoFactorService({
    db,
    signingKey,
    limiterFactory: factory,
    relyingParty: RP,
    now: () => clock.now,
  });
  const later = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { service, clock, later, signingKey, factory };
}

/** Enrols and confirms an app for a new account; returns its secret and recovery codes. */
async function enrolled(db: Db, t: ReturnType<typeof setup>) {
  const user = await newStaff(db);
  const { secret } = await t.service.startTotpEnrolment(user.id, user.email);
  const key = base32Decode(secret)!;
  const { recoveryCodes } = await t.service.confirmTotp(user.id, totpCode(key, t.clock.now));
  // The confirming code's step is used up; sign-ins in these tests start a step later.
  t.later(30_000);
  return { user, key, recoveryCodes };
}

async function auditActions(db: Db, userId: number): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('audit_log')
    .select('action')
    .where('subject_type', '=', 'user')
    .where('subject_id', '=', String(userId))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

test('TOTP is required for admin and owner, on any site or network-wide, and for no other role', () => {
  assert.equal(requiredFor(['admin']), true);
  assert.equal(requiredFor(['owner']), true);
  assert.equal(requiredFor([{ role: 'admin', siteId: 3 }]), true);
  assert.equal(requiredFor([{ role: 'editor', siteId: null }, { role: 'owner' }]), true);
  assert.equal(requiredFor(['contributor', 'author', 'editor', 'moderator', 'reader']), false);
  assert.equal(requiredFor([]), false);
  assert.equal(TwoFactorService.requiredFor(['admin']), true);
});

describeEachDialect('two-factor sign-in', (ctx) => {
  test('a new account has nothing; enrolment stays pending until a code from the new secret confirms it', async () => {
    const t = setup(ctx.db);
    const user = await newStaff(ctx.db);
    assert.deepEqual(await t.service.status(user.id), {
      totp: false,
      totpConfirmedAt: null,
      totpLastUsedAt: null,
      totpPending: false,
      passkeys: [],
      recoveryCodesLeft: 0,
      enabled: false,
    });
    assert.equal(await t.service.pendingTotpEnrolment(user.id, user.email), null);
    await assert.rejects(t.service.confirmTotp(user.id, '123456'), is('TWO_FACTOR_NOT_ENABLED'));
    await assert.rejects(t.service.verifyTotp(user.id, '123456'), is('TWO_FACTOR_NOT_ENABLED'));

    const started = await t.service.startTotpEnrolment(user.id, user.email);
    assert.match(started.secret, /^[A-Z2-7]{32}$/);
    const url = new URL(started.otpauthUrl);
    assert.equal(url.searchParams.get('secret'), started.secret);
    assert.equal(decodeURIComponent(url.pathname), `/Dateline newsroom:${user.email}`);
    // Shown again (a reload, a wrong code) without a new secret.
    assert.deepEqual(await t.service.pendingTotpEnrolment(user.id, user.email), started);
    const pending = await t.service.status(user.id);
    assert.equal(pending.totp, false);
    assert.equal(pending.totpPending, true);
    assert.equal(pending.enabled, false);
    assert.equal(await t.service.enabled(user.id), false);
    assert.equal(await t.service.hasTotp(user.id), false);
    // Not yet confirmed: no code is checked at sign-in.
    const key = base32Decode(started.secret)!;
    await assert.rejects(
      t.service.verifyTotp(user.id, totpCode(key, t.clock.now)),
      is('TWO_FACTOR_NOT_ENABLED'),
    );

    const wrong = hotp(key, timeStep(t.clock.now) + 5);
    await assert.rejects(t.service.confirmTotp(user.id, wrong), is('TWO_FACTOR_CODE_INVALID'));
    assert.equal((await t.service.status(user.id)).totp, false);

    const { recoveryCodes } = await t.service.confirmTotp(user.id, totpCode(key, t.clock.now));
    assert.equal(recoveryCodes.length, RECOVERY_CODE_COUNT);
    assert.equal(new Set(recoveryCodes).size, RECOVERY_CODE_COUNT);
    for (const c of recoveryCodes) assert.match(c, /^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
    const on = await t.service.status(user.id);
    assert.equal(on.totp, true);
    assert.equal(on.totpPending, false);
    assert.equal(on.enabled, true);
    assert.equal(on.recoveryCodesLeft, 10);
    assert.deepEqual(on.totpConfirmedAt, T0);
    assert.equal(await t.service.pendingTotpEnrolment(user.id, user.email), null);
    assert.equal(await t.service.enabled(user.id), true);
    assert.equal(await t.service.hasTotp(user.id), true);
    assert.deepEqual(await auditActions(ctx.db, user.id), ['two_factor.totp_enabled']);
  });

  test('the secret is sealed at rest and bound to its account and to the server key', async () => {
    const t = setup(ctx.db);
    const { user, key, recoveryCodes } = await enrolled(ctx.db, t);
    const row = await ctx.db.kysely
      .selectFrom('two_factor_totp')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const form of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
      assert.ok(!stored.includes(form), 'the secret is not stored in the clear');
    }
    const codes = await ctx.db.kysely
      .selectFrom('two_factor_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(codes.length, 10);
    for (const c of recoveryCodes) {
      assert.ok(!JSON.stringify(codes).includes(c.replace('-', '')), 'recovery codes are stored hashed');
    }

    // Copied onto another account, the sealed secret does not open.
    const other = await newStaff(ctx.db);
    await ctx.db.kysely
      .insertInto('two_factor_totp')
      .values({ ...row, user_id: other.id })
      .execute();
    await assert.rejects(
      t.service.verifyTotp(other.id, totpCode(key, t.clock.now)),
      is('TWO_FACTOR_SECRET_UNREADABLE'),
    );
    // Under another server key (DATELINE_SECRET changed), nothing opens either.
    const rekeyed = setup(ctx.db);
    rekeyed.clock.now = t.clock.now;
    await assert.rejects(
      rekeyed.service.verifyTotp(user.id, totpCode(key, t.clock.now)),
      is('TWO_FACTOR_SECRET_UNREADABLE'),
    );
    // The same key (another app node) reads it.
    const sameKey = setup(ctx.db, t.signingKey);
    sameKey.clock.now = t.clock.now;
    await sameKey.service.verifyTotp(user.id, totpCode(key, t.clock.now));
  });

  test('a code works once, within one step of now, and never after a later step was accepted', async () => {
    const t = setup(ctx.db);
    const { user, key } = await enrolled(ctx.db, t);
    // The confirming code's step is used up, and the step after it must be free for this test: one more.
    await assert.rejects(
      t.service.verifyTotp(user.id, hotp(key, timeStep(t.clock.now) - 1)),
      is('TWO_FACTOR_CODE_INVALID'),
      'the confirming code',
    );
    t.later(30_000);
    const step = timeStep(t.clock.now);
    // Two steps away either side: refused.
    await assert.rejects(t.service.verifyTotp(user.id, hotp(key, step + 2)), is('TWO_FACTOR_CODE_INVALID'));
    await assert.rejects(t.service.verifyTotp(user.id, hotp(key, step - 2)), is('TWO_FACTOR_CODE_INVALID'));
    // The step before now is accepted, once.
    await t.service.verifyTotp(user.id, hotp(key, step - 1));
    await assert.rejects(t.service.verifyTotp(user.id, hotp(key, step - 1)), is('TWO_FACTOR_CODE_INVALID'));
    // Now's code is accepted, once; then the one before it stays refused.
    await t.service.verifyTotp(user.id, ` ${hotp(key, step).replace(/^(...)/, '$1 ')} `);
    await assert.rejects(t.service.verifyTotp(user.id, hotp(key, step)), is('TWO_FACTOR_CODE_INVALID'));
    // The next step's code (a phone a little ahead) is accepted, and then now's is old.
    await t.service.verifyTotp(user.id, hotp(key, step + 1));
    t.later(30_000);
    await assert.rejects(t.service.verifyTotp(user.id, hotp(key, step + 1)), is('TWO_FACTOR_CODE_INVALID'));
    await t.service.verifyTotp(user.id, hotp(key, step + 2));
    const status = await t.service.status(user.id);
    assert.deepEqual(status.totpLastUsedAt, t.clock.now);
    const row = await ctx.db.kysely
      .selectFrom('two_factor_totp')
      .select('last_time_step')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.last_time_step), step + 2);
  });

  test('two requests racing with the same code: exactly one is accepted', async () => {
    const t = setup(ctx.db);
    const { user, key } = await enrolled(ctx.db, t);
    const code = totpCode(key, t.clock.now);
    const results = await Promise.allSettled([
      t.service.verifyTotp(user.id, code),
      t.service.verifyTotp(user.id, code),
      t.service.verifyTotp(user.id, code),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      assert.ok(isDatelineError((r as PromiseRejectedResult).reason, 'TWO_FACTOR_CODE_INVALID'));
    }
  });

  test('recovery codes work once each, as typed by hand, and regenerating replaces them all', async () => {
    const t = setup(ctx.db);
    const { user, recoveryCodes } = await enrolled(ctx.db, t);
    const [first, second, third] = recoveryCodes as [string, string, string];
    assert.deepEqual(await t.service.useRecoveryCode(user.id, first), { left: 9 });
    await assert.rejects(t.service.useRecoveryCode(user.id, first), is('TWO_FACTOR_CODE_INVALID'));
    // Upper case, spaces instead of the dash.
    assert.deepEqual(
      await t.service.useRecoveryCode(user.id, `  ${second.toUpperCase().replace('-', ' ')} `),
      {
        left: 8,
      },
    );
    assert.equal((await t.service.status(user.id)).recoveryCodesLeft, 8);
    // Another account's code is no code of this one.
    const other = await enrolled(ctx.db, t);
    await assert.rejects(
      t.service.useRecoveryCode(user.id, other.recoveryCodes[0]!),
      is('TWO_FACTOR_CODE_INVALID'),
    );

    const fresh = await t.service.regenerateRecoveryCodes(user.id);
    assert.equal(fresh.length, 10);
    assert.equal((await t.service.status(user.id)).recoveryCodesLeft, 10);
    await assert.rejects(t.service.useRecoveryCode(user.id, third), is('TWO_FACTOR_CODE_INVALID'));
    assert.deepEqual(await t.service.useRecoveryCode(user.id, fresh[4]!), { left: 9 });
    assert.deepEqual(await auditActions(ctx.db, user.id), [
      'two_factor.totp_enabled',
      'two_factor.recovery_code_used',
      'two_factor.recovery_code_used',
      'two_factor.recovery_codes_regenerated',
      'two_factor.recovery_code_used',
    ]);
    // Without any second step there is nothing for recovery codes to back up.
    const bare = await newStaff(ctx.db);
    await assert.rejects(t.service.regenerateRecoveryCodes(bare.id), is('TWO_FACTOR_NOT_ENABLED'));
  });

  test('after five wrong guesses the account waits, whatever is tried, and other accounts do not', async () => {
    const t = setup(ctx.db);
    const { user, key, recoveryCodes } = await enrolled(ctx.db, t);
    const other = await enrolled(ctx.db, t);
    const wrong = hotp(key, timeStep(t.clock.now) + 7);
    for (let i = 1; i < TwoFactorLimits.GUESSES; i++) {
      await assert.rejects(t.service.verifyTotp(user.id, wrong), is('TWO_FACTOR_CODE_INVALID'), `guess ${i}`);
    }
    // Wrong recovery codes count the same: this one is the fifth guess and starts the wait.
    await assert.rejects(t.service.useRecoveryCode(user.id, 'aaaaa-aaaaa'), (e: unknown) => {
      assert.ok(isDatelineError(e, 'RATE_LIMITED'));
      assert.ok(Number(e.where?.retryAfter) > 14 * 60);
      return true;
    });
    // Now even the right code and a good recovery code wait, and are not used up.
    await assert.rejects(t.service.verifyTotp(user.id, totpCode(key, t.clock.now)), is('RATE_LIMITED'));
    await assert.rejects(t.service.useRecoveryCode(user.id, recoveryCodes[0]!), is('RATE_LIMITED'));
    await assert.rejects(t.service.confirmTotp(user.id, totpCode(key, t.clock.now)), is('RATE_LIMITED'));
    assert.equal((await t.service.status(user.id)).recoveryCodesLeft, 10);
    // Another account is not held up.
    await t.service.verifyTotp(other.user.id, totpCode(other.key, t.clock.now));
    // Once the wait is over (an admin can also lift it), the right code works and the count starts again.
    await t.service.limits.guesses.reset(String(user.id));
    await t.service.verifyTotp(user.id, totpCode(key, t.clock.now));
    assert.equal(await t.service.limits.guesses.spent(String(user.id)), 0);
  });

  test('a successful second step clears the count of earlier wrong guesses', async () => {
    const t = setup(ctx.db);
    const { user, key } = await enrolled(ctx.db, t);
    const wrong = hotp(key, timeStep(t.clock.now) + 7);
    for (let i = 0; i < TwoFactorLimits.GUESSES - 1; i++) {
      await assert.rejects(t.service.verifyTotp(user.id, wrong), is('TWO_FACTOR_CODE_INVALID'));
    }
    await t.service.verifyTotp(user.id, totpCode(key, t.clock.now));
    // Four more wrong guesses are again only wrong, not a wait.
    for (let i = 0; i < TwoFactorLimits.GUESSES - 1; i++) {
      await assert.rejects(t.service.verifyTotp(user.id, wrong), is('TWO_FACTOR_CODE_INVALID'));
    }
  });

  test('moving to a new phone: the old app works until the new one is confirmed, then only the new one', async () => {
    const t = setup(ctx.db);
    const { user, key: oldKey, recoveryCodes: oldCodes } = await enrolled(ctx.db, t);
    const { secret } = await t.service.startTotpEnrolment(user.id, user.email);
    const newKey = base32Decode(secret)!;
    const status = await t.service.status(user.id);
    assert.equal(status.totp, true);
    assert.equal(status.totpPending, true);
    await t.service.verifyTotp(user.id, totpCode(oldKey, t.clock.now));
    t.later(30_000);
    // A code from the old app does not confirm the new secret.
    await assert.rejects(
      t.service.confirmTotp(user.id, totpCode(oldKey, t.clock.now)),
      is('TWO_FACTOR_CODE_INVALID'),
    );
    const { recoveryCodes } = await t.service.confirmTotp(user.id, totpCode(newKey, t.clock.now));
    t.later(30_000);
    await assert.rejects(
      t.service.verifyTotp(user.id, totpCode(oldKey, t.clock.now)),
      is('TWO_FACTOR_CODE_INVALID'),
    );
    await t.service.verifyTotp(user.id, totpCode(newKey, t.clock.now));
    // New recovery codes replace the old ones.
    await assert.rejects(t.service.useRecoveryCode(user.id, oldCodes[0]!), is('TWO_FACTOR_CODE_INVALID'));
    assert.deepEqual(await t.service.useRecoveryCode(user.id, recoveryCodes[0]!), { left: 9 });
    assert.deepEqual((await auditActions(ctx.db, user.id)).slice(0, 2), [
      'two_factor.totp_enabled',
      'two_factor.totp_replaced',
    ]);
  });

  test('two confirmations racing with the same code: one wins, and its recovery codes are the ones kept', async () => {
    const t = setup(ctx.db);
    const user = await newStaff(ctx.db);
    const { secret } = await t.service.startTotpEnrolment(user.id, user.email);
    const code = totpCode(base32Decode(secret)!, t.clock.now);
    const results = await Promise.allSettled([
      t.service.confirmTotp(user.id, code),
      t.service.confirmTotp(user.id, code),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    const codes = (won[0] as PromiseFulfilledResult<{ recoveryCodes: string[] }>).value.recoveryCodes;
    assert.equal((await t.service.status(user.id)).recoveryCodesLeft, 10);
    assert.deepEqual(await t.service.useRecoveryCode(user.id, codes[9]!), { left: 9 });
  });

  test('removing TOTP turns it off and drops recovery codes that nothing else needs', async () => {
    const t = setup(ctx.db);
    const { user, key, recoveryCodes } = await enrolled(ctx.db, t);
    await t.service.removeTotp(user.id, 'user:1');
    const status = await t.service.status(user.id);
    assert.equal(status.totp, false);
    assert.equal(status.enabled, false);
    assert.equal(status.recoveryCodesLeft, 0);
    await assert.rejects(
      t.service.verifyTotp(user.id, totpCode(key, t.clock.now)),
      is('TWO_FACTOR_NOT_ENABLED'),
    );
    await assert.rejects(
      t.service.useRecoveryCode(user.id, recoveryCodes[0]!),
      is('TWO_FACTOR_CODE_INVALID'),
    );
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', String(user.id))
      .where('action', '=', 'two_factor.totp_removed')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor, 'user:1');
    assert.deepEqual(JSON.parse(audit.detail), { before: { totp: true }, after: { totp: false } });
    // Removing again changes nothing and records nothing more.
    await t.service.removeTotp(user.id);
    assert.equal(
      (await auditActions(ctx.db, user.id)).filter((a) => a === 'two_factor.totp_removed').length,
      1,
    );
  });

  test('passkeys: registration, sign-in, renaming and removal, with a software authenticator', async () => {
    const t = setup(ctx.db);
    const user = await newStaff(ctx.db);
    const device = new SoftwareAuthenticator();

    const options = await t.service.passkeyRegistrationOptions(user);
    assert.equal(options.rp.id, RP.id);
    assert.equal(options.rp.name, RP.name);
    assert.equal(options.user.name, user.email);
    assert.equal(options.user.displayName, user.displayName);
    assert.ok(
      !options.user.id.includes(String(user.id)) || options.user.id.length > 20,
      'opaque user handle',
    );
    assert.equal(options.attestation, 'none');
    assert.deepEqual(options.excludeCredentials, []);
    const stored = await ctx.db.kysely
      .selectFrom('passkey_challenges')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]!.challenge_hash, options.challenge, 'the challenge is kept hashed');

    const answer = device.register({ challenge: options.challenge, origin: RP.origin, rpId: RP.id });
    const { passkey, recoveryCodes } = await t.service.registerPasskey(user.id, answer, '  Work   laptop ');
    assert.equal(passkey.name, 'Work laptop');
    assert.deepEqual(passkey.transports, ['internal']);
    assert.equal(passkey.lastUsedAt, null);
    // The account's first second step comes with recovery codes.
    assert.equal(recoveryCodes?.length, 10);
    const status = await t.service.status(user.id);
    assert.equal(status.enabled, true);
    assert.equal(status.totp, false);
    assert.equal(await t.service.enabled(user.id), true);
    assert.equal(await t.service.hasTotp(user.id), false, 'a passkey is not TOTP');
    assert.deepEqual(
      status.passkeys.map((p) => p.name),
      ['Work laptop'],
    );
    // The same answer again: its challenge is used up.
    await assert.rejects(t.service.registerPasskey(user.id, answer, 'Again'), is('PASSKEY_INVALID'));

    // A second passkey: the first is excluded from the options, and no new recovery codes are made.
    const phone = new SoftwareAuthenticator();
    const options2 = await t.service.passkeyRegistrationOptions(user);
    assert.deepEqual(
      options2.excludeCredentials?.map((c) => c.id),
      [device.id],
    );
    const second = await t.service.registerPasskey(
      user.id,
      phone.register({ challenge: options2.challenge, origin: RP.origin, rpId: RP.id }),
      'Phone',
    );
    assert.equal(second.recoveryCodes, null);

    // Sign-in: the options name this account's passkeys; the assertion is checked and its counter kept.
    const signIn = await t.service.passkeySignInOptions(user.id);
    assert.deepEqual(signIn.allowCredentials?.map((c) => c.id).sort(), [device.id, phone.id].sort());
    assert.equal(signIn.rpId, RP.id);
    t.later(1000);
    const used = await t.service.verifyPasskeySignIn(
      user.id,
      device.assert({ challenge: signIn.challenge, origin: RP.origin, rpId: RP.id }),
    );
    assert.equal(used.id, passkey.id);
    assert.deepEqual(used.lastUsedAt, t.clock.now);
    const row = await ctx.db.kysely
      .selectFrom('passkeys')
      .select('counter')
      .where('id', '=', passkey.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.counter), 1);

    const renamed = await t.service.renamePasskey(user.id, passkey.id, 'Old laptop');
    assert.equal(renamed.name, 'Old laptop');
    await assert.rejects(t.service.renamePasskey(user.id, passkey.id, '   '), is('ACCOUNT_INVALID'));
    await assert.rejects(t.service.renamePasskey(user.id, passkey.id, 'x'.repeat(61)), is('ACCOUNT_INVALID'));

    // Another account cannot rename or delete it.
    const other = await newStaff(ctx.db);
    await assert.rejects(t.service.renamePasskey(other.id, passkey.id, 'Mine'), is('PASSKEY_NOT_FOUND'));
    await assert.rejects(t.service.deletePasskey(other.id, passkey.id), is('PASSKEY_NOT_FOUND'));

    await t.service.deletePasskey(user.id, passkey.id);
    assert.equal((await t.service.status(user.id)).recoveryCodesLeft, 10, 'the phone still needs them');
    await t.service.deletePasskey(user.id, second.passkey.id);
    const none = await t.service.status(user.id);
    assert.equal(none.enabled, false);
    assert.equal(none.recoveryCodesLeft, 0, 'nothing left to back up');
    await assert.rejects(t.service.passkeySignInOptions(user.id), is('PASSKEY_NOT_FOUND'));
    assert.deepEqual(await auditActions(ctx.db, user.id), [
      'two_factor.passkey_added',
      'two_factor.passkey_added',
      'two_factor.passkey_renamed',
      'two_factor.passkey_removed',
      'two_factor.passkey_removed',
    ]);
  });

  test('passkey registration refuses the wrong origin, an expired, foreign or sign-in challenge, and a duplicate', async () => {
    const t = setup(ctx.db);
    const user = await newStaff(ctx.db);
    const device = new SoftwareAuthenticator();
    const answerTo = async (origin = RP.origin, rpId = RP.id) => {
      const o = await t.service.passkeyRegistrationOptions(user);
      return device.register({ challenge: o.challenge, origin, rpId });
    };
    await assert.rejects(
      t.service.registerPasskey(user.id, await answerTo('http://evil.localhost:3000'), 'Key'),
      is('PASSKEY_INVALID'),
    );
    await assert.rejects(
      t.service.registerPasskey(user.id, await answerTo(RP.origin, 'evil.localhost'), 'Key'),
      is('PASSKEY_INVALID'),
    );
    // Past the challenge's life.
    const late = await answerTo();
    t.later(CHALLENGE_SECONDS * 1000 + 1);
    await assert.rejects(t.service.registerPasskey(user.id, late, 'Key'), is('PASSKEY_INVALID'));
    // Another account's challenge.
    const other = await newStaff(ctx.db);
    const foreign = await t.service.passkeyRegistrationOptions(other);
    await assert.rejects(
      t.service.registerPasskey(
        user.id,
        device.register({ challenge: foreign.challenge, origin: RP.origin, rpId: RP.id }),
        'Key',
      ),
      is('PASSKEY_INVALID'),
    );
    // A challenge made for signing in.
    const helper = new SoftwareAuthenticator();
    const helperOptions = await t.service.passkeyRegistrationOptions(user);
    await t.service.registerPasskey(
      user.id,
      helper.register({ challenge: helperOptions.challenge, origin: RP.origin, rpId: RP.id }),
      'Helper',
    );
    const signIn = await t.service.passkeySignInOptions(user.id);
    await assert.rejects(
      t.service.registerPasskey(
        user.id,
        device.register({ challenge: signIn.challenge, origin: RP.origin, rpId: RP.id }),
        'Key',
      ),
      is('PASSKEY_INVALID'),
    );
    // Not an answer at all.
    await assert.rejects(t.service.registerPasskey(user.id, { id: 'x' }, 'Key'), is('PASSKEY_INVALID'));
    await assert.rejects(t.service.registerPasskey(user.id, null, 'Key'), is('PASSKEY_INVALID'));
    // A bad name is refused before anything else.
    await assert.rejects(t.service.registerPasskey(user.id, await answerTo(), ''), is('ACCOUNT_INVALID'));
    // The same authenticator registered twice, even by another account.
    const otherOptions = await t.service.passkeyRegistrationOptions(other);
    await assert.rejects(
      t.service.registerPasskey(
        other.id,
        helper.register({ challenge: otherOptions.challenge, origin: RP.origin, rpId: RP.id }),
        'Taken',
      ),
      is('PASSKEY_INVALID'),
    );
    assert.deepEqual(
      (await t.service.passkeys(user.id)).map((p) => p.name),
      ['Helper'],
    );
    assert.deepEqual(await t.service.passkeys(other.id), []);
  });

  test('passkey sign-in refuses a replay, another key, a counter that went back and another account', async () => {
    const t = setup(ctx.db);
    const user = await newStaff(ctx.db);
    const device = new SoftwareAuthenticator();
    const reg = await t.service.passkeyRegistrationOptions(user);
    await t.service.registerPasskey(
      user.id,
      device.register({ challenge: reg.challenge, origin: RP.origin, rpId: RP.id }),
      'Key',
    );
    const challenge = async () => (await t.service.passkeySignInOptions(user.id)).challenge;
    const good = device.assert({ challenge: await challenge(), origin: RP.origin, rpId: RP.id });
    await t.service.verifyPasskeySignIn(user.id, good);
    await assert.rejects(t.service.verifyPasskeySignIn(user.id, good), is('PASSKEY_INVALID'), 'replayed');
    await assert.rejects(
      t.service.verifyPasskeySignIn(
        user.id,
        device.assert({ challenge: await challenge(), origin: RP.origin, rpId: RP.id }, { otherKey: true }),
      ),
      is('PASSKEY_INVALID'),
    );
    // A cloned authenticator shows itself by a counter that does not move on.
    await assert.rejects(
      t.service.verifyPasskeySignIn(
        user.id,
        device.assert({ challenge: await challenge(), origin: RP.origin, rpId: RP.id }, { counter: 1 }),
      ),
      is('PASSKEY_INVALID'),
    );
    // Refusals count as wrong guesses: three so far. A passkey of another account is the fourth.
    const other = await newStaff(ctx.db);
    const otherDevice = new SoftwareAuthenticator();
    const otherReg = await t.service.passkeyRegistrationOptions(other);
    await t.service.registerPasskey(
      other.id,
      otherDevice.register({ challenge: otherReg.challenge, origin: RP.origin, rpId: RP.id }),
      'Theirs',
    );
    await assert.rejects(
      t.service.verifyPasskeySignIn(
        user.id,
        otherDevice.assert({ challenge: await challenge(), origin: RP.origin, rpId: RP.id }),
      ),
      is('PASSKEY_INVALID'),
    );
    assert.equal(await t.service.limits.guesses.spent(String(user.id)), 4);
    // The wrong origin is the fifth and starts the wait; then even a good assertion waits.
    await assert.rejects(
      t.service.verifyPasskeySignIn(
        user.id,
        device.assert({ challenge: await challenge(), origin: 'http://evil.localhost:3000', rpId: RP.id }),
      ),
      is('RATE_LIMITED'),
    );
    await assert.rejects(
      t.service.verifyPasskeySignIn(
        user.id,
        device.assert({ challenge: await challenge(), origin: RP.origin, rpId: RP.id }),
      ),
      is('RATE_LIMITED'),
    );
    // The other account signs in with its own.
    const theirs = await t.service.passkeySignInOptions(other.id);
    await t.service.verifyPasskeySignIn(
      other.id,
      otherDevice.assert({ challenge: theirs.challenge, origin: RP.origin, rpId: RP.id }),
    );
  });

  test('an admin reset removes every second step of an account; old challenges are pruned a day after', async () => {
    const t = setup(ctx.db);
    const { user, key, recoveryCodes } = await enrolled(ctx.db, t);
    const device = new SoftwareAuthenticator();
    const reg = await t.service.passkeyRegistrationOptions(user);
    await t.service.registerPasskey(
      user.id,
      device.register({ challenge: reg.challenge, origin: RP.origin, rpId: RP.id }),
      'Key',
    );
    await t.service.passkeySignInOptions(user.id);
    await t.service.resetAll(user.id, 'user:99');
    const status = await t.service.status(user.id);
    assert.equal(status.enabled, false);
    assert.equal(status.totp, false);
    assert.equal(status.recoveryCodesLeft, 0);
    assert.deepEqual(status.passkeys, []);
    await assert.rejects(
      t.service.verifyTotp(user.id, totpCode(key, t.clock.now)),
      is('TWO_FACTOR_NOT_ENABLED'),
    );
    await assert.rejects(
      t.service.useRecoveryCode(user.id, recoveryCodes[0]!),
      is('TWO_FACTOR_CODE_INVALID'),
    );
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', String(user.id))
      .where('action', '=', 'two_factor.reset')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor, 'user:99');
    assert.deepEqual(JSON.parse(audit.detail).before, { totp: true, passkeys: 1 });

    const other = await newStaff(ctx.db);
    await t.service.passkeyRegistrationOptions(other);
    const count = async () =>
      (
        await ctx.db.kysely
          .selectFrom('passkey_challenges')
          .select('id')
          .where('user_id', '=', other.id)
          .execute()
      ).length;
    t.later(CHALLENGE_SECONDS * 1000 + 86_400_000 - 1000);
    await t.service.prune();
    assert.equal(await count(), 1, 'kept a day past its end');
    t.later(2000);
    await t.service.prune();
    assert.equal(await count(), 0);
  });
});
