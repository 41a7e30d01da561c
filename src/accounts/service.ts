// The rules of accounts: registration and verification, sign-in with throttling and locks, password reset
// and changes, email changes, profiles, roles, disabling, deletion and data export, and the hop that signs a
// reader in on every sister site. Every change runs in a transaction; mail is queued in the same one.
// Answers never tell whether an email has an account: register, sign-in and reset say the same either way
// and take as long (a dummy hash stands in for a missing account; reset does its look-up in a job).
// Every action that sends mail is limited per network address and per account (answered 429), and per
// address mailed: over that one the answer stays the same and the mail is skipped, since a refusal would
// tell that someone else has been mailing that address, or that it has an account.
import type { Config } from '../config/config.ts';
import type { Db } from '../db/connection.ts';
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { MailService } from '../mail/mailer.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import { checkDisplayName, checkEmail, looksLikeStaff, slugFromName } from './fields.ts';
import { accountMails, type MailSite } from './mails.ts';
import { PasswordHasher, passwordProblem } from './passwords.ts';
import { AccountLimits, LimiterFactory } from './rate-limit.ts';
import {
  identitiesOf,
  type Q,
  ROLES,
  type RoleGrant,
  type RoleName,
  rolesOf,
  staffNames,
  toUser,
  type User,
  uniqueProfileSlug,
  userRowByEmail,
  userRowById,
} from './repository.ts';
import { loadSigningKey, newSecret } from './secrets.ts';
import { type SessionInfo, SessionStore } from './sessions.ts';
import { consumeToken, issueToken, peekToken, revokeTokens } from './tokens.ts';

/** Who is asking, and on which site: for rate limits, session records and the links in mails. */
export interface RequestContext {
  ip: string;
  userAgent: string;
  siteId: number | null;
  /** Origin of the site in use, e.g. https://news.example.com; mailed links point there. */
  origin: string;
}

/** A form's problems by field name; the form shows each beside its field and keeps what was typed. */
export class FormProblems extends DatelineError {
  constructor(readonly problems: Record<string, string>) {
    super('ACCOUNT_INVALID', Object.values(problems).join(' '), { fields: Object.keys(problems).join(',') });
  }
}

export function rateLimited(seconds: number): DatelineError {
  return new DatelineError(
    'RATE_LIMITED',
    `There have been too many attempts from here. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`,
    { retryAfter: seconds },
  );
}

/** Too many requests that send mail, from this address or this account. */
export function mailRateLimited(seconds: number): DatelineError {
  const minutes = Math.ceil(seconds / 60);
  return new DatelineError(
    'MAIL_RATE_LIMITED',
    `We have sent as many messages as we send in an hour for requests like this one, so nothing was sent. Open the last message we sent, or wait ${minutes} minute${minutes === 1 ? '' : 's'} and ask again.`,
    { retryAfter: seconds },
  );
}

export interface SignedIn {
  user: User;
  /** The new session's cookie value. */
  token: string;
  loginId: string;
}

export type DeletionMode = Config['accountDeletion'];
/** What other features do with a deleted account's public writing (comments register here). */
export type DeletionListener = (userId: number, mode: DeletionMode, trx: Q) => Promise<void>;

const RESET_JOB = 'accounts.reset-request';

export class AccountService {
  readonly sessions: SessionStore;
  readonly hasher: PasswordHasher;
  readonly limits: AccountLimits;
  private readonly limiterFactory: LimiterFactory;
  private readonly deletionListeners: DeletionListener[] = [];
  private key: Buffer | null = null;
  private readonly jobs: JobQueue;

  constructor(
    readonly db: Db,
    private readonly mail: MailService,
    jobs: JobQueue,
    private readonly directory: SiteDirectory,
    private readonly config: Config,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sessions = new SessionStore(
      db,
      { idleMs: config.sessionIdleDays * 86_400_000, maxMs: config.sessionMaxDays * 86_400_000 },
      now,
    );
    this.hasher = new PasswordHasher({
      memoryKib: config.argon2MemoryKib,
      timeCost: config.argon2TimeCost,
      parallelism: config.argon2Parallelism,
    });
    this.limiterFactory = new LimiterFactory(db, config.redisUrl);
    this.limits = new AccountLimits(this.limiterFactory);
    jobs.register<{ email: string; site: MailSite }>(RESET_JOB, (p) => this.runResetRequest(p.email, p.site));
    this.jobs = jobs;
  }

  async init(): Promise<void> {
    this.key = await loadSigningKey(this.db, this.config.secret);
    await this.hasher.warm();
  }

  /** The key that signs CSRF tokens. */
  get signingKey(): Buffer {
    if (!this.key) throw new Error('AccountService.init() has not run');
    return this.key;
  }

  get sessionCookieMaxAge(): number {
    return this.config.sessionMaxDays * 86_400;
  }

  onDelete(listener: DeletionListener): void {
    this.deletionListeners.push(listener);
  }

  async close(): Promise<void> {
    await this.limiterFactory.close();
  }

  private get q() {
    return this.db.kysely;
  }

  /** Branding and link origin for mails about a site. */
  mailSite(siteId: number | null, origin: string): MailSite {
    const ctx = siteId === null ? undefined : this.directory.byIdOrUndefined(siteId);
    const site = ctx?.site ?? this.directory.all()[0]?.site;
    return {
      siteId: site?.id ?? null,
      origin,
      brand: {
        siteName: site?.name ?? 'Dateline',
        color: site?.primaryColor ?? '#1a3d6d',
        homeUrl: `${origin}/`,
      },
    };
  }

  // ---------------------------------------------------------------- registration and verification

  private async checkNewName(
    raw: string,
    problems: Record<string, string>,
    exceptUserId?: number,
  ): Promise<string> {
    const name = checkDisplayName(raw);
    if (!name.ok) {
      problems.displayName = name.problem;
      return raw;
    }
    let staff = await staffNames(this.q);
    if (exceptUserId !== undefined) {
      const own = await userRowById(this.q, exceptUserId);
      staff = staff.filter((n) => n !== own?.display_name);
    }
    if (looksLikeStaff(name.value, staff)) {
      problems.displayName =
        'This name is too close to the name of a member of staff or a reserved name. Choose another.';
    }
    return name.value;
  }

  /** Same answer, same work, whether or not the email already has an account. */
  async register(
    input: { email: string; displayName: string; password: string },
    ctx: RequestContext,
  ): Promise<void> {
    const wait = await this.limits.registerIp.consume(ctx.ip);
    if (wait) throw rateLimited(wait);
    const problems: Record<string, string> = {};
    const email = checkEmail(input.email);
    if (!email.ok) problems.email = email.problem;
    const displayName = await this.checkNewName(input.displayName, problems);
    const pwProblem = passwordProblem(input.password, {
      email: email.ok ? email.value : undefined,
      displayName,
    });
    if (pwProblem) problems.password = pwProblem;
    if (Object.keys(problems).length || !email.ok) throw new FormProblems(problems);

    const hash = await this.hasher.hash(input.password);
    // Counted before the look-up, so a new and an existing address spend the same; the page says the same.
    if (await this.limits.mailAddress.consume(email.value)) return;
    const site = this.mailSite(ctx.siteId, ctx.origin);
    await this.q.transaction().execute(async (trx) => {
      const existing = await userRowByEmail(trx, email.value);
      if (existing) {
        await this.mail.queue(
          accountMails.alreadyRegistered(site, { userId: existing.id, email: email.value }, newSecret(9)),
          trx,
        );
        return;
      }
      const slug = await uniqueProfileSlug(trx, slugFromName(displayName));
      const row = await trx
        .insertInto('users')
        .values({
          email: email.value,
          email_verified_at: null,
          display_name: displayName,
          profile_slug: slug,
          avatar_media_id: null,
          password_hash: hash,
          status: 'active',
          news_alerts_invited_at: null,
          news_alerts_confirmed_at: null,
          deleted_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const token = await issueToken(
        trx,
        'verify_email',
        { userId: row.id, siteId: ctx.siteId, data: { email: email.value } },
        this.now(),
      );
      await this.mail.queue(accountMails.verify(site, { userId: row.id, email: email.value }, token), trx);
    });
  }

  async checkVerifyToken(token: unknown): Promise<void> {
    await peekToken(this.q, token, 'verify_email', this.now());
  }

  /** Confirms the address and signs the reader in: the link proves they own it. */
  async verifyEmail(token: unknown, ctx: RequestContext): Promise<SignedIn> {
    const wait = await this.limits.verifyIp.consume(ctx.ip);
    if (wait) throw rateLimited(wait);
    return this.q.transaction().execute(async (trx) => {
      const rec = await consumeToken<{ email: string }>(trx, token, 'verify_email', this.now());
      const row = rec.userId === null ? undefined : await userRowById(trx, rec.userId);
      if (row?.status !== 'active' || row.email !== rec.data.email) {
        throw new DatelineError(
          'TOKEN_INVALID',
          'This link is for an address the account no longer uses. Nothing was changed.',
        );
      }
      if (!row.email_verified_at) {
        await trx
          .updateTable('users')
          .set({ email_verified_at: toDbTime(this.now()), updated_at: toDbTime(this.now()) })
          .where('id', '=', row.id)
          .execute();
      }
      return this.startSession(trx, row.id, ctx);
    });
  }

  // ---------------------------------------------------------------- sign-in

  async startSession(trx: Q, userId: number, ctx: RequestContext): Promise<SignedIn> {
    const row = await userRowById(trx, userId);
    if (row?.status !== 'active') throw new DatelineError('ACCOUNT_DISABLED', 'This account cannot sign in.');
    const { token, loginId } = await this.sessions.create(trx, {
      userId,
      siteId: ctx.siteId,
      userAgent: ctx.userAgent,
      ip: ctx.ip,
      privilegeEpoch: row.privilege_epoch,
    });
    return { user: toUser(row), token, loginId };
  }

  async login(input: { email: string; password: string }, ctx: RequestContext): Promise<SignedIn> {
    const key = input.email.trim().toLowerCase().slice(0, 300);
    const ipWait = await this.limits.loginIp.blockedFor(ctx.ip);
    if (ipWait) throw rateLimited(ipWait);
    const locked = await this.limits.loginLock.blockedFor(key);
    if (locked) {
      throw new DatelineError(
        'ACCOUNT_LOCKED',
        `Signing in to this account is paused after too many failed attempts. Try again in ${Math.ceil(locked / 60)} minutes, or set a new password with "Forgot password?".`,
        { retryAfter: locked },
      );
    }
    const paused = await this.limits.loginPause.blockedFor(key);
    if (paused) throw rateLimited(paused);

    const row = key.length <= 254 ? await userRowByEmail(this.q, key) : undefined;
    const { ok, needsRehash } = await this.hasher.verify(row?.password_hash ?? null, input.password);
    if (!ok || !row) {
      await this.failedLogin(key, row?.id ?? null, ctx);
      throw new DatelineError(
        'LOGIN_FAILED',
        'The email address or the password is not right. Check both and try again, or use "Forgot password?".',
      );
    }
    await this.limits.loginFailures.reset(key);
    if (row.status !== 'active') {
      throw new DatelineError(
        'ACCOUNT_DISABLED',
        'This account has been disabled. Contact the site to have it restored.',
      );
    }
    if (!row.email_verified_at) {
      // The password was right, so saying that no new link was sent tells the owner nothing new.
      await this.spendMailLimits(row.id, row.email!, ctx, 'refuse');
      const site = this.mailSite(ctx.siteId, ctx.origin);
      await this.q.transaction().execute(async (trx) => {
        await revokeTokens(trx, row.id, ['verify_email'], this.now());
        const token = await issueToken(
          trx,
          'verify_email',
          { userId: row.id, siteId: ctx.siteId, data: { email: row.email } },
          this.now(),
        );
        await this.mail.queue(accountMails.verify(site, { userId: row.id, email: row.email! }, token), trx);
      });
      throw new DatelineError(
        'EMAIL_NOT_VERIFIED',
        'Confirm your email address first: we have sent you a new link. Open it, then sign in.',
      );
    }
    if (needsRehash) {
      const hash = await this.hasher.hash(input.password);
      await this.q.updateTable('users').set({ password_hash: hash }).where('id', '=', row.id).execute();
    }
    return this.q.transaction().execute((trx) => this.startSession(trx, row.id, ctx));
  }

  private async failedLogin(key: string, userId: number | null, ctx: RequestContext): Promise<void> {
    await this.limits.loginIp.consume(ctx.ip);
    await this.limits.loginFailures.consume(key);
    const failures = await this.limits.loginFailures.spent(key);
    if (failures >= AccountLimits.LOCK_AFTER) {
      await this.limits.loginLock.block(key, AccountLimits.LOCK_SECONDS);
      await this.limits.loginFailures.reset(key);
      await this.limits.loginPause.reset(key);
      const row = userId === null ? undefined : await userRowById(this.q, userId);
      if (row?.email) {
        const site = this.mailSite(ctx.siteId, ctx.origin);
        await this.mail.queue(
          accountMails.locked(
            site,
            { userId: row.id, email: row.email },
            AccountLimits.LOCK_SECONDS / 60,
            newSecret(9),
          ),
        );
      }
    } else if (failures >= AccountLimits.PAUSE_AFTER) {
      await this.limits.loginPause.block(key, AccountLimits.pauseSeconds(failures));
    }
  }

  async logout(loginId: string): Promise<void> {
    await this.sessions.endLogin(this.q, loginId);
  }

  async logoutEverywhere(userId: number): Promise<void> {
    await this.sessions.endAll(this.q, userId);
  }

  /** A fresh session for a reader already signed in (after a password change), ending the old one. */
  async renewSession(current: SessionInfo, ctx: RequestContext): Promise<SignedIn> {
    return this.q.transaction().execute(async (trx) => {
      await this.sessions.endLogin(trx, current.loginId);
      return this.startSession(trx, current.userId, ctx);
    });
  }

  // ---------------------------------------------------------------- password reset

  /** Queues the look-up; the answer and its timing are the same whether or not the account exists. */
  async requestReset(rawEmail: string, ctx: RequestContext): Promise<void> {
    const wait = await this.limits.resetIp.consume(ctx.ip);
    if (wait) throw rateLimited(wait);
    const email = checkEmail(rawEmail);
    if (!email.ok) throw new FormProblems({ email: email.problem });
    // Beyond three a hour per address, quietly send nothing more: the page still says the same.
    if (await this.limits.resetAccount.consume(email.value)) return;
    await this.jobs.enqueue(RESET_JOB, `reset-request:${newSecret(12)}`, {
      email: email.value,
      site: this.mailSite(ctx.siteId, ctx.origin),
    });
  }

  private async runResetRequest(email: string, site: MailSite): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const row = await userRowByEmail(trx, email);
      if (row?.status !== 'active') return;
      const token = await issueToken(
        trx,
        'reset_password',
        { userId: row.id, siteId: site.siteId },
        this.now(),
      );
      await this.mail.queue(accountMails.reset(site, { userId: row.id, email }, token), trx);
    });
  }

  async checkResetToken(token: unknown): Promise<void> {
    await peekToken(this.q, token, 'reset_password', this.now());
  }

  /** Sets the new password and ends every session of the account, and every other reset link. */
  async resetPassword(token: unknown, password: string, ctx: RequestContext): Promise<User> {
    const wait = await this.limits.verifyIp.consume(ctx.ip);
    if (wait) throw rateLimited(wait);
    const rec = await peekToken(this.q, token, 'reset_password', this.now());
    const before = rec.userId === null ? undefined : await userRowById(this.q, rec.userId);
    if (!before)
      throw new DatelineError('TOKEN_INVALID', 'This link belongs to an account that no longer exists.');
    const problem = passwordProblem(password, {
      email: before.email ?? undefined,
      displayName: before.display_name,
    });
    if (problem) throw new FormProblems({ password: problem });
    const hash = await this.hasher.hash(password);
    const user = await this.q.transaction().execute(async (trx) => {
      const used = await consumeToken(trx, token, 'reset_password', this.now());
      const userId = used.userId!;
      // Following the link proves the reader owns the address, so it counts as verified too.
      await trx
        .updateTable('users')
        .set({
          password_hash: hash,
          updated_at: toDbTime(this.now()),
          email_verified_at: before.email_verified_at ?? toDbTime(this.now()),
        })
        .where('id', '=', userId)
        .execute();
      await revokeTokens(trx, userId, ['reset_password'], this.now());
      await this.sessions.endAll(trx, userId);
      return toUser((await userRowById(trx, userId))!);
    });
    // A new password lifts a sign-in lock: the owner has just proved they hold the address.
    if (before.email) await this.limits.loginLock.reset(before.email);
    return user;
  }

  // ---------------------------------------------------------------- changes from My account

  async user(userId: number): Promise<User | null> {
    const row = await userRowById(this.q, userId);
    return row ? toUser(row) : null;
  }

  async requireUser(userId: number): Promise<User> {
    const u = await this.user(userId);
    if (!u)
      throw new DatelineError(
        'ACCOUNT_NOT_FOUND',
        `There is no account ${userId}. List accounts with \`dateline user list\`.`,
      );
    return u;
  }

  private async checkCurrentPassword(
    userId: number,
    password: string,
    field = 'currentPassword',
  ): Promise<void> {
    const row = await userRowById(this.q, userId);
    const { ok } = await this.hasher.verify(row?.password_hash ?? null, password);
    if (!ok) throw new FormProblems({ [field]: 'Your current password is not right.' });
  }

  async updateProfile(userId: number, input: { displayName: string }): Promise<User> {
    const problems: Record<string, string> = {};
    const displayName = await this.checkNewName(input.displayName, problems, userId);
    if (Object.keys(problems).length) throw new FormProblems(problems);
    await this.q
      .updateTable('users')
      .set({ display_name: displayName, updated_at: toDbTime(this.now()) })
      .where('id', '=', userId)
      .execute();
    this.sessions.forgetCached();
    return this.requireUser(userId);
  }

  /** Needs the current password (when one is set); keeps the current sign-in and ends every other. */
  async changePassword(
    session: SessionInfo,
    input: { currentPassword: string; newPassword: string },
    ctx: RequestContext,
  ) {
    const user = await this.requireUser(session.userId);
    if (user.hasPassword) await this.checkCurrentPassword(user.id, input.currentPassword);
    const problem = passwordProblem(input.newPassword, {
      email: user.email ?? undefined,
      displayName: user.displayName,
    });
    if (problem) throw new FormProblems({ newPassword: problem });
    const hash = await this.hasher.hash(input.newPassword);
    return this.q.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hash, updated_at: toDbTime(this.now()) })
        .where('id', '=', user.id)
        .execute();
      await this.sessions.endAll(trx, user.id);
      await revokeTokens(trx, user.id, ['reset_password'], this.now());
      return this.startSession(trx, user.id, ctx);
    });
  }

  /**
   * Mails a confirmation link to the new address and tells the old one. If the new address already has an
   * account, that account's owner is told instead and the reader sees the same answer.
   */
  async requestEmailChange(
    userId: number,
    input: { email: string; password: string },
    ctx: RequestContext,
  ): Promise<void> {
    const email = checkEmail(input.email);
    if (!email.ok) throw new FormProblems({ email: email.problem });
    const user = await this.requireUser(userId);
    if (user.hasPassword) await this.checkCurrentPassword(userId, input.password, 'password');
    if (email.value === user.email) throw new FormProblems({ email: 'This is already your email address.' });
    // Spent before the look-up, the same whether or not the new address has an account.
    if (!(await this.spendMailLimits(userId, email.value, ctx, 'skip'))) return;
    const site = this.mailSite(ctx.siteId, ctx.origin);
    await this.q.transaction().execute(async (trx) => {
      const taken = await userRowByEmail(trx, email.value);
      if (taken) {
        await this.mail.queue(
          accountMails.emailTaken(site, { userId: taken.id, email: email.value }, newSecret(9)),
          trx,
        );
        return;
      }
      await revokeTokens(trx, userId, ['change_email'], this.now());
      const token = await issueToken(
        trx,
        'change_email',
        { userId, siteId: ctx.siteId, data: { email: email.value } },
        this.now(),
      );
      await this.mail.queue(accountMails.changeEmail(site, { userId, email: email.value }, token), trx);
      if (user.email) {
        await this.mail.queue(
          accountMails.emailChangeNotice(site, { userId, email: user.email }, email.value, newSecret(9)),
          trx,
        );
      }
    });
  }

  /**
   * Spends the mail limits of a request by a known account that would mail `to`. Over the network-address or
   * account limit it throws MAIL_RATE_LIMITED. Over the limit for `to` it returns false (`skip`: the caller
   * answers as usual and sends nothing) or throws too (`refuse`, where the answer cannot reveal anything).
   */
  private async spendMailLimits(
    userId: number,
    to: string,
    ctx: RequestContext,
    overAddress: 'skip' | 'refuse',
  ): Promise<boolean> {
    const ipWait = await this.limits.mailIp.consume(ctx.ip);
    if (ipWait) throw mailRateLimited(ipWait);
    const accountWait = await this.limits.mailAccount.consume(`user:${userId}`);
    if (accountWait) throw mailRateLimited(accountWait);
    const addressWait = await this.limits.mailAddress.consume(to);
    if (!addressWait) return true;
    if (overAddress === 'refuse') throw mailRateLimited(addressWait);
    return false;
  }

  async checkEmailChangeToken(token: unknown): Promise<string> {
    return (await peekToken<{ email: string }>(this.q, token, 'change_email', this.now())).data.email;
  }

  async confirmEmailChange(token: unknown): Promise<User> {
    return this.q.transaction().execute(async (trx) => {
      const rec = await consumeToken<{ email: string }>(trx, token, 'change_email', this.now());
      if (await userRowByEmail(trx, rec.data.email)) {
        throw new DatelineError(
          'ACCOUNT_EXISTS',
          'That address now belongs to another account, so nothing was changed.',
        );
      }
      await trx
        .updateTable('users')
        .set({
          email: rec.data.email,
          email_verified_at: toDbTime(this.now()),
          updated_at: toDbTime(this.now()),
        })
        .where('id', '=', rec.userId!)
        .execute();
      return toUser((await userRowById(trx, rec.userId!))!);
    });
  }

  async confirmNewsAlerts(token: unknown): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const rec = await consumeToken(trx, token, 'news_alerts', this.now());
      await trx
        .updateTable('users')
        .set({ news_alerts_confirmed_at: toDbTime(this.now()) })
        .where('id', '=', rec.userId!)
        .execute();
    });
  }

  async checkNewsAlertsToken(token: unknown): Promise<void> {
    await peekToken(this.q, token, 'news_alerts', this.now());
  }

  // ---------------------------------------------------------------- deletion and export

  async deleteAccount(userId: number, input: { password: string; confirm: string }): Promise<void> {
    const user = await this.requireUser(userId);
    if (input.confirm.trim().toLowerCase() !== 'delete') {
      throw new FormProblems({ confirm: 'Type the word delete to confirm.' });
    }
    if (user.hasPassword) await this.checkCurrentPassword(userId, input.password, 'password');
    await this.q.transaction().execute(async (trx) => {
      for (const l of this.deletionListeners) await l(userId, this.config.accountDeletion, trx);
      await this.mail.forgetUser(userId, user.email, trx);
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
      await trx.deleteFrom('identities').where('user_id', '=', userId).execute();
      await trx.deleteFrom('auth_tokens').where('user_id', '=', userId).execute();
      await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute();
      // The row stays as a tombstone so that what others see keeps a stable "deleted reader" author.
      await trx
        .updateTable('users')
        .set({
          email: null,
          email_verified_at: null,
          display_name: 'Deleted reader',
          profile_slug: `deleted-${userId}`,
          avatar_media_id: null,
          password_hash: null,
          status: 'deleted',
          news_alerts_invited_at: null,
          news_alerts_confirmed_at: null,
          deleted_at: toDbTime(this.now()),
          updated_at: toDbTime(this.now()),
        })
        .where('id', '=', userId)
        .execute();
    });
    this.sessions.forgetCached();
  }

  /** Everything held about the reader, for "Download my data". */
  async exportData(userId: number) {
    const user = await this.requireUser(userId);
    const [roles, identities, sessions, mails] = await Promise.all([
      rolesOf(this.q, userId),
      identitiesOf(this.q, userId),
      this.sessions.list(userId),
      this.q
        .selectFrom('mail_messages')
        .select(['kind', 'to_address', 'subject', 'created_at', 'sent_at'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
    ]);
    const siteName = (id: number | null) =>
      id === null ? 'all sites' : (this.directory.byIdOrUndefined(id)?.site.name ?? `site ${id}`);
    return {
      exportedAt: this.now().toISOString(),
      account: {
        email: user.email,
        emailVerified: user.emailVerified,
        displayName: user.displayName,
        profileSlug: user.profileSlug,
        hasPassword: user.hasPassword,
        createdAt: user.createdAt.toISOString(),
        newsAlerts: { invitedAt: user.newsAlertsInvitedAt, confirmedAt: user.newsAlertsConfirmedAt },
      },
      roles: roles.map((r) => ({ role: r.role, site: siteName(r.siteId) })),
      linkedLogins: identities.map((i) => ({
        provider: i.provider,
        email: i.email,
        linkedAt: i.createdAt,
        lastUsedAt: i.lastUsedAt,
      })),
      sessions: sessions.map((s) => ({
        site: siteName(s.siteId),
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        userAgent: s.userAgent,
        ip: s.ip,
      })),
      mails: mails.map((m) => ({
        kind: m.kind,
        to: m.to_address,
        subject: m.subject,
        createdAt: m.created_at,
        sentAt: m.sent_at,
      })),
    };
  }

  // ---------------------------------------------------------------- staff: CLI and later the admin

  async createUser(input: {
    email: string;
    displayName: string;
    password?: string;
    roles?: RoleGrant[];
  }): Promise<User> {
    const problems: Record<string, string> = {};
    const email = checkEmail(input.email);
    if (!email.ok) problems.email = email.problem;
    const name = checkDisplayName(input.displayName);
    if (!name.ok) problems.displayName = name.problem;
    if (input.password !== undefined) {
      const p = passwordProblem(input.password, { email: email.ok ? email.value : undefined });
      if (p) problems.password = p;
    }
    if (Object.keys(problems).length || !email.ok || !name.ok) throw new FormProblems(problems);
    const hash = input.password === undefined ? null : await this.hasher.hash(input.password);
    const id = await this.q.transaction().execute(async (trx) => {
      if (await userRowByEmail(trx, email.value)) {
        throw new DatelineError(
          'ACCOUNT_EXISTS',
          `${email.value} already has an account. Change its roles with \`dateline user role\`.`,
        );
      }
      const row = await trx
        .insertInto('users')
        .values({
          email: email.value,
          email_verified_at: toDbTime(this.now()),
          display_name: name.value,
          profile_slug: await uniqueProfileSlug(trx, slugFromName(name.value)),
          avatar_media_id: null,
          password_hash: hash,
          status: 'active',
          news_alerts_invited_at: null,
          news_alerts_confirmed_at: null,
          deleted_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const g of input.roles ?? []) await this.insertRole(trx, row.id, g);
      return row.id;
    });
    return this.requireUser(id);
  }

  /** A link that lets a new staff account set its first password (the CLI prints it). */
  async passwordSetupLink(userId: number, origin: string, siteId: number | null): Promise<string> {
    const token = await issueToken(
      this.q,
      'reset_password',
      { userId, siteId, ttlSeconds: 24 * 3600 },
      this.now(),
    );
    return `${origin}/account/reset?t=${token}`;
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await userRowByEmail(this.q, email.trim().toLowerCase());
    return row ? toUser(row) : null;
  }

  async requireByEmail(email: string): Promise<User> {
    const u = await this.findByEmail(email);
    if (!u)
      throw new DatelineError(
        'ACCOUNT_NOT_FOUND',
        `No account has the email ${email}. List accounts with \`dateline user list\`.`,
      );
    return u;
  }

  async list(opts: { role?: RoleName; limit?: number } = {}): Promise<(User & { roles: RoleGrant[] })[]> {
    let q = this.q.selectFrom('users').selectAll('users').where('users.status', '!=', 'deleted');
    if (opts.role) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('user_roles')
            .select('user_roles.id')
            .whereRef('user_roles.user_id', '=', 'users.id')
            .where('user_roles.role', '=', opts.role!),
        ),
      );
    }
    const rows = await q
      .orderBy('users.id')
      .limit(opts.limit ?? 1000)
      .execute();
    return Promise.all(rows.map(async (r) => ({ ...toUser(r), roles: await rolesOf(this.q, r.id) })));
  }

  roles(userId: number): Promise<RoleGrant[]> {
    return rolesOf(this.q, userId);
  }

  /** Whether the account holds a role on a site (a network-wide grant, admin or owner counts everywhere). */
  async hasRole(userId: number, role: RoleName, siteId: number | null): Promise<boolean> {
    const grants = await rolesOf(this.q, userId);
    return grants.some(
      (g) =>
        (g.role === role || g.role === 'owner' || (g.role === 'admin' && role !== 'owner')) &&
        (g.siteId === null || g.siteId === siteId),
    );
  }

  private async insertRole(trx: Q, userId: number, g: RoleGrant): Promise<boolean> {
    if (!ROLES.includes(g.role)) {
      throw new FormProblems({ role: `Unknown role "${g.role}". Roles are ${ROLES.join(', ')}.` });
    }
    if (g.role === 'owner' && g.siteId !== null) {
      throw new FormProblems({ role: 'The owner role covers the whole network; give it without --site.' });
    }
    const have = await trx
      .selectFrom('user_roles')
      .select('id')
      .where('user_id', '=', userId)
      .where('role', '=', g.role)
      .where((eb) => (g.siteId === null ? eb('site_id', 'is', null) : eb('site_id', '=', g.siteId)))
      .executeTakeFirst();
    if (have) return false;
    await trx.insertInto('user_roles').values({ user_id: userId, role: g.role, site_id: g.siteId }).execute();
    return true;
  }

  /** Grants or removes a role; sessions minted before rotate their secret at their next request. */
  async setRole(userId: number, g: RoleGrant, grant: boolean): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      if (grant) await this.insertRole(trx, userId, g);
      else {
        await trx
          .deleteFrom('user_roles')
          .where('user_id', '=', userId)
          .where('role', '=', g.role)
          .where((eb) => (g.siteId === null ? eb('site_id', 'is', null) : eb('site_id', '=', g.siteId)))
          .execute();
      }
      await trx
        .updateTable('users')
        .set((eb) => ({ privilege_epoch: eb('privilege_epoch', '+', 1), updated_at: toDbTime(this.now()) }))
        .where('id', '=', userId)
        .execute();
    });
    this.sessions.forgetCached();
  }

  /** Disabling ends every session at once; enabling lets the account sign in again. */
  async setDisabled(userId: number, disabled: boolean): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ status: disabled ? 'disabled' : 'active', updated_at: toDbTime(this.now()) })
        .where('id', '=', userId)
        .where('status', '!=', 'deleted')
        .execute();
      if (disabled) await this.sessions.endAll(trx, userId);
    });
    this.sessions.forgetCached();
  }

  // ---------------------------------------------------------------- the hop across sister sites

  /** Sister sites still to visit after signing in on `originSiteId`, in directory order. */
  sisterSites(originSiteId: number | null): number[] {
    return this.directory
      .all()
      .filter((c) => c.site.id !== originSiteId && c.site.hosts.length > 0)
      .map((c) => c.site.id);
  }

  /** The first hop of a sign-in, or null when there is no sister site. */
  async startHop(
    session: SessionInfo,
    originSiteId: number | null,
    next: string,
  ): Promise<{ siteId: number; token: string } | null> {
    const [first, ...rest] = this.sisterSites(originSiteId);
    if (first === undefined) return null;
    const token = await issueToken(
      this.q,
      'hop',
      {
        userId: session.userId,
        siteId: first,
        data: { loginId: session.loginId, remaining: rest, next },
      },
      this.now(),
    );
    return { siteId: first, token };
  }

  /** A hop arriving on a site: sets its session, and names the next site or the final address. */
  async acceptHop(
    token: unknown,
    ctx: RequestContext,
  ): Promise<{ signedIn: SignedIn | null; nextHop: { siteId: number; token: string } | null; next: string }> {
    return this.q.transaction().execute(async (trx) => {
      const rec = await consumeToken<{ loginId: string; remaining: number[]; next: string }>(
        trx,
        token,
        'hop',
        this.now(),
      );
      if (rec.siteId !== ctx.siteId || rec.userId === null)
        throw new DatelineError('TOKEN_INVALID', 'This sign-in link is for another site.');
      // The sign-in must still be live (not logged out while hopping).
      const live = await trx
        .selectFrom('sessions')
        .select('id')
        .where('login_id', '=', rec.data.loginId)
        .where('expires_at', '>', toDbTime(this.now()))
        .executeTakeFirst();
      let signedIn: SignedIn | null = null;
      if (live) {
        const row = await userRowById(trx, rec.userId);
        if (row?.status === 'active') {
          const s = await this.sessions.create(trx, {
            userId: row.id,
            siteId: ctx.siteId,
            loginId: rec.data.loginId,
            userAgent: ctx.userAgent,
            ip: ctx.ip,
            privilegeEpoch: row.privilege_epoch,
          });
          signedIn = { user: toUser(row), token: s.token, loginId: s.loginId };
        }
      }
      const known = rec.data.remaining.filter((id) => this.directory.byIdOrUndefined(id));
      const [nextSite, ...rest] = known;
      let nextHop: { siteId: number; token: string } | null = null;
      if (signedIn && nextSite !== undefined) {
        const t = await issueToken(
          trx,
          'hop',
          {
            userId: rec.userId,
            siteId: nextSite,
            data: { loginId: rec.data.loginId, remaining: rest, next: rec.data.next },
          },
          this.now(),
        );
        nextHop = { siteId: nextSite, token: t };
      }
      return { signedIn, nextHop, next: rec.data.next };
    });
  }

  /** On-demand hop: a reader signed in here asks to be signed in on one sister site too. */
  async hopTo(session: SessionInfo, siteId: number, next: string): Promise<string> {
    return issueToken(
      this.q,
      'hop',
      {
        userId: session.userId,
        siteId,
        data: { loginId: session.loginId, remaining: [], next },
      },
      this.now(),
    );
  }
}
