// The one way views show an uploaded image: a <picture> offering WebP with a JPEG fallback at the widths
// the media routes serve, so the browser picks the smallest file that looks sharp in the layout.
import { mediaUrl, RENDITION_WIDTHS, type RenditionFormat } from './urls.ts';

export { mediaUrl } from './urls.ts';

/** The parts of a MediaRecord the markup needs. */
export interface PictureMedia {
  id: number;
  width: number;
  height: number;
  alt: string;
}

export interface ResponsivePictureProps {
  media: PictureMedia;
  /** The `sizes` attribute: how wide the image is laid out, e.g. '(min-width: 60rem) 40rem, 100vw'. */
  sizes?: string;
  /** For the lead photo above the fold: load at once and at high priority instead of lazily. */
  eager?: boolean;
  className?: string;
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
}: ResponsivePictureProps) {
  const widths = pictureWidths(media.width);
  const srcset = (format: RenditionFormat) =>
    widths.map((w) => `${mediaUrl(media.id, w, format)} ${w}w`).join(', ');
  return (
    <picture class={className}>
      {/* A <source> does not inherit the <img>'s sizes; without its own, browsers assume 100vw. */}
      <source type="image/webp" srcset={srcset('webp')} sizes={sizes} />
      <img
        src={mediaUrl(media.id, FALLBACK_WIDTH, 'jpeg')}
        srcset={srcset('jpeg')}
        sizes={sizes}
        width={media.width}
        height={media.height}
        alt={media.alt}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
        fetchpriority={eager ? 'high' : undefined}
      />
    </picture>
  );
}
