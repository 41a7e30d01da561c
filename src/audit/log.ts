// The audit log as every feature writes it: who did what to which thing, and the thing before and after.
// An entry is written in the same transaction as the change it records, so the log never names a change
// that was rolled back. Staff are named `user:<id>` (their current name is looked up when the log is read,
// so a renamed editor's entries stay theirs); the wire, the CLI and the scheduler use their own names.
import type { Q } from '../accounts/repository.ts';

export interface AuditEntry {
  actor: string;
  /** A dotted verb, e.g. `story.published`, `site.updated`, `staff.role_granted`. */
  action: string;
  subjectType: string;
  subjectId: string | number;
  /** The parts of the thing that changed, as they were and as they are now (omit for creations/deletions). */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Anything else worth keeping (a reason, the site it happened on). */
  detail?: Record<string, unknown>;
}

/** The actor name of a staff account in the audit log. */
export function staffActor(userId: number): string {
  return `user:${userId}`;
}

/** The account id in a staff actor name, or null for other actors. */
export function staffIdOfActor(actor: string): number | null {
  const m = /^user:(\d+)$/.exec(actor);
  return m ? Number(m[1]) : null;
}

export async function recordAudit(q: Q, e: AuditEntry): Promise<void> {
  await q
    .insertInto('audit_log')
    .values({
      actor: e.actor,
      action: e.action,
      subject_type: e.subjectType,
      subject_id: String(e.subjectId),
      detail: JSON.stringify({
        ...(e.detail ?? {}),
        ...(e.before !== undefined ? { before: e.before } : {}),
        ...(e.after !== undefined ? { after: e.after } : {}),
      }),
    })
    .execute();
}
