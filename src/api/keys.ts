// Content-API keys, one per integration. The key is shown once when made; only its SHA-256 is stored, so a
// leaked database does not leak working keys. A key may be limited to some sites. Lookups are remembered
// for a few seconds so a busy integration does not cost a query per request; revoking takes effect on this
// node at once and on others within that time.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import { DatelineError } from '../errors/catalogue.ts';

export interface ApiKeyInfo {
  id: number;
  name: string;
  prefix: string;
  /** Sites it may read, or null for all. */
  siteIds: number[] | null;
  createdAt: Date;
  revokedAt: Date | null;
}

const REMEMBER_MS = 10_000;

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class ApiKeyService {
  private readonly remembered = new Map<string, { info: ApiKeyInfo | null; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Makes a key; the returned `key` is the only time the secret is visible. */
  async create(name: string, siteIds: number[] | null = null): Promise<ApiKeyInfo & { key: string }> {
    const clean = name.trim();
    if (clean === '' || clean.length > 100) {
      throw new DatelineError(
        'API_KEY_NAME_INVALID',
        'Name the key after the integration that uses it (1–100 characters).',
        {
          field: 'name',
        },
      );
    }
    const key = `dl_${randomBytes(30).toString('base64url')}`;
    const row = await this.db.kysely
      .insertInto('api_keys')
      .values({
        name: clean,
        key_prefix: key.slice(0, 10),
        key_hash: hashKey(key),
        site_ids: siteIds ? JSON.stringify(siteIds) : null,
        created_at: toDbTime(this.now()),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...toInfo(row), key };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.db.kysely.selectFrom('api_keys').selectAll().orderBy('id').execute();
    return rows.map(toInfo);
  }

  async revoke(id: number): Promise<void> {
    await this.db.kysely
      .updateTable('api_keys')
      .set({ revoked_at: toDbTime(this.now()) })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    this.remembered.clear();
  }

  /** The key's record if it is valid (known and not revoked), else null. */
  async verify(key: string): Promise<ApiKeyInfo | null> {
    if (!/^dl_[A-Za-z0-9_-]{20,80}$/.test(key)) return null;
    const hash = hashKey(key);
    const nowMs = this.now().getTime();
    const hit = this.remembered.get(hash);
    if (hit && hit.until > nowMs) return hit.info;
    const row = await this.db.kysely
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', hash)
      .executeTakeFirst();
    const info = row && row.revoked_at === null ? toInfo(row) : null;
    if (this.remembered.size > 10_000) this.remembered.clear();
    this.remembered.set(hash, { info, until: nowMs + REMEMBER_MS });
    return info;
  }
}

function toInfo(r: {
  id: number;
  name: string;
  key_prefix: string;
  site_ids: string | null;
  created_at: string | Date;
  revoked_at: string | Date | null;
}): ApiKeyInfo {
  return {
    id: r.id,
    name: r.name,
    prefix: r.key_prefix,
    siteIds: r.site_ids ? (JSON.parse(r.site_ids) as number[]) : null,
    createdAt: fromDbTime(r.created_at),
    revokedAt: fromDbTimeOrNull(r.revoked_at),
  };
}
