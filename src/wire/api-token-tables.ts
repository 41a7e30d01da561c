// The table of staff members' personal API tokens for the wire API (created by migration 0010_wire_admin).
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface StaffApiTokensTable {
  id: Generated<number>;
  user_id: number;
  /** What the staff member called it ("desk script"), to tell their tokens apart. */
  name: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: Generated<DbTimestamp>;
  /** Written at most once a minute, so a busy script does not write on every request. */
  last_used_at: DbTimestamp | null;
  revoked_at: DbTimestamp | null;
}

export interface StaffApiTokenTables {
  staff_api_tokens: StaffApiTokensTable;
}
