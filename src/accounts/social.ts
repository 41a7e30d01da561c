// Social and single sign-on: starting a provider's flow, finishing it, and deciding what the returning
// identity means. A known identity signs its account in. A signed-in reader who asked to link gets the
// identity linked. A verified email that matches an existing account is only linked after the reader proves
// they own that account (signing in to it); anything else creates a new account, and such a reader is
// invited once, by mail, to news alerts (not subscribed until they confirm). An account keeps at least one
// way to sign in: the last one cannot be unlinked.
import type { Db } from '../db/connection.ts';
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { MailService } from '../mail/mailer.ts';
import { checkDisplayName, looksLikeStaff } from './fields.ts';
import { accountMails } from './mails.ts';
import { type FlowChecks, ProviderClients, type SocialProfile } from './providers.ts';
import {
  type Identity,
  identitiesOf,
  insertAccount,
  type Q,
  staffNames,
  toIdentity,
  userRowByEmail,
  userRowById,
} from './repository.ts';
import { safeEqual } from './secrets.ts';
import type { AccountService, RequestContext, SignedIn } from './service.ts';
import { consumeToken, issueToken } from './tokens.ts';

interface StateData extends FlowChecks {
  provider: string;
  next: string;
  linkUserId: number | null;
  redirectUri: string;
}

interface PendingLink {
  provider: string;
  subject: string;
  email: string;
  userId: number;
}

export type SocialOutcome =
  | { kind: 'signed-in'; signedIn: SignedIn; created: boolean; next: string }
  | { kind: 'linked'; userId: number; provider: string; next: string }
  | { kind: 'pending-link'; token: string; email: string; provider: string; next: string };

export class SocialService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountService,
    readonly providers: ProviderClients,
    private readonly mail: MailService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q() {
    return this.db.kysely;
  }

  /** Starts a flow; the returned state is also set as a cookie, so a callback only completes in this browser. */
  async begin(
    providerId: string,
    opts: { next: string; linkUserId: number | null; siteId: number | null; redirectUri: string },
  ): Promise<{ url: URL; state: string }> {
    this.providers.get(providerId);
    const checks = ProviderClients.newChecks('');
    const data: Omit<StateData, 'state'> = {
      provider: providerId,
      nonce: checks.nonce,
      verifier: checks.verifier,
      next: opts.next,
      linkUserId: opts.linkUserId,
      redirectUri: opts.redirectUri,
    };
    const state = await issueToken(this.q, 'oauth_state', { siteId: opts.siteId, data }, this.now());
    const url = await this.providers.authorizationUrl(providerId, opts.redirectUri, { ...checks, state });
    return { url, state };
  }

  async finish(
    providerId: string,
    callbackUrl: URL,
    stateCookie: string | undefined,
    ctx: RequestContext,
  ): Promise<SocialOutcome> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    if (!stateCookie || !safeEqual(state, stateCookie)) {
      throw new DatelineError(
        'TOKEN_INVALID',
        // Stryker disable next-line StringLiteral: message wording, tests assert the code
        'This sign-in did not start in this browser, or took too long. Nothing was changed. Start again from the sign-in page.',
      );
    }
    const rec = await consumeToken<Omit<StateData, 'state'>>(this.q, state, 'oauth_state', this.now());
    if (rec.data.provider !== providerId || rec.siteId !== ctx.siteId) {
      throw new DatelineError(
        'TOKEN_INVALID',
        // Stryker disable next-line StringLiteral: message wording, tests assert the code
        'This sign-in was started for another provider or site. Nothing was changed.',
      );
    }
    if (callbackUrl.searchParams.has('error')) {
      throw new DatelineError(
        'PROVIDER_FAILED',
        // Stryker disable next-line StringLiteral: message wording, tests assert the code
        `The provider did not sign you in (${callbackUrl.searchParams.get('error')}). Try again or use your email and password.`,
      );
    }
    const profile = await this.providers.complete(providerId, callbackUrl, { ...rec.data, state });
    return this.resolve(profile, { linkUserId: rec.data.linkUserId, next: rec.data.next }, ctx);
  }

  async resolve(
    profile: SocialProfile,
    opts: { linkUserId: number | null; next: string },
    ctx: RequestContext,
  ): Promise<SocialOutcome> {
    const { next } = opts;
    const known = await this.q
      .selectFrom('identities')
      .selectAll()
      .where('provider', '=', profile.provider)
      .where('subject', '=', profile.subject)
      .executeTakeFirst();
    if (known) {
      if (opts.linkUserId !== null && known.user_id !== opts.linkUserId) {
        throw new DatelineError(
          'IDENTITY_TAKEN',
          // Stryker disable next-line StringLiteral: message wording, tests assert the code
          'This login is already linked to another account. Sign in with it and unlink it there first.',
        );
      }
      if (opts.linkUserId !== null)
        return { kind: 'linked', userId: known.user_id, provider: profile.provider, next };
      await this.q
        .updateTable('identities')
        .set({ last_used_at: toDbTime(this.now()) })
        .where('id', '=', known.id)
        .execute();
      const signedIn = await this.q
        .transaction()
        .execute((trx) => this.accounts.startSession(trx, known.user_id, ctx));
      return { kind: 'signed-in', signedIn, created: false, next };
    }
    if (opts.linkUserId !== null) {
      await this.link(this.q, opts.linkUserId, profile);
      return { kind: 'linked', userId: opts.linkUserId, provider: profile.provider, next };
    }
    const verifiedEmail = profile.email && profile.emailVerified ? profile.email : null;
    const owner = profile.email ? await userRowByEmail(this.q, profile.email) : undefined;
    if (owner) {
      if (!verifiedEmail) {
        throw new DatelineError(
          'ACCOUNT_EXISTS',
          // Stryker disable next-line StringLiteral: message wording, tests assert the code
          'An account already uses the email address this provider gave, which it has not verified. Sign in to your account, then link this login from My account.',
        );
      }
      const token = await issueToken(
        this.q,
        'pending_link',
        {
          userId: owner.id,
          data: {
            provider: profile.provider,
            subject: profile.subject,
            email: verifiedEmail,
            userId: owner.id,
          } satisfies PendingLink,
        },
        this.now(),
      );
      return { kind: 'pending-link', token, email: verifiedEmail, provider: profile.provider, next };
    }
    const signedIn = await this.createFromProfile(profile, verifiedEmail, ctx);
    return { kind: 'signed-in', signedIn, created: true, next };
  }

  private async createFromProfile(
    profile: SocialProfile,
    email: string | null,
    ctx: RequestContext,
  ): Promise<SignedIn> {
    const staff = await staffNames(this.q);
    const checked = checkDisplayName(profile.name ?? '');
    const displayName =
      checked.ok && !looksLikeStaff(checked.value, staff)
        ? checked.value
        : `Reader ${Math.floor(1000 + Math.random() * 9000)}`;
    const site = this.accounts.mailSite(ctx.siteId, ctx.origin);
    let verified = () => {};
    const signedIn = await this.q.transaction().execute(async (trx) => {
      const row = {
        id: await insertAccount(trx, {
          // Only a verified address is kept: an unverified one could belong to someone else.
          email,
          emailVerifiedAt: email ? this.now() : null,
          displayName,
          passwordHash: null,
          newsAlertsInvitedAt: email ? this.now() : null,
        }),
      };
      await this.link(trx, row.id, profile);
      if (email) {
        const token = await issueToken(
          trx,
          'news_alerts',
          { userId: row.id, siteId: ctx.siteId },
          this.now(),
        );
        await this.mail.queue(accountMails.newsAlertsInvite(site, { userId: row.id, email }, token), trx);
        verified = await this.accounts.emailVerified(trx, row.id, email);
      }
      return this.accounts.startSession(trx, row.id, ctx);
    });
    verified();
    return signedIn;
  }

  private async link(q: Q, userId: number, profile: SocialProfile): Promise<void> {
    const taken = await q
      .selectFrom('identities')
      .select('user_id')
      .where('provider', '=', profile.provider)
      .where('subject', '=', profile.subject)
      .executeTakeFirst();
    if (taken && taken.user_id !== userId) {
      throw new DatelineError('IDENTITY_TAKEN', 'This login is already linked to another account.');
    }
    if (taken) return;
    await q
      .insertInto('identities')
      .values({
        user_id: userId,
        provider: profile.provider,
        subject: profile.subject,
        email: profile.email,
        last_used_at: toDbTime(this.now()),
      })
      .execute();
  }

  /**
   * After the reader proved they own the account a social login's email matched (by signing in to it),
   * links that login. A pending link for another account is dropped.
   */
  async completePendingLink(token: string, userId: number): Promise<string | null> {
    return this.q.transaction().execute(async (trx) => {
      let rec: Awaited<ReturnType<typeof consumeToken<PendingLink>>>;
      try {
        rec = await consumeToken<PendingLink>(trx, token, 'pending_link', this.now());
      } catch {
        return null;
      }
      if (rec.data.userId !== userId) return null;
      await this.link(trx, userId, {
        provider: rec.data.provider,
        subject: rec.data.subject,
        email: rec.data.email,
        emailVerified: true,
        name: null,
      });
      return rec.data.provider;
    });
  }

  identities(userId: number): Promise<Identity[]> {
    return identitiesOf(this.q, userId);
  }

  async unlink(userId: number, identityId: number): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('identities')
        .selectAll()
        .where('id', '=', identityId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row) throw new DatelineError('NOT_FOUND', 'That login is not linked to your account.');
      const user = await userRowById(trx, userId);
      const count = (await identitiesOf(trx, userId)).length + (user?.password_hash ? 1 : 0);
      if (count <= 1) {
        throw new DatelineError(
          'LAST_SIGN_IN_METHOD',
          // Stryker disable next-line StringLiteral: message wording, tests assert the code
          `${toIdentity(row).provider} is the only way to sign in to this account. Set a password or link another login first.`,
        );
      }
      await trx.deleteFrom('identities').where('id', '=', identityId).execute();
    });
  }
}
