// MediaLibrary on both dialects: browsing and searching, usage, text edits with their record and audit row,
// focal point moves that readdress crops, and several uploads at once that succeed or fail one by one.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { insertAccount } from '../accounts/repository.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { type MediaActor, MediaLibrary } from './library.ts';
import type { MediaRecord } from './repository.ts';
import { MediaService } from './service.ts';
import { FilesystemStorage } from './storage.ts';

const LIMITS = { maxUploadBytes: 300_000, maxImagePixels: 4_000_000 };

let hue = 0;
function png(width = 64, height = 48): Promise<Buffer> {
  hue += 1;
  return sharp({
    create: { width, height, channels: 3, background: { r: hue % 256, g: (hue * 5) % 256, b: 7 } },
  })
    .png()
    .toBuffer();
}

describeEachDialect('MediaLibrary', (ctx) => {
  let root: string;
  let s: ReturnType<typeof services>;
  let media: MediaService;
  let library: MediaLibrary;
  let editor: MediaActor;
  let editorName: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dateline-library-'));
    s = services(ctx.db);
    media = new MediaService(ctx.db, new FilesystemStorage(root), LIMITS);
    library = new MediaLibrary({ db: ctx.db, media, events: s.events });
    editorName = 'Eddie Editor';
    const id = await insertAccount(ctx.db.kysely, {
      email: 'eddie@example.test',
      emailVerifiedAt: new Date(),
      displayName: editorName,
      passwordHash: null,
    });
    editor = { userId: id, actor: `user:${id}` };
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function auditRows(subjectId: number) {
    const rows = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_type', '=', 'media')
      .where('subject_id', '=', String(subjectId))
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ actor: r.actor, action: r.action, detail: JSON.parse(r.detail) }));
  }

  describe('browse', () => {
    it('lists newest first, a page at a time, with how many stories use each', async () => {
      const made: MediaRecord[] = [];
      for (let i = 0; i < 5; i++) made.push(await media.addImage(await png(), { caption: `Browse ${i}` }));
      const site = await siteWithSections(s);
      const [first] = made;
      await s.articles.create(
        {
          siteId: site.site.id,
          sectionId: site.world.id,
          headline: 'Uses one',
          bodyHtml: '<p>x</p>',
          leadMediaId: first!.id,
        },
        'test',
      );

      const page1 = await library.browse({ perPage: 2 });
      assert.deepEqual(
        page1.items.map((i) => i.media.id),
        [made[4]!.id, made[3]!.id],
      );
      assert.equal(page1.total >= 5, true);
      assert.equal(page1.pageCount, Math.ceil(page1.total / 2));
      const all = await library.browse({ perPage: 200 });
      const ids = all.items.map((i) => i.media.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      );
      assert.equal(all.items.find((i) => i.media.id === first!.id)?.stories, 1);
      assert.equal(all.items.find((i) => i.media.id === made[1]!.id)?.stories, 0);

      // Pages past the end show the last page; nonsense sizes fall back to the default.
      const last = await library.browse({ perPage: 2, page: 10_000 });
      assert.equal(last.page, last.pageCount);
      assert.equal((await library.browse({ perPage: Number.NaN })).perPage, 48);
    });

    it('searches caption, credit, alt text and file name; every word must match, in any case', async () => {
      const quay = await media.addImage(await png(), {
        caption: 'Fishing boats at the QUAY',
        credit: 'Reuters/Ann Lee',
        alt: 'Boats moored',
        filename: 'harbour-dawn.jpg',
      });
      const market = await media.addImage(await png(), {
        caption: 'Market day',
        credit: 'AFP',
        filename: 'stall_2.png',
      });
      const percent = await media.addImage(await png(), { caption: 'Rates up 5% in a year' });
      const found = async (query: string) =>
        (await library.browse({ query, perPage: 200 })).items.map((i) => i.media.id);

      assert.deepEqual(await found('quay'), [quay.id]);
      assert.deepEqual(await found('reuters boats'), [quay.id]);
      assert.deepEqual(await found('  HARBOUR-dawn  '), [quay.id]);
      assert.deepEqual(await found('afp'), [market.id]);
      assert.deepEqual(await found('reuters market'), []);
      // LIKE's wildcards are matched as themselves.
      assert.deepEqual(await found('5%'), [percent.id]);
      assert.deepEqual(await found('stall_'), [market.id]);
      assert.deepEqual(await found('l_2'), [market.id]);
      assert.deepEqual(await found('%'), [percent.id]);
      assert.equal((await library.browse({ query: ' quay ' })).query, 'quay');
    });
  });

  describe('picture and usage', () => {
    it('lists the stories using a picture and names who uploaded and edited it', async () => {
      const [picture] = await library.upload([{ filename: 'lead.png', bytes: await png() }], editor);
      assert.ok(picture?.ok);
      const site = await siteWithSections(s);
      const story = await s.articles.create(
        {
          siteId: site.site.id,
          sectionId: site.world.id,
          headline: 'Shows it twice',
          bodyHtml: `<figure><img src="/media/${picture.media.id}/800.webp" alt=""></figure>`,
          leadMediaId: picture.media.id,
        },
        'test',
      );
      await library.editText(picture.media.id, { alt: 'A harbour' }, editor);
      const details = await library.picture(picture.media.id);
      assert.deepEqual(
        details.uses.map((u) => [u.articleId, [...u.kinds].sort()]),
        [[story.article.id, ['body', 'lead']]],
      );
      assert.deepEqual([details.uploadedByName, details.textEditedByName], [editorName, editorName]);
      assert.deepEqual((await library.usesOf(picture.media.id)).length, 1);
      await assert.rejects(library.picture(987_654), (e) => isDatelineError(e, 'MEDIA_NOT_FOUND'));
    });
  });

  describe('editText', () => {
    it('changes the text, keeps what was sent, records who and when, and audits only what changed', async () => {
      const wire = await media.addImage(await png(), {
        caption: 'Agency caption',
        credit: 'Agency/Photographer',
      });
      s.seen.length = 0;
      const started = Date.now();
      const edited = await library.editText(
        wire.id,
        { caption: '  Our caption  ', credit: 'Agency/Photographer' },
        editor,
      );
      assert.deepEqual(
        [edited.caption, edited.credit, edited.sentCaption, edited.sentCredit, edited.textEditedBy],
        ['Our caption', 'Agency/Photographer', 'Agency caption', 'Agency/Photographer', editor.userId],
      );
      assert.ok(edited.textEditedAt && edited.textEditedAt.getTime() >= started - 1000);
      assert.deepEqual(await media.get(wire.id), edited);
      assert.deepEqual(await auditRows(wire.id), [
        {
          actor: editor.actor,
          action: 'media.text_changed',
          detail: { before: { caption: 'Agency caption' }, after: { caption: 'Our caption' } },
        },
      ]);
      assert.deepEqual(s.seen, [{ type: 'media.changed', mediaId: wire.id }]);

      // Saving the same text again changes nothing: no new record of a change, no event.
      s.seen.length = 0;
      const again = await library.editText(wire.id, { caption: 'Our caption', alt: '' }, editor);
      assert.deepEqual(again, edited);
      assert.equal((await auditRows(wire.id)).length, 1);
      assert.deepEqual(s.seen, []);
    });

    it('refuses text over the limits and unknown pictures, changing nothing', async () => {
      const picture = await media.addImage(await png(), { caption: 'Stays' });
      for (const patch of [
        { caption: 'x'.repeat(2001) },
        { credit: 'x'.repeat(301) },
        { alt: 'x'.repeat(1001) },
      ]) {
        await assert.rejects(library.editText(picture.id, patch, editor), (e) =>
          isDatelineError(e, 'MEDIA_DETAILS_INVALID'),
        );
      }
      await assert.rejects(library.editText(picture.id, { caption: 42 as unknown as string }, editor), (e) =>
        isDatelineError(e, 'MEDIA_DETAILS_INVALID'),
      );
      assert.deepEqual(await media.get(picture.id), picture);
      assert.deepEqual(await auditRows(picture.id), []);
      await assert.rejects(library.editText(987_654, { caption: 'x' }, editor), (e) =>
        isDatelineError(e, 'MEDIA_NOT_FOUND'),
      );
      await assert.rejects(library.editText(0, { caption: 'x' }, editor), (e) =>
        isDatelineError(e, 'MEDIA_NOT_FOUND'),
      );
    });
  });

  describe('setFocalPoint', () => {
    it('moves the point, bumps the version, audits it and removes the old crops', async () => {
      const picture = await media.addImage(await png(1600, 900), {});
      const oldCrop = await media.croppedRendition(picture.id, { aspect: '1x1', version: 0 }, 480, 'webp');
      assert.ok(!('moved' in oldCrop));
      const cropDir = join(root, 'renditions', String(picture.id), '1x1-v0');
      assert.equal((await readdir(cropDir)).length, 1);
      s.seen.length = 0;

      const moved = await library.setFocalPoint(picture.id, { x: 0.123456, y: 1 }, editor);
      assert.deepEqual([moved.focalX, moved.focalY, moved.focalVersion], [0.1235, 1, 1]);
      assert.deepEqual(await auditRows(picture.id), [
        {
          actor: editor.actor,
          action: 'media.focal_point_changed',
          detail: { before: { x: 0.5, y: 0.5, version: 0 }, after: { x: 0.1235, y: 1, version: 1 } },
        },
      ]);
      assert.deepEqual(s.seen, [{ type: 'media.changed', mediaId: picture.id }]);
      assert.deepEqual(await readdir(cropDir), []);
      assert.deepEqual(await media.croppedRendition(picture.id, { aspect: '1x1', version: 0 }, 480, 'webp'), {
        moved: true,
        version: 1,
      });

      // The same point again is no move.
      const same = await library.setFocalPoint(picture.id, { x: 0.12346, y: 1 }, editor);
      assert.equal(same.focalVersion, 1);
      assert.equal((await auditRows(picture.id)).length, 1);
    });

    it('refuses points outside the picture, changing nothing', async () => {
      const picture = await media.addImage(await png(), {});
      for (const point of [
        { x: -0.1, y: 0.5 },
        { x: 0.5, y: 1.5 },
        { x: Number.NaN, y: 0.5 },
      ]) {
        await assert.rejects(library.setFocalPoint(picture.id, point, editor), (e) =>
          isDatelineError(e, 'MEDIA_DETAILS_INVALID'),
        );
      }
      assert.deepEqual(await media.get(picture.id), picture);
      await assert.rejects(library.setFocalPoint(987_654, { x: 0, y: 0 }, editor), (e) =>
        isDatelineError(e, 'MEDIA_NOT_FOUND'),
      );
    });
  });

  describe('upload', () => {
    it('takes each file on its own: the good ones are stored, each refusal says why and stores nothing', async () => {
      const good = await png(120, 80);
      const noisy = await sharp({
        create: {
          width: 600,
          height: 600,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 60 },
        },
      })
        .png()
        .toBuffer();
      assert.ok(noisy.length > LIMITS.maxUploadBytes);
      const bomb = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#fff' } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      const countRows = async () =>
        Number(
          (
            await ctx.db.kysely
              .selectFrom('media')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const originals = async () => (await readdir(join(root, 'originals')).catch(() => [])).length;
      const [rowsBefore, filesBefore] = [await countRows(), await originals()];

      const outcomes = await library.upload(
        [
          { filename: 'good.png', bytes: good, caption: 'A good one' },
          { filename: 'notes.txt', bytes: Buffer.from('Just some notes, not a photo.\n') },
          { filename: 'huge.png', bytes: noisy },
          { filename: 'bomb.png', bytes: bomb },
          { filename: 'broken.png', bytes: good.subarray(0, 30) },
          { filename: 'again.png', bytes: good, caption: 'A good one' },
          { filename: 'cut-off.png', bytes: good, cutOff: true },
        ],
        editor,
      );
      assert.deepEqual(
        outcomes.map((o) => [o.filename, o.ok ? (o.existing ? 'existing' : 'stored') : o.code]),
        [
          ['good.png', 'stored'],
          ['notes.txt', 'DATELINE_ERR_MEDIA_UNSUPPORTED_TYPE'],
          ['huge.png', 'DATELINE_ERR_MEDIA_TOO_LARGE'],
          ['bomb.png', 'DATELINE_ERR_MEDIA_TOO_LARGE'],
          ['broken.png', 'DATELINE_ERR_MEDIA_INVALID'],
          ['again.png', 'existing'],
          ['cut-off.png', 'DATELINE_ERR_MEDIA_TOO_LARGE'],
        ],
      );
      for (const o of outcomes) if (!o.ok) assert.ok(o.message.length > 40 && o.title.length > 0);
      assert.equal(await countRows(), rowsBefore + 1);
      assert.equal(await originals(), filesBefore + 1);

      const stored = outcomes[0];
      assert.ok(stored?.ok);
      assert.deepEqual(
        [stored.media.filename, stored.media.uploadedBy, stored.media.caption],
        ['good.png', editor.userId, 'A good one'],
      );
      assert.deepEqual(await auditRows(stored.media.id), [
        {
          actor: editor.actor,
          action: 'media.uploaded',
          detail: {
            before: null,
            after: { filename: 'good.png', mime: 'image/png', width: 120, height: 80, bytes: good.length },
          },
        },
      ]);
    });

    it('reports a failure that is not the file’s fault and goes on with the rest', async () => {
      const failing = new MediaService(
        ctx.db,
        {
          put: async () => {
            throw new Error('disk full');
          },
          get: async () => null,
          has: async () => false,
          delete: async () => {},
        },
        LIMITS,
      );
      const errors: unknown[] = [];
      const lib = new MediaLibrary({
        db: ctx.db,
        media: failing,
        events: s.events,
        onError: (e) => errors.push(e),
      });
      const outcomes = await lib.upload(
        [
          { filename: 'a.png', bytes: await png() },
          { filename: 'b.txt', bytes: Buffer.from('not a picture') },
        ],
        editor,
      );
      assert.deepEqual(
        outcomes.map((o) => (o.ok ? 'ok' : o.code)),
        ['DATELINE_ERR_INTERNAL', 'DATELINE_ERR_MEDIA_UNSUPPORTED_TYPE'],
      );
      assert.equal(errors.length, 1);
    });
  });
});
