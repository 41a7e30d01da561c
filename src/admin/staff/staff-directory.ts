// The newsroom's people as the Staff screen lists them: every account holding a staff role, with its roles,
// whether it can sign in, its two-factor set-up and whether it is asked of them (read from the tables, so
// the list is five queries however many people there are) and when it last used the admin. Also the rules of who may
// change whom: a change is allowed when the staff member's staff.manage covers every place the change
// touches (a site, or the whole network for network-wide roles and for people who hold one).
import type { RoleGrant, RoleName, User } from '../../accounts/repository.ts';
import type { Db } from '../../db/connection.ts';
import { fromDbTime } from '../../db/values.ts';
import { STAFF_ROLES } from '../permissions.ts';
import type { AdminContext } from '../route-kit.tsx';
import { ruleHolders } from './two-factor-rule.ts';

export interface StaffMember {
  id: number;
  email: string | null;
  displayName: string;
  status: User['status'];
  roles: RoleGrant[];
  /** A confirmed authenticator app. */
  totp: boolean;
  passkeys: number;
  /** Two-factor asked of them from the Staff screen (admins and owners need it anyway). */
  twoFactorAsked: boolean;
  /** The newest staff session's last request, if a session is live or was recently. */
  lastSeenAt: Date | null;
}

/** The roles the admin can grant: every staff role but owner, which nobody grants (one per network). */
export const GRANTABLE_ROLES: readonly RoleName[] = STAFF_ROLES.filter((r) => r !== 'owner');

export async function listStaff(db: Db, onlyUserId?: number): Promise<StaffMember[]> {
  const q = db.kysely;
  let roleRows = q
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.status',
      'user_roles.role',
      'user_roles.site_id',
    ])
    .where('user_roles.role', 'in', [...STAFF_ROLES])
    .where('users.status', 'not in', ['deleted', 'unclaimed']);
  if (onlyUserId !== undefined) roleRows = roleRows.where('users.id', '=', onlyUserId);
  const rows = await roleRows.orderBy('users.display_name').orderBy('users.id').execute();
  const people = new Map<number, StaffMember>();
  for (const r of rows) {
    let p = people.get(r.id);
    if (!p) {
      p = {
        id: r.id,
        email: r.email,
        displayName: r.display_name,
        status: r.status,
        roles: [],
        totp: false,
        passkeys: 0,
        twoFactorAsked: false,
        lastSeenAt: null,
      };
      people.set(r.id, p);
    }
    p.roles.push({ role: r.role as RoleName, siteId: r.site_id });
  }
  const ids = [...people.keys()];
  if (ids.length === 0) return [];
  const [totp, passkeys, seen, asked] = await Promise.all([
    q
      .selectFrom('two_factor_totp')
      .select('user_id')
      .where('user_id', 'in', ids)
      .where('confirmed_at', 'is not', null)
      .execute(),
    q
      .selectFrom('passkeys')
      .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('user_id', 'in', ids)
      .groupBy('user_id')
      .execute(),
    q
      .selectFrom('sessions')
      .select(['user_id', (eb) => eb.fn.max('last_seen_at').as('seen')])
      .where('user_id', 'in', ids)
      .where('audience', '=', 'staff')
      .groupBy('user_id')
      .execute(),
    ruleHolders(q, ids),
  ]);
  for (const r of totp) people.get(r.user_id)!.totp = true;
  for (const r of passkeys) people.get(r.user_id)!.passkeys = Number(r.n);
  for (const r of seen) if (r.seen) people.get(r.user_id)!.lastSeenAt = fromDbTime(r.seen);
  for (const id of asked) people.get(id)!.twoFactorAsked = true;
  return [...people.values()];
}

/** Whether the staff member's roles let them change a grant of this scope (a site, or null: network-wide). */
export function mayManageScope(a: AdminContext, siteId: number | null): boolean {
  return a.can('staff.manage', siteId);
}

/**
 * Whether they may change the person as a whole (disable, enable, end sessions): their staff.manage must
 * cover every grant the person holds, so a site's admin cannot lock out someone who works network-wide.
 */
export function mayManagePerson(a: AdminContext, person: Pick<StaffMember, 'roles'>): boolean {
  return person.roles.length > 0 && person.roles.every((g) => a.can('staff.manage', g.siteId));
}

/** Whether the person is shown to them at all: someone working on a site they manage staff of, or network-wide. */
export function maySeePerson(a: AdminContext, person: Pick<StaffMember, 'roles'>): boolean {
  return person.roles.some((g) => g.siteId === null || a.can('staff.manage', g.siteId));
}
