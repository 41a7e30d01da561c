// How the signed-in name reaches pages without entering the shared page cache. Every page is rendered and
// cached with the signed-out header links (the same bytes on every page). For a request with a valid
// session, the response leaving the server has those bytes swapped for the reader's own links, after the
// cache and outside it; nothing personal is ever stored there. Works with JavaScript off.
//
// Compression stays cheap: the cached page is split once, at the slot, into a head and a tail, each
// deflated once (the head ending on a byte-aligned sync flush, the tail a fresh final stream) and kept with
// the page. A personal response is then a gzip member of: head bytes, the reader's links as a stored
// (uncompressed) deflate block, tail bytes, and a CRC combined arithmetically. No compression runs per
// request. (Brotli has no such splice, so signed-in readers get gzip.)
import { createHash } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';

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

// Keyed by the cached body itself, so the split lives exactly as long as the cached page version.
const splits = new WeakMap<Buffer, Split | null>();

export function splitAt(body: Buffer, slot: Buffer): Split | null {
  const known = splits.get(body);
  if (known !== undefined) return known;
  const at = body.indexOf(slot);
  const split =
    at < 0
      ? null
      : (() => {
          const head = body.subarray(0, at);
          const tail = body.subarray(at + slot.length);
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

/** The page with `fragment` in place of the slot, as identity bytes or as a gzip body. */
export function spliced(split: Split, fragment: Fragment, gzip: boolean): Buffer {
  const f = fragment.bytes;
  if (!gzip || f.length > 0xffff) return Buffer.concat([split.head, f, split.tail]);
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
  return acceptEncoding.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    return (name === 'gzip' || name === '*') && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

/** A validator for the personal variant: the shared page's ETag plus the reader's links. */
export function personalEtag(sharedEtag: string, fragment: Fragment): string {
  const inner =
    sharedEtag.charCodeAt(0) === 34
      ? sharedEtag.slice(1, -1)
      : sharedEtag.replace(/^W\//, '').replace(/"/g, '');
  return `W/"${inner}.${fragment.etagSuffix}"`;
}
