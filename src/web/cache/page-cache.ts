// Rendered pages in memory, with their compressed bodies and ETag made once per version. Entries carry
// tags (site, section, article…); a change drops exactly the tags it touches (see invalidation.ts), so a
// page is never stale after an edit. A render that was running when one of its page's tags was dropped may
// show what the change replaced, so it is not stored (see `epoch` and `keeps`). Nor is a page above the
// size cap: one very large story would hold its body and compressed copies in memory for as long as it is
// read, so it is rendered and compressed (fast) per request instead. Personal content never enters this
// cache.
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface PageVersion {
  status: number;
  contentType: string;
  body: Buffer;
  etag: string;
  /** Extra headers that belong to the page, e.g. Location for redirects. */
  headers: Record<string, string>;
  cacheControl: string;
  tags: readonly string[];
  /** Sent once and dropped (page cache off, or a page not worth keeping): compress fast, not small. */
  transient?: boolean;
  gzip?: Buffer;
  br?: Buffer;
}

export type Encoding = 'br' | 'gzip' | 'identity';

export function makePage(
  p: Omit<PageVersion, 'etag' | 'gzip' | 'br' | 'transient'>,
  transient = false,
): PageVersion {
  const etag = `"${createHash('sha1').update(p.body).digest('base64url').slice(0, 22)}"`;
  return { ...p, etag, ...(transient && { transient }) };
}

/** Picks br, then gzip; a q=0 refusal is honoured. */
export function negotiate(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  let known = negotiated.get(acceptEncoding);
  // The memo only saves parsing again: a parse gives the same answer, so what is remembered, and for how
  // long, is not observable (page-cache-rules.test.ts checks the answers, remembered or not).
  // Stryker disable next-line ConditionalExpression: equivalent, see above
  if (known === undefined) {
    known = parseAcceptEncoding(acceptEncoding);
    // Browsers send a handful of distinct, short values; anything else only costs a parse.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: equivalent, see above
    if (acceptEncoding.length <= 100) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, see above
      if (negotiated.size >= 256) negotiated.clear();
      negotiated.set(acceptEncoding, known);
    }
  }
  return known;
}

const negotiated = new Map<string, Encoding>();

function parseAcceptEncoding(acceptEncoding: string): Encoding {
  let br = false;
  let gzip = false;
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    if (refused) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === '*') gzip = true;
  }
  return br ? 'br' : gzip ? 'gzip' : 'identity';
}

const MIN_COMPRESS = 512;

/**
 * The body in the given encoding, compressed on first use and then kept with the version. A kept page is
 * compressed once for thousands of requests, so it gets a smaller encoding (brotli 5, gzip 6); a transient
 * page is compressed for one request, where brotli 5 would cost as much as rendering it, so it gets the
 * fast settings (brotli 1, still smaller than gzip 6).
 */
export function encodedBody(page: PageVersion, enc: Encoding): { body: Buffer; encoding: Encoding } {
  if (enc === 'identity' || page.body.length < MIN_COMPRESS) return { body: page.body, encoding: 'identity' };
  if (enc === 'br') {
    page.br ??= brotliCompressSync(page.body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: page.transient ? 1 : 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: page.body.length,
      },
    });
    return { body: page.br, encoding: 'br' };
  }
  page.gzip ??= gzipSync(page.body, { level: page.transient ? 1 : 6 });
  return { body: page.gzip, encoding: 'gzip' };
}

/** Tags whose last drop is remembered; past this many, older renders are treated as stale instead. */
const REMEMBERED_DROPS = 10_000;

export class PageCache {
  private readonly entries = new Map<string, PageVersion>();
  private readonly byTag = new Map<string, Set<string>>();
  private bytes = 0;
  /** Advanced by every drop (`invalidate`, `clear`): the moment a render begins is read from it. */
  private drops = 0;
  /** The epoch at which each tag was last dropped. */
  private readonly droppedAt = new Map<string, number>();
  /** Renders begun before this epoch are stale whatever their tags: set by `clear` and by forgetting drops. */
  private staleBefore = 0;

  /**
   * @param maxBytes what all stored pages may count together (twice each body, for its compressed copies)
   * @param maxPageBytes the largest body stored; a larger page is sent and dropped
   */
  constructor(
    private readonly maxBytes: number,
    readonly maxPageBytes = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Advances whenever pages may have been dropped as stale. Read it before rendering and pass it to
   * `keeps` after: a page is stored only if none of its tags was dropped in between.
   */
  get epoch(): number {
    return this.drops;
  }

  /**
   * Whether a page rendered from `since` (an `epoch` read before its render began) may be stored: its body
   * is within the size cap, and no change dropped one of its tags while it rendered, so it cannot show what
   * a change replaced. The answer holds until the caller next awaits: check, then `set`, in one turn.
   */
  keeps(tags: readonly string[], bodyBytes: number, since: number): boolean {
    if (bodyBytes > this.maxPageBytes || since < this.staleBefore) return false;
    for (const t of tags) if ((this.droppedAt.get(t) ?? 0) > since) return false;
    return true;
  }

  get(key: string): PageVersion | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: moving a hit to the end makes eviction least-recently-used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, page: PageVersion): void {
    this.delete(key);
    this.entries.set(key, page);
    this.bytes += page.body.length * 2;
    for (const t of page.tags) {
      const keys = this.byTag.get(t) ?? new Set<string>();
      keys.add(key);
      this.byTag.set(t, keys);
    }
    while (this.bytes > this.maxBytes && this.entries.size > 1) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.body.length * 2;
    for (const t of old.tags) this.byTag.get(t)?.delete(key);
  }

  /**
   * Drops pages carrying the tag, oldest stored first, until at most `max` do: bounds one kind of page (e.g.
   * search results, one per query asked) so it cannot push every other page out.
   */
  trimTag(tag: string, max: number): void {
    const keys = this.byTag.get(tag);
    if (!keys) return;
    // A Set iterates in insertion order, and set() re-inserts a key it stores again.
    for (const k of keys) {
      if (keys.size <= max) return;
      this.delete(k);
    }
  }

  /** Drops every page carrying any of the tags. */
  invalidate(tags: Iterable<string>): number {
    this.drops++;
    // Bounded memory over a long run: forgetting which tags were dropped when makes every render in flight
    // stale, which costs a render each and never keeps a stale page.
    if (this.droppedAt.size >= REMEMBERED_DROPS) {
      this.droppedAt.clear();
      this.staleBefore = this.drops;
    }
    let n = 0;
    for (const t of tags) {
      this.droppedAt.set(t, this.drops);
      const keys = this.byTag.get(t);
      if (!keys) continue;
      for (const k of [...keys]) {
        this.delete(k);
        n++;
      }
      this.byTag.delete(t);
    }
    return n;
  }

  clear(): void {
    this.drops++;
    this.droppedAt.clear();
    this.staleBefore = this.drops;
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}
