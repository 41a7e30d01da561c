// Staff two-factor sign-in: TOTP codes from an authenticator app, single-use recovery codes, and WebAuthn
// passkeys as a second way. TwoFactorService keeps the state and checks the codes; the admin's screens
// (src/admin/security/) decide when to ask and what a role must have, using requiredFor().
//
// The rules it holds:
// - a TOTP secret is stored encrypted (AES-256-GCM) under a key derived from the server's signing key, so a
//   copy of the database alone yields no codes; each ciphertext is bound to its account;
// - a code is accepted once: the step it was accepted for is remembered, and a code of that step or an
//   earlier one is refused, in the same statement that records it so two racing requests cannot both win;
// - recovery codes (ten, shown once) are kept only as hashes and each works once;
// - wrong codes, wrong recovery codes and refused passkeys count per account: after GUESSES of them in the
//   window every check of that account waits (429), whoever asks;
// - a passkey ceremony's challenge is kept server-side (hashed), lives CHALLENGE_SECONDS and is used up by
//   the first answer that names it, right or wrong.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Selectable } from 'kysely';
import { recordAudit, staffActor } from '../audit/log.ts';
import type { Db } from '../db/connection.ts';
import { fromDbBool, fromDbTime, fromDbTimeOrNull, toDbBool, toDbTime } from '../db/values.ts';
import { DatelineError, isDatelineError } from '../errors/catalogue.ts';
import { FormProblems, rateLimited } from './account-core.ts';
import type { Limiter, LimiterFactory } from './rate-limit.ts';
import type { Q, RoleName } from './repository.ts';
import { hashSecret } from './secrets.ts';
import { base32Encode, matchTotp, newTotpSecret, otpauthUrl } from './totp.ts';
import type { PasskeyCeremony, PasskeysTable } from './two-factor-tables.ts';

/** The roles that may not work without TOTP: they run the network (sites, staff, integrations). */
export const TWO_FACTOR_REQUIRED_ROLES: readonly RoleName[] = ['admin', 'owner'];

/** Whether these grants (on any site or network-wide) require TOTP. */
export function requiredFor(
  roles: readonly (RoleName | { role: RoleName; siteId?: number | null })[],
): boolean {
  return roles.some((r) => TWO_FACTOR_REQUIRED_ROLES.includes(typeof r === 'string' ? r : r.role));
}

/** The per-account limit on second-step guesses. */
export class TwoFactorLimits {
  /** Wrong codes (of any kind) for one account before its checks wait. */
  static readonly GUESSES = 5;
  static readonly WINDOW_SECONDS = 15 * 60;
  static readonly BLOCK_SECONDS = 15 * 60;
  readonly guesses: Limiter;

  constructor(factory: LimiterFactory) {
    // rate-limiter-flexible blocks on the consume that goes past `points`: the GUESSES-th wrong code is the
    // one past GUESSES - 1 points, and starts the wait.
    this.guesses = factory.make('two-factor-guess', {
      points: TwoFactorLimits.GUESSES - 1,
      durationSeconds: TwoFactorLimits.WINDOW_SECONDS,
      blockSeconds: TwoFactorLimits.BLOCK_SECONDS,
    });
  }
}

/** Where passkeys are used: the admin's host (the RP ID), its name as browsers show it, and its origin. */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export interface PasskeySummary {
  id: number;
  name: string;
  /** singleDevice, or multiDevice for a passkey synced between devices. */
  deviceType: string;
  backedUp: boolean;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface TwoFactorStatus {
  /** A confirmed TOTP secret. */
  totp: boolean;
  totpConfirmedAt: Date | null;
  totpLastUsedAt: Date | null;
  /** A secret shown for enrolment and not yet confirmed. */
  totpPending: boolean;
  passkeys: PasskeySummary[];
  recoveryCodesLeft: number;
  /** Any second step at all: TOTP or a passkey. */
  enabled: boolean;
}

export interface TotpEnrolment {
  /** Base32, for typing into an app. */
  secret: string;
  otpauthUrl: string;
}

export interface TwoFactorDeps {
  db: Db;
  /** The accounts feature's signing key (AccountService.signingKey); the TOTP key is derived from it. */
  signingKey: Buffer;
  limiterFactory: LimiterFactory;
  /** Fixed, or read at each ceremony (the admin's origin follows the port the server ends up on). */
  relyingParty: RelyingParty | (() => RelyingParty);
  /** Shown in the authenticator app beside the account. */
  issuer?: string;
  now?: () => Date;
}

export const RECOVERY_CODE_COUNT = 10;
/** How long a passkey ceremony may take, from options to answer. */
export const CHALLENGE_SECONDS = 300;
const PASSKEY_NAME_MAX = 60;

// Without 0/o, 1/l/i: codes are read off paper and typed by hand. 31 letters, ten of them: 49 bits.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function normaliseRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

function codeInvalid(): DatelineError {
  return new DatelineError(
    'TWO_FACTOR_CODE_INVALID',
    'That code was not accepted: it is wrong, or it was used already (each code works once). ' +
      'Type the code your authenticator app shows now, or one of your recovery codes.',
  );
}

function notEnabled(what: string): DatelineError {
  return new DatelineError(
    'TWO_FACTOR_NOT_ENABLED',
    `${what} This account has no authenticator app set up. Set one up under Security first.`,
  );
}

function passkeyInvalid(why: string): DatelineError {
  return new DatelineError(
    'PASSKEY_INVALID',
    `The passkey was not accepted: ${why} Nothing was changed. Try again; if it keeps failing, use a code from your authenticator app.`,
  );
}

function passkeyNotFound(id: number): DatelineError {
  return new DatelineError(
    'PASSKEY_NOT_FOUND',
    `This account has no passkey ${id}. Reload the Security page to see its passkeys.`,
  );
}

// --- The TOTP secret at rest ---

const SEALED_VERSION = 'v1';

function secretKey(signingKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', signingKey, Buffer.alloc(0), 'dateline two-factor totp secret', 32));
}

/** The account id is the ciphertext's associated data: a row copied onto another account does not open. */
function seal(key: Buffer, userId: number, secret: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`totp:${userId}`));
  const ct = Buffer.concat([cipher.update(secret), cipher.final()]);
  return [SEALED_VERSION, iv, ct, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

function unseal(key: Buffer, userId: number, sealed: string): Buffer {
  const [version, iv, ct, tag] = sealed.split('.');
  try {
    if (version !== SEALED_VERSION || !iv || !ct || !tag) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`totp:${userId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  } catch (cause) {
    throw new DatelineError(
      'TWO_FACTOR_SECRET_UNREADABLE',
      `The authenticator-app secret of account ${userId} cannot be decrypted, so its codes cannot be checked. ` +
        'The server secret it was sealed with has changed (DATELINE_SECRET set, changed or removed since). ' +
        "Restore the earlier DATELINE_SECRET, or have an admin reset this account's two-factor sign-in so it can enrol again.",
      { userId },
      { cause },
    );
  }
}

function toPasskey(r: Selectable<PasskeysTable>): PasskeySummary {
  return {
    id: r.id,
    name: r.name,
    deviceType: r.device_type,
    backedUp: fromDbBool(r.backed_up),
    transports: JSON.parse(r.transports) as string[],
    createdAt: fromDbTime(r.created_at),
    lastUsedAt: fromDbTimeOrNull(r.last_used_at),
  };
}

export class TwoFactorService {
  readonly limits: TwoFactorLimits;
  private readonly db: Db;
  private readonly key: Buffer;
  private readonly userHandleKey: Buffer;
  private readonly relyingParty: () => RelyingParty;
  private readonly issuer: string;
  private readonly now: () => Date;

  constructor(deps: TwoFactorDeps) {
    this.db = deps.db;
    this.key = secretKey(deps.signingKey);
    this.userHandleKey = Buffer.from(
      hkdfSync('sha256', deps.signingKey, Buffer.alloc(0), 'dateline passkey user handle', 32),
    );
    this.limits = new TwoFactorLimits(deps.limiterFactory);
    const rp = deps.relyingParty;
    this.relyingParty = typeof rp === 'function' ? rp : () => rp;
    this.issuer = deps.issuer ?? this.relyingParty().name;
    this.now = deps.now ?? (() => new Date());
  }

  static requiredFor = requiredFor;

  private get rp(): RelyingParty {
    return this.relyingParty();
  }

  private get q() {
    return this.db.kysely;
  }

  async status(userId: number): Promise<TwoFactorStatus> {
    const [totp, passkeys, codes] = await Promise.all([
      this.q.selectFrom('two_factor_totp').selectAll().where('user_id', '=', userId).executeTakeFirst(),
      this.passkeys(userId),
      this.recoveryCodesLeft(this.q, userId),
    ]);
    const on = totp?.secret_enc != null && totp.confirmed_at !== null;
    return {
      totp: on,
      totpConfirmedAt: on ? fromDbTimeOrNull(totp.confirmed_at) : null,
      totpLastUsedAt: on ? fromDbTimeOrNull(totp.last_used_at) : null,
      totpPending: totp?.pending_secret_enc != null,
      passkeys,
      recoveryCodesLeft: codes,
      enabled: on || passkeys.length > 0,
    };
  }

  /** Whether the account has a second step to ask for at sign-in (TOTP or a passkey): one query or two. */
  enabled(userId: number): Promise<boolean> {
    return this.hasSecondStep(this.q, userId);
  }

  /** Whether the account has a confirmed TOTP secret, which admin and owner roles need: one query. */
  async hasTotp(userId: number): Promise<boolean> {
    const row = await this.q
      .selectFrom('two_factor_totp')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('confirmed_at', 'is not', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  async passkeys(userId: number): Promise<PasskeySummary[]> {
    const rows = await this.q
      .selectFrom('passkeys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toPasskey);
  }

  // --- TOTP ---

  /**
   * A new secret to enrol, kept as pending until a code from it is confirmed. A confirmed secret keeps
   * working meanwhile (moving to a new phone). Starting again replaces an earlier pending secret.
   */
  async startTotpEnrolment(userId: number, accountLabel: string): Promise<TotpEnrolment> {
    const secret = newTotpSecret();
    const now = toDbTime(this.now());
    const sealed = seal(this.key, userId, secret);
    await this.q
      .insertInto('two_factor_totp')
      .values({
        user_id: userId,
        secret_enc: null,
        confirmed_at: null,
        last_time_step: null,
        last_used_at: null,
        pending_secret_enc: sealed,
        pending_started_at: now,
      })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ pending_secret_enc: sealed, pending_started_at: now }),
      )
      .execute();
    return this.enrolment(secret, accountLabel);
  }

  /** The pending secret, to show the enrolment page again (after a wrong code, a reload) without a new one. */
  async pendingTotpEnrolment(userId: number, accountLabel: string): Promise<TotpEnrolment | null> {
    const row = await this.q
      .selectFrom('two_factor_totp')
      .select('pending_secret_enc')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row?.pending_secret_enc) return null;
    return this.enrolment(unseal(this.key, userId, row.pending_secret_enc), accountLabel);
  }

  private enrolment(secret: Buffer, account: string): TotpEnrolment {
    return { secret: base32Encode(secret), otpauthUrl: otpauthUrl({ issuer: this.issuer, account, secret }) };
  }

  /**
   * Confirms the pending secret with a code from it: it becomes the account's secret, and ten new recovery
   * codes replace any earlier ones. The codes are returned once, to be shown once.
   */
  async confirmTotp(
    userId: number,
    code: string,
    actor = staffActor(userId),
  ): Promise<{ recoveryCodes: string[] }> {
    await this.refuseWhileBlocked(userId);
    const row = await this.q
      .selectFrom('two_factor_totp')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row?.pending_secret_enc) throw notEnabled('There is no enrolment to confirm: start again.');
    const step = matchTotp(unseal(this.key, userId, row.pending_secret_enc), code, this.now());
    if (step === null) return this.wrongGuess(userId);
    const now = toDbTime(this.now());
    const replaced = row.confirmed_at !== null;
    const codes = await this.q.transaction().execute(async (trx) => {
      // Only the request that still sees this pending secret confirms it: a second confirm racing with the
      // same code changes nothing.
      const res = await trx
        .updateTable('two_factor_totp')
        .set({
          secret_enc: row.pending_secret_enc,
          confirmed_at: now,
          last_time_step: step,
          last_used_at: now,
          pending_secret_enc: null,
          pending_started_at: null,
        })
        .where('user_id', '=', userId)
        .where('pending_secret_enc', '=', row.pending_secret_enc)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return null;
      const fresh = await this.replaceRecoveryCodes(trx, userId);
      await recordAudit(trx, {
        actor,
        action: replaced ? 'two_factor.totp_replaced' : 'two_factor.totp_enabled',
        subjectType: 'user',
        subjectId: userId,
        after: { totp: true, recoveryCodes: RECOVERY_CODE_COUNT },
      });
      return fresh;
    });
    if (!codes) throw codeInvalid();
    await this.limits.guesses.reset(String(userId));
    return { recoveryCodes: codes };
  }

  /** Checks a code at sign-in. Resolves when it is right and unused; throws TWO_FACTOR_CODE_INVALID else. */
  async verifyTotp(userId: number, code: string): Promise<void> {
    await this.refuseWhileBlocked(userId);
    const row = await this.q
      .selectFrom('two_factor_totp')
      .select(['secret_enc', 'confirmed_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row?.secret_enc || row.confirmed_at === null) throw notEnabled('No code can be checked.');
    const step = matchTotp(unseal(this.key, userId, row.secret_enc), code, this.now());
    if (step === null) return this.wrongGuess(userId);
    // Accepted only past the last accepted step, checked in the statement that records it: a replay, or
    // another request that won with this step (or a later one) a moment ago, changes nothing.
    const res = await this.q
      .updateTable('two_factor_totp')
      .set({ last_time_step: step, last_used_at: toDbTime(this.now()) })
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', step)]))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return this.wrongGuess(userId);
    await this.limits.guesses.reset(String(userId));
  }

  /**
   * Turns TOTP off (and any pending enrolment). Recovery codes go too unless a passkey still needs them.
   * Whether the account's roles allow it is the caller's decision (requiredFor).
   */
  async removeTotp(userId: number, actor = staffActor(userId)): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const res = await trx.deleteFrom('two_factor_totp').where('user_id', '=', userId).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) return;
      await this.dropCodesWhenNothingLeft(trx, userId);
      await recordAudit(trx, {
        actor,
        action: 'two_factor.totp_removed',
        subjectType: 'user',
        subjectId: userId,
        before: { totp: true },
        after: { totp: false },
      });
    });
  }

  // --- Recovery codes ---

  private async recoveryCodesLeft(q: Q, userId: number): Promise<number> {
    const row = await q
      .selectFrom('two_factor_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private async replaceRecoveryCodes(trx: Q, userId: number): Promise<string[]> {
    await trx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await trx
      .insertInto('two_factor_recovery_codes')
      .values(
        codes.map((c) => ({
          user_id: userId,
          code_hash: hashSecret(normaliseRecoveryCode(c)),
          used_at: null,
        })),
      )
      .execute();
    return codes;
  }

  /** A confirmed TOTP secret or a passkey. */
  private async hasSecondStep(q: Q, userId: number): Promise<boolean> {
    const totp = await q
      .selectFrom('two_factor_totp')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('confirmed_at', 'is not', null)
      .executeTakeFirst();
    if (totp) return true;
    const passkey = await q
      .selectFrom('passkeys')
      .select('id')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return passkey !== undefined;
  }

  private async dropCodesWhenNothingLeft(trx: Q, userId: number): Promise<void> {
    if (!(await this.hasSecondStep(trx, userId)))
      await trx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
  }

  /** Uses a recovery code in place of the second step: each works once. Resolves with how many are left. */
  async useRecoveryCode(
    userId: number,
    typed: string,
    actor = staffActor(userId),
  ): Promise<{ left: number }> {
    await this.refuseWhileBlocked(userId);
    const code = normaliseRecoveryCode(typed);
    const left = await this.q.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('two_factor_recovery_codes')
        .set({ used_at: toDbTime(this.now()) })
        .where('user_id', '=', userId)
        .where('code_hash', '=', hashSecret(code))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return null;
      const n = await this.recoveryCodesLeft(trx, userId);
      await recordAudit(trx, {
        actor,
        action: 'two_factor.recovery_code_used',
        subjectType: 'user',
        subjectId: userId,
        after: { recoveryCodesLeft: n },
      });
      return n;
    });
    if (left === null) return this.wrongGuess(userId);
    await this.limits.guesses.reset(String(userId));
    return { left };
  }

  /** Ten new recovery codes in place of the old ones (used or not), shown once. */
  async regenerateRecoveryCodes(userId: number, actor = staffActor(userId)): Promise<string[]> {
    const status = await this.status(userId);
    if (!status.enabled) throw notEnabled('Recovery codes back up a second step.');
    return this.q.transaction().execute(async (trx) => {
      const codes = await this.replaceRecoveryCodes(trx, userId);
      await recordAudit(trx, {
        actor,
        action: 'two_factor.recovery_codes_regenerated',
        subjectType: 'user',
        subjectId: userId,
        before: { recoveryCodesLeft: status.recoveryCodesLeft },
        after: { recoveryCodesLeft: RECOVERY_CODE_COUNT },
      });
      return codes;
    });
  }

  /**
   * Removes every second step of an account (TOTP, recovery codes, passkeys), for an admin helping a
   * colleague who lost their phone; the account enrols again at its next sign-in if its role requires it.
   */
  async resetAll(userId: number, actor: string): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const passkeys = await trx.deleteFrom('passkeys').where('user_id', '=', userId).executeTakeFirst();
      const totp = await trx.deleteFrom('two_factor_totp').where('user_id', '=', userId).executeTakeFirst();
      await trx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
      await trx.deleteFrom('passkey_challenges').where('user_id', '=', userId).execute();
      await recordAudit(trx, {
        actor,
        action: 'two_factor.reset',
        subjectType: 'user',
        subjectId: userId,
        before: { totp: Number(totp.numDeletedRows) > 0, passkeys: Number(passkeys.numDeletedRows) },
        after: { totp: false, passkeys: 0 },
      });
    });
    await this.limits.guesses.reset(String(userId));
  }

  // --- Passkeys ---

  /** An opaque, stable id for the account on authenticators: no email or number of ours is on the device. */
  private userHandle(userId: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(createHmac('sha256', this.userHandleKey).update(String(userId)).digest());
  }

  private async storeChallenge(userId: number, ceremony: PasskeyCeremony, challenge: string): Promise<void> {
    await this.q
      .insertInto('passkey_challenges')
      .values({
        user_id: userId,
        ceremony,
        challenge_hash: hashSecret(challenge),
        expires_at: toDbTime(new Date(this.now().getTime() + CHALLENGE_SECONDS * 1000)),
        used_at: null,
      })
      .execute();
  }

  /** Uses up a challenge of this account and ceremony; false when it is unknown, used or expired. */
  private async consumeChallenge(
    userId: number,
    ceremony: PasskeyCeremony,
    challenge: string,
  ): Promise<boolean> {
    const res = await this.q
      .updateTable('passkey_challenges')
      .set({ used_at: toDbTime(this.now()) })
      .where('challenge_hash', '=', hashSecret(challenge))
      .where('user_id', '=', userId)
      .where('ceremony', '=', ceremony)
      .where('used_at', 'is', null)
      .where('expires_at', '>', toDbTime(this.now()))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /**
   * Runs one of the library's verifications with the challenge checked against ours. Whatever the library
   * refuses becomes PASSKEY_INVALID; a failure of our own (the database) is thrown as itself.
   */
  private async verifyWith<T>(
    userId: number,
    ceremony: PasskeyCeremony,
    run: (expectedChallenge: (c: string) => Promise<boolean>) => Promise<T>,
  ): Promise<T> {
    let ours: unknown = null;
    let challengeSeen = false;
    const expectedChallenge = async (challenge: string) => {
      challengeSeen = true;
      try {
        return await this.consumeChallenge(userId, ceremony, challenge);
      } catch (e) {
        ours = e;
        return false;
      }
    };
    try {
      return await run(expectedChallenge);
    } catch (e) {
      if (ours) throw ours;
      // The library's message says which check failed (origin, challenge, signature, counter...).
      const detail = (e instanceof Error ? e.message : String(e)).replace(/\.?$/, '.');
      throw passkeyInvalid(challengeSeen ? detail : `the answer could not be read (${detail.slice(0, -1)}).`);
    }
  }

  /** Options for navigator.credentials.create(), with a challenge kept for CHALLENGE_SECONDS. */
  async passkeyRegistrationOptions(user: {
    id: number;
    email: string | null;
    displayName: string;
  }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.q
      .selectFrom('passkeys')
      .select(['credential_id', 'transports'])
      .where('user_id', '=', user.id)
      .execute();
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: user.email ?? user.displayName,
      userDisplayName: user.displayName,
      userID: this.userHandle(user.id),
      timeout: CHALLENGE_SECONDS * 1000,
      attestationType: 'none',
      // The same authenticator twice would be no second way in.
      excludeCredentials: existing.map((p) => ({
        id: p.credential_id,
        transports: JSON.parse(p.transports) as string[],
      })),
      // A passkey here is a second step after the password: presence is what counts, a PIN is welcome.
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.storeChallenge(user.id, 'register', options.challenge);
    return options;
  }

  /**
   * Verifies the browser's answer to the registration options and keeps the passkey under `name`. The
   * first second step of an account also gets recovery codes, returned once; otherwise `recoveryCodes` is
   * null.
   */
  async registerPasskey(
    userId: number,
    response: unknown,
    rawName: string,
    actor = staffActor(userId),
  ): Promise<{ passkey: PasskeySummary; recoveryCodes: string[] | null }> {
    const name = this.checkName(rawName);
    const verified = await this.verifyWith(userId, 'register', (expectedChallenge) =>
      verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        requireUserVerification: false,
      }),
    );
    if (!verified.verified) throw passkeyInvalid('the authenticator did not prove it holds the key.');
    const info = verified.registrationInfo;
    const transports = (response as RegistrationResponseJSON).response?.transports ?? [];
    return this.q.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('passkeys')
        .select('id')
        .where('credential_id', '=', info.credential.id)
        .executeTakeFirst();
      if (taken) throw passkeyInvalid('this passkey is registered already.');
      const hadAny = await this.hasSecondStep(trx, userId);
      const row = await trx
        .insertInto('passkeys')
        .values({
          user_id: userId,
          credential_id: info.credential.id,
          public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
          counter: info.credential.counter,
          transports: JSON.stringify(transports),
          name,
          device_type: info.credentialDeviceType,
          backed_up: toDbBool(info.credentialBackedUp),
          last_used_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const codes = hadAny ? null : await this.replaceRecoveryCodes(trx, userId);
      await recordAudit(trx, {
        actor,
        action: 'two_factor.passkey_added',
        subjectType: 'user',
        subjectId: userId,
        after: { passkey: row.id, name },
      });
      return { passkey: toPasskey(row), recoveryCodes: codes };
    });
  }

  /** Options for navigator.credentials.get() at sign-in: this account's passkeys only. */
  async passkeySignInOptions(userId: number): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const keys = await this.q
      .selectFrom('passkeys')
      .select(['credential_id', 'transports'])
      .where('user_id', '=', userId)
      .execute();
    if (keys.length === 0)
      throw new DatelineError(
        'PASSKEY_NOT_FOUND',
        'This account has no passkey. Use a code from your authenticator app or a recovery code.',
      );
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      allowCredentials: keys.map((k) => ({
        id: k.credential_id,
        transports: JSON.parse(k.transports) as string[],
      })),
      timeout: CHALLENGE_SECONDS * 1000,
      userVerification: 'preferred',
    });
    await this.storeChallenge(userId, 'sign_in', options.challenge);
    return options;
  }

  /** Verifies a passkey's answer at sign-in; resolves with the passkey used. Refusals count as wrong codes. */
  async verifyPasskeySignIn(userId: number, response: unknown): Promise<PasskeySummary> {
    await this.refuseWhileBlocked(userId);
    const answer = response as AuthenticationResponseJSON;
    const credentialId = typeof answer?.id === 'string' ? answer.id : '';
    const row = await this.q
      .selectFrom('passkeys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('credential_id', '=', credentialId)
      .executeTakeFirst();
    if (!row) {
      await this.countWrong(userId);
      throw passkeyInvalid('it is not one of the passkeys of this account.');
    }
    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verified = await this.verifyWith(userId, 'sign_in', (expectedChallenge) =>
        verifyAuthenticationResponse({
          response: answer,
          expectedChallenge,
          expectedOrigin: this.rp.origin,
          expectedRPID: this.rp.id,
          credential: {
            id: row.credential_id,
            publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64url')),
            counter: Number(row.counter),
            transports: JSON.parse(row.transports) as string[],
          },
          requireUserVerification: false,
        }),
      );
      if (!verified.verified) throw passkeyInvalid('the signature does not match the passkey.');
    } catch (e) {
      if (isDatelineError(e, 'PASSKEY_INVALID')) await this.countWrong(userId);
      throw e;
    }
    const now = toDbTime(this.now());
    const updated = await this.q
      .updateTable('passkeys')
      .set({
        counter: verified.authenticationInfo.newCounter,
        backed_up: toDbBool(verified.authenticationInfo.credentialBackedUp),
        last_used_at: now,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.limits.guesses.reset(String(userId));
    return toPasskey(updated);
  }

  private checkName(raw: string): string {
    const name = raw.trim().replace(/\s+/g, ' ');
    if (name.length === 0 || name.length > PASSKEY_NAME_MAX)
      throw new FormProblems({
        name: `Give the passkey a name of 1 to ${PASSKEY_NAME_MAX} characters, such as "Work laptop" or "Phone".`,
      });
    return name;
  }

  async renamePasskey(
    userId: number,
    passkeyId: number,
    rawName: string,
    actor = staffActor(userId),
  ): Promise<PasskeySummary> {
    const name = this.checkName(rawName);
    return this.q.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('passkeys')
        .select('name')
        .where('id', '=', passkeyId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!before) throw passkeyNotFound(passkeyId);
      const row = await trx
        .updateTable('passkeys')
        .set({ name })
        .where('id', '=', passkeyId)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor,
        action: 'two_factor.passkey_renamed',
        subjectType: 'user',
        subjectId: userId,
        before: { passkey: passkeyId, name: before.name },
        after: { passkey: passkeyId, name },
      });
      return toPasskey(row);
    });
  }

  /** Deletes a passkey. Recovery codes go too when nothing else is left for them to back up. */
  async deletePasskey(userId: number, passkeyId: number, actor = staffActor(userId)): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const row = await trx
        .deleteFrom('passkeys')
        .where('id', '=', passkeyId)
        .where('user_id', '=', userId)
        .returning('name')
        .executeTakeFirst();
      if (!row) throw passkeyNotFound(passkeyId);
      await this.dropCodesWhenNothingLeft(trx, userId);
      await recordAudit(trx, {
        actor,
        action: 'two_factor.passkey_removed',
        subjectType: 'user',
        subjectId: userId,
        before: { passkey: passkeyId, name: row.name },
      });
    });
  }

  // --- Guesses ---

  private async refuseWhileBlocked(userId: number): Promise<void> {
    const wait = await this.limits.guesses.blockedFor(String(userId));
    if (wait > 0) throw rateLimited(wait);
  }

  private async countWrong(userId: number): Promise<void> {
    const wait = await this.limits.guesses.consume(String(userId));
    if (wait > 0) throw rateLimited(wait);
  }

  /** A wrong or used code: counted, then refused (429 when it was the guess that starts the wait). */
  private async wrongGuess(userId: number): Promise<never> {
    await this.countWrong(userId);
    throw codeInvalid();
  }

  /** Housekeeping: drops passkey challenges that ended a day ago or more. */
  async prune(): Promise<void> {
    await this.q
      .deleteFrom('passkey_challenges')
      .where('expires_at', '<', toDbTime(new Date(this.now().getTime() - 86_400_000)))
      .execute();
  }
}
