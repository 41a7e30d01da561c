// What every account flow shares. The types of a request and of its answers (who is asking, a new
// sign-in, a form's problems, the 429 errors), and AccountCore: the session store, password hasher, rate
// limits and mail branding, with the steps several flows take (look up a user, start a session, check a
// new display name, spend the mail limits of a request). The flows themselves live in sign-in.ts,
// account-settings.ts, staff-accounts.ts and sister-site-hop.ts; AccountService puts them together.
import type { Config } from '../config/config.ts';
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { MailService } from '../mail/mailer.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import { checkDisplayName, looksLikeStaff } from './fields.ts';
import type { MailSite } from './mails.ts';
import { PasswordHasher } from './passwords.ts';
import { AccountLimits, LimiterFactory } from './rate-limit.ts';
import { type Q, staffNames, toUser, type User, userRowById } from './repository.ts';
import { SessionStore } from './sessions.ts';

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

/**
 * What other features do when an account's address is proved (comments: claiming imported comments written
 * under that address), inside the transaction that records it. It may return work for after the commit.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a listener may return nothing or an after-commit step
export type EmailVerifiedListener = (trx: Q, userId: number, email: string) => Promise<void | (() => void)>;

export class AccountCore {
  private readonly emailVerifiedListeners: EmailVerifiedListener[] = [];
  readonly sessions: SessionStore;
  readonly hasher: PasswordHasher;
  readonly limiterFactory: LimiterFactory;
  readonly limits: AccountLimits;

  constructor(
    readonly db: Db,
    readonly mail: MailService,
    readonly directory: SiteDirectory,
    readonly config: Config,
    readonly now: () => Date,
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
  }

  get q() {
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

  onEmailVerified(listener: EmailVerifiedListener): void {
    this.emailVerifiedListeners.push(listener);
  }

  /** Tells the listeners that `email` is now proved for the account; call the result after the commit. */
  async emailVerified(trx: Q, userId: number, email: string | null): Promise<() => void> {
    const after: (() => void)[] = [];
    if (email) {
      for (const l of this.emailVerifiedListeners) {
        const done = await l(trx, userId, email);
        if (done) after.push(done);
      }
    }
    return () => {
      for (const a of after) a();
    };
  }

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

  /**
   * A display name chosen by a reader, at registration or in My account: well formed, and not close to a
   * member of staff's (their own name, `exceptUserId`, aside). A problem goes into `problems`.
   */
  async checkNewName(raw: string, problems: Record<string, string>, exceptUserId?: number): Promise<string> {
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

  /**
   * Spends the mail limits of a request by a known account that would mail `to`. Over the network-address or
   * account limit it throws MAIL_RATE_LIMITED. Over the limit for `to` it returns false (`skip`: the caller
   * answers as usual and sends nothing) or throws too (`refuse`, where the answer cannot reveal anything).
   */
  async spendMailLimits(
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
}
