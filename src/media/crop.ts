// Where a crop of a picture falls: the largest region of the wanted aspect ratio that fits, centred on the
// picture's focal point and slid back inside the picture where the point is near an edge. Pure arithmetic,
// shared by the renditions (which extract this region, then resize) and the markup (which needs the
// cropped size for its width and height attributes).
import { CROP_ASPECTS, type CropAspect } from './urls.ts';

export interface FocalPoint {
  /** 0 at the left edge, 1 at the right, of the picture as displayed. */
  x: number;
  /** 0 at the top, 1 at the bottom. */
  y: number;
}

export interface CropRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const CENTRE: FocalPoint = { x: 0.5, y: 0.5 };

/** The ratio of an aspect name such as '16x9', as width over height. */
export function aspectRatio(aspect: CropAspect): number {
  const [w, h] = CROP_ASPECTS[aspect];
  return w / h;
}

/** Whether a focal point is usable: both coordinates finite numbers from 0 to 1. */
export function isFocalPoint(p: { x: unknown; y: unknown }): boolean {
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
  return ok(p.x) && ok(p.y);
}

/** The cropped size alone, which does not depend on the focal point. */
export function cropSize(
  width: number,
  height: number,
  aspect: CropAspect,
): { width: number; height: number } {
  const [aw, ah] = CROP_ASPECTS[aspect];
  // Compared in integers, so a picture already at the aspect is never trimmed by a rounding pixel.
  if (width * ah > height * aw) return { width: Math.max(1, Math.round((height * aw) / ah)), height };
  return { width, height: Math.max(1, Math.round((width * ah) / aw)) };
}

export function cropRegion(width: number, height: number, aspect: CropAspect, focal: FocalPoint): CropRegion {
  const size = cropSize(width, height, aspect);
  const place = (full: number, part: number, at: number) =>
    Math.min(full - part, Math.max(0, Math.round(at * full - part / 2)));
  return {
    left: place(width, size.width, focal.x),
    top: place(height, size.height, focal.y),
    ...size,
  };
}
