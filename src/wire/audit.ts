// Audit-log entries for what the wire did on its own authority: killing a story on an agency's word and
// removing a cancelled picture from every story that showed it. Written inside the same transaction as the
// change they record, so the log never names a change that was rolled back.
import type { Unit } from '../articles/service.ts';

/** The wire's own audit actions; the subject is the story, or the picture for a cancellation. */
export type WireAuditAction = 'wire.killed' | 'wire.picture_canceled';

export async function writeWireAudit(
  unit: Unit,
  actor: string,
  action: WireAuditAction,
  subjectId: number,
  detail: Record<string, unknown>,
) {
  const subjectType = action === 'wire.picture_canceled' ? 'wire_picture' : 'wire_story';
  await unit.trx
    .insertInto('audit_log')
    .values({
      actor,
      action,
      subject_type: subjectType,
      subject_id: String(subjectId),
      detail: JSON.stringify(detail),
    })
    .execute();
}
