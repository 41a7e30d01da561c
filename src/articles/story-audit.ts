// The audit entries story editing writes: who saved, published, scheduled, unpublished, took down,
// circulated, restored, previewed or took over which story, with the fields as they were and are now.
// Written in the same transaction as the change, so the log never names a change that was rolled back.
import { recordAudit } from '../audit/log.ts';
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

/** An entry in the audit log (audit/log.ts) about a story. */
export function auditStory(q: Q, e: StoryAuditEntry): Promise<void> {
  return recordAudit(q, {
    actor: e.actor,
    action: e.action,
    subjectType: 'article',
    subjectId: e.storyId,
    ...(e.before !== undefined && { before: e.before }),
    ...(e.after !== undefined && { after: e.after }),
    ...(e.detail !== undefined && { detail: e.detail }),
  });
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
