// Comparing two versions of a story for the revisions page: each field that differs, with a word-level diff
// of its text, and a word-level diff of the body's text (the body is compared as text a reader sees, so
// markup that moved without changing a word is no change). Either side may be a revision or an editor's
// unsaved autosave. The parts are plain text; views escape them like any other text.
import { diffWords } from 'diff';
import { htmlToText } from './body-html.ts';
import type { StorySnapshot } from './story.ts';

export type PartKind = 'same' | 'added' | 'removed';

export interface TextPart {
  text: string;
  kind: PartKind;
}

export interface FieldChange {
  field: keyof StorySnapshot;
  /** The field as the editor form names it. */
  label: string;
  before: string;
  after: string;
  /** Word diff of before → after: the "before" column shows same + removed, "after" same + added. */
  parts: TextPart[];
}

export interface Comparison {
  fields: FieldChange[];
  body: { changed: boolean; parts: TextPart[] };
}

/** How the fields read on the page; section names come from the caller (it knows the sites). */
export interface ComparisonNames {
  section(id: number): string;
}

const FIELDS: { field: keyof StorySnapshot; label: string }[] = [
  { field: 'headline', label: 'Headline' },
  { field: 'dek', label: 'Dek' },
  { field: 'byline', label: 'Byline' },
  { field: 'dateline', label: 'Dateline' },
  { field: 'sectionId', label: 'Section' },
  { field: 'tags', label: 'Tags' },
  { field: 'slug', label: 'Slug' },
  { field: 'leadMediaId', label: 'Lead picture' },
  { field: 'sourceCopyright', label: 'Source copyright' },
  { field: 'urgent', label: 'Urgent' },
  { field: 'status', label: 'Status' },
  { field: 'publishAt', label: 'Scheduled for' },
];

/** Past this many milliseconds a diff gives up and shows the whole text as replaced (a 3 MB rewrite). */
const DIFF_TIMEOUT_MS = 500;

function readable(field: keyof StorySnapshot, v: unknown, names: ComparisonNames): string {
  if (v === undefined) return '(not recorded)';
  if (v === null || v === '') return '—';
  switch (field) {
    case 'sectionId':
      return names.section(v as number);
    case 'tags':
      return (v as string[]).length === 0 ? '—' : (v as string[]).join(', ');
    case 'leadMediaId':
      return `Picture ${v as number}`;
    case 'urgent':
      return v ? 'Yes' : 'No';
    case 'status':
      return String(v).replace('_', ' ');
    default:
      return String(v);
  }
}

/** A word diff of two texts as parts; a diff that would take too long shows all of one replaced by the other. */
export function wordDiff(before: string, after: string): TextPart[] {
  if (before === after) return before === '' ? [] : [{ text: before, kind: 'same' }];
  const changes = diffWords(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) {
    return [
      ...(before ? [{ text: before, kind: 'removed' as const }] : []),
      ...(after ? [{ text: after, kind: 'added' as const }] : []),
    ];
  }
  return changes.map((c) => ({ text: c.value, kind: c.added ? 'added' : c.removed ? 'removed' : 'same' }));
}

/** The body as a reader reads it: one line per block, spaces as a browser collapses them. */
function readerText(html: string): string {
  return htmlToText(html)
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

export function compareSnapshots(
  before: StorySnapshot,
  after: StorySnapshot,
  names: ComparisonNames,
): Comparison {
  const fields: FieldChange[] = [];
  for (const { field, label } of FIELDS) {
    const a = before[field];
    const b = after[field];
    // A field one side did not record (older revisions) is not shown as a change.
    if (a === undefined || b === undefined) continue;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const x = readable(field, a, names);
    const y = readable(field, b, names);
    fields.push({ field, label, before: x, after: y, parts: wordDiff(x, y) });
  }
  const textBefore = readerText(before.bodyHtml);
  const textAfter = readerText(after.bodyHtml);
  return {
    fields,
    body: { changed: textBefore !== textAfter, parts: wordDiff(textBefore, textAfter) },
  };
}
