// Builds every feed and sitemap document of a site from its live stories: RSS and Atom for the site and
// each section, the sitemap index with monthly sitemaps (split at 50,000 URLs), the Google News sitemap
// (last two days) and robots.txt. Each document comes with the newest change it reflects (Last-Modified)
// and the cache tags whose change makes it stale.
import type { PictureInfo } from '../articles/reader.ts';
import { storyPath } from '../articles/slug.ts';
import type { Db } from '../db/connection.ts';
import { htmlToText, leadText } from '../search/text.ts';
import type { Section } from '../sections/section.ts';
import type { SiteContext } from '../sites/directory.ts';
import { siteOrigin, type UrlContext } from '../sites/urls.ts';
import { imageUrl } from '../structured-data/urls.ts';
import { tag } from '../web/cache/invalidation.ts';
import { atom, type FeedChannel, type FeedEntry, newsSitemap, rss, sitemapIndex, urlset } from './formats.ts';
import { feedRows, monthUrls, recentUrls, sitemapMonths, type UrlRow } from './repository.ts';
import { feedBody } from './truncate.ts';

export interface MediaSource {
  getMany(ids: number[]): Promise<PictureInfo[]>;
}

export interface FeedOptions {
  /** 'full' puts each story's whole body in the feed; 'summary' only its dek or first lines. */
  content: 'full' | 'summary';
  items?: number;
  /** Largest body (UTF-8 bytes) one story may put in a feed; longer ones are cut, with a link to the story. */
  maxBodyBytes?: number;
  /** URLs per sitemap file; sitemaps.org allows 50,000 (tests use a small number). */
  sitemapMaxUrls?: number;
  now?: () => Date;
}

export interface XmlDocument {
  body: string;
  contentType: string;
  lastModified: Date;
  tags: string[];
}

/** The default of DATELINE_FEED_MAX_BODY_BYTES. */
export const DEFAULT_FEED_MAX_BODY_BYTES = 64 * 1024;
/** The most URLs one sitemap file may list (sitemaps.org). */
export const SITEMAP_MAX_URLS = 50_000;
/** Google News sitemaps list the last two days' stories, at most 1,000. */
const NEWS_WINDOW_MS = 2 * 86_400_000;
const NEWS_MAX_URLS = 1000;

export type FeedFormat = 'rss' | 'atom';

/**
 * A sitemap another feature serves (events: src/live-events/), named in the sitemap index with its newest
 * change; null when the site has nothing in it. Its changes must drop the site's tag, as the index's do.
 */
export type ExtraSitemap = (
  ctx: SiteContext,
  origin: string,
) => Promise<{ loc: string; lastModified: Date } | null>;

export class FeedService {
  private readonly o: Required<FeedOptions>;
  private readonly extraSitemaps: ExtraSitemap[] = [];

  constructor(
    private readonly db: Db,
    private readonly media: MediaSource,
    opts: FeedOptions,
  ) {
    this.o = {
      items: 50,
      maxBodyBytes: DEFAULT_FEED_MAX_BODY_BYTES,
      sitemapMaxUrls: SITEMAP_MAX_URLS,
      now: () => new Date(),
      ...opts,
    };
  }

  private async pictures(ids: (number | null)[]): Promise<Map<number, PictureInfo>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    return new Map((await this.media.getMany(wanted)).map((m) => [m.id, m]));
  }

  async feed(ctx: SiteContext, u: UrlContext, format: FeedFormat, section?: Section): Promise<XmlDocument> {
    const { site } = ctx;
    const origin = siteOrigin(u, site);
    const rows = await feedRows(this.db, {
      siteId: site.id,
      sectionId: section?.id,
      limit: this.o.items,
      withBody: true,
      // One character more than the byte limit: a start that long is over the limit, so it gets cut.
      bodyChars: this.o.maxBodyBytes + 1,
    });
    const pictures = await this.pictures([site.logoMediaId, ...rows.map((r) => r.leadMediaId)]);
    const entries: FeedEntry[] = rows.map((r) => {
      const sec = ctx.sectionsById.get(r.sectionId);
      const pic = r.leadMediaId ? pictures.get(r.leadMediaId) : undefined;
      const url = `${origin}${storyPath(sec?.slug ?? 'story', r.slug)}`;
      const body = feedBody(r.bodyHtml ?? '', this.o.maxBodyBytes, url).html;
      const summary = r.dek || leadText(htmlToText(body), 300) || r.headline;
      return {
        id: `urn:dateline:${site.slug}:article:${r.articleId}`,
        url,
        title: r.headline,
        summary,
        contentHtml: this.o.content === 'full' ? body : null,
        author: r.byline,
        category: sec?.name ?? null,
        published: r.publishedAt,
        updated: r.updatedAt,
        rights: r.sourceCopyright,
        image: pic ? feedImage(origin, pic) : null,
      };
    });
    const lastModified = latest(site.updatedAt, ...entries.map((e) => e.updated));
    const path = section ? `/feeds/${section.slug}/${format}.xml` : `/feeds/${format}.xml`;
    const logo = site.logoMediaId ? pictures.get(site.logoMediaId) : undefined;
    const channel: FeedChannel = {
      id: `urn:dateline:${site.slug}:feed:${section ? `section:${section.id}` : 'site'}`,
      title: section ? `${section.name} | ${site.name}` : site.name,
      description: section ? section.description : site.tagline,
      link: section ? `${origin}/${section.slug}` : `${origin}/`,
      self: `${origin}${path}`,
      language: site.language,
      updated: lastModified,
      rights: site.footerText || `© ${site.name}`,
      publisher: site.name,
      logo: logo ? imageUrl(origin, logo, 480) : null,
    };
    const tags = [tag.site(site.id), section ? tag.section(section.id) : tag.home(site.id)];
    for (const id of pictures.keys()) tags.push(tag.media(id));
    return format === 'rss'
      ? { body: rss(channel, entries), contentType: 'application/rss+xml; charset=utf-8', lastModified, tags }
      : {
          body: atom(channel, entries),
          contentType: 'application/atom+xml; charset=utf-8',
          lastModified,
          tags,
        };
  }

  /** Names another feature's sitemap in every site's sitemap index (registered from web/server.tsx). */
  addSitemap(source: ExtraSitemap): void {
    this.extraSitemaps.push(source);
  }

  async sitemapIndex(ctx: SiteContext, u: UrlContext): Promise<XmlDocument> {
    const origin = siteOrigin(u, ctx.site);
    const months = await sitemapMonths(this.db, ctx.site.id);
    const entries: { loc: string; lastModified: Date | null }[] = [
      { loc: `${origin}/sitemaps/pages.xml`, lastModified: null },
      { loc: `${origin}/sitemaps/news.xml`, lastModified: months[0]?.lastModified ?? null },
    ];
    for (const m of months) {
      const parts = Math.ceil(m.count / this.o.sitemapMaxUrls);
      for (let part = 1; part <= parts; part++) {
        entries.push({
          loc: `${origin}/sitemaps/${sitemapFile(m.month, part)}`,
          lastModified: m.lastModified,
        });
      }
    }
    for (const source of this.extraSitemaps) {
      const entry = await source(ctx, origin);
      if (entry) entries.push(entry);
    }
    const lastModified = months.reduce((d, m) => latest(d, m.lastModified), ctx.site.updatedAt);
    return {
      body: sitemapIndex(entries),
      contentType: XML,
      lastModified,
      tags: [tag.site(ctx.site.id), tag.home(ctx.site.id)],
    };
  }

  /** A month's sitemap (part 1, 2… past 50,000 URLs), or null if there is no such file. */
  async sitemap(ctx: SiteContext, u: UrlContext, month: string, part: number): Promise<XmlDocument | null> {
    const origin = siteOrigin(u, ctx.site);
    const max = this.o.sitemapMaxUrls;
    const rows = await monthUrls(this.db, ctx.site.id, month, (part - 1) * max, max);
    if (rows.length === 0) return null;
    const pictures = await this.pictures(rows.map((r) => r.leadMediaId));
    const urls = rows.map((r) => {
      const pic = r.leadMediaId ? pictures.get(r.leadMediaId) : undefined;
      return {
        loc: this.urlOf(ctx, origin, r),
        lastModified: r.updatedAt,
        images: pic ? [{ loc: imageUrl(origin, pic) }] : [],
      };
    });
    const lastModified = latest(new Date(0), ...rows.map((r) => r.updatedAt));
    return {
      body: urlset(urls),
      contentType: XML,
      lastModified,
      tags: [tag.site(ctx.site.id), tag.home(ctx.site.id)],
    };
  }

  /** Home and section pages. */
  pagesSitemap(ctx: SiteContext, u: UrlContext): XmlDocument {
    const origin = siteOrigin(u, ctx.site);
    const urls = [`${origin}/`, ...ctx.sections.map((s) => `${origin}/${s.slug}`)].map((loc) => ({
      loc,
      lastModified: null,
      images: [],
    }));
    return {
      body: urlset(urls),
      contentType: XML,
      lastModified: ctx.site.updatedAt,
      tags: [tag.site(ctx.site.id)],
    };
  }

  async newsSitemap(ctx: SiteContext, u: UrlContext): Promise<XmlDocument> {
    const origin = siteOrigin(u, ctx.site);
    const rows = await recentUrls(
      this.db,
      ctx.site.id,
      new Date(this.o.now().getTime() - NEWS_WINDOW_MS),
      NEWS_MAX_URLS,
    );
    const body = newsSitemap(
      { name: ctx.site.name, language: newsLanguage(ctx.site.language) },
      rows.map((r) => ({ loc: this.urlOf(ctx, origin, r), title: r.headline, published: r.publishedAt })),
    );
    const lastModified = latest(ctx.site.updatedAt, ...rows.map((r) => r.updatedAt));
    return { body, contentType: XML, lastModified, tags: [tag.site(ctx.site.id), tag.home(ctx.site.id)] };
  }

  robots(ctx: SiteContext, u: UrlContext): string {
    const origin = siteOrigin(u, ctx.site);
    return [
      `# ${ctx.site.name.replace(/[\r\n]/g, ' ')}`,
      'User-agent: *',
      'Allow: /',
      // Search result pages are endless and thin; the API is for integrations.
      'Disallow: /search',
      'Disallow: /api/',
      '',
      `Sitemap: ${origin}/sitemap.xml`,
      `Sitemap: ${origin}/sitemaps/news.xml`,
      '',
    ].join('\n');
  }

  private urlOf(ctx: SiteContext, origin: string, r: UrlRow): string {
    return `${origin}${storyPath(ctx.sectionsById.get(r.sectionId)?.slug ?? 'story', r.slug)}`;
  }
}

const XML = 'application/xml; charset=utf-8';

/** The latest of some instants (Last-Modified of a document is its newest change). */
function latest(first: Date, ...rest: Date[]): Date {
  let out = first;
  for (const d of rest) if (d.getTime() > out.getTime()) out = d;
  return out;
}

export function sitemapFile(month: string, part: number): string {
  return part === 1 ? `${month}.xml` : `${month}-${part}.xml`;
}

/** Reads "2025-10.xml" or "2025-10-2.xml"; anything else is null. */
export function parseSitemapFile(file: string): { month: string; part: number } | null {
  const m = /^(\d{4}-(0[1-9]|1[0-2]))(?:-([2-9]|[1-9]\d{1,3}))?\.xml$/.exec(file);
  if (!m) return null;
  return { month: m[1]!, part: m[3] ? Number(m[3]) : 1 };
}

/** Google News wants ISO 639 codes, except zh-cn and zh-tw. */
function newsLanguage(language: string): string {
  const l = language.toLowerCase();
  if (l.startsWith('zh')) return /tw|hant|hk/.test(l) ? 'zh-tw' : 'zh-cn';
  return l.split('-')[0] ?? l;
}

function feedImage(origin: string, pic: PictureInfo): FeedImage {
  const width = Math.min(1200, pic.width);
  return {
    url: imageUrl(origin, pic),
    width,
    height: Math.round((pic.height * width) / pic.width),
    type: 'image/jpeg',
    caption: pic.caption,
    credit: pic.credit,
  };
}

type FeedImage = NonNullable<FeedEntry['image']>;
