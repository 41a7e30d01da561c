// Queries on the accounts tables, returning models with dialect values normalised (timestamps to Date,
// 0/1 to booleans). Services call these; nothing else touches the tables.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { slugFromName } from './fields.ts';
import type { IdentitiesTable, UserStatus, UsersTable } from './tables.ts';

export type Q = Kysely<Database> | Transaction<Database>;

export const ROLES = ['reader', 'contributor', 'author', 'editor', 'moderator', 'admin', 'owner'] as const;
export type RoleName = (typeof ROLES)[number];

export interface User {
  id: number;
  email: string | null;
  emailVerified: boolean;
  displayName: string;
  profileSlug: string;
  avatarMediaId: number | null;
  hasPassword: boolean;
  status: UserStatus;
  privilegeEpoch: number;
  newsAlertsInvitedAt: Date | null;
  newsAlertsConfirmedAt: Date | null;
  createdAt: Date;
}

export interface RoleGrant {
  role: RoleName;
  /** Null: on every site. */
  siteId: number | null;
}

export interface Identity {
  id: number;
  userId: number;
  provider: string;
  subject: string;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type UserRow = Selectable<UsersTable>;

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    emailVerified: r.email_verified_at !== null,
    displayName: r.display_name,
    profileSlug: r.profile_slug,
    avatarMediaId: r.avatar_media_id,
    hasPassword: r.password_hash !== null,
    status: r.status,
    privilegeEpoch: r.privilege_epoch,
    newsAlertsInvitedAt: fromDbTimeOrNull(r.news_alerts_invited_at),
    newsAlertsConfirmedAt: fromDbTimeOrNull(r.news_alerts_confirmed_at),
    createdAt: fromDbTime(r.created_at),
  };
}

export function toIdentity(r: Selectable<IdentitiesTable>): Identity {
  return {
    id: r.id,
    userId: r.user_id,
    provider: r.provider,
    subject: r.subject,
    email: r.email,
    createdAt: fromDbTime(r.created_at),
    lastUsedAt: fromDbTimeOrNull(r.last_used_at),
  };
}

export function userRowByEmail(q: Q, email: string): Promise<UserRow | undefined> {
  return q.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function userRowById(q: Q, id: number): Promise<UserRow | undefined> {
  return q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function rolesOf(q: Q, userId: number): Promise<RoleGrant[]> {
  const rows = await q
    .selectFrom('user_roles')
    .select(['role', 'site_id'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ role: r.role as RoleName, siteId: r.site_id }));
}

/** Display names of everyone holding a staff role, for the look-alike check. */
export async function staffNames(q: Q): Promise<string[]> {
  const rows = await q
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('users.display_name')
    .where('user_roles.role', '!=', 'reader')
    .where('users.status', '!=', 'deleted')
    .distinct()
    .execute();
  return rows.map((r) => r.display_name);
}

export async function identitiesOf(q: Q, userId: number): Promise<Identity[]> {
  const rows = await q
    .selectFrom('identities')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map(toIdentity);
}

export async function uniqueProfileSlug(q: Q, base: string): Promise<string> {
  const taken = new Set(
    (
      await q
        .selectFrom('users')
        .select('profile_slug')
        .where((eb) => eb.or([eb('profile_slug', '=', base), eb('profile_slug', 'like', `${base}-%`)]))
        .execute()
    ).map((r) => r.profile_slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * Inserts a new active account with a profile slug made from its name; the one place that knows every
 * column a new account starts with, for registration, staff accounts and social sign-up alike.
 */
export async function insertAccount(
  q: Q,
  account: {
    email: string | null;
    emailVerifiedAt: Date | null;
    displayName: string;
    passwordHash: string | null;
    newsAlertsInvitedAt?: Date | null;
  },
): Promise<number> {
  const row = await q
    .insertInto('users')
    .values({
      email: account.email,
      email_verified_at: account.emailVerifiedAt ? toDbTime(account.emailVerifiedAt) : null,
      display_name: account.displayName,
      profile_slug: await uniqueProfileSlug(q, slugFromName(account.displayName)),
      avatar_media_id: null,
      password_hash: account.passwordHash,
      status: 'active',
      news_alerts_invited_at: account.newsAlertsInvitedAt ? toDbTime(account.newsAlertsInvitedAt) : null,
      news_alerts_confirmed_at: null,
      deleted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
