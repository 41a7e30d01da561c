// Accounts as staff manage them, from the CLI and later the admin: creating an account (verified, with
// roles, and optionally no password yet plus a link to set one), finding and listing accounts, granting and
// removing roles, and disabling an account. A change of roles or status takes effect at each session's next
// request: roles bump the account's privilege epoch, disabling ends every session at once.
import { toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { type AccountCore, FormProblems } from './account-core.ts';
import { checkDisplayName, checkEmail } from './fields.ts';
import { passwordProblem } from './passwords.ts';
import {
  insertAccount,
  type Q,
  ROLES,
  type RoleGrant,
  type RoleName,
  rolesOf,
  toUser,
  type User,
  userRowByEmail,
} from './repository.ts';
import { issueToken } from './tokens.ts';

export class StaffAccounts {
  constructor(private readonly core: AccountCore) {}

  private get q() {
    return this.core.q;
  }

  private now(): Date {
    return this.core.now();
  }

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
    const hash = input.password === undefined ? null : await this.core.hasher.hash(input.password);
    const id = await this.q.transaction().execute(async (trx) => {
      if (await userRowByEmail(trx, email.value)) {
        throw new DatelineError(
          'ACCOUNT_EXISTS',
          `${email.value} already has an account. Change its roles with \`dateline user role\`.`,
        );
      }
      const id = await insertAccount(trx, {
        email: email.value,
        emailVerifiedAt: this.now(),
        displayName: name.value,
        passwordHash: hash,
      });
      for (const g of input.roles ?? []) await this.insertRole(trx, id, g);
      return id;
    });
    return this.core.requireUser(id);
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
    // Unclaimed profiles of imported comments are not accounts anyone holds.
    let q = this.q
      .selectFrom('users')
      .selectAll('users')
      .where('users.status', 'not in', ['deleted', 'unclaimed']);
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
    if (g.role === 'owner') {
      const owner = await trx
        .selectFrom('user_roles')
        .select('user_id')
        .where('role', '=', 'owner')
        .where('user_id', '!=', userId)
        .executeTakeFirst();
      if (owner)
        throw new DatelineError(
          'OWNER_EXISTS',
          'The network has its one owner already. Give this account the admin role instead.',
        );
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
      else if (g.role === 'owner') throw ownerStays();
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
    this.core.sessions.forgetCached();
  }

  /** Disabling ends every session at once; enabling lets the account sign in again. */
  async setDisabled(userId: number, disabled: boolean): Promise<void> {
    await this.q.transaction().execute(async (trx) => {
      if (disabled && (await rolesOf(trx, userId)).some((r) => r.role === 'owner')) throw ownerStays();
      await trx
        .updateTable('users')
        .set({ status: disabled ? 'disabled' : 'active', updated_at: toDbTime(this.now()) })
        .where('id', '=', userId)
        .where('status', 'not in', ['deleted', 'unclaimed'])
        .execute();
      if (disabled) await this.core.sessions.endAll(trx, userId);
    });
    this.core.sessions.forgetCached();
  }
}

function ownerStays(): DatelineError {
  return new DatelineError(
    'FORBIDDEN',
    'The owner cannot be removed or disabled: every network keeps its one owner. Nothing was changed.',
  );
}
