// Signing in and out: registration and the address-confirming link, sign-in with throttling and locks,
// logging out, and password reset. Answers never tell whether an email has an account: register, sign-in
// and reset say the same either way and take as long (a dummy hash stands in for a missing account; reset
// does its look-up in a job). Every change runs in a transaction; mail is queued in the same one.
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { JobQueue } from '../jobs/queue.ts';
import {
  type AccountCore,
  FormProblems,
  type RequestContext,
  rateLimited,
  type SignedIn,
} from './account-core.ts';
import { checkEmail } from './fields.ts';
import { accountMails, type MailSite } from './mails.ts';
import { passwordProblem } from './passwords.ts';
import { AccountLimits } from './rate-limit.ts';
import { insertAccount, toUser, type User, userRowByEmail, userRowById } from './repository.ts';
import { newSecret } from './secrets.ts';
import type { SessionInfo } from './sessions.ts';
import { consumeToken, issueToken, peekToken, revokeTokens } from './tokens.ts';

const RESET_JOB = 'accounts.reset-request';

export class SignIn {
  constructor(
    private readonly core: AccountCore,
    private readonly jobs: JobQueue,
  ) {
    jobs.register<{ email: string; site: MailSite }>(RESET_JOB, (p) => this.runResetRequest(p.email, p.site));
  }

  private get q() {
    return this.core.q;
  }

  private now(): Date {
    return this.core.now();
  }

  // ---------------------------------------------------------------- registration and verification

  /** Same answer, same work, whether or not the email already has an account. */
  async register(
    input: { email: string; displayName: string; password: string },
    ctx: RequestContext,
  ): Promise<void> {
    const wait = await this.core.limits.registerIp.consume(ctx.ip);
    if (wait) throw rateLimited(wait);
    const problems: Record<string, string> = {};
    const email = checkEmail(input.email);
    if (!email.ok) problems.email = email.problem;
    const displayName = await this.core.checkNewName(input.displayName, problems);
    const pwProblem = passwordProblem(input.password, {
      email: email.ok ? email.value : undefined,
      displayName,
    });
    if (pwProblem) problems.password = pwProblem;
    if (Object.keys(problems).length || !email.ok) throw new FormProblems(problems);

    const hash = await this.core.hasher.hash(input.password);
    // Counted before the look-up, so a new and an existing address spend the same; the page says the same.
    if (await this.core.limits.mailAddress.consume(email.value)) return;
    const site = this.core.mailSite(ctx.siteId, ctx.origin);
    await this.q.transaction().execute(async (trx) => {
      const existing = await userRowByEmail(trx, email.value);
      if (existing) {
        await this.core.mail.queue(
          accountMails.alreadyRegistered(site, { userId: existing.id, email: email.value }, newSecret(9)),
          trx,
        );
        return;
      }
      const row = {
        id: await insertAccount(trx, {
          email: email.value,
          emailVerifiedAt: null,
          displayName,
          passwordHash: hash,
        }),
      };
      const token = await issueToken(
        trx,
        'verify_email',
        { userId: row.id, siteId: ctx.siteId, data: { email: email.value } },
        this.now(),
      );
      await this.core.mail.queue(
        accountMails.verify(site, { userId: row.id, email: email.value }, token),
        trx,
      );
    });
  }

  async checkVerifyToken(token: unknown): Promise<void> {
    await peekToken(this.q, token, 'verify_email', this.now());
  }

  /** Confirms the address and signs the reader in: the link proves they own it. */
  async verifyEmail(token: unknown, ctx: RequestContext): Promise<SignedIn> {
    const wait = await this.core.limits.verifyIp.consume(ctx.ip);
    if (wait) throw rateLimited(wait);
    let verified = () => {};
    const signedIn = await this.q.transaction().execute(async (trx) => {
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
        verified = await this.core.emailVerified(trx, row.id, row.email);
      }
      return this.core.startSession(trx, row.id, ctx);
    });
    verified();
    return signedIn;
  }

  // ---------------------------------------------------------------- sign-in and out

  async login(input: { email: string; password: string }, ctx: RequestContext): Promise<SignedIn> {
    const userId = await this.checkCredentials(input, ctx);
    return this.q.transaction().execute((trx) => this.core.startSession(trx, userId, ctx));
  }

  /**
   * Everything a sign-in checks before it starts a session (limits, locks, the password, the account's
   * state, a confirmed address), answering the account's id. Reader sign-in starts a reader session with
   * it; the admin starts a staff session, after its second factor.
   */
  async checkCredentials(input: { email: string; password: string }, ctx: RequestContext): Promise<number> {
    const key = input.email.trim().toLowerCase().slice(0, 300);
    const ipWait = await this.core.limits.loginIp.blockedFor(ctx.ip);
    if (ipWait) throw rateLimited(ipWait);
    const locked = await this.core.limits.loginLock.blockedFor(key);
    if (locked) {
      throw new DatelineError(
        'ACCOUNT_LOCKED',
        `Signing in to this account is paused after too many failed attempts. Try again in ${Math.ceil(locked / 60)} minutes, or set a new password with "Forgot password?".`,
        { retryAfter: locked },
      );
    }
    const paused = await this.core.limits.loginPause.blockedFor(key);
    if (paused) throw rateLimited(paused);

    const row = key.length <= 254 ? await userRowByEmail(this.q, key) : undefined;
    const { ok, needsRehash } = await this.core.hasher.verify(row?.password_hash ?? null, input.password);
    if (!ok || !row) {
      await this.failedLogin(key, row?.id ?? null, ctx);
      throw new DatelineError(
        'LOGIN_FAILED',
        'The email address or the password is not right. Check both and try again, or use "Forgot password?".',
      );
    }
    await this.core.limits.loginFailures.reset(key);
    if (row.status !== 'active') {
      throw new DatelineError(
        'ACCOUNT_DISABLED',
        'This account has been disabled. Contact the site to have it restored.',
      );
    }
    if (!row.email_verified_at) {
      // The password was right, so saying that no new link was sent tells the owner nothing new.
      await this.core.spendMailLimits(row.id, row.email!, ctx, 'refuse');
      const site = this.core.mailSite(ctx.siteId, ctx.origin);
      await this.q.transaction().execute(async (trx) => {
        await revokeTokens(trx, row.id, ['verify_email'], this.now());
        const token = await issueToken(
          trx,
          'verify_email',
          { userId: row.id, siteId: ctx.siteId, data: { email: row.email } },
          this.now(),
        );
        await this.core.mail.queue(
          accountMails.verify(site, { userId: row.id, email: row.email! }, token),
          trx,
        );
      });
      throw new DatelineError(
        'EMAIL_NOT_VERIFIED',
        'Confirm your email address first: we have sent you a new link. Open it, then sign in.',
      );
    }
    if (needsRehash) {
      const hash = await this.core.hasher.hash(input.password);
      await this.q.updateTable('users').set({ password_hash: hash }).where('id', '=', row.id).execute();
    }
    return row.id;
  }

  private async failedLogin(key: string, userId: number | null, ctx: RequestContext): Promise<void> {
    await this.core.limits.loginIp.consume(ctx.ip);
    await this.core.limits.loginFailures.consume(key);
    const failures = await this.core.limits.loginFailures.spent(key);
    if (failures >= AccountLimits.LOCK_AFTER) {
      await this.core.limits.loginLock.block(key, AccountLimits.LOCK_SECONDS);
      await this.core.limits.loginFailures.reset(key);
      await this.core.limits.loginPause.reset(key);
      const row = userId === null ? undefined : await userRowById(this.q, userId);
      if (row?.email) {
        const site = this.core.mailSite(ctx.siteId, ctx.origin);
        await this.core.mail.queue(
          accountMails.locked(
            site,
            { userId: row.id, email: row.email },
            AccountLimits.LOCK_SECONDS / 60,
            newSecret(9),
          ),
        );
      }
    } else if (failures >= AccountLimits.PAUSE_AFTER) {
      await this.core.limits.loginPause.block(key, AccountLimits.pauseSeconds(failures));
    }
  }

  async logout(loginId: string): Promise<void> {
    await this.core.sessions.endLogin(this.q, loginId);
  }

  async logoutEverywhere(userId: number): Promise<void> {
    await this.core.sessions.endAll(this.q, userId);
  }

  /** A fresh session for a reader already signed in (after a password change), ending the old one. */
  async renewSession(current: SessionInfo, ctx: RequestContext): Promise<SignedIn> {
    return this.q.transaction().execute(async (trx) => {
      await this.core.sessions.endLogin(trx, current.loginId);
      return this.core.startSession(trx, current.userId, ctx);
    });
  }

  // ---------------------------------------------------------------- password reset

  /** Queues the look-up; the answer and its timing are the same whether or not the account exists. */
  async requestReset(rawEmail: string, ctx: RequestContext): Promise<void> {
    const wait = await this.core.limits.resetIp.consume(ctx.ip);
    if (wait) throw rateLimited(wait);
    const email = checkEmail(rawEmail);
    if (!email.ok) throw new FormProblems({ email: email.problem });
    // Beyond three a hour per address, quietly send nothing more: the page still says the same.
    if (await this.core.limits.resetAccount.consume(email.value)) return;
    await this.jobs.enqueue(RESET_JOB, `reset-request:${newSecret(12)}`, {
      email: email.value,
      site: this.core.mailSite(ctx.siteId, ctx.origin),
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
      await this.core.mail.queue(accountMails.reset(site, { userId: row.id, email }, token), trx);
    });
  }

  async checkResetToken(token: unknown): Promise<void> {
    await peekToken(this.q, token, 'reset_password', this.now());
  }

  /** Sets the new password and ends every session of the account, and every other reset link. */
  async resetPassword(token: unknown, password: string, ctx: RequestContext): Promise<User> {
    const wait = await this.core.limits.verifyIp.consume(ctx.ip);
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
    const hash = await this.core.hasher.hash(password);
    let verified = () => {};
    const user = await this.q.transaction().execute(async (trx) => {
      const used = await consumeToken(trx, token, 'reset_password', this.now());
      const userId = used.userId!;
      if (!before.email_verified_at) verified = await this.core.emailVerified(trx, userId, before.email);
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
      await this.core.sessions.endAll(trx, userId);
      return toUser((await userRowById(trx, userId))!);
    });
    verified();
    // A new password lifts a sign-in lock: the owner has just proved they hold the address.
    if (before.email) await this.core.limits.loginLock.reset(before.email);
    return user;
  }
}
