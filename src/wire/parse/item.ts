// Field readers and final assembly shared by every format reader. Each format only knows where a value
// lives in its document; what counts as a valid uri, date, urgency or body, how text is cleaned and what
// is reported when a value is wrong is decided here once, so all formats behave the same.

import { parseEmbargo, parseWireDate } from './dates.ts';
import { resolveMediaHref, resolveWebLink, type SourceLocation } from './links.ts';
import type { ItemProblems, ProblemLog } from './problems.ts';
import { type Cleaned, cleanWireHtml, cleanWirePlainText, plainTextToHtml } from './sanitize.ts';
import {
  type PubStatus,
  WIRE_PROBLEM,
  type WireAltId,
  type WireEmbargo,
  type WireFormat,
  type WireItem,
  type WirePicture,
  type WireRendition,
  type WireSubject,
} from './types.ts';

/** What every format reader gets for a whole document. */
export interface DocumentContext {
  log: ProblemLog;
  source: SourceLocation;
  maxBodyBytes: number;
}

/** What the field readers get for one item. */
export interface ItemContext {
  problems: ItemProblems;
  source: SourceLocation;
  maxBodyBytes: number;
}

/** `label` is the item's position ('#3') until readUri learns its identifier. */
export function itemContext(doc: DocumentContext, label: string): ItemContext {
  return { problems: doc.log.forItem(label), source: doc.source, maxBodyBytes: doc.maxBodyBytes };
}

/**
 * Runs one item's reader so that even a parser bug only costs that item: the exception becomes an
 * error problem for the item and the batch carries on.
 */
export function guarded(ctx: ItemContext, read: () => WireItem | null): WireItem | null {
  try {
    return read();
  } catch (error) {
    ctx.problems.error(
      WIRE_PROBLEM.internal,
      null,
      `The parser failed on this item (${error instanceof Error ? error.message : String(error)}). This is a bug in Dateline's wire parser; please report it with the file.`,
    );
    return null;
  }
}

/** 'associations[0]' + 'renditions' → 'associations[0].renditions'; an empty parent means the item itself. */
export function fieldPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Reports a value of the wrong JSON type for `field`; `expected` reads like "text" or "a list". */
export function reportWrongType(
  ctx: ItemContext,
  field: string,
  value: unknown,
  expected: string,
  severity: 'error' | 'warning' = 'warning',
): void {
  const message = `"${field}" should be ${expected} but is ${describeType(value)} (${preview(value)}). Ask the agency to correct the feed.`;
  if (severity === 'error') ctx.problems.error(WIRE_PROBLEM.wrongType, field, message);
  else ctx.problems.warn(WIRE_PROBLEM.wrongType, field, message);
}

/**
 * A plain-text field. Missing → null. Wrong type → reported (as `severity`) and null. Text that is empty
 * once markup is removed → null.
 */
export function readText(
  ctx: ItemContext,
  value: unknown,
  field: string,
  severity: 'error' | 'warning' = 'warning',
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    reportWrongType(ctx, field, value, 'text', severity);
    return null;
  }
  const text = reportUnsafe(ctx, field, cleanWirePlainText(value));
  return text.length > 0 ? text : null;
}

/**
 * Tells editors what cleaning removed from a field. Active content (scripts, event handlers, script links,
 * frames, forms) is an unsafe-markup problem carrying the list, which the ingester turns into a refusal of
 * the whole item; styles, comments and the like are a note that they were removed.
 */
function reportUnsafe(ctx: ItemContext, field: string, cleaned: Cleaned): string {
  const { rejectable, harmless } = cleaned.findings;
  if (rejectable.length > 0) {
    ctx.problems.note(
      WIRE_PROBLEM.unsafeMarkup,
      field,
      `"${field}" contains unsafe markup: ${rejectable.join(', ')}. Agency copy never carries scripts, event handlers, script links, frames or forms, so an item with them is refused; tell the agency, their system or the feed may have been tampered with.`,
      rejectable,
    );
  } else if (harmless.length > 0) {
    ctx.problems.note(
      WIRE_PROBLEM.markupRemoved,
      field,
      `"${field}" had markup that is not story text, which was removed: ${harmless.join(', ')}. Nothing needs doing unless the agency meant it as visible text.`,
      harmless,
    );
  }
  return cleaned.value;
}

// RFC 3986 never allows these in a URI; an identifier carrying them is an injection attempt or garbage.
const BAD_IDENTIFIER_CHARS = /[<>"`{}|\\^\p{Cc}]/u;

/** The item's identifier. Sets the problem label so later reports name the item. */
export function readUri(ctx: ItemContext, value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    reportWrongType(ctx, field, value, 'text (the item identifier)', 'error');
    return null;
  }
  const uri = value.trim();
  if (uri.length === 0) return null;
  if (uri.length > 2048 || BAD_IDENTIFIER_CHARS.test(uri)) {
    ctx.problems.error(
      WIRE_PROBLEM.invalidValue,
      field,
      `"${field}" (${preview(uri)}) is not a usable identifier: it is longer than 2048 characters or contains characters a URI cannot contain (<, >, quotes, control characters). Ask the agency to correct it.`,
    );
    return null;
  }
  ctx.problems.label = uri;
  return uri;
}

/** Versions stay strings ("2", "2.1"); a JSON number is accepted as its decimal text. */
export function readVersion(ctx: ItemContext, value: unknown, field: string): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return readText(ctx, value, field);
}

export function readDate(ctx: ItemContext, value: unknown, field: string): Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    reportWrongType(ctx, field, value, 'an ISO 8601 date-time text');
    return null;
  }
  if (value.trim().length === 0) return null;
  const date = parseWireDate(value);
  if (date === null) {
    ctx.problems.warn(
      WIRE_PROBLEM.invalidDate,
      field,
      `"${field}" (${preview(value)}) is not an ISO 8601 or RFC 822 date, so it was ignored. Ask the agency to send dates like 2025-10-09T09:02:00Z.`,
    );
  }
  return date;
}

/**
 * Unreadable embargoes are not problems: they come back as `{ unparseable }` and hold the story. The raw
 * value is shown to an editor, so it is cleaned like any other text field.
 */
export function readEmbargo(ctx: ItemContext, value: unknown, field: string): WireEmbargo {
  const embargo = parseEmbargo(value);
  if (embargo === null || 'at' in embargo) return embargo;
  return { unparseable: reportUnsafe(ctx, field, cleanWirePlainText(embargo.unparseable)) };
}

export function readUrgency(ctx: ItemContext, value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  let urgency: number;
  if (typeof value === 'number') urgency = value;
  else if (typeof value === 'string' && /^\s*\d{1,3}\s*$/.test(value)) urgency = Number(value);
  else {
    reportWrongType(ctx, field, value, 'a whole number from 1 (most urgent) to 9');
    return null;
  }
  if (!Number.isInteger(urgency) || urgency < 1 || urgency > 9) {
    ctx.problems.warn(
      WIRE_PROBLEM.invalidValue,
      field,
      `"${field}" is ${urgency}, outside the IPTC urgency range 1-9. Ask the agency to correct it.`,
    );
    return null;
  }
  return urgency;
}

/** Last segment of a qcode ("stat:usable") or a code URI (".../pubstatusg2/usable"), lower-cased. */
export function codeName(code: string): string {
  const trimmed = code.trim().replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  const afterSlash = slash === -1 ? trimmed : trimmed.slice(slash + 1);
  const colon = afterSlash.lastIndexOf(':');
  return (colon === -1 ? afterSlash : afterSlash.slice(colon + 1)).toLowerCase();
}

// A Map so that a status like "constructor" cannot resolve to an Object.prototype member.
const PUBSTATUS = new Map<string, PubStatus>([
  ['usable', 'usable'],
  ['canceled', 'canceled'],
  ['cancelled', 'canceled'],
  ['withheld', 'withheld'],
]);

/**
 * Missing means usable (the ninjs and NewsML-G2 default). An unknown status is an error: guessing could
 * publish something the agency meant to hold back.
 */
export function readPubStatus(ctx: ItemContext, value: unknown, field: string): PubStatus | null {
  if (value === undefined || value === null) return 'usable';
  if (typeof value !== 'string') {
    reportWrongType(ctx, field, value, 'one of usable, withheld, canceled', 'error');
    return null;
  }
  const status = PUBSTATUS.get(codeName(value));
  if (status === undefined) {
    ctx.problems.error(
      WIRE_PROBLEM.invalidValue,
      field,
      `"${field}" is ${preview(value)}, not one of usable, withheld, canceled; the item is not published while its status is unknown. Ask the agency to correct it.`,
    );
    return null;
  }
  return status;
}

export type BodyKind = 'html' | 'text' | 'auto';

/**
 * Severity of an unreadable body: it stops a story being published half-empty, but must not stop a kill
 * (whose body nobody will read) from taking the story down.
 */
export function bodySeverity(pubstatus: PubStatus): 'error' | 'warning' {
  return pubstatus === 'canceled' ? 'warning' : 'error';
}

/** A story body, size-checked, then sanitized (HTML) or converted to paragraphs (plain text). */
export function readBody(
  ctx: ItemContext,
  value: unknown,
  field: string,
  kind: BodyKind,
  base: string,
  severity: 'error' | 'warning' = 'error',
): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    reportWrongType(ctx, field, value, 'text or HTML', severity);
    return '';
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > ctx.maxBodyBytes) {
    const message = `The body is ${bytes} bytes, over the ${ctx.maxBodyBytes}-byte limit. Very large bodies are usually a broken export; check the item with the agency, or raise maxBodyBytes if it is genuine.`;
    if (severity === 'error') ctx.problems.error(WIRE_PROBLEM.tooLarge, field, message);
    else ctx.problems.warn(WIRE_PROBLEM.tooLarge, field, message);
    return '';
  }
  const html = kind === 'html' || (kind === 'auto' && /<[a-zA-Z!/]/.test(value));
  return html ? reportUnsafe(ctx, field, cleanWireHtml(value, base)) : plainTextToHtml(value);
}

/** Keywords: a list of texts (a single text is accepted as a one-item list). */
export function readTextList(ctx: ItemContext, value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    reportWrongType(ctx, field, value, 'a list of texts');
    return [];
  }
  const texts: string[] = [];
  list.forEach((entry, index) => {
    const text = readText(ctx, entry, `${field}[${index}]`);
    if (text !== null) texts.push(text);
  });
  return texts;
}

// IPTC publishes the same codes as URIs and as qcodes; qcodes make ninjs and NewsML-G2 subjects match.
const CODE_URI_PREFIXES: [string, string][] = [
  ['http://cv.iptc.org/newscodes/mediatopic/', 'medtop:'],
  ['https://cv.iptc.org/newscodes/mediatopic/', 'medtop:'],
  ['http://cv.iptc.org/newscodes/subjectcode/', 'subj:'],
  ['https://cv.iptc.org/newscodes/subjectcode/', 'subj:'],
];

export function subjectCode(raw: string): string {
  for (const [prefix, scheme] of CODE_URI_PREFIXES) {
    if (raw.startsWith(prefix) && raw.length > prefix.length) return scheme + raw.slice(prefix.length);
  }
  return raw;
}

export function makeSubject(code: string | null, name: string | null): WireSubject | null {
  const usable = code ?? name;
  return usable === null ? null : { code: subjectCode(usable), name };
}

export function makeAltId(role: string | null, value: string | null): WireAltId | null {
  return value === null ? null : { role, value };
}

export function readLink(ctx: ItemContext, value: unknown, field: string, base: string): string | null {
  const text = readText(ctx, value, field);
  if (text === null) return null;
  const link = resolveWebLink(text, base);
  if (link === null) {
    ctx.problems.warn(
      WIRE_PROBLEM.badLink,
      field,
      `"${field}" (${preview(text)}) is not an http(s) URL, so it cannot be linked to.`,
    );
  }
  return link;
}

export interface RenditionDraft {
  field: string;
  href: unknown;
  base: string;
  width: unknown;
  height: unknown;
  contentType: unknown;
  name: unknown;
}

export interface PictureDraft {
  /** Where the picture sits in the document, for problem reports, e.g. 'associations[0]'. */
  field: string;
  uri: unknown;
  version: unknown;
  pubstatus: unknown;
  caption: unknown;
  creditline: unknown;
  copyrightnotice: unknown;
  alt: unknown;
  renditions: RenditionDraft[];
}

function readDimension(ctx: ItemContext, value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number > 0 && number <= 100_000) {
    return number;
  }
  ctx.problems.note(
    WIRE_PROBLEM.wrongType,
    field,
    `"${field}" should be a positive whole number of pixels but is ${preview(value)}; it was ignored.`,
  );
  return null;
}

function finishRendition(ctx: ItemContext, draft: RenditionDraft): WireRendition | null {
  const hrefField = fieldPath(draft.field, 'href');
  if (typeof draft.href !== 'string') {
    ctx.problems.note(
      draft.href === undefined || draft.href === null ? WIRE_PROBLEM.missingField : WIRE_PROBLEM.wrongType,
      hrefField,
      `Rendition "${draft.field}" has no usable href text, so it was dropped.`,
    );
    return null;
  }
  const resolved = resolveMediaHref(draft.href, draft.base, ctx.source);
  if (!resolved.ok) {
    ctx.problems.note(
      WIRE_PROBLEM.badLink,
      hrefField,
      `Rendition "${draft.field}" was dropped: ${resolved.reason}. Pictures must be http(s) URLs or files inside the feed's folder.`,
    );
    return null;
  }
  return {
    href: resolved.href,
    width: readDimension(ctx, draft.width, fieldPath(draft.field, 'width')),
    height: readDimension(ctx, draft.height, fieldPath(draft.field, 'height')),
    contentType: readText(ctx, draft.contentType, fieldPath(draft.field, 'contenttype')),
    name: readText(ctx, draft.name, fieldPath(draft.field, 'name')),
  };
}

/** A picture with at least one safe rendition, or null (reported) when nothing usable is left. */
export function finishPicture(ctx: ItemContext, draft: PictureDraft): WirePicture | null {
  const at = (name: string) => fieldPath(draft.field, name);
  const label = draft.field === '' ? 'The item' : `Picture "${draft.field}"`;
  const renditions = draft.renditions
    .map((rendition) => finishRendition(ctx, rendition))
    .filter((rendition): rendition is WireRendition => rendition !== null);
  if (renditions.length === 0) {
    ctx.problems.note(
      WIRE_PROBLEM.missingField,
      at('renditions'),
      `${label} has no usable picture rendition (no href we can safely fetch), so the picture was dropped.`,
    );
    return null;
  }
  let uri = typeof draft.uri === 'string' ? draft.uri.trim() : '';
  if (uri.length === 0 || uri.length > 2048 || BAD_IDENTIFIER_CHARS.test(uri)) {
    // Without an identifier the picture can still be shown; its first rendition URL identifies it.
    uri = renditions[0]!.href;
  }
  const status = typeof draft.pubstatus === 'string' ? PUBSTATUS.get(codeName(draft.pubstatus)) : 'usable';
  if (draft.pubstatus !== undefined && draft.pubstatus !== null && status === undefined) {
    ctx.problems.note(
      WIRE_PROBLEM.invalidValue,
      at('pubstatus'),
      `${label} has pubstatus ${preview(draft.pubstatus)}, not usable/withheld/canceled, so it was dropped rather than risk publishing it.`,
    );
    return null;
  }
  return {
    uri,
    version: readVersion(ctx, draft.version, at('version')),
    pubstatus: status ?? 'usable',
    caption: readText(ctx, draft.caption, at('caption')),
    creditline: readText(ctx, draft.creditline, at('creditline')),
    copyrightnotice: readText(ctx, draft.copyrightnotice, at('copyrightnotice')),
    alt: readText(ctx, draft.alt, at('alt')),
    renditions,
  };
}

export interface ItemDraft extends Omit<WireItem, 'uri' | 'headline'> {
  uri: string | null;
  headline: string | null;
}

export interface RequiredFieldNames {
  /**
   * Source names of the identifier field(s) (e.g. RSS guid, then link) and the headline field: used in
   * messages, and to avoid reporting "missing" for a value that was already reported as wrong.
   */
  uri: string[];
  headline: string;
}

/**
 * Final checks every item passes: it has an identifier and (unless it is a kill) a headline, and no
 * error was reported while reading it. Returns null when the item must be skipped.
 */
export function finishItem(ctx: ItemContext, draft: ItemDraft, names: RequiredFieldNames): WireItem | null {
  if (draft.uri === null && !names.uri.some((field) => ctx.problems.reported(field))) {
    ctx.problems.error(
      WIRE_PROBLEM.missingField,
      'uri',
      `The item has no identifier (${names.uri.join(', or failing that ')}), so updates and kills could never be matched to it. Ask the agency to resend it with an identifier.`,
    );
  }
  let headline = draft.headline;
  if (headline === null) {
    if (draft.pubstatus === 'canceled') {
      // A kill must still take the story down even when the agency left out the headline.
      if (!ctx.problems.reported(names.headline)) {
        ctx.problems.note(
          WIRE_PROBLEM.missingField,
          'headline',
          'The canceled item has no headline; the kill is still applied, with an empty headline.',
        );
      }
      headline = '';
    } else if (!ctx.problems.reported(names.headline)) {
      ctx.problems.error(
        WIRE_PROBLEM.missingField,
        'headline',
        `The item has no headline (${names.headline}), or it is empty once markup is removed. Ask the agency to resend it with a headline.`,
      );
    }
  }
  if (ctx.problems.failed || draft.uri === null || headline === null) return null;
  return { ...draft, uri: draft.uri, headline };
}

export function newDraft(format: WireFormat): ItemDraft {
  return {
    format,
    uri: null,
    version: null,
    versionCreated: null,
    firstCreated: null,
    pubstatus: 'usable',
    embargoed: null,
    expires: null,
    headline: null,
    slugline: null,
    dek: null,
    bodyHtml: '',
    byline: null,
    located: null,
    copyrightnotice: null,
    usageterms: null,
    ednote: null,
    urgency: null,
    subjects: [],
    keywords: [],
    altids: [],
    signals: [],
    pictures: [],
    link: null,
  };
}
