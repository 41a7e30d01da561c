// Pictures in RSS and Atom entries: Media RSS (media:group, media:content, media:thumbnail with their
// description/credit/title/copyright), falling back to image enclosures. Shared by both feed readers
// because Media RSS appears inside either.

import { finishPicture, type ItemContext, type PictureDraft, type RenditionDraft } from './item.ts';
import type { WirePicture } from './types.ts';
import { attr, child, children, NS, type NsMatch, textOf, type XmlElement } from './xml.ts';

const MEDIA: NsMatch = [NS.media];

function isImage(content: XmlElement): boolean {
  const medium = attr(content, 'medium')?.trim().toLowerCase();
  const type = attr(content, 'type')?.trim().toLowerCase();
  if (medium !== undefined) return medium === 'image';
  // Untyped media:content is usually the picture; typed non-image content (video, audio) is not.
  return type === undefined || type.startsWith('image/');
}

/** First scope (innermost first) that has this media:* child: content overrides group overrides entry. */
function inherited(scopes: XmlElement[], name: string): string | undefined {
  for (const scope of scopes) {
    const found = child(scope, name, MEDIA);
    if (found !== undefined) return textOf(found);
  }
  return undefined;
}

function rendition(element: XmlElement, field: string, name: string | null): RenditionDraft {
  return {
    field,
    href: attr(element, 'url'),
    base: element.base,
    width: attr(element, 'width'),
    height: attr(element, 'height'),
    contentType: attr(element, 'type') ?? null,
    name,
  };
}

function draft(field: string, scopes: XmlElement[], renditions: RenditionDraft[]): PictureDraft {
  return {
    field,
    // Media RSS has no picture identifier; finishPicture falls back to the first rendition URL.
    uri: undefined,
    version: undefined,
    pubstatus: undefined,
    caption: inherited(scopes, 'description'),
    creditline: inherited(scopes, 'credit'),
    copyrightnotice: inherited(scopes, 'copyright'),
    alt: inherited(scopes, 'title'),
    renditions,
  };
}

function thumbnails(scope: XmlElement, field: string): RenditionDraft[] {
  return children(scope, 'thumbnail', MEDIA).map((thumb, index) =>
    rendition(thumb, `${field}.media:thumbnail[${index}]`, 'thumbnail'),
  );
}

/** Every picture of one RSS item or Atom entry. `enclosures` are used only when there is no Media RSS. */
export function readMediaPictures(
  ctx: ItemContext,
  entry: XmlElement,
  enclosures: RenditionDraft[],
): WirePicture[] {
  const drafts: PictureDraft[] = [];
  children(entry, 'group', MEDIA).forEach((group, groupIndex) => {
    // A group is one picture in several sizes.
    const field = `media:group[${groupIndex}]`;
    const contents = children(group, 'content', MEDIA).filter(isImage);
    const renditions = [
      ...contents.map((content, index) => rendition(content, `${field}.media:content[${index}]`, null)),
      ...thumbnails(group, field),
    ];
    if (renditions.length > 0) drafts.push(draft(field, [...contents.slice(0, 1), group, entry], renditions));
  });
  children(entry, 'content', MEDIA).forEach((content, index) => {
    if (!isImage(content)) return;
    const field = `media:content[${index}]`;
    drafts.push(
      draft(field, [content, entry], [rendition(content, field, null), ...thumbnails(content, field)]),
    );
  });
  if (drafts.length === 0) {
    const entryThumbnails = thumbnails(entry, '');
    if (entryThumbnails.length > 0) drafts.push(draft('media:thumbnail', [entry], entryThumbnails));
  }
  if (drafts.length === 0) {
    enclosures.forEach((enclosure) => {
      drafts.push(draft(enclosure.field, [entry], [enclosure]));
    });
  }
  return drafts.map((picture) => finishPicture(ctx, picture)).filter((picture) => picture !== null);
}

/** An RSS <enclosure> or Atom <link rel="enclosure"> as a rendition draft, when it is an image. */
export function imageEnclosure(
  element: XmlElement,
  field: string,
  hrefAttribute: 'url' | 'href',
): RenditionDraft | null {
  const type = attr(element, 'type')?.trim().toLowerCase();
  if (type === undefined || !type.startsWith('image/')) return null;
  return {
    field,
    href: attr(element, hrefAttribute),
    base: element.base,
    width: undefined,
    height: undefined,
    contentType: type,
    name: 'enclosure',
  };
}
