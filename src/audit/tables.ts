// Table owned by the audit feature: who did what to which thing, for editors and operators.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface AuditLogTable {
  id: Generated<number>;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: string;
  created_at: Generated<DbTimestamp>;
}

export interface AuditTables {
  audit_log: AuditLogTable;
}
