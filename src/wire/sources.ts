// Turns what an operator types (`dateline wire ingest PATH…`: files, folders, globs) into the documents to
// ingest. Folders are walked recursively for wire documents (.json, .ninjs, .xml, .rss, .atom); pictures and
// hidden files beside them are left alone. A path that matches nothing is reported, not silently skipped.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { ErrorCode } from '../errors/catalogue.ts';
import type { WireDocument } from './ingester.ts';

export const DOCUMENT_FILE = /\.(json|ninjs|xml|rss|atom)$/i;

/** Reads one document from disk, or describes why it cannot be read; never throws. */
export async function readDocumentFile(
  path: string,
  size: number | null,
  maxBytes: number,
): Promise<WireDocument> {
  const unreadable = (
    reason: string,
    code: ErrorCode = 'DATELINE_ERR_WIRE_SOURCE_UNREADABLE',
  ): WireDocument => ({
    source: path,
    content: '',
    allowFiles: true,
    unreadable: { code, reason: `${path}: ${reason}` },
  });
  try {
    const bytes = size ?? (await stat(path)).size;
    if (bytes > maxBytes) {
      return unreadable(
        `the file is ${bytes} bytes, over the ${maxBytes}-byte limit for one document (DATELINE_WIRE_MAX_DOCUMENT_BYTES). Split it, or raise the limit.`,
        'DATELINE_ERR_WIRE_TOO_LARGE',
      );
    }
    return { source: path, content: await readFile(path), allowFiles: true };
  } catch (e) {
    return unreadable(
      `the file cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the path and its permissions.`,
    );
  }
}

function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** A glob as a regular expression over '/'-separated relative paths: `**` any depth, `*` and `?` within a name. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end > i) {
        re += `[${glob.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      } else re += '\\[';
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function walk(dir: string, out: string[], onlyDocuments: boolean): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) await walk(full, out, onlyDocuments);
    else if (e.isFile() && (!onlyDocuments || DOCUMENT_FILE.test(e.name))) out.push(full);
  }
}

export interface ExpandedPaths {
  files: string[];
  /** Paths (or globs) that matched nothing, with why. */
  missing: { path: string; reason: string }[];
}

export async function expandPaths(paths: string[], cwd = process.cwd()): Promise<ExpandedPaths> {
  const files: string[] = [];
  const missing: ExpandedPaths['missing'] = [];
  for (const p of paths) {
    if (hasGlob(p)) {
      const parts = p.split(/[\\/]/);
      const firstGlob = parts.findIndex(hasGlob);
      const base = resolve(cwd, parts.slice(0, firstGlob).join('/') || '.');
      const pattern = globToRegExp(parts.slice(firstGlob).join('/'));
      const all: string[] = [];
      await walk(base, all, false).catch(() => {});
      const matched = all.filter((f) => pattern.test(relative(base, f).split(sep).join('/')));
      if (matched.length === 0) missing.push({ path: p, reason: 'the pattern matches no file' });
      files.push(...matched);
      continue;
    }
    const full = resolve(cwd, p);
    const info = await stat(full).catch(() => null);
    if (!info) missing.push({ path: p, reason: 'there is no such file or folder' });
    else if (info.isDirectory()) {
      const before = files.length;
      await walk(full, files, true);
      if (files.length === before)
        missing.push({
          path: p,
          reason: 'the folder holds no wire documents (.json, .xml, .rss, .atom, .ninjs)',
        });
    } else files.push(full);
  }
  return { files: [...new Set(files)], missing };
}
