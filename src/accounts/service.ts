// The accounts feature as the rest of the app uses it: one AccountService, made once at start-up, that
// owns the shared parts (sessions, password hasher, rate limits, the CSRF signing key) and answers for each
// flow by handing it to the module that holds its rules:
// - sign-in.ts: registration, the confirming link, sign-in with throttling and locks, logout, password reset;
// - account-settings.ts: My account (name, password, email change, news-alert consent, deletion, export);
// - staff-accounts.ts: creating and listing accounts, roles and disabling, for the CLI and the admin;
// - sister-site-hop.ts: signing a reader in on every sister site after a sign-in.
// Every action that sends mail is limited per network address and per account (answered 429), and per
// address mailed: over that one the answer stays the same and the mail is skipped, since a refusal would
// tell that someone else has been mailing that address, or that it has an account.
import type { Config } from '../config/config.ts';
import type { Db } from '../db/connection.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { MailService } from '../mail/mailer.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import {
  AccountCore,
  type EmailVerifiedListener,
  type RequestContext,
  type SignedIn,
} from './account-core.ts';
import {
  AccountSettings,
  type DeletionListener,
  type DeletionMode,
  type ExportPart,
  type NewsAlertsListener,
} from './account-settings.ts';
import type { MailSite } from './mails.ts';
import type { PasswordHasher } from './passwords.ts';
import type { AccountLimits } from './rate-limit.ts';
import type { Q, RoleGrant, RoleName, User } from './repository.ts';
import { loadSigningKey } from './secrets.ts';
import type { SessionInfo, SessionStore } from './sessions.ts';
import { SignIn } from './sign-in.ts';
import { SisterSiteHop } from './sister-site-hop.ts';
import { StaffAccounts } from './staff-accounts.ts';
import type { AccountPagePart } from './views/account-page.tsx';

export {
  FormProblems,
  mailRateLimited,
  type RequestContext,
  rateLimited,
  type SignedIn,
} from './account-core.ts';
export type { DeletionListener, DeletionMode, ExportPart } from './account-settings.ts';

export class AccountService {
  readonly sessions: SessionStore;
  readonly hasher: PasswordHasher;
  readonly limits: AccountLimits;
  private readonly core: AccountCore;
  private readonly signIn: SignIn;
  private readonly settings: AccountSettings;
  private readonly staff: StaffAccounts;
  private readonly hop: SisterSiteHop;
  private key: Buffer | null = null;

  constructor(
    readonly db: Db,
    mail: MailService,
    jobs: JobQueue,
    directory: SiteDirectory,
    private readonly config: Config,
    now: () => Date = () => new Date(),
  ) {
    this.core = new AccountCore(db, mail, directory, config, now);
    this.sessions = this.core.sessions;
    this.hasher = this.core.hasher;
    this.limits = this.core.limits;
    this.signIn = new SignIn(this.core, jobs);
    this.settings = new AccountSettings(this.core);
    this.staff = new StaffAccounts(this.core);
    this.hop = new SisterSiteHop(this.core);
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

  async close(): Promise<void> {
    await this.core.limiterFactory.close();
  }

  /** Branding and link origin for mails about a site. */
  mailSite(siteId: number | null, origin: string): MailSite {
    return this.core.mailSite(siteId, origin);
  }

  user(userId: number): Promise<User | null> {
    return this.core.user(userId);
  }

  requireUser(userId: number): Promise<User> {
    return this.core.requireUser(userId);
  }

  /** A new session for an account, in the caller's transaction (social sign-in uses it too). */
  startSession(trx: Q, userId: number, ctx: RequestContext): Promise<SignedIn> {
    return this.core.startSession(trx, userId, ctx);
  }

  // ---------------------------------------------------------------- sign-in.ts

  register(input: { email: string; displayName: string; password: string }, ctx: RequestContext) {
    return this.signIn.register(input, ctx);
  }

  checkVerifyToken(token: unknown): Promise<void> {
    return this.signIn.checkVerifyToken(token);
  }

  verifyEmail(token: unknown, ctx: RequestContext): Promise<SignedIn> {
    return this.signIn.verifyEmail(token, ctx);
  }

  login(input: { email: string; password: string }, ctx: RequestContext): Promise<SignedIn> {
    return this.signIn.login(input, ctx);
  }

  /** The sign-in checks without a session: the admin's first step (see sign-in.ts). */
  checkCredentials(input: { email: string; password: string }, ctx: RequestContext): Promise<number> {
    return this.signIn.checkCredentials(input, ctx);
  }

  logout(loginId: string): Promise<void> {
    return this.signIn.logout(loginId);
  }

  logoutEverywhere(userId: number): Promise<void> {
    return this.signIn.logoutEverywhere(userId);
  }

  renewSession(current: SessionInfo, ctx: RequestContext): Promise<SignedIn> {
    return this.signIn.renewSession(current, ctx);
  }

  requestReset(rawEmail: string, ctx: RequestContext): Promise<void> {
    return this.signIn.requestReset(rawEmail, ctx);
  }

  checkResetToken(token: unknown): Promise<void> {
    return this.signIn.checkResetToken(token);
  }

  resetPassword(token: unknown, password: string, ctx: RequestContext): Promise<User> {
    return this.signIn.resetPassword(token, password, ctx);
  }

  // ---------------------------------------------------------------- account-settings.ts

  onDelete(listener: DeletionListener): void {
    this.settings.onDelete(listener);
  }

  /**
   * Sections other features add to My account (comments: member page and notices), rendered in order
   * before "Your data". Registered once at start-up.
   */
  readonly pageParts: AccountPagePart[] = [];

  onExport(part: ExportPart): void {
    this.settings.onExport(part);
  }

  /** Work other features do, in its transaction, when a reader accepts the news-alert invitation. */
  onNewsAlertsConfirmed(listener: NewsAlertsListener): void {
    this.settings.onNewsAlertsConfirmed(listener);
  }

  /** Work other features do when an account's address is proved (comments: claiming imported ones). */
  onEmailVerified(listener: EmailVerifiedListener): void {
    this.core.onEmailVerified(listener);
  }

  emailVerified(trx: Q, userId: number, email: string | null): Promise<() => void> {
    return this.core.emailVerified(trx, userId, email);
  }

  updateProfile(userId: number, input: { displayName: string }): Promise<User> {
    return this.settings.updateProfile(userId, input);
  }

  changePassword(
    session: SessionInfo,
    input: { currentPassword: string; newPassword: string },
    ctx: RequestContext,
  ): Promise<SignedIn> {
    return this.settings.changePassword(session, input, ctx);
  }

  requestEmailChange(userId: number, input: { email: string; password: string }, ctx: RequestContext) {
    return this.settings.requestEmailChange(userId, input, ctx);
  }

  checkEmailChangeToken(token: unknown): Promise<string> {
    return this.settings.checkEmailChangeToken(token);
  }

  confirmEmailChange(token: unknown): Promise<User> {
    return this.settings.confirmEmailChange(token);
  }

  confirmNewsAlerts(token: unknown): Promise<void> {
    return this.settings.confirmNewsAlerts(token);
  }

  checkNewsAlertsToken(token: unknown): Promise<void> {
    return this.settings.checkNewsAlertsToken(token);
  }

  deleteAccount(
    userId: number,
    input: { password: string; confirm: string; publicWriting?: DeletionMode | undefined },
  ): Promise<void> {
    return this.settings.deleteAccount(userId, input);
  }

  exportData(userId: number) {
    return this.settings.exportData(userId);
  }

  // ---------------------------------------------------------------- staff-accounts.ts

  createUser(input: { email: string; displayName: string; password?: string; roles?: RoleGrant[] }) {
    return this.staff.createUser(input);
  }

  passwordSetupLink(userId: number, origin: string, siteId: number | null): Promise<string> {
    return this.staff.passwordSetupLink(userId, origin, siteId);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.staff.findByEmail(email);
  }

  requireByEmail(email: string): Promise<User> {
    return this.staff.requireByEmail(email);
  }

  list(opts: { role?: RoleName; limit?: number } = {}): Promise<(User & { roles: RoleGrant[] })[]> {
    return this.staff.list(opts);
  }

  roles(userId: number): Promise<RoleGrant[]> {
    return this.staff.roles(userId);
  }

  hasRole(userId: number, role: RoleName, siteId: number | null): Promise<boolean> {
    return this.staff.hasRole(userId, role, siteId);
  }

  setRole(userId: number, g: RoleGrant, grant: boolean): Promise<void> {
    return this.staff.setRole(userId, g, grant);
  }

  setDisabled(userId: number, disabled: boolean): Promise<void> {
    return this.staff.setDisabled(userId, disabled);
  }

  // ---------------------------------------------------------------- sister-site-hop.ts

  sisterSites(originSiteId: number | null): number[] {
    return this.hop.sisterSites(originSiteId);
  }

  startHop(session: SessionInfo, originSiteId: number | null, next: string) {
    return this.hop.startHop(session, originSiteId, next);
  }

  acceptHop(token: unknown, ctx: RequestContext) {
    return this.hop.acceptHop(token, ctx);
  }

  hopTo(session: SessionInfo, siteId: number, next: string): Promise<string> {
    return this.hop.hopTo(session, siteId, next);
  }
}
