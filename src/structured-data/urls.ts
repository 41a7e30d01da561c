// Absolute image URLs for sharing cards, structured data and feeds (site origins: sites/urls.ts).
import { mediaUrl } from '../media/urls.ts';

/** The JPEG rendition that sharing cards and feeds use: widely supported and large enough for previews. */
export const SHARE_IMAGE_WIDTH = 1200;

export function imageUrl(
  origin: string,
  media: { id: number; width: number },
  width = SHARE_IMAGE_WIDTH,
): string {
  return `${origin}${mediaUrl(media.id, Math.min(width, media.width), 'jpeg')}`;
}
