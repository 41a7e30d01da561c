// The audit entries story editing writes: who saved, published, scheduled, unpublished, took down,
// circulated, restored, previewed or took over which story, with the fields as they were and are now.
// Written in the same transaction as the change, so the log never names a change that was rolled back.
import type { Q } from './repository.ts';

export interface StoryAuditEntry {
  actor: string;
  /** A dotted verb: `story.saved`, `story.published`, `story.lock_taken_over`, ... */
  action: string;
  storyId: number;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  detail?: Record<string, unknown>;
}

export async function auditStory(q: Q, e: StoryAuditEntry): Promise<void> {
  await q
    .insertInto('audit_log')
    .values({
      actor: e.actor,
      action: e.action,
      subject_type: 'article',
      subject_id: String(e.storyId),
      detail: JSON.stringify({
        ...(e.detail ?? {}),
        ...(e.before !== undefined ? { before: e.before } : {}),
        ...(e.after !== undefined ? { after: e.after } : {}),
      }),
    })
    .execute();
}

/** The fields of two snapshots that differ, as { before, after } halves for an audit entry. */
export function changedHalves(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    // A body is kept in the revisions; the log notes its size, not a second copy of the text.
    if (key === 'bodyHtml') {
      b[key] = `${String(before[key] ?? '').length} characters`;
      a[key] = `${String(after[key] ?? '').length} characters`;
      continue;
    }
    b[key] = before[key];
    a[key] = after[key];
  }
  return { before: b, after: a };
}
