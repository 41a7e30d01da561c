// Reader for RSS 2.0 (and RSS 1.0/RDF) feeds as used by regional wires: content:encoded bodies, Dublin
// Core creators and dates, Media RSS pictures. RSS has no versions, statuses or embargoes, so those stay
// at their defaults and the guid identifies the story.

import {
  type DocumentContext,
  finishItem,
  guarded,
  type ItemContext,
  itemContext,
  newDraft,
  type RenditionDraft,
  readBody,
  readDate,
  readLink,
  readText,
  readTextList,
  readUri,
} from './item.ts';
import { imageEnclosure, readMediaPictures } from './media-rss.ts';
import type { WireItem } from './types.ts';
import { attr, child, children, NS, type NsMatch, textOf, type XmlElement } from './xml.ts';

const CORE: NsMatch = [null, NS.rss1];
const DC: NsMatch = [NS.dc];
const DCTERMS: NsMatch = [NS.dcterms];
const CONTENT: NsMatch = [NS.content];
const MEDIA: NsMatch = [NS.media];
const ATOM: NsMatch = [NS.atom];

function text(element: XmlElement | undefined, local: string, ns: NsMatch = CORE): string | undefined {
  return textOf(child(element, local, ns));
}

/** RSS <author> is "email (Name)"; the name is the byline, the address is not worth publishing. */
function authorName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  // String search rather than a regex: an unanchored pattern here would be quadratic on hostile input.
  const open = trimmed.lastIndexOf('(');
  if (trimmed.endsWith(')') && open !== -1) return trimmed.slice(open + 1, -1);
  return trimmed.includes('@') && !/\s/.test(trimmed) ? undefined : raw;
}

/** Channel-level values that apply to every item, read once (a feed can carry thousands of items). */
interface ChannelDefaults {
  copyright: string | undefined;
}

function parseItem(ctx: ItemContext, item: XmlElement, channel: ChannelDefaults): WireItem | null {
  const draft = newDraft('rss');
  const guid = text(item, 'guid') ?? attr(item, 'rdf:about');
  const linkText = text(item, 'link');
  // Without a guid the link is the only stable identity the item has.
  draft.uri =
    guid !== undefined && guid.trim() !== '' ? readUri(ctx, guid, 'guid') : readUri(ctx, linkText, 'link');
  draft.headline = readText(ctx, text(item, 'title'), 'title', 'error');
  draft.link = linkText === undefined ? null : readLink(ctx, linkText, 'link', item.base);

  const published = text(item, 'pubDate') ?? text(item, 'date', DC);
  draft.firstCreated = readDate(ctx, published, 'pubDate');
  const modified = text(item, 'updated', ATOM) ?? text(item, 'modified', DCTERMS);
  draft.versionCreated = modified === undefined ? draft.firstCreated : readDate(ctx, modified, 'updated');

  const creators = children(item, 'creator', DC)
    .map(textOf)
    .filter((name): name is string => name !== undefined && name.trim() !== '');
  draft.byline = readText(
    ctx,
    creators.length > 0 ? creators.join(', ') : authorName(text(item, 'author')),
    'dc:creator',
  );

  const encoded = child(item, 'encoded', CONTENT);
  const description = text(item, 'description');
  if (encoded !== undefined) {
    draft.bodyHtml = readBody(ctx, textOf(encoded), 'content:encoded', 'html', encoded.base);
    draft.dek = readText(ctx, description, 'description');
  } else {
    // Without content:encoded the description is the whole story.
    draft.bodyHtml = readBody(ctx, description, 'description', 'auto', item.base);
  }

  const categories = children(item, 'category', CORE).map(textOf);
  const mediaKeywords = (text(item, 'keywords', MEDIA) ?? '').split(',');
  draft.keywords = readTextList(
    ctx,
    [...categories, ...mediaKeywords].filter((keyword) => keyword !== undefined && keyword.trim() !== ''),
    'category',
  );
  draft.copyrightnotice = readText(ctx, text(item, 'rights', DC) ?? channel.copyright, 'copyright');

  const enclosures = children(item, 'enclosure', CORE)
    .map((enclosure, index) => imageEnclosure(enclosure, `enclosure[${index}]`, 'url'))
    .filter((enclosure): enclosure is RenditionDraft => enclosure !== null);
  draft.pictures = readMediaPictures(ctx, item, enclosures);
  return finishItem(ctx, draft, { uri: ['guid', 'link'], headline: 'title' });
}

export function readRssDocument(root: XmlElement, doc: DocumentContext): WireItem[] {
  const channel = child(root, 'channel', CORE);
  // RSS 2.0 nests items in the channel; RSS 1.0 (RDF) puts them beside it.
  const items = [...children(channel, 'item', CORE), ...children(root, 'item', CORE)];
  const defaults: ChannelDefaults = { copyright: text(channel, 'copyright') ?? text(channel, 'rights', DC) };
  const out: WireItem[] = [];
  items.forEach((item, index) => {
    const ctx = itemContext(doc, `#${index}`);
    const parsed = guarded(ctx, () => parseItem(ctx, item, defaults));
    if (parsed !== null) out.push(parsed);
  });
  return out;
}
