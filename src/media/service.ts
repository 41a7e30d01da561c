// Accepts uploaded images and serves resized renditions of them, whole or cropped to a fixed aspect around
// the picture's focal point. Uploads are checked (size, type, pixel count, integrity) before anything is
// stored; originals are kept byte-for-byte, renditions are made with sharp on first request and kept in
// storage from then on.
import { createHash } from 'node:crypto';
import type sharpModule from 'sharp';
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { type CropRegion, cropRegion, cropSize } from './crop.ts';
import { type MediaRecord, MediaRepository } from './repository.ts';
import type { MediaStorage } from './storage.ts';
import {
  CROP_ASPECTS,
  type CropAspect,
  type CropSpec,
  cropSegment,
  RENDITION_WIDTHS,
  type RenditionFormat,
  renditionExtension,
  renditionMime,
} from './urls.ts';

export type { MediaRecord } from './repository.ts';
export { RENDITION_WIDTHS, type RenditionFormat } from './urls.ts';

export interface MediaLimits {
  maxUploadBytes: number;
  maxImagePixels: number;
}

export interface ImageMeta {
  caption?: string;
  credit?: string;
  alt?: string;
  /** The file's name as the uploader's computer called it, kept for searching the library. */
  filename?: string;
  /** The staff account uploading it. */
  uploadedBy?: number | null;
}

/** What an upload became: a new record, or the one already holding these bytes with this text. */
export interface AddedImage {
  record: MediaRecord;
  existing: boolean;
}

/** A crop asked for under an older focal point: its address now is the same crop at `version`. */
export interface CropMoved {
  moved: true;
  version: number;
}

export interface Rendition {
  bytes: Buffer;
  mime: string;
  /** A strong validator: the quoted hash of exactly these bytes. */
  etag: string;
}

interface Accepted {
  mime: string;
  ext: string;
  width: number;
  height: number;
}

const RENDITION_QUALITY = 75;

// 'truncated' rather than sharp's default 'warning': a cut-off file is refused, but the harmless warnings
// many cameras' JPEGs raise (which browsers ignore) are not. Uploads and renditions must use the same
// setting, or an image accepted at upload could fail later on every request.
const FAIL_ON = 'truncated';

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// Only used to tell "a broken image of a kind we take" (MEDIA_INVALID) from "not an image we take"
// (MEDIA_UNSUPPORTED_TYPE) when sharp cannot read the bytes at all. Sharp decides the type otherwise.
function looksLikeAcceptedFormat(b: Buffer): boolean {
  const ascii = (start: number, end: number) => b.subarray(start, end).toString('latin1');
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true;
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return true;
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return true;
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return true;
  return ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12));
}

function acceptedFormat(format: string | undefined, compression: string | undefined) {
  switch (format) {
    case 'jpeg':
      return { mime: 'image/jpeg', ext: 'jpg' };
    case 'png':
      return { mime: 'image/png', ext: 'png' };
    case 'webp':
      return { mime: 'image/webp', ext: 'webp' };
    case 'gif':
      return { mime: 'image/gif', ext: 'gif' };
    case 'heif':
      // libvips reads AVIF and HEIC through the same loader; only AV1-compressed HEIF is AVIF.
      return compression === 'av1' ? { mime: 'image/avif', ext: 'avif' } : null;
    default:
      return null;
  }
}

const SUPPORTED_LIST = 'JPEG, PNG, WebP, GIF or AVIF';

export class MediaService {
  private readonly repo: MediaRepository;
  /** Rendition jobs in progress, by storage key: concurrent first requests wait on the same one. */
  private readonly inflight = new Map<string, Promise<Rendition>>();
  /** Uploads in progress, by sha256: the same bytes arriving twice at once must not make two records. */
  private readonly uploads = new Map<string, Promise<unknown>>();

  constructor(
    db: Db,
    private readonly storage: MediaStorage,
    /** Also read by upload forms, which stop reading a file once it passes the byte limit. */
    readonly limits: MediaLimits,
  ) {
    this.repo = new MediaRepository(db);
  }

  async addImage(bytes: Buffer, meta: ImageMeta): Promise<MediaRecord> {
    return (await this.addImageReporting(bytes, meta)).record;
  }

  /** addImage, also saying whether the record was already there (the same bytes with the same text). */
  async addImageReporting(bytes: Buffer, meta: ImageMeta): Promise<AddedImage> {
    const accepted = await this.inspect(bytes);
    const sha256 = sha256Hex(bytes);
    // Printed exactly as supplied (agency captions and credits are contractual): trimmed, nothing else.
    const caption = (meta.caption ?? '').trim();
    const credit = (meta.credit ?? '').trim();
    const alt = (meta.alt ?? '').trim();

    return this.oneAtATime(sha256, async () => {
      // Alt is compared too: an upload with better alt text must not silently get the old record back. The
      // text as first sent counts as well, so a wire picture sent again keeps the editor's changes to it.
      const existing = await this.repo.findBySha256(sha256);
      const same = existing.find(
        (r) =>
          (r.caption === caption && r.credit === credit && r.alt === alt) ||
          (r.sentCaption === caption && r.sentCredit === credit && r.sentAlt === alt),
      );
      if (same) return { record: same, existing: true };

      const storageKey = `originals/${sha256}.${accepted.ext}`;
      // Stored before the row is written, so a record never points at missing bytes. The key is the
      // content hash, so an original left behind by a failed insert is simply reused next time.
      if (!(await this.storage.has(storageKey))) await this.storage.put(storageKey, bytes);
      const record = await this.repo.insert({
        storageKey,
        sha256,
        mime: accepted.mime,
        width: accepted.width,
        height: accepted.height,
        bytes: bytes.length,
        caption,
        credit,
        alt,
        filename: cleanFilename(meta.filename),
        uploadedBy: meta.uploadedBy ?? null,
      });
      return { record, existing: false };
    });
  }

  async get(id: number): Promise<MediaRecord> {
    const record = await this.repo.findById(id);
    if (!record) throw notFound(id);
    return record;
  }

  /** The records that exist among `ids`, in the order asked, once each. Missing ids are skipped, not an error. */
  async getMany(ids: readonly number[]): Promise<MediaRecord[]> {
    const found = await this.repo.findManyByIds(ids);
    return [...new Set(ids)].flatMap((id) => found.get(id) ?? []);
  }

  /**
   * A resized copy of image `id`, `width` pixels wide (one of RENDITION_WIDTHS, or the original's own width).
   * Never wider than the original: larger requests get the original's width, stored once under that width.
   */
  async rendition(id: number, width: number, format: RenditionFormat): Promise<Rendition> {
    const record = await this.repo.findById(id);
    if (!record) throw notFound(id);
    checkFormat(id, format);
    const effective = allowedWidth(id, width, record.width, 'the original');
    return this.shared(`renditions/${record.id}/${effective}.${renditionExtension(format)}`, (key) =>
      this.storedOrMade(record, key, format, { width: effective }),
    );
  }

  /**
   * A copy of image `id` cut to `crop.aspect` around its focal point, then resized like rendition(). Only the
   * current focal point's version is made: an older one answers where that crop is now (CropMoved), so stale
   * pages still show a picture; a version that has never existed is not found.
   */
  async croppedRendition(
    id: number,
    crop: CropSpec,
    width: number,
    format: RenditionFormat,
  ): Promise<Rendition | CropMoved> {
    const record = await this.repo.findById(id);
    if (!record) throw notFound(id);
    checkFormat(id, format);
    if (!Object.hasOwn(CROP_ASPECTS, crop.aspect)) {
      throw new DatelineError(
        'MEDIA_NOT_FOUND',
        `Image ${id} has no ${String(crop.aspect)} crop: the crops made are ${Object.keys(CROP_ASPECTS).join(', ')}. ` +
          'Build image URLs with croppedMediaUrl() and one of those.',
      );
    }
    // The width is checked first, so that only addresses that would be served are sent on.
    const size = cropSize(record.width, record.height, crop.aspect);
    const effective = allowedWidth(id, width, size.width, `the ${crop.aspect} crop`);
    if (crop.version < record.focalVersion) return { moved: true, version: record.focalVersion };
    if (crop.version !== record.focalVersion) {
      throw new DatelineError(
        'MEDIA_NOT_FOUND',
        `Image ${id} has no focal point version ${crop.version} yet (the current one is ${record.focalVersion}). ` +
          'Build image URLs from the picture as it is now, with croppedMediaUrl().',
      );
    }
    const key = `renditions/${record.id}/${cropSegment(crop)}/${effective}.${renditionExtension(format)}`;
    return this.shared(key, (k) =>
      this.storedOrMade(record, k, format, {
        width: effective,
        region: cropRegion(record.width, record.height, crop.aspect, { x: record.focalX, y: record.focalY }),
      }),
    );
  }

  /**
   * The storage keys every crop of this record at focal `version` can have been stored under: what a focal
   * point change leaves behind. Keys are built the way croppedRendition builds them, never listed.
   */
  cropKeys(record: Pick<MediaRecord, 'id' | 'width' | 'height'>, version: number): string[] {
    const keys: string[] = [];
    for (const aspect of Object.keys(CROP_ASPECTS) as CropAspect[]) {
      const full = cropSize(record.width, record.height, aspect).width;
      const widths = new Set([...RENDITION_WIDTHS.map((w) => Math.min(w, full)), full]);
      for (const w of widths) {
        for (const format of ['webp', 'jpeg'] as const) {
          keys.push(
            `renditions/${record.id}/${cropSegment({ aspect, version })}/${w}.${renditionExtension(format)}`,
          );
        }
      }
    }
    return keys;
  }

  /** Removes stored renditions; a key that was never made is not an error. */
  async forgetRenditions(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.storage.delete(key);
  }

  /** One job per storage key: concurrent first requests for a rendition wait on the same sharp run. */
  private shared(key: string, make: (key: string) => Promise<Rendition>): Promise<Rendition> {
    const running = this.inflight.get(key);
    if (running) return running;
    const job = make(key).finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
    return job;
  }

  private async storedOrMade(
    record: MediaRecord,
    key: string,
    format: RenditionFormat,
    shape: { width: number; region?: CropRegion },
  ): Promise<Rendition> {
    const mime = renditionMime(format);
    const stored = await this.storage.get(key);
    if (stored) return { bytes: stored, mime, etag: etagOf(stored) };

    const original = await this.storage.get(record.storageKey);
    if (!original) {
      // The database and the media directory disagree: an operator problem, not a bad request.
      throw new Error(
        `The original of image ${record.id} is missing from media storage (key ${record.storageKey}). ` +
          'Restore the media directory from backup, or upload the image again.',
      );
    }
    // Auto-orient so EXIF-rotated photos show upright; sharp writes no metadata (EXIF, GPS, ICC) unless asked,
    // and converts to sRGB, so renditions carry none of the original's metadata.
    // The crop region is in displayed coordinates, so the picture is turned upright before it is cut.
    const sharp = await loadSharp();
    const upright = sharp(original, {
      limitInputPixels: this.limits.maxImagePixels,
      failOn: FAIL_ON,
    }).autoOrient();
    const pipeline = (shape.region ? upright.extract(shape.region) : upright).resize({
      width: shape.width,
      withoutEnlargement: true,
    });
    const bytes =
      format === 'webp'
        ? await pipeline.webp({ quality: RENDITION_QUALITY }).toBuffer()
        : // JPEG has no transparency: flatten onto white rather than the default black.
          await pipeline
            .flatten({ background: '#ffffff' })
            .jpeg({ quality: RENDITION_QUALITY, progressive: true })
            .toBuffer();
    await this.storage.put(key, bytes);
    return { bytes, mime, etag: etagOf(bytes) };
  }

  /** Checks an upload before anything is stored; cheapest checks first, full decode last. */
  private async inspect(bytes: Buffer): Promise<Accepted> {
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
      throw new DatelineError(
        'MEDIA_INVALID',
        'The upload is empty: no image bytes arrived. Choose the file again.',
      );
    }
    const { maxUploadBytes, maxImagePixels } = this.limits;
    if (bytes.length > maxUploadBytes) {
      throw new DatelineError(
        'MEDIA_TOO_LARGE',
        `The image is ${mb(bytes.length)}, over the ${mb(maxUploadBytes)} upload limit. ` +
          'Export it smaller or with more compression and upload it again.',
      );
    }

    // Header only: no pixels are decoded yet, so a decompression bomb costs nothing to look at. The pixel
    // limit is checked below, by us, so that it is reported as too large rather than as unreadable.
    const sharp = await loadSharp();
    let metadata: sharpModule.Metadata;
    try {
      metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch (cause) {
      if (looksLikeAcceptedFormat(bytes)) {
        throw new DatelineError(
          'MEDIA_INVALID',
          'The file looks like an image but could not be read: it is probably damaged or incomplete. ' +
            'Open it in an image editor, save a fresh copy and upload that.',
          undefined,
          { cause },
        );
      }
      throw unsupported('The file is not an image we can read', cause);
    }

    const format = acceptedFormat(metadata.format, metadata.compression);
    if (!format) throw unsupported(`The file is ${describeFormat(metadata)}`);

    // autoOrient gives the size as displayed, which is what layout (width/height attributes) needs.
    const width = metadata.autoOrient?.width ?? metadata.width;
    const height = metadata.autoOrient?.height ?? metadata.height;
    if (!(width >= 1 && height >= 1)) {
      throw new DatelineError(
        'MEDIA_INVALID',
        `The image says it is ${width}×${height} pixels, which cannot be shown. Save a fresh copy and upload that.`,
      );
    }
    if (width * height > maxImagePixels) {
      throw new DatelineError(
        'MEDIA_TOO_LARGE',
        `The image is ${width}×${height} pixels (${mp(width * height)}), over the ${mp(maxImagePixels)} limit ` +
          'that protects the server from images that expand to huge sizes in memory. Resize it and upload it again.',
      );
    }

    // The header can be fine while the data is cut short; decoding (into a tiny thumbnail, to keep it cheap)
    // is the only way to know every rendition will work. limitInputPixels is the second guard against bombs.
    try {
      await (await loadSharp())(bytes, { limitInputPixels: maxImagePixels, failOn: FAIL_ON })
        .resize({ width: 16, height: 16, fit: 'inside' })
        .raw()
        .toBuffer();
    } catch (cause) {
      if (cause instanceof Error && /pixel limit/i.test(cause.message)) {
        throw new DatelineError(
          'MEDIA_TOO_LARGE',
          `The image has more pixels than the ${mp(maxImagePixels)} limit. Resize it and upload it again.`,
          undefined,
          { cause },
        );
      }
      throw new DatelineError(
        'MEDIA_INVALID',
        `The ${format.ext.toUpperCase()} file is damaged or incomplete, so it cannot be decoded. ` +
          'Open it in an image editor, save a fresh copy and upload that.',
        undefined,
        { cause },
      );
    }
    return { ...format, width, height };
  }

  /** Runs `task` after any other upload of the same bytes in this process has finished. */
  private async oneAtATime<T>(sha256: string, task: () => Promise<T>): Promise<T> {
    const before = this.uploads.get(sha256) ?? Promise.resolve();
    const mine = before.catch(() => {}).then(task);
    this.uploads.set(sha256, mine);
    try {
      return await mine;
    } finally {
      if (this.uploads.get(sha256) === mine) this.uploads.delete(sha256);
    }
  }
}

function checkFormat(id: number, format: RenditionFormat): void {
  if (format !== 'webp' && format !== 'jpeg') {
    throw new DatelineError(
      'MEDIA_NOT_FOUND',
      `Image ${id} has no ${String(format)} version: renditions are made as webp or jpg only. ` +
        'Ask for /media/<id>/<width>.webp or .jpg.',
    );
  }
}

/**
 * The width a rendition is made at: one of RENDITION_WIDTHS or the source's own, never wider than the source.
 * Only a fixed set of widths, so a crawler cannot make us resize (and store) every width there is.
 */
function allowedWidth(id: number, width: number, sourceWidth: number, source: string): number {
  if (!RENDITION_WIDTHS.includes(width) && width !== sourceWidth) {
    throw new DatelineError(
      'MEDIA_NOT_FOUND',
      `Image ${id} has no rendition ${width} pixels wide: the widths made are ${RENDITION_WIDTHS.join(', ')} ` +
        `and ${source}'s ${sourceWidth}. Build image URLs with mediaUrl() and one of those widths.`,
    );
  }
  return Math.min(width, sourceWidth);
}

// What a browser sends as the file's name, made safe to keep and show: the last path part only (old browsers
// sent C:\fakepath\...), no control characters, at most 255 characters.
function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const printable = [...base].filter((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code >= 0x20 && code !== 0x7f;
  });
  return printable.join('').trim().slice(0, 255);
}

function etagOf(bytes: Buffer): string {
  return `"${sha256Hex(bytes).slice(0, 32)}"`;
}

function notFound(id: number): DatelineError {
  return new DatelineError(
    'MEDIA_NOT_FOUND',
    `There is no image with id ${id}. It may never have existed; check the id in the article or page.`,
  );
}

function unsupported(what: string, cause?: unknown): DatelineError {
  return new DatelineError(
    'MEDIA_UNSUPPORTED_TYPE',
    `${what}, and only ${SUPPORTED_LIST} images are accepted. Convert it to one of those and upload it again.`,
    undefined,
    cause === undefined ? undefined : { cause },
  );
}

function describeFormat(m: sharpModule.Metadata): string {
  if (m.format === 'heif')
    return `a HEIF image (${m.compression ?? 'unknown'} compression, such as an iPhone HEIC)`;
  return `in ${m.format.toUpperCase()} format`;
}

/** The refusal of a file that was not read to its end because it passed the upload limit. */
export function cutOffUpload(maxUploadBytes: number): DatelineError {
  return new DatelineError(
    'MEDIA_TOO_LARGE',
    `The image is larger than the ${mb(maxUploadBytes)} upload limit, so it was not stored. ` +
      'Export it smaller or with more compression and upload it again.',
  );
}

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

function mp(n: number): string {
  return `${(n / 1_000_000).toFixed(1)} megapixels`;
}

// sharp and libvips take tens of megabytes once loaded; a server that only serves cached pages and stored
// renditions never needs them, so they load on first use.
let sharpLoaded: Promise<typeof sharpModule> | null = null;
function loadSharp(): Promise<typeof sharpModule> {
  sharpLoaded ??= import('sharp').then((m) => m.default);
  return sharpLoaded;
}
