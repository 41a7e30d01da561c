// Single-use, expiring tokens for mailed links (verify, reset, change of email, news-alert consent), the
// sign-in hop between sister sites, and OAuth state. Only the SHA-256 of a token is stored. Using one marks
// it used in the same statement that checks it, so two requests racing with the same token cannot both win;
// a replayed, expired, tampered or wrong-purpose token is refused the same way.

import { fromDbTime, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { Q } from './repository.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { TokenPurpose } from './tables.ts';

export interface TokenRecord<D = Record<string, unknown>> {
  id: number;
  purpose: TokenPurpose;
  userId: number | null;
  siteId: number | null;
  data: D;
  expiresAt: Date;
}

export const TOKEN_TTL_SECONDS: Record<TokenPurpose, number> = {
  verify_email: 48 * 3600,
  reset_password: 3600,
  change_email: 24 * 3600,
  hop: 120,
  oauth_state: 600,
  pending_link: 900,
  news_alerts: 30 * 24 * 3600,
  admin_setup: 24 * 3600,
  staff_pending: 600,
};

export function tokenInvalid(): DatelineError {
  return new DatelineError(
    'TOKEN_INVALID',
    // Stryker disable next-line StringLiteral: message wording, tests assert the code
    'This link is not valid: it has been used already, has expired, or was changed on the way. Nothing was changed. ' +
      // Stryker disable next-line StringLiteral: message wording, tests assert the code
      'Ask for a new link and use the newest one.',
  );
}

export async function issueToken(
  q: Q,
  purpose: TokenPurpose,
  fields: { userId?: number | null; siteId?: number | null; data?: object; ttlSeconds?: number },
  now = new Date(),
): Promise<string> {
  const token = newSecret();
  await q
    .insertInto('auth_tokens')
    .values({
      token_hash: hashSecret(token),
      purpose,
      user_id: fields.userId ?? null,
      site_id: fields.siteId ?? null,
      data: JSON.stringify(fields.data ?? {}),
      expires_at: toDbTime(
        new Date(now.getTime() + (fields.ttlSeconds ?? TOKEN_TTL_SECONDS[purpose]) * 1000),
      ),
      used_at: null,
    })
    .execute();
  return token;
}

function wellFormed(token: unknown): token is string {
  // The pattern only spares a query: a string of another form hashes to no stored token and is refused the
  // same way, so loosening it changes nothing a caller can see (the string check does: see tokens.test.ts).
  // Stryker disable next-line Regex: equivalent, see above
  return typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token);
}

/** Reads a token without using it, for the page that asks the reader to confirm. */
export async function peekToken<D = Record<string, unknown>>(
  q: Q,
  token: unknown,
  purpose: TokenPurpose,
  now = new Date(),
): Promise<TokenRecord<D>> {
  if (!wellFormed(token)) throw tokenInvalid();
  const row = await q
    .selectFrom('auth_tokens')
    .selectAll()
    .where('token_hash', '=', hashSecret(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', toDbTime(now))
    .executeTakeFirst();
  if (!row) throw tokenInvalid();
  return {
    id: row.id,
    purpose: row.purpose,
    userId: row.user_id,
    siteId: row.site_id,
    data: JSON.parse(row.data) as D,
    expiresAt: fromDbTime(row.expires_at),
  };
}

/** Uses a token: valid once, before it expires, for its purpose only. */
export async function consumeToken<D = Record<string, unknown>>(
  q: Q,
  token: unknown,
  purpose: TokenPurpose,
  now = new Date(),
): Promise<TokenRecord<D>> {
  const rec = await peekToken<D>(q, token, purpose, now);
  const res = await q
    .updateTable('auth_tokens')
    .set({ used_at: toDbTime(now) })
    .where('id', '=', rec.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw tokenInvalid();
  return rec;
}

/** Ends every unused token of a purpose for an account, e.g. older reset links once one is used. */
export async function revokeTokens(
  q: Q,
  userId: number,
  purposes: TokenPurpose[],
  now = new Date(),
): Promise<void> {
  await q
    .updateTable('auth_tokens')
    .set({ used_at: toDbTime(now) })
    .where('user_id', '=', userId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}

/** Housekeeping: drops tokens that expired a day ago or more. */
export async function pruneTokens(q: Q, now = new Date()): Promise<void> {
  await q
    .deleteFrom('auth_tokens')
    .where('expires_at', '<', toDbTime(new Date(now.getTime() - 86_400_000)))
    .execute();
}
