// Reader for IPTC ninjs 1.x, 2.x and 3.0 JSON (single items and batches). The three versions name the
// same things differently (headline vs headlines[], body_html vs bodies[], keyed vs listed associations,
// lower vs camelCase), so each field is looked up under every spelling and the version is only used to
// label the item.

import {
  bodySeverity,
  codeName,
  type DocumentContext,
  describeType,
  fieldPath,
  finishItem,
  finishPicture,
  guarded,
  type ItemContext,
  itemContext,
  makeAltId,
  makeSubject,
  newDraft,
  type PictureDraft,
  type RenditionDraft,
  readBody,
  readDate,
  readEmbargo,
  readLink,
  readPubStatus,
  readText,
  readTextList,
  readUrgency,
  readUri,
  readVersion,
  reportWrongType,
} from './item.ts';
import { WIRE_PROBLEM, type WireFormat, type WireItem, type WirePicture } from './types.ts';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Found {
  /** The key actually used in the document (or the first spelling when absent), for problem reports. */
  name: string;
  value: unknown;
}

/** The first of `names` present on `obj` (own keys only: a feed cannot reach Object.prototype). */
function pick(obj: JsonObject, ...names: [string, ...string[]]): Found {
  for (const name of names) {
    if (Object.hasOwn(obj, name)) return { name, value: obj[name] };
  }
  return { name: names[0], value: undefined };
}

// Keys that only make sense in a ninjs item; a JSON object with none of them is some other document.
const NINJS_KEYS = [
  'uri',
  'headline',
  'headlines',
  'bodies',
  'body_html',
  'body_text',
  'versioncreated',
  'versionCreated',
  'associations',
  'standard',
  'pubstatus',
  'pubStatus',
];

const CAMEL_CASE_KEYS = [
  'versionCreated',
  'firstCreated',
  'contentCreated',
  'pubStatus',
  'copyrightNotice',
  'copyrightHolder',
  'usageTerms',
  'edNote',
  'altIds',
  'representationType',
];

const NINJS1_KEYS = ['headline', 'body_html', 'body_text', 'description_text', 'description_html', 'byline'];

export function looksLikeNinjs(value: unknown): boolean {
  return isObject(value) && NINJS_KEYS.some((key) => Object.hasOwn(value, key));
}

export function ninjsVersion(obj: JsonObject): WireFormat {
  const standard = obj.standard;
  const declared =
    (isObject(standard) && typeof standard.version === 'string' ? standard.version : undefined) ??
    (typeof obj.$schema === 'string' ? /ninjs-schema_(\d)/.exec(obj.$schema)?.[1] : undefined);
  const major = declared?.trim()[0];
  if (major === '1') return 'ninjs1';
  if (major === '2') return 'ninjs2';
  if (major === '3') return 'ninjs3';
  if (CAMEL_CASE_KEYS.some((key) => Object.hasOwn(obj, key))) return 'ninjs3';
  if (NINJS1_KEYS.some((key) => Object.hasOwn(obj, key)) || isObject(obj.associations)) return 'ninjs1';
  return 'ninjs2';
}

interface RoleEntry {
  field: string;
  role: string | null;
  value: unknown;
  contentType: unknown;
}

/** Entries of a ninjs 2/3 role list (headlines, bodies, descriptions); reports a wrong shape. */
function roleEntries(ctx: ItemContext, found: Found, severity: 'error' | 'warning'): RoleEntry[] {
  if (found.value === undefined || found.value === null) return [];
  if (!Array.isArray(found.value)) {
    reportWrongType(ctx, found.name, found.value, 'a list of {role, value} objects', severity);
    return [];
  }
  const entries: RoleEntry[] = [];
  found.value.forEach((entry, index) => {
    const field = `${found.name}[${index}]`;
    if (!isObject(entry)) {
      reportWrongType(ctx, field, entry, 'an object with a value', 'warning');
      return;
    }
    const role = entry.role;
    entries.push({
      field: `${field}.value`,
      role: typeof role === 'string' ? role.trim().toLowerCase() : null,
      value: entry.value,
      contentType: pick(entry, 'contenttype', 'contentType').value,
    });
  });
  return entries;
}

function byRole(entries: RoleEntry[], roles: readonly string[]): RoleEntry | undefined {
  for (const role of roles) {
    const found = entries.find((entry) => entry.role === role);
    if (found) return found;
  }
  return undefined;
}

const MAIN_ROLES = ['main', 'default'];
const SUMMARY_ROLES = ['summary', 'abstract', 'teaser', 'dek', 'standfirst', 'lead', 'description'];
const CAPTION_ROLES = ['caption', 'description'];
const CREDIT_ROLES = ['creditline', 'credit'];
const ALT_ROLES = ['alt', 'alttext', 'alternative', 'alternativetext'];
const NOT_SUMMARY_ROLES = [...CAPTION_ROLES, ...CREDIT_ROLES, ...ALT_ROLES];

/** The main entry of a role list: role main, else the first without a role, else the first. */
function mainEntry(entries: RoleEntry[]): RoleEntry | undefined {
  return byRole(entries, MAIN_ROLES) ?? entries.find((entry) => entry.role === null) ?? entries[0];
}

function readHeadline(ctx: ItemContext, obj: JsonObject, severity: 'error' | 'warning'): string | null {
  const list = pick(obj, 'headlines');
  if (list.value !== undefined) {
    const entry = mainEntry(roleEntries(ctx, list, severity));
    return entry === undefined ? null : readText(ctx, entry.value, entry.field, severity);
  }
  const single = pick(obj, 'headline');
  return readText(ctx, single.value, single.name, severity);
}

function bodyKind(contentType: unknown): 'html' | 'text' | 'auto' {
  if (typeof contentType !== 'string') return 'auto';
  const type = contentType.toLowerCase();
  if (type.includes('html') || type.includes('xml')) return 'html';
  return type.startsWith('text/plain') ? 'text' : 'auto';
}

function readNinjsBody(ctx: ItemContext, obj: JsonObject, severity: 'error' | 'warning'): string {
  const base = ctx.source.href;
  const list = pick(obj, 'bodies');
  if (list.value !== undefined) {
    const entries = roleEntries(ctx, list, severity);
    const entry = mainEntry(entries);
    if (entry === undefined && Array.isArray(list.value) && list.value.length > 0) {
      // Bodies were sent but none could be read: that is a broken story, not a story without a body.
      reportWrongType(ctx, list.name, list.value, 'a list of {role, contenttype, value} objects', severity);
    }
    return entry === undefined
      ? ''
      : readBody(ctx, entry.value, entry.field, bodyKind(entry.contentType), base, severity);
  }
  const html = pick(obj, 'body_html', 'body_xhtml');
  if (html.value !== undefined) return readBody(ctx, html.value, html.name, 'html', base, severity);
  const text = pick(obj, 'body_text');
  return readBody(ctx, text.value, text.name, 'text', base, severity);
}

function readDek(ctx: ItemContext, obj: JsonObject): string | null {
  const list = pick(obj, 'descriptions');
  if (list.value !== undefined) {
    const entries = roleEntries(ctx, list, 'warning');
    const entry =
      byRole(entries, SUMMARY_ROLES) ??
      entries.find((candidate) => candidate.role === null || !NOT_SUMMARY_ROLES.includes(candidate.role));
    return entry === undefined ? null : readText(ctx, entry.value, entry.field);
  }
  const single = pick(obj, 'description_text', 'description_html');
  return readText(ctx, single.value, single.name);
}

function readSubjects(ctx: ItemContext, obj: JsonObject): WireItem['subjects'] {
  const found = pick(obj, 'subjects', 'subject');
  if (found.value === undefined || found.value === null) return [];
  if (!Array.isArray(found.value)) {
    reportWrongType(ctx, found.name, found.value, 'a list of {code or uri, name} objects');
    return [];
  }
  const subjects: WireItem['subjects'] = [];
  found.value.forEach((entry, index) => {
    const field = `${found.name}[${index}]`;
    if (!isObject(entry)) {
      reportWrongType(ctx, field, entry, 'an object with code/uri and name');
      return;
    }
    const code = pick(entry, 'code', 'qcode', 'uri');
    const subject = makeSubject(
      readText(ctx, code.value, `${field}.${code.name}`),
      readText(ctx, entry.name, `${field}.name`),
    );
    if (subject !== null) subjects.push(subject);
  });
  return subjects;
}

function readAltIds(ctx: ItemContext, obj: JsonObject): WireItem['altids'] {
  const found = pick(obj, 'altids', 'altIds');
  const value = found.value;
  if (value === undefined || value === null) return [];
  const altids: WireItem['altids'] = [];
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const field = `${found.name}[${index}]`;
      if (!isObject(entry)) {
        reportWrongType(ctx, field, entry, 'an object with role and value');
        return;
      }
      const altid = makeAltId(
        readText(ctx, entry.role, `${field}.role`),
        readText(ctx, entry.value, `${field}.value`),
      );
      if (altid !== null) altids.push(altid);
    });
  } else if (isObject(value)) {
    // ninjs 1.x: { "role": "value" }.
    for (const [role, id] of Object.entries(value)) {
      // Keys are feed content too: the role goes through the same cleaning as any value.
      const field = `${found.name}.${role}`;
      const altid = makeAltId(readText(ctx, role, field), readText(ctx, id, field));
      if (altid !== null) altids.push(altid);
    }
  } else {
    reportWrongType(ctx, found.name, value, 'a list of {role, value} objects');
  }
  return altids;
}

function readSignals(ctx: ItemContext, obj: JsonObject): string[] {
  const found = pick(obj, 'signals');
  if (found.value === undefined || found.value === null) return [];
  if (!Array.isArray(found.value)) {
    reportWrongType(ctx, found.name, found.value, 'a list');
    return [];
  }
  const signals: string[] = [];
  found.value.forEach((entry, index) => {
    const raw = isObject(entry) ? pick(entry, 'code', 'qcode', 'uri', 'name').value : entry;
    const text = readText(ctx, raw, `${found.name}[${index}]`);
    if (text !== null) signals.push(codeName(text));
  });
  return signals;
}

function readNinjsLink(ctx: ItemContext, obj: JsonObject): string | null {
  const links = obj.links;
  if (!Array.isArray(links)) return null;
  const index = links.findIndex(
    (link) => isObject(link) && typeof link.rel === 'string' && /canonical|alternate/i.test(link.rel),
  );
  const link = links[index];
  return isObject(link) ? readLink(ctx, link.href, `links[${index}].href`, ctx.source.href) : null;
}

interface Entry {
  field: string;
  /** The key in a ninjs 1 keyed object (e.g. the rendition name), null in a list. */
  key: string | null;
  value: unknown;
}

/** Entries of a ninjs 2/3 list or a ninjs 1 keyed object with their field paths; null for other shapes. */
function listOrKeyed(value: unknown, field: string): Entry[] | null {
  if (Array.isArray(value))
    return value.map((entry, index) => ({ field: `${field}[${index}]`, key: null, value: entry }));
  if (isObject(value)) {
    return Object.entries(value).map(([key, entry]) => ({ field: `${field}.${key}`, key, value: entry }));
  }
  return null;
}

function renditionDrafts(ctx: ItemContext, found: Found, field: string): RenditionDraft[] {
  if (found.value === undefined || found.value === null) return [];
  const entries = listOrKeyed(found.value, field);
  if (entries === null) {
    ctx.problems.note(
      WIRE_PROBLEM.wrongType,
      field,
      `"${field}" should be a list (ninjs 2/3) or keyed object (ninjs 1) of renditions but is ${describeType(found.value)}.`,
    );
    return [];
  }
  const drafts: RenditionDraft[] = [];
  for (const entry of entries) {
    if (!isObject(entry.value)) {
      ctx.problems.note(
        WIRE_PROBLEM.wrongType,
        entry.field,
        `Rendition "${entry.field}" is not an object, so it was dropped.`,
      );
      continue;
    }
    drafts.push({
      field: entry.field,
      href: entry.value.href,
      base: ctx.source.href,
      width: entry.value.width,
      height: entry.value.height,
      contentType: pick(entry.value, 'contenttype', 'contentType', 'mimetype').value,
      name: entry.value.name ?? entry.key,
    });
  }
  return drafts;
}

const PICTURE_TYPES = ['picture', 'graphic', 'image', 'photo'];

function isPicture(obj: JsonObject): boolean {
  if (typeof obj.type === 'string') return PICTURE_TYPES.includes(obj.type.trim().toLowerCase());
  // Untyped associations count as pictures when their renditions say they are images.
  const renditions = obj.renditions;
  const list = Array.isArray(renditions) ? renditions : isObject(renditions) ? Object.values(renditions) : [];
  return list.some((entry) => {
    const type = isObject(entry) ? pick(entry, 'contenttype', 'contentType', 'mimetype').value : undefined;
    return typeof type === 'string' && type.toLowerCase().startsWith('image/');
  });
}

function pictureDraft(ctx: ItemContext, obj: JsonObject, field: string): PictureDraft {
  const descriptions = Array.isArray(obj.descriptions)
    ? roleEntries(ctx, { name: fieldPath(field, 'descriptions'), value: obj.descriptions }, 'warning')
    : [];
  const caption =
    byRole(descriptions, CAPTION_ROLES)?.value ??
    pick(obj, 'description_text', 'description_html', 'caption').value ??
    descriptions.find((entry) => entry.role === null)?.value;
  const creditline =
    byRole(descriptions, CREDIT_ROLES)?.value ??
    pick(obj, 'creditline', 'creditLine', 'credit').value ??
    pick(obj, 'by', 'byline').value;
  const headlines = Array.isArray(obj.headlines)
    ? roleEntries(ctx, { name: fieldPath(field, 'headlines'), value: obj.headlines }, 'warning')
    : [];
  const alt = byRole(descriptions, ALT_ROLES)?.value ?? mainEntry(headlines)?.value ?? obj.headline;
  return {
    field,
    uri: obj.uri,
    version: obj.version,
    pubstatus: pick(obj, 'pubstatus', 'pubStatus').value,
    caption,
    creditline,
    copyrightnotice: pick(obj, 'copyrightnotice', 'copyrightNotice').value,
    alt,
    renditions: renditionDrafts(ctx, pick(obj, 'renditions'), fieldPath(field, 'renditions')),
  };
}

function readPictures(ctx: ItemContext, obj: JsonObject): WirePicture[] {
  const found = pick(obj, 'associations');
  const entries =
    found.value === undefined || found.value === null ? [] : listOrKeyed(found.value, found.name);
  if (entries === null) {
    reportWrongType(
      ctx,
      found.name,
      found.value,
      'a list (ninjs 2/3) or keyed object (ninjs 1) of associated items',
    );
  }
  const pictures: WirePicture[] = [];
  if (isPicture(obj) && obj.renditions !== undefined) {
    // A picture item on its own: the item is its own picture.
    const self = finishPicture(ctx, pictureDraft(ctx, obj, ''));
    if (self !== null) pictures.push(self);
  }
  for (const entry of entries ?? []) {
    if (!isObject(entry.value)) {
      reportWrongType(ctx, entry.field, entry.value, 'an object (an associated item)');
      continue;
    }
    if (!isPicture(entry.value)) continue;
    const picture = finishPicture(ctx, pictureDraft(ctx, entry.value, entry.field));
    if (picture !== null) pictures.push(picture);
  }
  return pictures;
}

function parseItem(ctx: ItemContext, obj: JsonObject): WireItem | null {
  const format = ninjsVersion(obj);
  const draft = newDraft(format);
  const text = (...names: [string, ...string[]]) => {
    const found = pick(obj, ...names);
    return readText(ctx, found.value, found.name);
  };
  const date = (...names: [string, ...string[]]) => {
    const found = pick(obj, ...names);
    return readDate(ctx, found.value, found.name);
  };

  draft.uri = readUri(ctx, obj.uri, 'uri');
  const status = pick(obj, 'pubstatus', 'pubStatus');
  draft.pubstatus = readPubStatus(ctx, status.value, status.name) ?? 'usable';
  draft.headline = readHeadline(ctx, obj, draft.pubstatus === 'canceled' ? 'warning' : 'error');
  draft.bodyHtml = readNinjsBody(ctx, obj, bodySeverity(draft.pubstatus));
  draft.version = readVersion(ctx, obj.version, 'version');
  draft.versionCreated = date('versioncreated', 'versionCreated');
  draft.firstCreated = date('firstcreated', 'firstCreated');
  draft.embargoed = readEmbargo(ctx, obj.embargoed, 'embargoed');
  draft.expires = date('expires');
  draft.slugline = text('slugline');
  draft.dek = readDek(ctx, obj);
  draft.byline = text('by', 'byline');
  draft.located = text('located');
  draft.copyrightnotice = text('copyrightnotice', 'copyrightNotice');
  draft.usageterms = text('usageterms', 'usageTerms');
  draft.ednote = text('ednote', 'edNote');
  draft.urgency = readUrgency(ctx, obj.urgency, 'urgency');
  draft.subjects = readSubjects(ctx, obj);
  draft.keywords = readTextList(ctx, obj.keywords, 'keywords');
  draft.altids = readAltIds(ctx, obj);
  draft.signals = readSignals(ctx, obj);
  draft.pictures = readPictures(ctx, obj);
  draft.link = readNinjsLink(ctx, obj);
  const headlineField = Object.hasOwn(obj, 'headlines') ? 'headlines' : 'headline';
  return finishItem(ctx, draft, { uri: ['uri'], headline: headlineField });
}

/** Items from a parsed ninjs document: one item, a JSON array of items, or `{ "items": [...] }`. */
export function readNinjsDocument(json: unknown, doc: DocumentContext): WireItem[] {
  const { log } = doc;
  let entries: unknown[];
  if (Array.isArray(json)) entries = json;
  else if (isObject(json) && Object.hasOwn(json, 'items') && !looksLikeNinjs(json)) {
    if (!Array.isArray(json.items)) {
      log.document(
        WIRE_PROBLEM.wrongType,
        `"items" should be a list of ninjs items but is ${typeof json.items}. Ask the sender to correct the batch.`,
        'items',
      );
      return [];
    }
    entries = json.items;
  } else if (looksLikeNinjs(json)) entries = [json];
  else {
    log.document(
      WIRE_PROBLEM.unknownFormat,
      'The JSON is not a ninjs item (no uri, headline(s), bodies or associations), a list of ninjs items, or an {"items": [...]} batch. Check that the feed is configured with the right format.',
    );
    return [];
  }
  const items: WireItem[] = [];
  entries.forEach((entry, index) => {
    const ctx = itemContext(doc, `#${index}`);
    if (!isObject(entry)) {
      ctx.problems.error(
        WIRE_PROBLEM.wrongType,
        null,
        `Entry #${index} of the batch should be a ninjs item object but is ${typeof entry}.`,
      );
      return;
    }
    const item = guarded(ctx, () => parseItem(ctx, entry));
    if (item !== null) items.push(item);
  });
  return items;
}
