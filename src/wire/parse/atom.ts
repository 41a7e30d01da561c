// Reader for Atom 1.0 feeds (and bare <entry> documents). Atom text constructs come as text, html or
// xhtml and each needs different handling before it reaches the sanitizer; xml:base is honoured because
// Atom feeds rely on it for relative links.

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
  readText,
  readTextList,
  readUri,
} from './item.ts';
import { resolveWebLink } from './links.ts';
import { imageEnclosure, readMediaPictures } from './media-rss.ts';
import type { WireItem } from './types.ts';
import { attr, child, children, innerMarkup, NS, type NsMatch, textOf, type XmlElement } from './xml.ts';

// Atom without its namespace is not valid, but bare <entry> exports without xmlns do occur.
const ATOM: NsMatch = [NS.atom, null];

/** A text construct (title, summary, rights) as text for readText, which strips any markup. */
function textConstruct(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined;
  if (attr(element, 'type')?.trim() === 'xhtml') {
    const div = child(element, 'div', [NS.xhtml]);
    return innerMarkup(div ?? element);
  }
  return textOf(element);
}

function readContent(ctx: ItemContext, entry: XmlElement): string {
  const content = child(entry, 'content', ATOM);
  if (content === undefined) return '';
  // Out-of-line content (src=...) is a pointer to elsewhere, not a body we can ingest.
  if (attr(content, 'src') !== undefined) return '';
  const type = (attr(content, 'type') ?? 'text').trim().toLowerCase();
  if (type === 'xhtml') {
    const div = child(content, 'div', [NS.xhtml]);
    return readBody(ctx, innerMarkup(div ?? content), 'content', 'html', content.base);
  }
  if (type === 'html' || type.includes('html'))
    return readBody(ctx, textOf(content), 'content', 'html', content.base);
  if (type === 'text' || type.startsWith('text/'))
    return readBody(ctx, textOf(content), 'content', 'text', content.base);
  return '';
}

function relOf(link: XmlElement): string {
  return (attr(link, 'rel') ?? 'alternate').trim().toLowerCase();
}

function alternateLink(entry: XmlElement): string | null {
  const links = children(entry, 'link', ATOM).filter((link) => relOf(link) === 'alternate');
  const html = links.find((link) => /html/i.test(attr(link, 'type') ?? 'text/html')) ?? links[0];
  const href = attr(html, 'href');
  return html === undefined || href === undefined ? null : resolveWebLink(href, html.base);
}

function authors(scope: XmlElement | undefined): string[] {
  return children(scope, 'author', ATOM)
    .map((author) => textOf(child(author, 'name', ATOM)))
    .filter((name): name is string => name !== undefined && name.trim() !== '');
}

/** Feed-level values that apply to every entry, read once (a feed can carry thousands of entries). */
interface FeedDefaults {
  authors: string[];
  rights: string | undefined;
}

function parseEntry(ctx: ItemContext, entry: XmlElement, feed: FeedDefaults): WireItem | null {
  const draft = newDraft('atom');
  const id = textOf(child(entry, 'id', ATOM));
  draft.link = alternateLink(entry);
  // Without an id the alternate link is the only stable identity the entry has.
  draft.uri =
    id !== undefined && id.trim() !== '' ? readUri(ctx, id, 'id') : readUri(ctx, draft.link, 'link');
  draft.headline = readText(ctx, textConstruct(child(entry, 'title', ATOM)), 'title', 'error');
  draft.versionCreated = readDate(ctx, textOf(child(entry, 'updated', ATOM)), 'updated');
  draft.firstCreated = readDate(ctx, textOf(child(entry, 'published', ATOM)), 'published');
  draft.dek = readText(ctx, textConstruct(child(entry, 'summary', ATOM)), 'summary');
  draft.bodyHtml = readContent(ctx, entry);
  const names = authors(entry);
  const byline = names.length > 0 ? names : feed.authors;
  draft.byline = readText(ctx, byline.length > 0 ? byline.join(', ') : undefined, 'author');
  draft.copyrightnotice = readText(ctx, textConstruct(child(entry, 'rights', ATOM)) ?? feed.rights, 'rights');
  draft.keywords = readTextList(
    ctx,
    children(entry, 'category', ATOM)
      .map((category) => attr(category, 'label') ?? attr(category, 'term'))
      .filter((keyword) => keyword !== undefined && keyword.trim() !== ''),
    'category',
  );
  const enclosures = children(entry, 'link', ATOM)
    .filter((link) => relOf(link) === 'enclosure')
    .map((link, index) => imageEnclosure(link, `link[rel=enclosure][${index}]`, 'href'))
    .filter((enclosure): enclosure is RenditionDraft => enclosure !== null);
  draft.pictures = readMediaPictures(ctx, entry, enclosures);
  return finishItem(ctx, draft, { uri: ['id', 'link'], headline: 'title' });
}

export function readAtomDocument(root: XmlElement, doc: DocumentContext): WireItem[] {
  const feed = root.local === 'feed' ? root : undefined;
  const entries = feed === undefined ? [root] : children(feed, 'entry', ATOM);
  const defaults: FeedDefaults = {
    authors: authors(feed),
    rights: textConstruct(child(feed, 'rights', ATOM)),
  };
  const out: WireItem[] = [];
  entries.forEach((entry, index) => {
    const ctx = itemContext(doc, `#${index}`);
    const parsed = guarded(ctx, () => parseEntry(ctx, entry, defaults));
    if (parsed !== null) out.push(parsed);
  });
  return out;
}
