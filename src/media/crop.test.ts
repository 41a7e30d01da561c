// Crop geometry and crop addresses, without a database: where a crop falls for focal points in the middle,
// at the edges and at the corners, and which crop segments an address may carry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CENTRE, cropRegion, cropSize, isFocalPoint } from './crop.ts';
import { CROP_ASPECTS, croppedMediaUrl, cropSegment, isCropAspect, parseCropSegment } from './urls.ts';

describe('cropSize', () => {
  it('keeps the full height of a picture wider than the aspect, and the full width of a taller one', () => {
    assert.deepEqual(cropSize(1600, 900, '1x1'), { width: 900, height: 900 });
    assert.deepEqual(cropSize(900, 1600, '16x9'), { width: 900, height: 506 });
    assert.deepEqual(cropSize(1000, 1000, '4x5'), { width: 800, height: 1000 });
    assert.deepEqual(cropSize(1000, 1000, '3x2'), { width: 1000, height: 667 });
  });

  it('never trims a picture already at the aspect', () => {
    assert.deepEqual(cropSize(1920, 1080, '16x9'), { width: 1920, height: 1080 });
    assert.deepEqual(cropSize(1200, 900, '4x3'), { width: 1200, height: 900 });
    assert.deepEqual(cropSize(7, 7, '1x1'), { width: 7, height: 7 });
  });

  it('keeps at least one pixel of a sliver', () => {
    assert.deepEqual(cropSize(1000, 1, '1x1'), { width: 1, height: 1 });
    assert.deepEqual(cropSize(1, 1000, '16x9'), { width: 1, height: 1 });
  });
});

describe('cropRegion', () => {
  it('centres on the focal point', () => {
    assert.deepEqual(cropRegion(1600, 900, '1x1', CENTRE), { left: 350, top: 0, width: 900, height: 900 });
    assert.deepEqual(cropRegion(1600, 900, '1x1', { x: 0.6, y: 0.5 }), {
      left: 510,
      top: 0,
      width: 900,
      height: 900,
    });
    assert.deepEqual(cropRegion(1000, 2000, '16x9', { x: 0.5, y: 0.25 }), {
      left: 0,
      top: 219,
      width: 1000,
      height: 563,
    });
  });

  it('slides back inside the picture when the point is near an edge or a corner', () => {
    assert.deepEqual(cropRegion(1600, 900, '1x1', { x: 0, y: 0 }), {
      left: 0,
      top: 0,
      width: 900,
      height: 900,
    });
    assert.deepEqual(cropRegion(1600, 900, '1x1', { x: 1, y: 1 }), {
      left: 700,
      top: 0,
      width: 900,
      height: 900,
    });
    assert.deepEqual(cropRegion(1600, 900, '1x1', { x: 0.1, y: 0.5 }), {
      left: 0,
      top: 0,
      width: 900,
      height: 900,
    });
    assert.deepEqual(cropRegion(1000, 2000, '16x9', { x: 0, y: 1 }), {
      left: 0,
      top: 1437,
      width: 1000,
      height: 563,
    });
  });

  it('stays inside every picture for any point and aspect', () => {
    for (const aspect of Object.keys(CROP_ASPECTS) as (keyof typeof CROP_ASPECTS)[]) {
      for (const [w, h] of [
        [1, 1],
        [3, 1000],
        [1000, 3],
        [1601, 899],
        [4000, 3000],
      ] as const) {
        for (const x of [0, 0.001, 0.33, 0.5, 0.999, 1]) {
          for (const y of [0, 0.25, 0.5, 1]) {
            const r = cropRegion(w, h, aspect, { x, y });
            assert.ok(r.left >= 0 && r.top >= 0, `${aspect} ${w}x${h} at ${x},${y}`);
            assert.ok(r.left + r.width <= w && r.top + r.height <= h, `${aspect} ${w}x${h} at ${x},${y}`);
            assert.ok(Number.isInteger(r.left) && Number.isInteger(r.top));
          }
        }
      }
    }
  });
});

describe('isFocalPoint', () => {
  it('takes numbers from 0 to 1 only', () => {
    assert.equal(isFocalPoint({ x: 0, y: 1 }), true);
    assert.equal(isFocalPoint({ x: 0.25, y: 0.75 }), true);
    for (const bad of [
      { x: -0.01, y: 0.5 },
      { x: 0.5, y: 1.01 },
      { x: Number.NaN, y: 0.5 },
      { x: Number.POSITIVE_INFINITY, y: 0.5 },
      { x: '0.5', y: 0.5 },
      { x: 0.5, y: null },
    ]) {
      assert.equal(isFocalPoint(bad), false, JSON.stringify(bad));
    }
  });
});

describe('crop addresses', () => {
  it('builds and reads back the crop segment with its focal version', () => {
    assert.equal(cropSegment({ aspect: '16x9', version: 3 }), '16x9-v3');
    assert.equal(
      croppedMediaUrl(12, { aspect: '1x1', version: 0 }, 800, 'webp'),
      '/media/12/1x1-v0/800.webp',
    );
    assert.equal(croppedMediaUrl(12, { aspect: '4x5', version: 7 }, 480, 'jpeg'), '/media/12/4x5-v7/480.jpg');
    assert.deepEqual(parseCropSegment('16x9-v3'), { aspect: '16x9', version: 3 });
    assert.deepEqual(parseCropSegment('4x3-v0'), { aspect: '4x3', version: 0 });
  });

  it('refuses aspects outside the list, leading zeros and oversized versions', () => {
    for (const bad of [
      '2x1-v1',
      '16x9-v01',
      '16x9-v',
      '16x9',
      '16x9-v1234567890',
      '16x9-v-1',
      'x-v1',
      '16X9-v1',
    ]) {
      assert.equal(parseCropSegment(bad), null, bad);
    }
    assert.equal(isCropAspect('16x9'), true);
    assert.equal(isCropAspect('toString'), false);
  });
});
