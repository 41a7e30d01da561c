// Cropped renditions on both dialects: cut around the focal point (in the picture's displayed orientation),
// resized like whole renditions, addressed by focal version, and refused for shapes and widths not offered.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { cropSize } from './crop.ts';
import type { MediaRecord } from './repository.ts';
import { type CropMoved, MediaService, type Rendition } from './service.ts';
import { FilesystemStorage } from './storage.ts';
import { RENDITION_WIDTHS } from './urls.ts';

const LIMITS = { maxUploadBytes: 5_000_000, maxImagePixels: 10_000_000 };
const RED = { r: 220, g: 20, b: 20 };
const BLUE = { r: 20, g: 20, b: 220 };

let shade = 0;
/** A picture whose left half is red and right half blue; a different green each time, so none dedupe. */
async function halves(width: number, height: number): Promise<sharp.Sharp> {
  shade += 1;
  const half = (c: typeof RED) =>
    sharp({ create: { width: width / 2, height, channels: 3, background: { ...c, g: shade } } })
      .png()
      .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#000' } }).composite([
    { input: await half(RED), left: 0, top: 0 },
    { input: await half(BLUE), left: width / 2, top: 0 },
  ]);
}

async function colourAt(bytes: Buffer, x: number, y: number): Promise<'red' | 'blue'> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  const [r, , b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
  assert.ok(Math.abs(r - b) > 100, `a clear colour at ${x},${y}: ${r},${b}`);
  return r > b ? 'red' : 'blue';
}

function made(r: Rendition | CropMoved): Rendition {
  assert.ok(!('moved' in r), 'a rendition, not a move');
  return r;
}

describeEachDialect('cropped renditions', (ctx) => {
  let root: string;
  let storage: FilesystemStorage;
  let media: MediaService;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dateline-crops-'));
    storage = new FilesystemStorage(root);
    media = new MediaService(ctx.db, storage, LIMITS);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function focus(record: MediaRecord, x: number, y: number): Promise<MediaRecord> {
    await ctx.db.kysely
      .updateTable('media')
      .set((eb) => ({ focal_x: x, focal_y: y, focal_version: eb('focal_version', '+', 1) }))
      .where('id', '=', record.id)
      .execute();
    return media.get(record.id);
  }

  describe('croppedRendition', () => {
    it('cuts the aspect around the focal point, then resizes', async () => {
      const record = await media.addImage(await (await halves(1600, 900)).png().toBuffer(), {});
      const centre = made(
        await media.croppedRendition(record.id, { aspect: '16x9', version: 0 }, 800, 'webp'),
      );
      assert.deepEqual(
        [(await sharp(centre.bytes).metadata()).width, (await sharp(centre.bytes).metadata()).height],
        [800, 450],
      );

      const left = await focus(record, 0, 0.5);
      const square = made(
        await media.croppedRendition(record.id, { aspect: '1x1', version: 1 }, 480, 'jpeg'),
      );
      const info = await sharp(square.bytes).metadata();
      assert.deepEqual([info.format, info.width, info.height], ['jpeg', 480, 480]);
      assert.equal(await colourAt(square.bytes, 240, 240), 'red');
      assert.equal(left.focalVersion, 1);

      await focus(record, 1, 0.5);
      const right = made(await media.croppedRendition(record.id, { aspect: '1x1', version: 2 }, 480, 'jpeg'));
      assert.equal(await colourAt(right.bytes, 240, 240), 'blue');
      assert.equal(await storage.has(`renditions/${record.id}/1x1-v2/480.jpg`), true);
    });

    it('crops the picture as displayed: EXIF rotation is applied before the cut', async () => {
      // Stored 1200x600 with the red half on the left; orientation 6 shows it 600x1200, red on top.
      const sideways = await (await halves(1200, 600)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
      const record = await media.addImage(sideways, {});
      assert.deepEqual([record.width, record.height], [600, 1200]);
      await focus(record, 0.5, 0);
      const top = made(await media.croppedRendition(record.id, { aspect: '1x1', version: 1 }, 480, 'webp'));
      assert.equal(await colourAt(top.bytes, 240, 240), 'red');
      await focus(record, 0.5, 1);
      const bottom = made(
        await media.croppedRendition(record.id, { aspect: '1x1', version: 2 }, 480, 'webp'),
      );
      assert.equal(await colourAt(bottom.bytes, 240, 240), 'blue');
      assert.equal((await sharp(bottom.bytes).metadata()).orientation, undefined);
    });

    it('sends an older focal version on to the current one and refuses versions not yet made', async () => {
      const record = await media.addImage(await (await halves(1000, 800)).png().toBuffer(), {});
      await focus(record, 0.2, 0.2);
      await focus(record, 0.3, 0.3);
      assert.deepEqual(await media.croppedRendition(record.id, { aspect: '4x3', version: 0 }, 800, 'webp'), {
        moved: true,
        version: 2,
      });
      assert.deepEqual(await media.croppedRendition(record.id, { aspect: '4x3', version: 1 }, 800, 'webp'), {
        moved: true,
        version: 2,
      });
      made(await media.croppedRendition(record.id, { aspect: '4x3', version: 2 }, 800, 'webp'));
      await assert.rejects(
        media.croppedRendition(record.id, { aspect: '4x3', version: 3 }, 800, 'webp'),
        (e) => isDatelineError(e, 'MEDIA_NOT_FOUND'),
      );
    });

    it('offers the fixed widths and the crop’s own, never wider than the crop', async () => {
      // 1000x800 cut to 16x9 is 1000x563.
      const record = await media.addImage(await (await halves(1000, 800)).png().toBuffer(), {});
      const crop = { aspect: '16x9', version: 0 } as const;
      const own = made(await media.croppedRendition(record.id, crop, 1000, 'webp'));
      assert.deepEqual(
        [(await sharp(own.bytes).metadata()).width, (await sharp(own.bytes).metadata()).height],
        [1000, 563],
      );
      const wider = made(await media.croppedRendition(record.id, crop, 1600, 'webp'));
      assert.equal(wider.etag, own.etag);
      assert.equal(await storage.has(`renditions/${record.id}/16x9-v0/1600.webp`), false);
      for (const width of RENDITION_WIDTHS.filter((w) => w < 1000)) {
        const r = made(await media.croppedRendition(record.id, crop, width, 'jpeg'));
        assert.equal((await sharp(r.bytes).metadata()).width, width);
      }
      for (const bad of [999, 563, 1001]) {
        await assert.rejects(media.croppedRendition(record.id, crop, bad, 'webp'), (e) =>
          isDatelineError(e, 'MEDIA_NOT_FOUND'),
        );
      }
      await assert.rejects(
        media.croppedRendition(record.id, { aspect: '2x1' as '1x1', version: 0 }, 800, 'webp'),
        (e) => isDatelineError(e, 'MEDIA_NOT_FOUND'),
      );
      await assert.rejects(media.croppedRendition(987_654, crop, 800, 'webp'), (e) =>
        isDatelineError(e, 'MEDIA_NOT_FOUND'),
      );
    });

    it('names every key a crop of one version can be stored under, and no other', async () => {
      const record = await media.addImage(await (await halves(1000, 800)).png().toBuffer(), {});
      const keys = media.cropKeys(record, 0);
      for (const aspect of ['16x9', '3x2', '4x3', '1x1', '4x5'] as const) {
        for (const width of [...RENDITION_WIDTHS, 'own'] as const) {
          for (const format of ['webp', 'jpeg'] as const) {
            const r = await media.croppedRendition(
              record.id,
              { aspect, version: 0 },
              width === 'own' ? cropSize(1000, 800, aspect).width : width,
              format,
            );
            made(r);
          }
        }
      }
      // Exactly the files made: 480, 800 and the crop's own width for the landscape crops (1000), 480 and 800
      // square, 480 and 640 portrait; in two formats.
      const stored = (await readdir(join(root, 'renditions', String(record.id)), { recursive: true }))
        .filter((f) => /\.(webp|jpg)$/.test(f))
        .map((f) => `renditions/${record.id}/${f.split(sep).join('/')}`);
      assert.deepEqual([...keys].sort(), stored.sort());
      assert.equal(keys.length, 26);
    });
  });

  describe('addImage keeps what it is told about the upload', () => {
    it('keeps the file name without its folders or control characters, and the uploader', async () => {
      const record = await media.addImage(await (await halves(40, 20)).png().toBuffer(), {
        filename: 'C:\\fakepath\\Harbour\u0007 at dawn.png ',
      });
      assert.equal(record.filename, 'Harbour at dawn.png');
      assert.equal(record.uploadedBy, null);
      const other = await media.addImage(await (await halves(40, 20)).png().toBuffer(), {
        filename: 'uploads/2026/quay.png',
      });
      assert.equal(other.filename, 'quay.png');
    });

    it('gives a picture sent again its record with the editor’s text, matching the text as first sent', async () => {
      const bytes = await (await halves(60, 40)).jpeg().toBuffer();
      const sent = { caption: 'Agency caption', credit: 'Agency', alt: '' };
      const first = await media.addImageReporting(bytes, sent);
      assert.equal(first.existing, false);
      await ctx.db.kysely
        .updateTable('media')
        .set({ caption: 'Edited caption', alt: 'Boats' })
        .where('id', '=', first.record.id)
        .execute();
      const again = await media.addImageReporting(bytes, sent);
      assert.deepEqual(
        [again.existing, again.record.id, again.record.caption],
        [true, first.record.id, 'Edited caption'],
      );
      const edited = await media.addImageReporting(bytes, {
        caption: 'Edited caption',
        credit: 'Agency',
        alt: 'Boats',
      });
      assert.equal(edited.record.id, first.record.id);
      const other = await media.addImageReporting(bytes, { ...sent, caption: 'Another caption' });
      assert.equal(other.existing, false);
    });
  });
});
