// A signed-in reader's own account, as My account changes it: the display name, the password, the email
// address (confirmed by a link to the new one, with a notice to the old), consent to news alerts, and
// deleting the account or downloading everything held about it. Changes that matter need the current
// password when the account has one; every change runs in a transaction and mail is queued in the same one.
import type { Config } from '../config/config.ts';
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { type AccountCore, FormProblems, type RequestContext } from './account-core.ts';
import { checkEmail } from './fields.ts';
import { accountMails } from './mails.ts';
import { passwordProblem } from './passwords.ts';
import {
  identitiesOf,
  type Q,
  rolesOf,
  toUser,
  type User,
  userRowByEmail,
  userRowById,
} from './repository.ts';
import { newSecret } from './secrets.ts';
import type { SessionInfo } from './sessions.ts';
import { consumeToken, issueToken, peekToken, revokeTokens } from './tokens.ts';

export type DeletionMode = Config['accountDeletion'];
/**
 * What other features do with a deleted account's public writing (comments register here), in the
 * deletion's transaction. `mode` is the member's choice, else the network's setting. It may return work to
 * do once the transaction committed (publishing its domain events).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a listener may return nothing or an after-commit step
export type DeletionListener = (userId: number, mode: DeletionMode, trx: Q) => Promise<void | (() => void)>;
/** What other features hold about the reader, added to "Download my data" under their own key. */
export type ExportPart = (userId: number) => Promise<Record<string, unknown>>;
/** Work other features do when a reader accepts the news-alert invitation (newsletters: the site's alert list). */
export type NewsAlertsListener = (userId: number, siteId: number | null, trx: Q) => Promise<void>;

export class AccountSettings {
  private readonly deletionListeners: DeletionListener[] = [];
  private readonly exportParts: ExportPart[] = [];
  private readonly newsAlertsListeners: NewsAlertsListener[] = [];

  constructor(private readonly core: AccountCore) {}

  private get q() {
    return this.core.q;
  }

  private now(): Date {
    return this.core.now();
  }

  onDelete(listener: DeletionListener): void {
    this.deletionListeners.push(listener);
  }

  onExport(part: ExportPart): void {
    this.exportParts.push(part);
  }

  onNewsAlertsConfirmed(listener: NewsAlertsListener): void {
    this.newsAlertsListeners.push(listener);
  }

  private async checkCurrentPassword(
    userId: number,
    password: string,
    field = 'currentPassword',
  ): Promise<void> {
    const row = await userRowById(this.q, userId);
    const { ok } = await this.core.hasher.verify(row?.password_hash ?? null, password);
    if (!ok) throw new FormProblems({ [field]: 'Your current password is not right.' });
  }

  async updateProfile(userId: number, input: { displayName: string }): Promise<User> {
    const problems: Record<string, string> = {};
    const displayName = await this.core.checkNewName(input.displayName, problems, userId);
    if (Object.keys(problems).length) throw new FormProblems(problems);
    await this.q
      .updateTable('users')
      .set({ display_name: displayName, updated_at: toDbTime(this.now()) })
      .where('id', '=', userId)
      .execute();
    this.core.sessions.forgetCached();
    return this.core.requireUser(userId);
  }

  /** Needs the current password (when one is set); keeps the current sign-in and ends every other. */
  async changePassword(
    session: SessionInfo,
    input: { currentPassword: string; newPassword: string },
    ctx: RequestContext,
  ) {
    const user = await this.core.requireUser(session.userId);
    if (user.hasPassword) await this.checkCurrentPassword(user.id, input.currentPassword);
    const problem = passwordProblem(input.newPassword, {
      email: user.email ?? undefined,
      displayName: user.displayName,
    });
    if (problem) throw new FormProblems({ newPassword: problem });
    const hash = await this.core.hasher.hash(input.newPassword);
    return this.q.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hash, updated_at: toDbTime(this.now()) })
        .where('id', '=', user.id)
        .execute();
      await this.core.sessions.endAll(trx, user.id);
      await revokeTokens(trx, user.id, ['reset_password'], this.now());
      return this.core.startSession(trx, user.id, ctx);
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
    const user = await this.core.requireUser(userId);
    if (user.hasPassword) await this.checkCurrentPassword(userId, input.password, 'password');
    if (email.value === user.email) throw new FormProblems({ email: 'This is already your email address.' });
    // Spent before the look-up, the same whether or not the new address has an account.
    if (!(await this.core.spendMailLimits(userId, email.value, ctx, 'skip'))) return;
    const site = this.core.mailSite(ctx.siteId, ctx.origin);
    await this.q.transaction().execute(async (trx) => {
      const taken = await userRowByEmail(trx, email.value);
      if (taken) {
        await this.core.mail.queue(
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
      await this.core.mail.queue(accountMails.changeEmail(site, { userId, email: email.value }, token), trx);
      if (user.email) {
        await this.core.mail.queue(
          accountMails.emailChangeNotice(site, { userId, email: user.email }, email.value, newSecret(9)),
          trx,
        );
      }
    });
  }

  async checkEmailChangeToken(token: unknown): Promise<string> {
    return (await peekToken<{ email: string }>(this.q, token, 'change_email', this.now())).data.email;
  }

  async confirmEmailChange(token: unknown): Promise<User> {
    let verified = () => {};
    const user = await this.q.transaction().execute(async (trx) => {
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
      verified = await this.core.emailVerified(trx, rec.userId!, rec.data.email);
      return toUser((await userRowById(trx, rec.userId!))!);
    });
    verified();
    return user;
  }

  async confirmNewsAlerts(token: unknown): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      const rec = await consumeToken(trx, token, 'news_alerts', this.now());
      await trx
        .updateTable('users')
        .set({ news_alerts_confirmed_at: toDbTime(this.now()) })
        .where('id', '=', rec.userId!)
        .execute();
      for (const l of this.newsAlertsListeners) await l(rec.userId!, rec.siteId, trx);
    });
  }

  async checkNewsAlertsToken(token: unknown): Promise<void> {
    await peekToken(this.q, token, 'news_alerts', this.now());
  }

  // ---------------------------------------------------------------- deletion and export

  async deleteAccount(
    userId: number,
    input: { password: string; confirm: string; publicWriting?: DeletionMode | undefined },
  ): Promise<void> {
    const user = await this.core.requireUser(userId);
    if (input.confirm.trim().toLowerCase() !== 'delete') {
      throw new FormProblems({ confirm: 'Type the word delete to confirm.' });
    }
    if (user.hasPassword) await this.checkCurrentPassword(userId, input.password, 'password');
    const mode = input.publicWriting ?? this.core.config.accountDeletion;
    const afterCommit: (() => void)[] = [];
    await this.q.transaction().execute(async (trx) => {
      for (const l of this.deletionListeners) {
        const after = await l(userId, mode, trx);
        if (after) afterCommit.push(after);
      }
      await this.core.mail.forgetUser(userId, user.email, trx);
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
    this.core.sessions.forgetCached();
    for (const after of afterCommit) after();
  }

  /** Everything held about the reader, for "Download my data". */
  async exportData(userId: number) {
    const user = await this.core.requireUser(userId);
    const [roles, identities, sessions, mails, ...parts] = await Promise.all([
      rolesOf(this.q, userId),
      identitiesOf(this.q, userId),
      this.core.sessions.list(userId),
      this.q
        .selectFrom('mail_messages')
        .select(['kind', 'to_address', 'subject', 'created_at', 'sent_at'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      ...this.exportParts.map((part) => part(userId)),
    ]);
    const extra: Record<string, unknown> = Object.assign({}, ...parts);
    const siteName = (id: number | null) =>
      id === null ? 'all sites' : (this.core.directory.byIdOrUndefined(id)?.site.name ?? `site ${id}`);
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
      ...extra,
    };
  }
}
