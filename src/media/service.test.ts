// MediaService on both dialects, with real images made by sharp and a real directory for storage.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { MediaService, RENDITION_WIDTHS } from './service.ts';
import { FilesystemStorage, type MediaStorage } from './storage.ts';

const LIMITS = { maxUploadBytes: 2_000_000, maxImagePixels: 4_000_000 };

/** Real storage that also records every call, so tests can see what the service read and wrote. */
class SpyStorage implements MediaStorage {
  readonly calls: string[] = [];
  constructor(private readonly inner: MediaStorage) {}
  count(op: string, key: string): number {
    return this.calls.filter((c) => c === `${op} ${key}`).length;
  }
  put(key: string, bytes: Buffer) {
    this.calls.push(`put ${key}`);
    return this.inner.put(key, bytes);
  }
  get(key: string) {
    this.calls.push(`get ${key}`);
    return this.inner.get(key);
  }
  has(key: string) {
    this.calls.push(`has ${key}`);
    return this.inner.has(key);
  }
  delete(key: string) {
    this.calls.push(`delete ${key}`);
    return this.inner.delete(key);
  }
}

// Each image gets its own colour so that tests sharing a database never dedupe against each other.
let hue = 0;
function image(width: number, height: number): sharp.Sharp {
  hue += 1;
  return sharp({
    create: { width, height, channels: 3, background: { r: hue % 256, g: (hue * 7) % 256, b: 90 } },
  });
}

async function rejectsWith(promise: Promise<unknown>, name: Parameters<typeof isDatelineError>[1]) {
  await assert.rejects(promise, (err) => {
    assert.ok(isDatelineError(err, name), `expected ${name}, got ${String(err)}`);
    assert.ok((err as Error).message.length > 40, 'message says what happened and what to do');
    return true;
  });
}

/** A valid PNG header claiming any size, with a scrap of data: what a decompression bomb looks like up front. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await image(1, 1).png().toBuffer());
  // IHDR: length(4) 'IHDR'(4) at offset 8, then width and height, then its CRC over type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

describeEachDialect('MediaService', (ctx) => {
  let root: string;
  let storage: SpyStorage;
  let media: MediaService;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dateline-media-'));
    storage = new SpyStorage(new FilesystemStorage(root));
    media = new MediaService(ctx.db, storage, LIMITS);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('addImage', () => {
    it('accepts each supported type, sniffed from the bytes, and keeps the original byte for byte', async () => {
      const cases = [
        ['jpeg', 'image/jpeg', 'jpg'],
        ['png', 'image/png', 'png'],
        ['webp', 'image/webp', 'webp'],
        ['gif', 'image/gif', 'gif'],
        ['avif', 'image/avif', 'avif'],
      ] as const;
      for (const [format, mime, ext] of cases) {
        const bytes = await image(64, 48).toFormat(format).toBuffer();
        const record = await media.addImage(bytes, { caption: format });
        assert.equal(record.mime, mime);
        assert.equal(record.storageKey, `originals/${record.sha256}.${ext}`);
        assert.deepEqual([record.width, record.height, record.bytes], [64, 48, bytes.length]);
        assert.deepEqual(await storage.get(record.storageKey), bytes);
      }
    });

    it('goes by the content, not the name: PNG bytes sent as a .jpg are a PNG', async () => {
      const renamedPng = await image(40, 30).png().toBuffer();
      const record = await media.addImage(renamedPng, { caption: 'holiday.jpg' });
      assert.equal(record.mime, 'image/png');
      assert.match(record.storageKey, /\.png$/);
    });

    it('refuses what is not a supported image', async () => {
      await rejectsWith(
        media.addImage(Buffer.from('Just some notes, not a photo.\n'), {}),
        'MEDIA_UNSUPPORTED_TYPE',
      );
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
      await rejectsWith(media.addImage(Buffer.from(svg), {}), 'MEDIA_UNSUPPORTED_TYPE');
      await rejectsWith(media.addImage(await image(10, 10).tiff().toBuffer(), {}), 'MEDIA_UNSUPPORTED_TYPE');
    });

    it('refuses damaged images of a supported type as invalid', async () => {
      const jpeg = await sharp({
        create: {
          width: 400,
          height: 300,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .jpeg()
        .toBuffer();
      // The header survives, so only decoding the data finds the damage.
      await rejectsWith(media.addImage(jpeg.subarray(0, jpeg.length >> 1), {}), 'MEDIA_INVALID');
      const png = await image(50, 50).png().toBuffer();
      await rejectsWith(media.addImage(png.subarray(0, 20), {}), 'MEDIA_INVALID');
      await rejectsWith(media.addImage(Buffer.alloc(0), {}), 'MEDIA_INVALID');
    });

    it('refuses uploads over the byte limit before decoding them', async () => {
      const noisy = await sharp({
        create: {
          width: 1000,
          height: 1000,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 60 },
        },
      })
        .png()
        .toBuffer();
      assert.ok(noisy.length > LIMITS.maxUploadBytes);
      await rejectsWith(media.addImage(noisy, {}), 'MEDIA_TOO_LARGE');
    });

    // How fast the refusal is (no pixel decoded) is measured by `npm run bench` (bench/guard-timings.ts).
    it('refuses decompression bombs from the header', async () => {
      const claim = await pngClaiming(20_000, 20_000);
      assert.ok(claim.length < 200);
      await rejectsWith(media.addImage(claim, {}), 'MEDIA_TOO_LARGE');

      // A real, fully valid bomb: 25 megapixels of one colour squeeze into a few kilobytes.
      const bomb = await image(5000, 5000).png({ compressionLevel: 9 }).toBuffer();
      assert.ok(bomb.length < 100_000);
      await rejectsWith(media.addImage(bomb, {}), 'MEDIA_TOO_LARGE');
    });

    it('refuses images with no pixels to show', async () => {
      await rejectsWith(media.addImage(await pngClaiming(0, 10), {}), 'MEDIA_INVALID');
    });

    it('dedupes the same bytes with the same text, and reuses the original for new text', async () => {
      const bytes = await image(120, 80).jpeg().toBuffer();
      const meta = { caption: 'Harbour at dawn', credit: 'Reuters', alt: 'Boats' };
      const first = await media.addImage(bytes, meta);
      const again = await media.addImage(bytes, { ...meta, caption: '  Harbour at dawn \n' });
      assert.equal(again.id, first.id);

      const recaptioned = await media.addImage(bytes, { ...meta, caption: 'Harbour at first light' });
      assert.notEqual(recaptioned.id, first.id);
      assert.equal(recaptioned.storageKey, first.storageKey);
      const realtered = await media.addImage(bytes, { ...meta, alt: 'Fishing boats moored at dawn' });
      assert.notEqual(realtered.id, first.id);
      assert.notEqual(realtered.id, recaptioned.id);
      assert.equal(storage.count('put', first.storageKey), 1);

      // Both records serve renditions from the one original.
      assert.equal((await media.rendition(recaptioned.id, 480, 'webp')).mime, 'image/webp');
    });

    it('makes one record when the same upload arrives twice at once', async () => {
      const bytes = await image(90, 60).png().toBuffer();
      const [a, b] = await Promise.all([
        media.addImage(bytes, { caption: 'twice' }),
        media.addImage(bytes, { caption: 'twice' }),
      ]);
      assert.equal(a.id, b.id);
    });

    it('stores caption and credit exactly as supplied, only trimmed', async () => {
      const caption = 'Le Président « fatigué » — 2 000 m², 5\u00a0km  apart; <b>not markup</b> & co.';
      const credit = 'AP Photo/Jörg  Müller ©';
      const record = await media.addImage(await image(30, 20).png().toBuffer(), {
        caption: `\n ${caption} \t`,
        credit: ` ${credit}`,
      });
      const stored = await media.get(record.id);
      assert.equal(stored.caption, caption);
      assert.equal(stored.credit, credit);
      assert.equal(stored.alt, '');
    });

    it('records the displayed size of EXIF-rotated photos and keeps their metadata in the original', async () => {
      const sideways = await image(300, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();
      const record = await media.addImage(sideways, {});
      assert.deepEqual([record.width, record.height], [100, 300]);
      assert.equal((await sharp((await storage.get(record.storageKey))!).metadata()).orientation, 6);
    });
  });

  describe('get and getMany', () => {
    it('reads records by id and reports unknown ids', async () => {
      const a = await media.addImage(await image(20, 20).png().toBuffer(), {});
      const b = await media.addImage(await image(20, 20).png().toBuffer(), {});
      assert.equal((await media.get(a.id)).sha256, a.sha256);
      await rejectsWith(media.get(987_654), 'MEDIA_NOT_FOUND');
      const many = await media.getMany([b.id, 987_654, a.id, b.id]);
      assert.deepEqual(
        many.map((r) => r.id),
        [b.id, a.id],
      );
      assert.deepEqual(await media.getMany([]), []);
    });
  });

  describe('rendition', () => {
    it('makes a rendition once, then serves it from storage', async () => {
      const record = await media.addImage(await image(1000, 500).jpeg().toBuffer(), {});
      const key = `renditions/${record.id}/800.webp`;
      const first = await media.rendition(record.id, 800, 'webp');
      assert.equal(first.mime, 'image/webp');
      assert.match(first.etag, /^"[0-9a-f]{32}"$/);
      const info = await sharp(first.bytes).metadata();
      assert.deepEqual([info.format, info.width, info.height], ['webp', 800, 400]);
      assert.equal(await storage.has(key), true);
      assert.equal(storage.count('put', key), 1);

      // With the original gone, only the stored rendition can answer: no second sharp job.
      await storage.delete(record.storageKey);
      const second = await media.rendition(record.id, 800, 'webp');
      assert.deepEqual(second, first);
      assert.equal(storage.count('put', key), 1);
    });

    it('makes JPEGs with transparency flattened onto white and no metadata', async () => {
      const png = await sharp({
        create: { width: 900, height: 600, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
      })
        .png()
        .toBuffer();
      const record = await media.addImage(png, {});
      const jpeg = await media.rendition(record.id, 480, 'jpeg');
      assert.equal(jpeg.mime, 'image/jpeg');
      const info = await sharp(jpeg.bytes).metadata();
      assert.deepEqual([info.format, info.width, info.hasAlpha], ['jpeg', 480, false]);
      const { dominant } = await sharp(jpeg.bytes).stats();
      assert.ok(dominant.r > 240 && dominant.g > 240 && dominant.b > 240, 'white, not black');
      assert.equal(await storage.has(`renditions/${record.id}/480.jpg`), true);
    });

    it('auto-orients and strips metadata', async () => {
      const sideways = await image(1200, 600).jpeg().withMetadata({ orientation: 6 }).toBuffer();
      const record = await media.addImage(sideways, {});
      const { bytes } = await media.rendition(record.id, 480, 'jpeg');
      const info = await sharp(bytes).metadata();
      assert.deepEqual([info.width, info.height], [480, 960]);
      assert.equal(info.orientation, undefined);
      assert.equal(info.exif, undefined);
      assert.equal(info.icc, undefined);
    });

    it('never upscales: wider requests get the original width, stored once', async () => {
      const record = await media.addImage(await image(600, 400).png().toBuffer(), {});
      const big = await media.rendition(record.id, 1600, 'webp');
      assert.equal((await sharp(big.bytes).metadata()).width, 600);
      const medium = await media.rendition(record.id, 800, 'webp');
      const own = await media.rendition(record.id, 600, 'webp');
      assert.equal(medium.etag, big.etag);
      assert.equal(own.etag, big.etag);
      assert.equal(storage.count('put', `renditions/${record.id}/600.webp`), 1);
      assert.ok(!storage.calls.includes(`put renditions/${record.id}/1600.webp`));
    });

    it('serves small originals at their own width', async () => {
      const record = await media.addImage(await image(300, 200).png().toBuffer(), {});
      const own = await media.rendition(record.id, 300, 'jpeg');
      assert.equal((await sharp(own.bytes).metadata()).width, 300);
    });

    it('shares one job between concurrent first requests', async () => {
      const record = await media.addImage(await image(1400, 700).jpeg().toBuffer(), {});
      const key = `renditions/${record.id}/1200.webp`;
      const results = await Promise.all(
        Array.from({ length: 6 }, () => media.rendition(record.id, 1200, 'webp')),
      );
      assert.equal(storage.count('put', key), 1);
      assert.equal(storage.count('get', record.storageKey), 1);
      assert.equal(new Set(results.map((r) => r.etag)).size, 1);
    });

    it('refuses unknown ids, widths outside the list and other formats', async () => {
      const record = await media.addImage(await image(2000, 1000).jpeg().toBuffer(), {});
      await rejectsWith(media.rendition(987_654, 800, 'webp'), 'MEDIA_NOT_FOUND');
      await rejectsWith(media.rendition(99_999_999_999, 800, 'webp'), 'MEDIA_NOT_FOUND');
      await rejectsWith(media.rendition(record.id, 500, 'webp'), 'MEDIA_NOT_FOUND');
      await rejectsWith(media.rendition(record.id, 800, 'png' as 'webp'), 'MEDIA_NOT_FOUND');
      for (const width of RENDITION_WIDTHS) {
        assert.equal(
          (await sharp((await media.rendition(record.id, width, 'webp')).bytes).metadata()).width,
          width,
        );
      }
    });
  });
});
