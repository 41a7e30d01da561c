// Opens an export file safely and hands it to the reader of its format. The XML is parsed by the wire's
// guarded parser (src/wire/parse/xml.ts): entity processing off, documents declaring entities refused before
// parsing (no XXE, no "billion laughs"), nesting bounded. The file's size is checked before it is read,
// because the whole document is held in memory while it is parsed.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { DatelineError } from '../../errors/catalogue.ts';
import { parseXml, type XmlElement } from '../../wire/parse/xml.ts';
import { readDisqus } from './disqus.ts';
import type { ImportDocument } from './model.ts';
import { readWxr } from './wxr.ts';

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export async function readExportFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<ImportDocument> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new DatelineError(
      'COMMENT_IMPORT_INVALID',
      `Cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the path.`,
    );
  }
  if (size > maxBytes) {
    throw new DatelineError(
      'COMMENT_IMPORT_TOO_LARGE',
      `${path} is ${mb(size)} MB; imports read at most ${mb(maxBytes)} MB at once. Split the export, or raise the limit with --max-mb.`,
    );
  }
  return readExport(await readFile(path, 'utf8'), path);
}

/** Reads an export held in memory; `name` appears in error messages. */
export function readExport(text: string, name = 'the file'): ImportDocument {
  const parsed = parseXml(text.replace(/^\uFEFF/, ''), 'file:///import');
  if (!parsed.ok) {
    throw new DatelineError(
      'COMMENT_IMPORT_INVALID',
      `${name} cannot be imported: ${parsed.message.replace(/ask the sender to re-deliver( it| the feed| a well-formed document)?/i, 'export it again')}`,
    );
  }
  const root: XmlElement = parsed.root;
  if (root.local === 'disqus') return readDisqus(root);
  if (root.local === 'rss') return readWxr(root, name);
  throw new DatelineError(
    'COMMENT_IMPORT_INVALID',
    `${name} is neither a Disqus export (root element <disqus>) nor a WordPress export (WXR, root element <rss>); it starts with <${root.name}>.`,
  );
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash a claim is matched on: sha256 of the trimmed, lower-cased address; null when there is none. */
export function emailHashOf(email: string | undefined | null): string | null {
  const e = email?.trim().toLowerCase() ?? '';
  return e.includes('@') ? sha256Hex(e) : null;
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
