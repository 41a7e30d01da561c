// Audit-log rows for what staff do in the media library (uploads, caption/credit/alt edits, focal point
// moves), written inside the transaction of the change they describe, so the log never names a change that
// was rolled back. The entry has the shape of the admin's AuditLog.record; until that lands this writes
// the audit_log row itself.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

export type MediaAuditAction = 'media.uploaded' | 'media.text_changed' | 'media.focal_point_changed';

export interface MediaAuditEntry {
  /** Who did it, as the audit log names people. */
  actor: string;
  action: MediaAuditAction;
  subjectType: 'media';
  subjectId: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export type MediaAuditWriter = (
  trx: Transaction<Database> | Kysely<Database>,
  entry: MediaAuditEntry,
) => Promise<void>;

export const writeMediaAudit: MediaAuditWriter = async (trx, entry) => {
  await trx
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: String(entry.subjectId),
      detail: JSON.stringify({ before: entry.before, after: entry.after }),
    })
    .execute();
};
