// Personal API tokens: a staff member makes one for a script that calls the wire API as them, with their own
// roles, instead of sharing the one operator token. The token is shown once; only its SHA-256 hash is stored,
// so a copy of the database gives no one a way in. A token works while its owner's account is active and
// stops at once when revoked; what it may do is read from the owner's roles at every request, so a role
// taken away takes the token's reach with it. Every creation and revocation is in the audit log.
import { createHash, randomBytes } from 'node:crypto';
import type { Q } from '../accounts/repository.ts';
import { recordAudit } from '../audit/log.ts';
import type { Db } from '../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';

/** Every personal token starts with this, so the wire API tells one from the operator token without a query. */
export const PERSONAL_TOKEN_PREFIX = 'dlp_';
/** Enough for a few scripts and a rotation in progress; more usually means old tokens nobody revoked. */
export const MAX_ACTIVE_TOKENS = 20;
const NAME_MAX = 100;
/** How stale "last used" may get: writing it on every request would put a write on every API read. */
const LAST_USED_EVERY_MS = 60_000;

export interface PersonalToken {
  id: number;
  userId: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export function hashPersonalToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function invalid(message: string): never {
  throw new DatelineError('PERSONAL_TOKEN_INVALID', message, { field: 'name' });
}

export class PersonalTokens {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q(): Q {
    return this.db.kysely;
  }

  /** The owner's tokens that still work, newest first. */
  async list(userId: number): Promise<PersonalToken[]> {
    const rows = await this.q
      .selectFrom('staff_api_tokens')
      .select(['id', 'user_id', 'name', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      name: r.name,
      createdAt: fromDbTime(r.created_at),
      lastUsedAt: fromDbTimeOrNull(r.last_used_at),
    }));
  }

  /** Makes a token; the returned `token` is the only time anyone sees it. */
  async create(
    userId: number,
    rawName: string,
    actor: string,
  ): Promise<{ token: string; record: PersonalToken }> {
    const name = rawName.trim();
    if (name === '')
      invalid(
        'Give the token a name that says what uses it, e.g. "desk script", so you can tell it apart later.',
      );
    if (name.length > NAME_MAX)
      invalid(`The name is ${name.length} characters long; keep it to ${NAME_MAX} or fewer.`);
    const token = `${PERSONAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = this.now();
    const id = await this.db.kysely.transaction().execute(async (trx) => {
      const active = await trx
        .selectFrom('staff_api_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(active.n) >= MAX_ACTIVE_TOKENS) {
        throw new DatelineError(
          'PERSONAL_TOKEN_INVALID',
          `You already have ${MAX_ACTIVE_TOKENS} API tokens, the most one person may hold. Revoke one you no longer use, then make the new one.`,
        );
      }
      const row = await trx
        .insertInto('staff_api_tokens')
        .values({
          user_id: userId,
          name,
          token_hash: hashPersonalToken(token),
          created_at: toDbTime(now),
          last_used_at: null,
          revoked_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor,
        action: 'staff.api_token_created',
        subjectType: 'staff_api_token',
        subjectId: row.id,
        after: { name, owner: userId },
      });
      return row.id;
    });
    return { token, record: { id, userId, name, createdAt: now, lastUsedAt: null } };
  }

  /** Revokes one of the owner's tokens; another person's token, or one already revoked, is not found. */
  async revoke(userId: number, id: number, actor: string): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('staff_api_tokens')
        .select(['id', 'name'])
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) {
        throw new DatelineError(
          'PERSONAL_TOKEN_NOT_FOUND',
          'You have no working API token with this id (it may have been revoked already). Reload the list.',
        );
      }
      await trx
        .updateTable('staff_api_tokens')
        .set({ revoked_at: toDbTime(this.now()) })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, {
        actor,
        action: 'staff.api_token_revoked',
        subjectType: 'staff_api_token',
        subjectId: id,
        before: { name: row.name, owner: userId },
      });
    });
  }

  /**
   * The owner of a token presented to the API, or null when it is unknown, revoked, or its owner's account
   * is disabled or deleted. Notes when it was used (at most once a minute).
   */
  async authenticate(token: string): Promise<{ userId: number; tokenId: number } | null> {
    if (!token.startsWith(PERSONAL_TOKEN_PREFIX) || token.length > 200) return null;
    const row = await this.q
      .selectFrom('staff_api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id', 't.user_id', 't.last_used_at'])
      .where('t.token_hash', '=', hashPersonalToken(token))
      .where('t.revoked_at', 'is', null)
      .where('u.status', '=', 'active')
      .where('u.deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    const now = this.now();
    const last = fromDbTimeOrNull(row.last_used_at);
    if (!last || now.getTime() - last.getTime() >= LAST_USED_EVERY_MS) {
      await this.q
        .updateTable('staff_api_tokens')
        .set({ last_used_at: toDbTime(now) })
        .where('id', '=', row.id)
        .execute();
    }
    return { userId: row.user_id, tokenId: row.id };
  }
}
