// The rendition route through fastify.inject, on both dialects: headers, revalidation, and bad addresses.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { describeEachDialect } from '../../test/dialects.ts';
import type { MediaRecord } from './repository.ts';
import { mediaRoutes, mediaUrl } from './routes.ts';
import { MediaService } from './service.ts';
import { FilesystemStorage } from './storage.ts';
import { croppedMediaUrl } from './urls.ts';

describeEachDialect('media routes', (ctx) => {
  let root: string;
  let app: FastifyInstance;
  let photo: MediaRecord;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dateline-media-routes-'));
    const media = new MediaService(ctx.db, new FilesystemStorage(root), {
      maxUploadBytes: 5_000_000,
      maxImagePixels: 10_000_000,
    });
    const bytes = await sharp({ create: { width: 1000, height: 750, channels: 3, background: '#3a6' } })
      .jpeg()
      .toBuffer();
    photo = await media.addImage(bytes, { caption: 'A field' });
    app = Fastify();
    await app.register(mediaRoutes, { media });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves WebP and JPEG renditions with immutable caching and a strong ETag', async () => {
    const webp = await app.inject(mediaUrl(photo.id, 800, 'webp'));
    assert.equal(webp.statusCode, 200);
    assert.equal(webp.headers['content-type'], 'image/webp');
    assert.equal(webp.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(webp.headers.etag), /^"[0-9a-f]{32}"$/);
    assert.equal((await sharp(webp.rawPayload).metadata()).width, 800);

    const jpeg = await app.inject(`/media/${photo.id}/480.jpg`);
    assert.equal(jpeg.statusCode, 200);
    assert.equal(jpeg.headers['content-type'], 'image/jpeg');
    assert.equal((await sharp(jpeg.rawPayload).metadata()).format, 'jpeg');
    assert.notEqual(jpeg.headers.etag, webp.headers.etag);
  });

  it('answers 304 when the client already has the bytes', async () => {
    const url = mediaUrl(photo.id, 1200, 'webp');
    const first = await app.inject(url);
    const etag = String(first.headers.etag);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await app.inject({ url, headers: { 'if-none-match': ifNoneMatch } });
      assert.equal(again.statusCode, 304, ifNoneMatch);
      assert.equal(again.rawPayload.length, 0);
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['cache-control'], 'public, max-age=31536000, immutable');
    }
    const stale = await app.inject({ url, headers: { 'if-none-match': '"something-else"' } });
    assert.equal(stale.statusCode, 200);
  });

  it('answers malformed addresses with 404 and the error code, never 500', async () => {
    const bad = [
      `/media/${photo.id}/800.png`,
      `/media/${photo.id}/800.jpeg`,
      `/media/${photo.id}/abc.webp`,
      `/media/${photo.id}/0800.webp`,
      `/media/${photo.id}/800.webp.exe`,
      `/media/${photo.id}/-800.webp`,
      `/media/${photo.id}/500.webp`,
      `/media/${photo.id}/99999999.webp`,
      `/media/${photo.id}/..%2F..%2Fetc%2Fpasswd`,
      '/media/abc/800.webp',
      '/media/0/800.webp',
      '/media/-1/800.webp',
      '/media/99999999999/800.webp',
    ];
    for (const url of bad) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().code, 'DATELINE_ERR_MEDIA_NOT_FOUND', url);
    }
  });

  it('answers an unknown id with 404 and the error code', async () => {
    const res = await app.inject(mediaUrl(987_654, 800, 'webp'));
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'DATELINE_ERR_MEDIA_NOT_FOUND');
  });

  it('serves crops around the focal point and sends an old crop address on to the current one', async () => {
    const crop = croppedMediaUrl(photo.id, { aspect: '16x9', version: 0 }, 800, 'webp');
    const res = await app.inject(crop);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/webp');
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    const info = await sharp(res.rawPayload).metadata();
    assert.deepEqual([info.width, info.height], [800, 450]);
    const again = await app.inject({ url: crop, headers: { 'if-none-match': String(res.headers.etag) } });
    assert.equal(again.statusCode, 304);

    // Moving the focal point (as the library does) makes version 1 current.
    await ctx.db.kysely
      .updateTable('media')
      .set({ focal_x: 0, focal_version: 1 })
      .where('id', '=', photo.id)
      .execute();
    const moved = await app.inject(crop);
    assert.equal(moved.statusCode, 301);
    assert.equal(
      moved.headers.location,
      croppedMediaUrl(photo.id, { aspect: '16x9', version: 1 }, 800, 'webp'),
    );
    assert.equal(moved.headers['cache-control'], 'public, max-age=86400');
    const current = await app.inject(String(moved.headers.location));
    assert.equal(current.statusCode, 200);

    const future = await app.inject(croppedMediaUrl(photo.id, { aspect: '16x9', version: 2 }, 800, 'webp'));
    assert.equal(future.statusCode, 404);
    assert.equal(future.json().code, 'DATELINE_ERR_MEDIA_NOT_FOUND');
  });

  it('answers malformed crop addresses with 404 and the error code', async () => {
    const bad = [
      `/media/${photo.id}/2x1-v0/800.webp`,
      `/media/${photo.id}/16x9-v00/800.webp`,
      `/media/${photo.id}/16x9/800.webp`,
      `/media/${photo.id}/16x9-v0/500.webp`,
      `/media/${photo.id}/16x9-v0/800.png`,
      `/media/${photo.id}/..%2F16x9-v0/800.webp`,
      '/media/987654/16x9-v0/800.webp',
    ];
    for (const url of bad) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().code, 'DATELINE_ERR_MEDIA_NOT_FOUND', url);
    }
  });
});
