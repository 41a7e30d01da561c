// The public URL scheme for image renditions, kept in one place: the route parses these file names, the
// picture component and feeds build them, and the service keys stored renditions the same way.

/** Widths a rendition may be requested at (besides the original's own width; see the service). */
export const RENDITION_WIDTHS: readonly number[] = [480, 800, 1200, 1600];

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

/** Reads `<width>.webp` or `<width>.jpg`; anything else (leading zeros, other extensions) is null. */
export function parseRenditionFile(file: string): { width: number; format: RenditionFormat } | null {
  const m = /^([1-9][0-9]{0,4})\.(webp|jpg)$/.exec(file);
  if (!m) return null;
  return { width: Number(m[1]), format: m[2] === 'webp' ? 'webp' : 'jpeg' };
}
