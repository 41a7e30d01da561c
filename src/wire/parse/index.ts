// Entry point of the wire parsers: takes one raw agency document, works out its format from the content
// (never from the file name, which agencies get wrong) and returns normalized items plus problems.
// Pure: no database, no network, no file reads, and it never throws.

import { readAtomDocument } from './atom.ts';
import { decodeInput } from './input.ts';
import type { DocumentContext } from './item.ts';
import { locateSource } from './links.ts';
import { NEWSML_ROOTS, readNewsmlDocument } from './newsml.ts';
import { readNinjsDocument } from './ninjs.ts';
import { ProblemLog } from './problems.ts';
import { readRssDocument } from './rss.ts';
import { type ParseOptions, type ParseResult, WIRE_PROBLEM, type WireItem } from './types.ts';
import { NS, parseXml, type XmlElement } from './xml.ts';

export { parseWireDate } from './dates.ts';
export { sanitizeWireHtml, wirePlainText } from './sanitize.ts';
export type * from './types.ts';
export { WIRE_PROBLEM } from './types.ts';
export { compareVersions } from './versions.ts';

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

function jsonErrorLocation(text: string, message: string): string {
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

function readJson(text: string, doc: DocumentContext): WireItem[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    doc.log.document(
      WIRE_PROBLEM.invalidJson,
      `The file is not valid JSON${jsonErrorLocation(text, detail)} (${detail}). It is probably truncated or still being written; nothing in it was ingested. Re-fetch it, or ask the agency to re-deliver it.`,
    );
    return [];
  }
  return readNinjsDocument(json, doc);
}

function isAtom(root: XmlElement): boolean {
  return (root.local === 'feed' || root.local === 'entry') && (root.ns === NS.atom || root.ns === null);
}

function readXml(text: string, doc: DocumentContext): WireItem[] {
  const parsed = parseXml(text, doc.source.href);
  if (!parsed.ok) {
    const code = parsed.code === 'entities' ? WIRE_PROBLEM.xmlEntities : WIRE_PROBLEM.invalidXml;
    doc.log.document(code, parsed.message);
    return [];
  }
  const { root } = parsed;
  if (root.local === 'rss' || (root.local === 'RDF' && root.ns === NS.rdf)) return readRssDocument(root, doc);
  if (isAtom(root)) return readAtomDocument(root, doc);
  if (NEWSML_ROOTS.includes(root.local) && (root.ns === NS.nar || root.ns === null)) {
    return readNewsmlDocument(root, doc);
  }
  doc.log.document(
    WIRE_PROBLEM.unknownFormat,
    `The XML root element <${root.name.slice(0, 100)}> is not NewsML-G2 (newsMessage, newsItem, packageItem), RSS or Atom. Check that the feed is configured with the right source.`,
  );
  return [];
}

function maxBodyBytesFrom(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_MAX_BODY_BYTES;
}

/**
 * Parse one wire document (ninjs 1/2/3 JSON item or batch, NewsML-G2, RSS 2.0, Atom 1.0) into normalized
 * items. Problems never throw: a bad document yields no items and a document-level problem, a bad item
 * yields an item-level problem while the other items are still returned.
 */
export function parseWireDocument(input: string | Buffer, opts: ParseOptions): ParseResult {
  const sourceName =
    typeof opts?.source === 'string' && opts.source !== '' ? opts.source : '(unnamed source)';
  const log = new ProblemLog(sourceName);
  try {
    const doc: DocumentContext = {
      log,
      source: locateSource(sourceName),
      maxBodyBytes: maxBodyBytesFrom(opts?.maxBodyBytes),
    };
    if (typeof input !== 'string' && !Buffer.isBuffer(input)) {
      log.document(
        WIRE_PROBLEM.unknownFormat,
        'The document is neither text nor a Buffer, so it cannot be read.',
      );
      return { items: [], problems: log.problems };
    }
    const text = decodeInput(input);
    const start = /\S/.exec(text)?.[0];
    let items: WireItem[] = [];
    if (start === '{' || start === '[') items = readJson(text, doc);
    else if (start === '<') items = readXml(text, doc);
    else {
      log.document(
        WIRE_PROBLEM.unknownFormat,
        start === undefined
          ? 'The document is empty. It may still be uploading; try again once the transfer has finished.'
          : 'The document is neither JSON (ninjs) nor XML (NewsML-G2, RSS, Atom). Check that the feed is configured with the right source.',
      );
    }
    return { items, problems: log.problems };
  } catch (error) {
    // Readers already contain per-item failures; this is the last line of defence for the ingester loop.
    log.document(
      WIRE_PROBLEM.internal,
      `The parser failed (${error instanceof Error ? error.message : String(error)}). This is a bug in Dateline's wire parser; please report it with the file.`,
    );
    return { items: [], problems: log.problems };
  }
}
