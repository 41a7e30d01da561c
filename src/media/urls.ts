// The public URL scheme for image renditions, kept in one place: the route parses these file names, the
// picture component and feeds build them, and the service keys stored renditions the same way.
//
// Two kinds: the whole picture resized (`/media/12/800.webp`), whose bytes never change, and a crop to a
// fixed aspect around the focal point (`/media/12/16x9-v3/800.webp`). The crop's segment carries the focal
// point's version, so moving the point gives every crop a new address and no cache ever serves the old crop.

/** Widths a rendition may be requested at (besides the original's or the crop's own width; see the service). */
export const RENDITION_WIDTHS: readonly number[] = [480, 800, 1200, 1600];

/**
 * The aspects pictures are cropped to, as [width, height]: a fixed list, so a crawler cannot make the server
 * cut (and store) every shape there is. 16x9 for wide leads, 3x2 and 4x3 for teasers, 1x1 and 4x5 for
 * square and portrait slots (social cards, people).
 */
export const CROP_ASPECTS = {
  '16x9': [16, 9],
  '3x2': [3, 2],
  '4x3': [4, 3],
  '1x1': [1, 1],
  '4x5': [4, 5],
} as const satisfies Record<string, readonly [number, number]>;

export type CropAspect = keyof typeof CROP_ASPECTS;

export function isCropAspect(value: string): value is CropAspect {
  return Object.hasOwn(CROP_ASPECTS, value);
}

/** Which crop of a picture: its aspect and the focal point version it was cut around. */
export interface CropSpec {
  aspect: CropAspect;
  version: number;
}

export type RenditionFormat = 'webp' | 'jpeg';

const EXTENSIONS: Record<RenditionFormat, string> = { webp: 'webp', jpeg: 'jpg' };
const MIME_TYPES: Record<RenditionFormat, string> = { webp: 'image/webp', jpeg: 'image/jpeg' };

export function renditionExtension(format: RenditionFormat): string {
  return EXTENSIONS[format];
}

export function renditionMime(format: RenditionFormat): string {
  return MIME_TYPES[format];
}

/** The path of one rendition, e.g. `/media/12/800.webp`. Views and feeds prefix the site origin if needed. */
export function mediaUrl(id: number, width: number, format: RenditionFormat): string {
  return `/media/${id}/${width}.${EXTENSIONS[format]}`;
}

/** The crop's path segment, e.g. `16x9-v3`; also its folder in storage. */
export function cropSegment(crop: CropSpec): string {
  return `${crop.aspect}-v${crop.version}`;
}

/** The path of one cropped rendition, e.g. `/media/12/16x9-v3/800.webp`. */
export function croppedMediaUrl(id: number, crop: CropSpec, width: number, format: RenditionFormat): string {
  return `/media/${id}/${cropSegment(crop)}/${width}.${EXTENSIONS[format]}`;
}

/** Reads `<width>.webp` or `<width>.jpg`; anything else (leading zeros, other extensions) is null. */
export function parseRenditionFile(file: string): { width: number; format: RenditionFormat } | null {
  const m = /^([1-9][0-9]{0,4})\.(webp|jpg)$/.exec(file);
  if (!m) return null;
  return { width: Number(m[1]), format: m[2] === 'webp' ? 'webp' : 'jpeg' };
}

/** Reads a crop segment such as `16x9-v3`; unknown aspects, leading zeros and huge versions are null. */
export function parseCropSegment(segment: string): CropSpec | null {
  const m = /^([0-9]{1,2}x[0-9]{1,2})-v(0|[1-9][0-9]{0,8})$/.exec(segment);
  if (!m?.[1] || !isCropAspect(m[1])) return null;
  return { aspect: m[1], version: Number(m[2]) };
}
