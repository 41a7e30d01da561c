// How the signed-in name reaches pages without entering the shared page cache. Every page is rendered and
// cached with the signed-out header links in a slot (marked by its opening and closing tags). For a request with a valid
// session, the response leaving the server has those bytes swapped for the reader's own links, after the
// cache and outside it; nothing personal is ever stored there. Works with JavaScript off.
//
// Compression stays cheap: the cached page is split once, at the slot, into a head and a tail, each
// deflated once (the head ending on a byte-aligned sync flush, the tail a fresh final stream) and kept with
// the page. A personal response is then a gzip member of: head bytes, the reader's links as a stored
// (uncompressed) deflate block, tail bytes, and a CRC combined arithmetically. No compression runs per
// request. (Brotli has no such splice, so signed-in readers get gzip.)
//
// Page views take the reader's version straight from the page version (PageServer's `send` hands it to
// `PersonalPages` through the request's page variant), and a reader's version of a page is kept in a small
// bounded memory after its first use, so a repeat view of the same page does no work at all.
import { createHash } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import type { PageVersion } from '../web/cache/page-cache.ts';
import { headersFor } from '../web/pages.ts';

interface Split {
  head: Buffer;
  tail: Buffer;
  crcHead: number;
  crcTail: number;
  /** x^(8·tail length) mod P, for combining CRCs without reading the tail again. */
  x2nTail: number;
  gzHead?: Buffer;
  gzTail?: Buffer;
}

/** A reader's header links, prepared once per session lookup and reused on every page. */
export interface Fragment {
  bytes: Buffer;
  stored: Buffer;
  crc: number;
  x2n: number;
  etagSuffix: string;
}

/** The slot's first bytes and the bytes that close it (the first such after the start). */
export interface Slot {
  start: Buffer;
  end: Buffer;
}

// Keyed by the cached body itself, so the split lives exactly as long as the cached page version.
const splits = new WeakMap<Buffer, Split | null>();

export function splitAt(body: Buffer, slot: Slot): Split | null {
  const known = splits.get(body);
  if (known !== undefined) return known;
  const at = body.indexOf(slot.start);
  const end = at < 0 ? -1 : body.indexOf(slot.end, at + slot.start.length);
  const split =
    end < 0
      ? null
      : (() => {
          const head = body.subarray(0, at);
          const tail = body.subarray(end + slot.end.length);
          return { head, tail, crcHead: crc32(head), crcTail: crc32(tail), x2nTail: x2nModP(tail.length, 3) };
        })();
  splits.set(body, split);
  return split;
}

// CRC-32 of a concatenation from the parts' CRCs (zlib's crc32_combine, by multiplication modulo the
// CRC polynomial): a few hundred operations instead of reading the whole page again.
const POLY = 0xedb88320;

function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

const X2N: number[] = (() => {
  const t: number[] = [];
  let p = 0x40000000;
  t.push(p);
  for (let n = 1; n < 32; n++) {
    p = multModP(p, p);
    t.push(p);
  }
  return t;
})();

function x2nModP(n: number, k: number): number {
  let p = 0x80000000;
  while (n) {
    if (n & 1) p = multModP(X2N[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  return (multModP(x2nModP(len2, 3), crc1) ^ crc2) >>> 0;
}

export function prepareFragment(bytes: Buffer): Fragment {
  return {
    bytes,
    stored: storedBlock(bytes),
    crc: crc32(bytes),
    x2n: x2nModP(bytes.length, 3),
    etagSuffix: createHash('sha1').update(bytes).digest('base64url').slice(0, 10),
  };
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

function storedBlock(data: Buffer): Buffer {
  const len = data.length;
  const h = Buffer.from([0x00, len & 0xff, (len >>> 8) & 0xff, ~len & 0xff, (~len >>> 8) & 0xff]);
  return Buffer.concat([h, data]);
}

// A stored deflate block holds at most 65,535 bytes; a longer fragment (never, in practice) goes out as is.
function canGzip(fragment: Fragment): boolean {
  return fragment.bytes.length <= 0xffff;
}

/** The page with `fragment` in place of the slot, as identity bytes or as a gzip body. */
export function spliced(split: Split, fragment: Fragment, gzip: boolean): Buffer {
  const f = fragment.bytes;
  if (!gzip || !canGzip(fragment)) return Buffer.concat([split.head, f, split.tail]);
  split.gzHead ??= deflateRawSync(split.head, { level: 6, finishFlush: constants.Z_SYNC_FLUSH });
  split.gzTail ??= deflateRawSync(split.tail, { level: 6 });
  const withFragment = (multModP(fragment.x2n, split.crcHead) ^ fragment.crc) >>> 0;
  const crc = (multModP(split.x2nTail, withFragment) ^ split.crcTail) >>> 0;
  const size = GZIP_HEADER.length + split.gzHead.length + fragment.stored.length + split.gzTail.length + 8;
  const out = Buffer.allocUnsafe(size);
  let at = GZIP_HEADER.copy(out, 0);
  at += split.gzHead.copy(out, at);
  at += fragment.stored.copy(out, at);
  at += split.gzTail.copy(out, at);
  at = out.writeUInt32LE(crc, at);
  out.writeUInt32LE((split.head.length + f.length + split.tail.length) >>> 0, at);
  return out;
}

export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  let known = gzipAccepted.get(acceptEncoding);
  if (known === undefined) {
    known = acceptEncoding.split(',').some((part) => {
      const [name, ...params] = part.trim().toLowerCase().split(';');
      return (name === 'gzip' || name === '*') && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    });
    // Browsers send a handful of distinct, short values; anything else only costs a parse.
    if (acceptEncoding.length <= 100) {
      if (gzipAccepted.size >= 256) gzipAccepted.clear();
      gzipAccepted.set(acceptEncoding, known);
    }
  }
  return known;
}

const gzipAccepted = new Map<string, boolean>();

/** A validator for the personal variant: the shared page's ETag plus the reader's links. */
export function personalEtag(sharedEtag: string, fragment: Fragment): string {
  const inner =
    sharedEtag.charCodeAt(0) === 34
      ? sharedEtag.slice(1, -1)
      : sharedEtag.replace(/^W\//, '').replace(/"/g, '');
  return `W/"${inner}.${fragment.etagSuffix}"`;
}

/** A response body with the headers that go with it. */
export interface PersonalBody {
  body: Buffer;
  headers: Record<string, string>;
}

/** One page version as one reader gets it, each part made on first use. */
export interface PersonalVersion {
  readonly etag: string;
  /** The headers of a 304 for `etag`. */
  readonly notModified: Record<string, string>;
  gzip?: PersonalBody;
  identity?: PersonalBody;
}

interface Entry extends PersonalVersion {
  readonly page: PageVersion;
  readonly split: Split;
  readonly fragment: Fragment;
  readonly owner: Map<Fragment, Entry>;
  bytes: number;
}

/**
 * Readers' versions of pages, by page version and fragment, within a byte budget. Weakly keyed by the page
 * version, so a dropped page takes its readers' versions with it; beyond the budget the oldest go first
 * (first in, first out: a hit costs no bookkeeping, and a version is cheap to make again).
 */
export class PersonalPages {
  private readonly byPage = new WeakMap<PageVersion, Map<Fragment, Entry>>();
  private readonly order = new Set<Entry>();
  private bytes = 0;

  constructor(
    private readonly slot: Slot,
    private readonly maxBytes: number,
  ) {}

  /** The reader's version of an HTML page, or null when the page has no slot for the links. */
  get(page: PageVersion, fragment: Fragment): PersonalVersion | null {
    const owner = this.byPage.get(page);
    const known = owner?.get(fragment);
    if (known) return known;
    if (!page.contentType.startsWith('text/html')) return null;
    const split = splitAt(page.body, this.slot);
    if (!split) return null;
    const etag = personalEtag(page.etag, fragment);
    const entry: Entry = {
      etag,
      notModified: personalHeaders(page, headersFor(page, 'identity', null), etag),
      page,
      split,
      fragment,
      owner: owner ?? new Map(),
      // The entry keeps its page alive too (after the page cache dropped it), so the page counts.
      bytes: page.body.length,
    };
    // A page sent once and dropped (not in the page cache) will not be asked for again: nothing to keep.
    if (page.transient) return entry;
    if (!owner) this.byPage.set(page, entry.owner);
    entry.owner.set(fragment, entry);
    this.order.add(entry);
    this.bytes += entry.bytes;
    this.evict();
    return entry;
  }

  /** The body in gzip (from the pre-compressed halves) or as it is. */
  body(version: PersonalVersion, gzip: boolean): PersonalBody {
    const made = gzip ? version.gzip : version.identity;
    if (made) return made;
    const e = version as Entry;
    const body = spliced(e.split, e.fragment, gzip);
    const encoding = gzip && canGzip(e.fragment) ? 'gzip' : 'identity';
    const out = { body, headers: personalHeaders(e.page, headersFor(e.page, encoding, body), e.etag) };
    if (gzip) e.gzip = out;
    else e.identity = out;
    if (this.order.has(e)) {
      e.bytes += body.length;
      this.bytes += body.length;
      this.evict();
    }
    return out;
  }

  private evict(): void {
    for (const oldest of this.order) {
      if (this.bytes <= this.maxBytes || this.order.size <= 1) return;
      this.order.delete(oldest);
      oldest.owner.delete(oldest.fragment);
      this.bytes -= oldest.bytes;
    }
  }
}

// The shared headers with the personal ETag, kept out of shared caches and varying on the cookie.
function personalHeaders(
  page: PageVersion,
  shared: Record<string, string>,
  etag: string,
): Record<string, string> {
  const vary = shared.vary ?? '';
  return {
    ...shared,
    'cache-control': page.cacheControl.startsWith('public') ? 'private, no-cache' : 'private, no-store',
    vary: /cookie/i.test(vary) ? vary : vary ? `${vary}, Cookie` : 'Cookie',
    etag,
  };
}
