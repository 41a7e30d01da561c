// The editor's fields as the form and the autosave JSON carry them (snake_case names, text values), read
// into a checked patch for the story. One reader for both ways in, so a form post with JavaScript off and
// the editor script's JSON are held to the same rules, and an autosave can be replayed as a save.
import { DatelineError } from '../errors/catalogue.ts';
import type { ArticlePatch } from './article.ts';
import type { StorySnapshot } from './story.ts';

/** The fields of the editor form, as sent (see the editor contract): every one optional. */
export interface EditorFields {
  headline?: string;
  dek?: string;
  byline?: string;
  dateline?: string;
  section_id?: string | number;
  /** Comma-separated in the form, a list in JSON. */
  tags?: string | string[];
  slug?: string;
  lead_media_id?: string | number | null;
  source_copyright?: string;
  /** A checkbox: "on"/"1"/"true" or a boolean. */
  urgent?: string | boolean;
  body_html?: string;
}

export const EDITOR_FIELD_NAMES = [
  'headline',
  'dek',
  'byline',
  'dateline',
  'section_id',
  'tags',
  'slug',
  'lead_media_id',
  'source_copyright',
  'urgent',
  'body_html',
] as const satisfies readonly (keyof EditorFields)[];

/** What a save changes: the article's own fields plus the ones story editing added. */
export interface StoryPatch
  extends Pick<
    ArticlePatch,
    | 'headline'
    | 'dek'
    | 'byline'
    | 'dateline'
    | 'bodyHtml'
    | 'sourceCopyright'
    | 'leadMediaId'
    | 'slug'
    | 'sectionId'
  > {
  tags?: string[];
  urgent?: boolean;
}

export const MAX_TAGS = 20;
export const MAX_TAG_CHARS = 60;
/** The longest text field (the body) as ArticleService allows it; the JSON as a whole is bounded by the route. */
const MAX_FIELD_CHARS = 5_000_000;

function invalid(field: string, message: string): never {
  throw new DatelineError('ARTICLE_INVALID', message, { field });
}

function text(field: string, v: unknown): string {
  if (typeof v !== 'string') invalid(field, `The story's ${field} must be text, but it is ${typeof v}.`);
  if (v.length > MAX_FIELD_CHARS) invalid(field, `The story's ${field} is too long to save.`);
  return v;
}

/**
 * Checks the shape of fields from a form or JSON: only the editor's names, each text (tags may be a list,
 * urgent a boolean, ids numbers). Unknown names are ignored, so a form's own inputs (the CSRF token, the
 * submit button) pass through harmlessly. Throws ARTICLE_INVALID naming the field.
 */
export function readEditorFields(raw: unknown): EditorFields {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DatelineError('BAD_REQUEST', 'The story fields must be an object of field names and values.');
  }
  const input = raw as Record<string, unknown>;
  const out: EditorFields = {};
  for (const name of EDITOR_FIELD_NAMES) {
    const v = input[name];
    if (v === undefined) continue;
    switch (name) {
      case 'tags':
        if (Array.isArray(v)) out.tags = v.map((t) => text('tags', t));
        else out.tags = text('tags', v);
        break;
      case 'urgent':
        out.urgent = typeof v === 'boolean' ? v : text('urgent', v);
        break;
      case 'section_id':
        out.section_id = typeof v === 'number' ? v : text('section_id', v);
        break;
      case 'lead_media_id':
        out.lead_media_id = v === null || typeof v === 'number' ? v : text('lead_media_id', v);
        break;
      default:
        out[name] = text(name, v);
    }
  }
  return out;
}

function id(field: string, v: string | number): number {
  const n = typeof v === 'number' ? v : Number(v.trim());
  if (!Number.isSafeInteger(n) || n <= 0)
    invalid(field, `The story's ${field} must be a positive whole number.`);
  return n;
}

/** Tags as an editor types them: trimmed, blanks dropped, the first spelling of each kept, in order. */
export function readTags(v: string | string[]): string[] {
  const list = (Array.isArray(v) ? v : v.split(',')).map((t) => t.trim().replace(/\s+/g, ' '));
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const t of list) {
    if (t === '') continue;
    const key = t.toLocaleLowerCase();
    if (seen.has(key)) continue;
    if ([...t].length > MAX_TAG_CHARS)
      invalid('tags', `The tag "${t.slice(0, 80)}" is longer than ${MAX_TAG_CHARS} characters. Shorten it.`);
    seen.add(key);
    tags.push(t);
  }
  if (tags.length > MAX_TAGS)
    invalid(
      'tags',
      `The story has ${tags.length} tags; the most allowed is ${MAX_TAGS}. Keep the main ones.`,
    );
  return tags;
}

function flag(v: string | boolean): boolean {
  if (typeof v === 'boolean') return v;
  return ['on', '1', 'true', 'yes'].includes(v.trim().toLowerCase());
}

/**
 * The patch the fields ask for. An empty slug keeps the story's address as it is (a slug is never cleared);
 * an empty lead picture removes it; empty optional texts clear them (ArticleService stores them as null).
 */
export function storyPatchOf(fields: EditorFields): StoryPatch {
  const patch: StoryPatch = {};
  if (fields.headline !== undefined) patch.headline = fields.headline;
  if (fields.dek !== undefined) patch.dek = fields.dek;
  if (fields.byline !== undefined) patch.byline = fields.byline;
  if (fields.dateline !== undefined) patch.dateline = fields.dateline;
  if (fields.source_copyright !== undefined) patch.sourceCopyright = fields.source_copyright;
  if (fields.body_html !== undefined) patch.bodyHtml = fields.body_html;
  if (fields.slug !== undefined && fields.slug.trim() !== '') patch.slug = fields.slug.trim();
  if (fields.section_id !== undefined) patch.sectionId = id('section_id', fields.section_id);
  if (fields.lead_media_id !== undefined) {
    const v = fields.lead_media_id;
    patch.leadMediaId =
      v === null || (typeof v === 'string' && v.trim() === '') ? null : id('lead_media_id', v);
  }
  if (fields.tags !== undefined) patch.tags = readTags(fields.tags);
  if (fields.urgent !== undefined) patch.urgent = flag(fields.urgent);
  return patch;
}

/**
 * What a story would be with an editor's unsaved fields applied, for comparing an autosave with a
 * revision. Lenient where a save is strict: a value a save would refuse is shown as typed, so the
 * comparison always renders (the save then names the field).
 */
export function withEditorFields(base: StorySnapshot, fields: EditorFields): StorySnapshot {
  const out: StorySnapshot = { ...base };
  const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
  if (fields.headline !== undefined) out.headline = fields.headline.trim();
  if (fields.dek !== undefined) out.dek = fields.dek.trim();
  if (fields.byline !== undefined) out.byline = orNull(fields.byline);
  if (fields.dateline !== undefined) out.dateline = orNull(fields.dateline);
  if (fields.source_copyright !== undefined) out.sourceCopyright = orNull(fields.source_copyright);
  if (fields.body_html !== undefined) out.bodyHtml = fields.body_html;
  if (fields.slug !== undefined && fields.slug.trim() !== '') out.slug = fields.slug.trim();
  if (fields.section_id !== undefined && Number.isSafeInteger(Number(fields.section_id)))
    out.sectionId = Number(fields.section_id);
  if (fields.lead_media_id !== undefined) {
    const v = fields.lead_media_id;
    out.leadMediaId = v === null || String(v).trim() === '' ? null : Number(v);
  }
  if (fields.tags !== undefined) {
    try {
      out.tags = readTags(fields.tags);
    } catch {
      out.tags = Array.isArray(fields.tags) ? fields.tags : [fields.tags];
    }
  }
  if (fields.urgent !== undefined) out.urgent = flag(fields.urgent);
  return out;
}
