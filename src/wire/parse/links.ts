// Turning hrefs from a wire document into absolute URLs. Picture hrefs are later fetched by the
// ingester, so this is also where a feed is stopped from pointing us at local files outside its folder
// (file:///etc/passwd, ../../secrets) or at non-web schemes.

import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SourceLocation {
  /** Absolute URL of the document itself: relative hrefs resolve against it. */
  href: string;
  /** For documents read from disk: the folder URL (ending in '/') that file hrefs must stay inside. */
  fileRoot: string | null;
}

const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/**
 * Where the document lives. A `source` with a scheme (https://, file://) is used as a URL; anything
 * else is a file path, resolved against the current directory and turned into a file:// URL. Picture
 * hrefs from file sources are therefore returned as file:// URLs, never as bare paths.
 */
export function locateSource(source: string): SourceLocation {
  let url: URL | null = null;
  if (HAS_SCHEME.test(source)) {
    try {
      url = new URL(source);
    } catch {
      url = null;
    }
  }
  url ??= pathToFileURL(resolvePath(source));
  return { href: url.href, fileRoot: url.protocol === 'file:' ? new URL('.', url).href : null };
}

export type MediaHref = { ok: true; href: string } | { ok: false; reason: string };

/** Resolve a picture/rendition href; http(s) always, file: only inside the source document's folder. */
export function resolveMediaHref(raw: string, base: string, source: SourceLocation): MediaHref {
  const value = raw.trim();
  if (value.length === 0) return { ok: false, reason: 'the href is empty' };
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return { ok: false, reason: `"${value.slice(0, 200)}" is not a valid URL` };
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { ok: true, href: url.href };
  if (url.protocol === 'file:') {
    // URL parsing has already collapsed "..", including percent-encoded dots, so a prefix check suffices.
    if (source.fileRoot !== null && url.href.startsWith(source.fileRoot) && !url.search) {
      return { ok: true, href: url.href };
    }
    return {
      ok: false,
      reason: `"${url.href}" points at a local file outside the folder the document came from`,
    };
  }
  return { ok: false, reason: `"${url.protocol}" links are not allowed, only http(s)` };
}

/** An absolute http(s) URL for a story link, or null. */
export function resolveWebLink(raw: string, base: string): string | null {
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
