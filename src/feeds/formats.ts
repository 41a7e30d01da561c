// The feed and sitemap formats as pure functions from plain data to XML text: RSS 2.0 (with Media RSS,
// content:encoded and Atom self link), Atom 1.0, sitemap index, URL sets with images, Google News sitemaps.
import { rfc822, tag, text, XML_DECLARATION } from './xml.ts';

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  media: 'http://search.yahoo.com/mrss/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  sitemap: 'http://www.sitemaps.org/schemas/sitemap/0.9',
  image: 'http://www.google.com/schemas/sitemap-image/1.1',
  news: 'http://www.google.com/schemas/sitemap-news/0.9',
} as const;

export interface FeedImage {
  url: string;
  width: number;
  height: number;
  type: string;
  caption: string;
  credit: string;
}

export interface FeedEntry {
  /** Permanent id, independent of slug and host changes. */
  id: string;
  url: string;
  title: string;
  summary: string;
  /** Full HTML body, or null when the feed carries summaries only. */
  contentHtml: string | null;
  author: string | null;
  category: string | null;
  published: Date;
  updated: Date;
  image: FeedImage | null;
  rights: string | null;
}

export interface FeedChannel {
  id: string;
  title: string;
  description: string;
  /** The HTML page this feed mirrors. */
  link: string;
  /** This feed's own URL. */
  self: string;
  language: string;
  updated: Date;
  rights: string;
  publisher: string;
  logo: string | null;
}

const GENERATOR = 'Dateline';

export function rss(channel: FeedChannel, entries: FeedEntry[]): string {
  const items = entries.map((e) => {
    const parts = [
      text('title', e.title),
      text('link', e.url),
      text('guid', e.id, { isPermaLink: 'false' }),
      text('pubDate', rfc822(e.published)),
      text('description', e.summary),
    ];
    if (e.author) parts.push(text('dc:creator', e.author));
    if (e.category) parts.push(text('category', e.category));
    if (e.contentHtml !== null) parts.push(text('content:encoded', e.contentHtml));
    if (e.image) {
      // The enclosure's byte length is not known before the rendition is made; RSS practice is 0 then.
      parts.push(tag('enclosure', { url: e.image.url, length: 0, type: e.image.type }));
      parts.push(mediaContent(e.image));
    }
    return tag('item', {}, parts.join(''));
  });
  const head = [
    text('title', channel.title),
    text('link', channel.link),
    text('description', channel.description || channel.title),
    text('language', channel.language),
    text('copyright', channel.rights),
    text('lastBuildDate', rfc822(channel.updated)),
    text('generator', GENERATOR),
    tag('atom:link', { href: channel.self, rel: 'self', type: 'application/rss+xml' }),
  ];
  if (channel.logo)
    head.push(
      tag('image', {}, text('url', channel.logo) + text('title', channel.title) + text('link', channel.link)),
    );
  return `${XML_DECLARATION}${tag(
    'rss',
    {
      version: '2.0',
      'xmlns:atom': NS.atom,
      'xmlns:media': NS.media,
      'xmlns:content': NS.content,
      'xmlns:dc': NS.dc,
    },
    tag('channel', {}, head.join('') + items.join('')),
  )}`;
}

function mediaContent(i: FeedImage): string {
  const inner = [
    i.caption ? text('media:description', i.caption, { type: 'plain' }) : '',
    i.credit ? text('media:credit', i.credit) : '',
  ];
  return tag(
    'media:content',
    { url: i.url, type: i.type, medium: 'image', width: i.width, height: i.height },
    inner.join(''),
  );
}

export function atom(channel: FeedChannel, entries: FeedEntry[]): string {
  const body = entries.map((e) => {
    const parts = [
      text('id', e.id),
      text('title', e.title, { type: 'text' }),
      tag('link', { rel: 'alternate', type: 'text/html', href: e.url }),
      text('published', e.published.toISOString()),
      text('updated', e.updated.toISOString()),
      tag('author', {}, text('name', e.author ?? channel.publisher)),
      text('summary', e.summary, { type: 'text' }),
    ];
    if (e.category) parts.push(tag('category', { term: e.category }));
    if (e.contentHtml !== null) parts.push(text('content', e.contentHtml, { type: 'html' }));
    if (e.rights) parts.push(text('rights', e.rights));
    if (e.image) {
      parts.push(tag('link', { rel: 'enclosure', type: e.image.type, href: e.image.url }));
      parts.push(mediaContent(e.image));
    }
    return tag('entry', {}, parts.join(''));
  });
  const head = [
    text('id', channel.id),
    text('title', channel.title, { type: 'text' }),
    channel.description ? text('subtitle', channel.description, { type: 'text' }) : '',
    text('updated', channel.updated.toISOString()),
    tag('link', { rel: 'self', type: 'application/atom+xml', href: channel.self }),
    tag('link', { rel: 'alternate', type: 'text/html', href: channel.link }),
    tag('author', {}, text('name', channel.publisher)),
    text('rights', channel.rights),
    text('generator', GENERATOR),
    channel.logo ? text('logo', channel.logo) : '',
  ];
  return `${XML_DECLARATION}${tag(
    'feed',
    { xmlns: NS.atom, 'xmlns:media': NS.media, 'xml:lang': channel.language },
    head.join('') + body.join(''),
  )}`;
}

export function sitemapIndex(sitemaps: { loc: string; lastModified: Date | null }[]): string {
  const inner = sitemaps
    .map((s) =>
      tag(
        'sitemap',
        {},
        text('loc', s.loc) + (s.lastModified ? text('lastmod', s.lastModified.toISOString()) : ''),
      ),
    )
    .join('');
  return `${XML_DECLARATION}${tag('sitemapindex', { xmlns: NS.sitemap }, inner)}`;
}

export interface SitemapUrl {
  loc: string;
  lastModified: Date | null;
  images: { loc: string; caption?: string }[];
}

export function urlset(urls: SitemapUrl[]): string {
  const inner = urls
    .map((u) =>
      tag(
        'url',
        {},
        text('loc', u.loc) +
          (u.lastModified ? text('lastmod', u.lastModified.toISOString()) : '') +
          u.images.map((i) => tag('image:image', {}, text('image:loc', i.loc))).join(''),
      ),
    )
    .join('');
  return `${XML_DECLARATION}${tag('urlset', { xmlns: NS.sitemap, 'xmlns:image': NS.image }, inner)}`;
}

export interface NewsUrl {
  loc: string;
  title: string;
  published: Date;
}

export function newsSitemap(publication: { name: string; language: string }, urls: NewsUrl[]): string {
  const pub = tag(
    'news:publication',
    {},
    text('news:name', publication.name) + text('news:language', publication.language),
  );
  const inner = urls
    .map((u) =>
      tag(
        'url',
        {},
        text('loc', u.loc) +
          tag(
            'news:news',
            {},
            pub + text('news:publication_date', u.published.toISOString()) + text('news:title', u.title),
          ),
      ),
    )
    .join('');
  return `${XML_DECLARATION}${tag('urlset', { xmlns: NS.sitemap, 'xmlns:news': NS.news }, inner)}`;
}
