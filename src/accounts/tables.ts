// Tables owned by the accounts feature: one account per person across the network, its roles, linked
// social logins, per-host sessions, single-use tokens, rate-limit counters and the server's own secret.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

/**
 * 'unclaimed': a member profile made for the author of imported comments (src/comments/import/): no email,
 * no password, never signed in to, listed nowhere but on its member page until a reader claims it.
 */
export type UserStatus = 'active' | 'disabled' | 'deleted' | 'unclaimed';

export interface UsersTable {
  id: Generated<number>;
  /** Lower-cased; null once the account is deleted. */
  email: string | null;
  email_verified_at: DbTimestamp | null;
  display_name: string;
  profile_slug: string;
  avatar_media_id: number | null;
  /** argon2id PHC string; null for accounts that only sign in with a social login. */
  password_hash: string | null;
  status: UserStatus;
  /** Bumped on every role change; sessions minted under an older value are rotated. */
  privilege_epoch: Generated<number>;
  news_alerts_invited_at: DbTimestamp | null;
  news_alerts_confirmed_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
  updated_at: Generated<DbTimestamp>;
  deleted_at: DbTimestamp | null;
}

export interface UserRolesTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  /** Null: the role holds on every site of the network. */
  site_id: number | null;
  created_at: Generated<DbTimestamp>;
}

export interface SessionsTable {
  id: Generated<number>;
  /** sha256 of the cookie's secret; the secret itself is never stored. */
  token_hash: string;
  /** One sign-in: the sessions it set on each host of the network share it, and log out together. */
  login_id: string;
  user_id: number;
  /** The site whose host holds the cookie; a cookie is refused on any other site. */
  site_id: number | null;
  privilege_epoch: number;
  created_at: Generated<DbTimestamp>;
  last_seen_at: DbTimestamp;
  expires_at: DbTimestamp;
  user_agent: string;
  ip: string;
  /** Who the session is for: a reader on the sites, or staff in the admin. Each store reads only its own. */
  audience: Generated<SessionAudience>;
}

export type SessionAudience = 'reader' | 'staff';

export type TokenPurpose =
  | 'verify_email'
  | 'reset_password'
  | 'change_email'
  | 'hop'
  | 'oauth_state'
  | 'pending_link'
  | 'news_alerts'
  | 'admin_setup'
  | 'staff_pending';

export interface AuthTokensTable {
  id: Generated<number>;
  token_hash: string;
  purpose: TokenPurpose;
  user_id: number | null;
  site_id: number | null;
  data: string;
  expires_at: DbTimestamp;
  used_at: DbTimestamp | null;
  created_at: Generated<DbTimestamp>;
}

export interface IdentitiesTable {
  id: Generated<number>;
  user_id: number;
  provider: string;
  subject: string;
  email: string | null;
  created_at: Generated<DbTimestamp>;
  last_used_at: DbTimestamp | null;
}

export interface RateLimitsTable {
  key: string;
  points: number;
  /** Milliseconds since the epoch, as rate-limiter-flexible counts. */
  expire: number | null;
}

export interface AuthSecretsTable {
  name: string;
  value: string;
}

export interface AccountsTables {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  auth_tokens: AuthTokensTable;
  identities: IdentitiesTable;
  rate_limits: RateLimitsTable;
  auth_secrets: AuthSecretsTable;
}
