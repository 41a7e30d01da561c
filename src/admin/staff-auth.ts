// Who is signed in to the newsroom admin, and how they got there. Staff sessions are rows of the accounts
// feature's session table with the `staff` audience: a reader cookie never opens the admin and a staff
// cookie never a reader page; they end after DATELINE_STAFF_SESSION_IDLE_HOURS without use (12 by default).
//
// Sign-in is the reader's password check (with its limits and locks, accounts/sign-in.ts), then, for an
// account that has a second factor, a short-lived pending token that the second step (admin/security/)
// turns into a session. With no staff account yet, start-up prints a one-time setup link that creates the
// network's owner: no default password exists anywhere.
import type { RequestContext } from '../accounts/account-core.ts';
import { type Q, type RoleGrant, rolesOf } from '../accounts/repository.ts';
import type { AccountService } from '../accounts/service.ts';
import { type SessionInfo, SessionStore } from '../accounts/sessions.ts';
import { consumeToken, issueToken, peekToken } from '../accounts/tokens.ts';
import { recordAudit, staffActor } from '../audit/log.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/connection.ts';
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { isStaff, STAFF_ROLES } from './permissions.ts';

/** A second factor the admin can ask for; admin/security/ provides it (accounts/two-factor.ts). */
export interface SecondFactorGate {
  /** Whether this account has a second factor set up, so that sign-in must ask for it. */
  enrolled(userId: number): Promise<boolean>;
}

export interface StaffSession {
  session: SessionInfo;
  userId: number;
  displayName: string;
  grants: RoleGrant[];
}

export type SignInStep =
  | { kind: 'signed-in'; token: string; userId: number }
  | { kind: 'second-factor'; pendingToken: string; userId: number };

const NOT_STAFF =
  'This account has no role in the newsroom, so it cannot sign in to the admin. Readers sign in on the sites; ask an admin to grant you a role.';

export class StaffAuth {
  readonly sessions: SessionStore;
  private gate: SecondFactorGate | null = null;

  constructor(
    private readonly db: Db,
    private readonly accounts: AccountService,
    config: Pick<Config, 'staffSessionIdleHours' | 'sessionMaxDays'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    const idleMs = config.staffSessionIdleHours * 3_600_000;
    this.sessions = new SessionStore(
      db,
      // A staff session never outlives a week however often it is used: sign in again at least weekly.
      // Never answered from memory: a disabled account or an ended session stops at the very next request.
      {
        idleMs,
        maxMs: Math.max(idleMs, Math.min(config.sessionMaxDays, 7) * 86_400_000),
        audience: 'staff',
        cacheMs: 0,
      },
      now,
    );
  }

  /** The second factor, when the two-factor feature is present. */
  useSecondFactor(gate: SecondFactorGate): void {
    this.gate = gate;
  }

  get secondFactor(): SecondFactorGate | null {
    return this.gate;
  }

  /** The password step: a session, or a pending sign-in waiting for the second factor. */
  async signIn(input: { email: string; password: string }, ctx: RequestContext): Promise<SignInStep> {
    const userId = await this.accounts.checkCredentials(input, ctx);
    if (!isStaff(await rolesOf(this.db.kysely, userId))) throw new DatelineError('STAFF_ONLY', NOT_STAFF);
    if (this.gate && (await this.gate.enrolled(userId))) {
      const pendingToken = await issueToken(this.db.kysely, 'staff_pending', { userId }, this.now());
      return { kind: 'second-factor', pendingToken, userId };
    }
    return { kind: 'signed-in', token: await this.startSession(userId, ctx), userId };
  }

  /**
   * The account waiting on a pending sign-in, without using it up (the second step checks its code first,
   * then calls `completeSignIn`).
   */
  async pendingUser(pendingToken: unknown): Promise<number> {
    const rec = await peekToken(this.db.kysely, pendingToken, 'staff_pending', this.now());
    return rec.userId as number;
  }

  /** After the second factor passed: uses the pending token once and starts the session. */
  async completeSignIn(
    pendingToken: unknown,
    ctx: RequestContext,
  ): Promise<{ token: string; userId: number }> {
    const rec = await consumeToken(this.db.kysely, pendingToken, 'staff_pending', this.now());
    const userId = rec.userId as number;
    return { token: await this.startSession(userId, ctx), userId };
  }

  private async startSession(userId: number, ctx: RequestContext): Promise<string> {
    return this.db.kysely.transaction().execute(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .select(['status', 'privilege_epoch'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (user?.status !== 'active')
        throw new DatelineError(
          'ACCOUNT_DISABLED',
          'This account has been disabled. Ask an admin to restore it.',
        );
      const { token } = await this.sessions.create(trx, {
        userId,
        siteId: null,
        userAgent: ctx.userAgent,
        ip: ctx.ip,
        privilegeEpoch: user.privilege_epoch,
      });
      await recordAudit(trx, {
        actor: staffActor(userId),
        action: 'staff.signed_in',
        subjectType: 'user',
        subjectId: userId,
        detail: { ip: ctx.ip },
      });
      return token;
    });
  }

  /** The staff member behind a session cookie, with their roles read afresh; null when not signed in. */
  async lookup(token: string | undefined): Promise<StaffSession | null> {
    if (!token) return null;
    const session = await this.sessions.lookup(token, null);
    if (!session) return null;
    const grants = await rolesOf(this.db.kysely, session.userId);
    // A staff member whose last role was taken away is signed out of the admin at their next request.
    if (!isStaff(grants)) return null;
    return { session, userId: session.userId, displayName: session.displayName, grants };
  }

  async signOut(s: StaffSession): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      await this.sessions.endLogin(trx, s.session.loginId);
      await recordAudit(trx, {
        actor: staffActor(s.userId),
        action: 'staff.signed_out',
        subjectType: 'user',
        subjectId: s.userId,
      });
    });
  }

  // ------------------------------------------------------------------ first start

  /** Whether any account holds a newsroom role. */
  async hasStaff(q: Q = this.db.kysely): Promise<boolean> {
    const row = await q
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select('user_roles.id')
      .where('user_roles.role', 'in', [...STAFF_ROLES])
      .where('users.deleted_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * With no staff account yet, a new one-time link (24 h) that creates the owner; earlier unused links stop
   * working, so only the newest printed one does. Null once staff exist.
   */
  async setupToken(): Promise<string | null> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (await this.hasStaff(trx)) return null;
      await trx
        .updateTable('auth_tokens')
        .set({ used_at: toDbTime(this.now()) })
        .where('purpose', '=', 'admin_setup')
        .where('used_at', 'is', null)
        .execute();
      return issueToken(trx, 'admin_setup', {}, this.now());
    });
  }

  /** Checks a setup link without using it (the page that shows the form). */
  async checkSetupToken(token: unknown): Promise<void> {
    await peekToken(this.db.kysely, token, 'admin_setup', this.now());
    if (await this.hasStaff()) throw ownerExists();
  }

  /** Creates the owner from a setup link and signs them in. The link works once. */
  async completeSetup(
    token: unknown,
    input: { email: string; displayName: string; password: string },
    ctx: RequestContext,
  ): Promise<{ token: string; userId: number }> {
    if (await this.hasStaff()) throw ownerExists();
    const link = await peekToken(this.db.kysely, token, 'admin_setup', this.now());
    // The link is used up first, so two tabs submitting at once make one owner; if the account cannot be
    // made (a field breaks a rule), the link is given back, so a typo does not cost it.
    await consumeToken(this.db.kysely, token, 'admin_setup', this.now());
    let user: Awaited<ReturnType<AccountService['createUser']>>;
    try {
      user = await this.accounts.createUser({
        email: input.email,
        displayName: input.displayName,
        password: input.password,
        roles: [{ role: 'owner', siteId: null }],
      });
    } catch (e) {
      await this.db.kysely
        .updateTable('auth_tokens')
        .set({ used_at: null })
        .where('id', '=', link.id)
        .execute();
      throw e;
    }
    await recordAudit(this.db.kysely, {
      actor: staffActor(user.id),
      action: 'staff.owner_created',
      subjectType: 'user',
      subjectId: user.id,
      after: { email: user.email, displayName: user.displayName, role: 'owner' },
    });
    return { token: await this.startSession(user.id, ctx), userId: user.id };
  }
}

function ownerExists(): DatelineError {
  return new DatelineError(
    'OWNER_EXISTS',
    'The network already has its owner, so this setup link no longer works. Sign in at the admin, or ask the owner to invite you.',
  );
}
