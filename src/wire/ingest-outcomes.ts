// What an ingest run reports: each item's outcome counted in the summary, rejections and holds written to
// the problem log, parse problems turned into rejections and warnings, and the wording every outcome shares
// (how a version is named, why a failed item was not stored). The codes are the error catalogue's, so a
// summary, the problem log and the API all name a problem the same way.
import type { Db } from '../db/connection.ts';
import { type ErrorCode, isDatelineError } from '../errors/catalogue.ts';
import type { ItemEntry, Run } from './ingest-run.ts';
import type { IngestSummary, ItemOutcome } from './model.ts';
import { type ParseProblem, WIRE_PROBLEM } from './parse/types.ts';
import { insertProblems } from './repository.ts';

/**
 * A problem found before any item is applied: one of the parser's, or a document that could not be read,
 * whose code comes from the reader rather than the parser.
 */
export type DocumentProblem = Omit<ParseProblem, 'code'> & { code: ErrorCode };

export const INGEST_CODE = {
  unsafe: 'DATELINE_ERR_WIRE_UNSAFE_MARKUP',
  killed: 'DATELINE_ERR_WIRE_STORY_KILLED',
  expired: 'DATELINE_ERR_WIRE_EXPIRED',
  missing: 'DATELINE_ERR_WIRE_MISSING_FIELD',
  picture: 'DATELINE_ERR_WIRE_PICTURE_MISSING',
  embargo: 'DATELINE_ERR_WIRE_EMBARGO_UNREADABLE',
  noRoute: 'DATELINE_ERR_WIRE_NO_ROUTE',
  licence: 'DATELINE_ERR_WIRE_NOT_LICENSED',
  article: 'DATELINE_ERR_WIRE_ARTICLE_INVALID',
  failed: 'DATELINE_ERR_WIRE_INGEST_FAILED',
} as const satisfies Record<string, ErrorCode>;

// Article fields named as the agency's document names them, so a rejection points at the source field.
const SOURCE_FIELD: Record<string, string> = {
  headline: 'headline',
  dek: 'description',
  byline: 'by',
  dateline: 'located',
  bodyHtml: 'body',
  sourceCopyright: 'copyrightnotice',
};

export function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

export function versionLabel(v: { version: string | null; versionCreated: Date | null }): string {
  if (v.version !== null) return `version ${v.version}`;
  return v.versionCreated ? `the version of ${iso(v.versionCreated)}` : 'an unversioned copy';
}

export function recordOutcome(run: Run, summary: IngestSummary, outcome: ItemOutcome): void {
  summary.counts[outcome.kind]++;
  summary.outcomes.push(outcome);
  if (outcome.kind === 'rejected' || outcome.kind === 'held') {
    run.problems.push({
      agencyId: run.agency.id,
      source: outcome.file,
      item: outcome.item,
      field: outcome.field,
      code: outcome.code ?? INGEST_CODE.failed,
      severity: outcome.kind === 'rejected' ? 'error' : 'warning',
      message: outcome.reason,
    });
  }
}

/**
 * Parse errors become rejections (one per item, naming every bad field); warnings are kept for editors.
 * Unsafe markup is not a warning here: an item carrying it is refused (see unsafeOutcome), so it is told
 * as part of that item's rejection, never as a note that the cleaned text was kept.
 */
export function recordParseProblems(run: Run, summary: IngestSummary, problems: DocumentProblem[]): void {
  const errorsByItem = new Map<string, DocumentProblem[]>();
  const unsafeByItem = new Map<string, DocumentProblem[]>();
  for (const p of problems) {
    if (p.severity === 'warning' && p.code === WIRE_PROBLEM.unsafeMarkup) {
      const key = `${p.file}\u0000${p.item}`;
      unsafeByItem.set(key, [...(unsafeByItem.get(key) ?? []), p]);
      continue;
    }
    run.problems.push({
      agencyId: run.agency.id,
      source: p.file,
      item: p.item,
      field: p.field,
      code: p.code,
      severity: p.severity,
      message: p.message,
    });
    if (p.severity === 'warning') {
      run.warnings.push({ file: p.file, item: p.item, field: p.field, code: p.code, message: p.message });
      continue;
    }
    if (p.item === null) {
      summary.counts.rejected++;
      summary.outcomes.push({
        kind: 'rejected',
        file: p.file,
        item: null,
        field: p.field,
        code: p.code,
        reason: p.message,
      });
      continue;
    }
    const key = `${p.file}\u0000${p.item}`;
    errorsByItem.set(key, [...(errorsByItem.get(key) ?? []), p]);
  }
  for (const [key, errors] of errorsByItem) {
    // An item refused for other reasons still says what unsafe markup it carried.
    const list = [...errors, ...(unsafeByItem.get(key) ?? [])];
    const first = list[0]!;
    summary.counts.rejected++;
    summary.outcomes.push({
      kind: 'rejected',
      file: first.file,
      item: first.item,
      field: list.map((p) => p.field ?? '(item)').join(', '),
      code: first.code,
      reason: list.map((p) => p.message).join(' '),
    });
  }
}

/** Why an item could not be stored, naming the source field when an article rule refused it. */
export function failureOutcome(entry: ItemEntry, e: unknown): ItemOutcome {
  const at = { file: entry.source, item: entry.item.uri };
  if (
    isDatelineError(e) &&
    (e.code === 'DATELINE_ERR_ARTICLE_INVALID' || e.code === 'DATELINE_ERR_SLUG_TAKEN')
  ) {
    const field = String(e.where?.field ?? '');
    return {
      kind: 'rejected',
      ...at,
      field: SOURCE_FIELD[field] ?? (field || null),
      code: INGEST_CODE.article,
      reason: `${at.file} ${at.item}: the story breaks an article rule, so it was not stored: ${e.message}`,
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  return {
    kind: 'rejected',
    ...at,
    field: null,
    code: isDatelineError(e) ? e.code : INGEST_CODE.failed,
    reason: `${at.file} ${at.item}: the item could not be stored (${message}); nothing of it was written. Ingest it again; if this repeats, report it with the file.`,
  };
}

export function unsafeOutcome(entry: ItemEntry): ItemOutcome | null {
  // Agency copy never legitimately carries scripts or event handlers: a feed that does may have been
  // tampered with, so the item is refused rather than published cleaned. Styles and comments are not
  // this: they are removed and listed in a markup-removed warning.
  const unsafe = (entry.warnings ?? []).filter((w) => w.code === WIRE_PROBLEM.unsafeMarkup);
  if (unsafe.length === 0) return null;
  const found = unsafe
    .map((w) => `${(w.found ?? ['unsafe markup']).join(', ')} in "${w.field ?? '(item)'}"`)
    .join('; ');
  return {
    kind: 'rejected',
    file: entry.source,
    item: entry.item.uri,
    field: unsafe.map((w) => w.field ?? '(item)').join(', '),
    code: INGEST_CODE.unsafe,
    reason: `${entry.source} ${entry.item.uri}: the item was not published because it contains ${found}. Agency copy never carries scripts, event handlers, script links, frames or forms, so the agency's system or the feed may have been tampered with: ask the agency to check its feed. Nothing from this item was stored.`,
  };
}

export async function finishRun(db: Db, run: Run, summary: IngestSummary, now: Date): Promise<IngestSummary> {
  summary.warnings.push(...run.warnings);
  for (let i = 0; i < run.problems.length; i += 200) {
    await insertProblems(db.kysely, run.problems.slice(i, i + 200), now);
  }
  return summary;
}
