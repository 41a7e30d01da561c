// Safe XML reading for wire feeds. fast-xml-parser is run with entity processing OFF, and documents that
// declare entities are refused before parsing, so neither XXE (external entities reading local files or
// URLs) nor billion-laughs expansion can happen. The parser output is turned into a small namespace-aware
// tree with xml:base applied, which the NewsML-G2, RSS and Atom readers navigate.

import { createRequire } from 'node:module';
import type { XMLParser as Parser } from 'fast-xml-parser';
import { escapeHtmlText } from './sanitize.ts';

export const NS = {
  xml: 'http://www.w3.org/XML/1998/namespace',
  nar: 'http://iptc.org/std/nar/2006-10-01',
  atom: 'http://www.w3.org/2005/Atom',
  media: 'http://search.yahoo.com/mrss',
  content: 'http://purl.org/rss/1.0/modules/content',
  dc: 'http://purl.org/dc/elements/1.1',
  dcterms: 'http://purl.org/dc/terms',
  xhtml: 'http://www.w3.org/1999/xhtml',
  rss1: 'http://purl.org/rss/1.0',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
} as const;

// Feeds often use these prefixes without declaring them; reading them by convention beats dropping data.
// (A Map, so a prefix like "__proto__" cannot find Object.prototype.)
const CONVENTIONAL_PREFIXES = new Map<string, string>([
  ['xml', NS.xml],
  ['media', NS.media],
  ['content', NS.content],
  ['dc', NS.dc],
  ['dcterms', NS.dcterms],
  ['atom', NS.atom],
  ['xhtml', NS.xhtml],
]);

export interface XmlElement {
  /** Name as written, e.g. 'media:content'. */
  name: string;
  local: string;
  /** Namespace URI without trailing slash, or null when the element is in no namespace. */
  ns: string | null;
  /** Attribute values by name as written, entity-decoded. */
  attrs: Map<string, string>;
  children: XmlNode[];
  /** Effective base URL (xml:base chain resolved against the document location). */
  base: string;
}

/**
 * A comment. Only its place is kept (its text is never content): inline XHTML bodies pass it on, so the
 * sanitizer can list it among what it removed.
 */
export interface XmlComment {
  comment: true;
}

/** Text nodes are decoded strings (CDATA kept literally). */
export type XmlNode = XmlElement | XmlComment | string;

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string' && !('comment' in node);
}

export type XmlParse =
  | { ok: true; root: XmlElement }
  | { ok: false; code: 'entities' | 'invalid'; message: string };

const DOCTYPE = /<!DOCTYPE/i;
const ENTITY_DECLARATION = /<!ENTITY/i;

// The XML parser loads on the first XML document: a server that only serves pages never needs it.
let parser: Parser | null = null;
let validator: typeof import('fast-xml-parser').XMLValidator | null = null;
function xml(): { parser: Parser; validator: typeof import('fast-xml-parser').XMLValidator } {
  if (!parser || !validator) {
    const fxp = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
    parser = new fxp.XMLParser(PARSER_OPTIONS);
    validator = fxp.XMLValidator;
  }
  return { parser, validator };
}

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Never let the parser expand anything; the five predefined entities and character references are
  // decoded below, where no declaration from the document can influence them.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Deeper nesting than this is not news markup; it is an attempt to exhaust the stack.
  maxNestedTags: 100,
};

const ENTITY_REFERENCE = /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|lt|gt|amp|apos|quot);/g;
const PREDEFINED = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['apos', "'"],
  ['quot', '"'],
]);

/** Decode XML's predefined entities and character references; other named entities are left as written. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY_REFERENCE, (_whole, ref: string) => {
    const named = PREDEFINED.get(ref);
    if (named !== undefined) return named;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : '\uFFFD';
  });
}

export function normalizeNamespace(uri: string): string {
  return uri.trim().replace(/\/+$/, '');
}

type RawNode = Record<string, unknown>;

function rawAttributes(node: RawNode): Map<string, string> {
  const attrs = new Map<string, string>();
  const raw = node[':@'];
  if (raw !== null && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value === 'string') attrs.set(key.slice(2), decodeXmlEntities(value));
    }
  }
  return attrs;
}

function resolveBase(xmlBase: string | undefined, parentBase: string): string {
  if (xmlBase === undefined) return parentBase;
  try {
    return new URL(xmlBase.trim(), parentBase).href;
  } catch {
    return parentBase;
  }
}

function buildElement(
  name: string,
  node: RawNode,
  parentScope: ReadonlyMap<string, string>,
  parentBase: string,
): XmlElement {
  const attrs = rawAttributes(node);
  let scope = parentScope;
  for (const [key, value] of attrs) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(key === 'xmlns' ? '' : key.slice(6), normalizeNamespace(value));
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? '' : name.slice(0, colon);
  const local = colon === -1 ? name : name.slice(colon + 1);
  const declared = scope.get(prefix);
  const ns =
    declared !== undefined && declared !== '' ? declared : (CONVENTIONAL_PREFIXES.get(prefix) ?? null);
  const base = resolveBase(attrs.get('xml:base'), parentBase);
  const element: XmlElement = { name, local, ns, attrs, children: [], base };
  const rawChildren = node[name];
  if (Array.isArray(rawChildren)) {
    for (const child of rawChildren as RawNode[]) {
      const built = buildNode(child, scope, base);
      if (built !== null) element.children.push(built);
    }
  }
  return element;
}

function buildNode(node: RawNode, scope: ReadonlyMap<string, string>, base: string): XmlNode | null {
  if (typeof node['#text'] === 'string') return decodeXmlEntities(node['#text']);
  const cdata = node['#cdata'];
  if (Array.isArray(cdata)) {
    return cdata.map((part: RawNode) => (typeof part['#text'] === 'string' ? part['#text'] : '')).join('');
  }
  if (node['#comment'] !== undefined) return { comment: true };
  const name = Object.keys(node).find((key) => key !== ':@');
  return name === undefined ? null : buildElement(name, node, scope, base);
}

// The validator reports unclosed elements as "Invalid '[ "a", "b" ]' found."; name them plainly instead.
function readableXmlError(message: string): string {
  const open = /^Invalid '(\[[\s\S]*\])' found/.exec(message)?.[1];
  if (open === undefined) return message;
  try {
    const names: unknown = JSON.parse(open);
    if (Array.isArray(names))
      return `the document ends while these elements are still open: ${names.join(' > ')}`;
  } catch {
    // Fall through to the validator's own wording.
  }
  return message;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Parse an XML document into an element tree. Never throws: malformed XML and entity declarations come
 * back as `{ ok: false }` with a message for the problem report.
 */
export function parseXml(text: string, documentUrl: string): XmlParse {
  if (DOCTYPE.test(text) && ENTITY_DECLARATION.test(text)) {
    return {
      ok: false,
      code: 'entities',
      message:
        'The document declares XML entities in a DOCTYPE. Entity declarations are how XXE (reading local ' +
        'files) and "billion laughs" (memory exhaustion) attacks work, so such documents are refused ' +
        'without parsing. Ask the sender to deliver the feed without a DOCTYPE entity declaration.',
    };
  }
  let raw: unknown;
  try {
    const valid = xml().validator.validate(text);
    if (valid !== true) {
      const { msg, line, col } = valid.err;
      return {
        ok: false,
        code: 'invalid',
        message: `The document is not well-formed XML (line ${line}, column ${col ?? '?'}: ${readableXmlError(msg)}). It may be truncated or hand-edited; ask the sender to re-deliver it.`,
      };
    }
    raw = xml().parser.parse(text);
  } catch (error) {
    return {
      ok: false,
      code: 'invalid',
      message: `The XML could not be read (${errorText(error)}). Ask the sender to re-deliver a well-formed document.`,
    };
  }
  const scope = new Map<string, string>([['xml', NS.xml]]);
  const roots = (Array.isArray(raw) ? (raw as RawNode[]) : [])
    .map((node) => buildNode(node, scope, documentUrl))
    .filter((node): node is XmlElement => node !== null && isElement(node));
  const root = roots[0];
  if (root === undefined) {
    return {
      ok: false,
      code: 'invalid',
      message: 'The document has no XML root element. Ask the sender to re-deliver it.',
    };
  }
  return { ok: true, root };
}

/** Which namespaces an element may be in: a list of URIs, where null means "no namespace". */
export type NsMatch = readonly (string | null)[] | undefined;

function matches(element: XmlElement, local: string, ns: NsMatch): boolean {
  return element.local === local && (ns === undefined || ns.includes(element.ns));
}

export function elementsOf(element: XmlElement): XmlElement[] {
  return element.children.filter(isElement);
}

export function children(element: XmlElement | undefined, local: string, ns?: NsMatch): XmlElement[] {
  const found: XmlElement[] = [];
  for (const node of element?.children ?? []) {
    if (isElement(node) && matches(node, local, ns)) found.push(node);
  }
  return found;
}

export function child(element: XmlElement | undefined, local: string, ns?: NsMatch): XmlElement | undefined {
  for (const node of element?.children ?? []) {
    if (isElement(node) && matches(node, local, ns)) return node;
  }
  return undefined;
}

/** All descendants with this name, depth first; `skip` prunes subtrees (e.g. inline XHTML bodies). */
export function descendants(
  element: XmlElement,
  local: string,
  ns?: NsMatch,
  skip?: (element: XmlElement) => boolean,
): XmlElement[] {
  const found: XmlElement[] = [];
  const stack = elementsOf(element).reverse();
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (skip?.(next)) continue;
    if (matches(next, local, ns)) found.push(next);
    stack.push(...elementsOf(next).reverse());
  }
  return found;
}

/** Concatenated text of the element and all its descendants. */
export function textOf(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined;
  let text = '';
  for (const node of element.children) {
    if (typeof node === 'string') text += node;
    else if (isElement(node)) text += textOf(node) ?? '';
  }
  return text;
}

export function attr(element: XmlElement | undefined, name: string): string | undefined {
  return element?.attrs.get(name);
}

const VOID_ELEMENTS = new Set([
  'br',
  'img',
  'hr',
  'col',
  'wbr',
  'area',
  'source',
  'track',
  'input',
  'meta',
  'link',
]);

function serializeNode(node: XmlNode): string {
  if (typeof node === 'string') return escapeHtmlText(node);
  // An empty comment in its place: the sanitizer removes and counts it, and no comment text can close it early.
  if (!isElement(node)) return '<!---->';
  let attributes = '';
  for (const [name, value] of node.attrs) {
    if (name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xml:')) continue;
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    attributes += ` ${local}="${escapeHtmlText(value)}"`;
  }
  if (VOID_ELEMENTS.has(node.local)) return `<${node.local}${attributes} />`;
  return `<${node.local}${attributes}>${node.children.map(serializeNode).join('')}</${node.local}>`;
}

/**
 * Markup of an element's content as an HTML string (prefixes dropped, text re-escaped), for handing
 * inline XHTML bodies to the sanitizer.
 */
export function innerMarkup(element: XmlElement): string {
  return element.children.map(serializeNode).join('');
}
