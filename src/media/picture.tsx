// The one way views show an uploaded image: a <picture> offering WebP with a JPEG fallback at the widths
// the media routes serve, so the browser picks the smallest file that looks sharp in the layout. Whole, or
// cropped to a fixed aspect around the picture's focal point (the address carries the focal version).
import { cropSize } from './crop.ts';
import {
  type CropAspect,
  croppedMediaUrl,
  mediaUrl,
  RENDITION_WIDTHS,
  type RenditionFormat,
} from './urls.ts';

export { mediaUrl } from './urls.ts';

/** The parts of a MediaRecord the markup needs. */
export interface PictureMedia {
  id: number;
  width: number;
  height: number;
  alt: string;
  /** Needed for crops: the focal point version their addresses carry (0 when it never moved). */
  focalVersion?: number;
}

export interface ResponsivePictureProps {
  media: PictureMedia;
  /** The `sizes` attribute: how wide the image is laid out, e.g. '(min-width: 60rem) 40rem, 100vw'. */
  sizes?: string;
  /** For the lead photo above the fold: load at once and at high priority instead of lazily. */
  eager?: boolean;
  className?: string;
  /** Cut to this aspect around the focal point, e.g. '16x9' for a wide lead or '1x1' for a square slot. */
  crop?: CropAspect;
}

/** The widths worth offering for an original this wide: never more than it has (renditions never upscale). */
export function pictureWidths(originalWidth: number): number[] {
  const widths = RENDITION_WIDTHS.filter((w) => w <= originalWidth);
  return widths.length > 0 ? widths : [originalWidth];
}

const FALLBACK_WIDTH = 800;

export function ResponsivePicture({
  media,
  sizes = '100vw',
  eager = false,
  className,
  crop,
}: ResponsivePictureProps) {
  // A crop is laid out at its own size: the width and height attributes reserve its shape, not the original's.
  const shown = crop ? cropSize(media.width, media.height, crop) : media;
  const url = (width: number, format: RenditionFormat) =>
    crop
      ? croppedMediaUrl(media.id, { aspect: crop, version: media.focalVersion ?? 0 }, width, format)
      : mediaUrl(media.id, width, format);
  const widths = pictureWidths(shown.width);
  const srcset = (format: RenditionFormat) => widths.map((w) => `${url(w, format)} ${w}w`).join(', ');
  return (
    <picture class={className}>
      {/* A <source> does not inherit the <img>'s sizes; without its own, browsers assume 100vw. */}
      <source type="image/webp" srcset={srcset('webp')} sizes={sizes} />
      <img
        src={url(FALLBACK_WIDTH, 'jpeg')}
        srcset={srcset('jpeg')}
        sizes={sizes}
        width={shown.width}
        height={shown.height}
        alt={media.alt}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
        fetchpriority={eager ? 'high' : undefined}
      />
    </picture>
  );
}
