// The content API's table: its keys.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

/** A content-API key: only the SHA-256 of the secret is stored; the prefix identifies it in logs and lists. */
export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  key_prefix: string;
  key_hash: string;
  /** JSON array of site ids the key may read, or null for every site. */
  site_ids: string | null;
  created_at: Generated<DbTimestamp>;
  revoked_at: DbTimestamp | null;
}

export interface ApiTables {
  api_keys: ApiKeysTable;
}
