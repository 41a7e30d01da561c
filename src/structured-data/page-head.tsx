// What article and section pages carry in <head> for search engines, feed readers and sharing:
// NewsArticle and BreadcrumbList JSON-LD, OpenGraph and Twitter card tags, hreflang links to the story on
// sister sites in other languages, and a section's feed links. Fills the pages' head slot
// (articles/page-slots.ts).
import type { Placement } from '../articles/article.ts';
import type {
  ArticleFacts,
  ArticleSlots,
  PageContributor,
  SectionFacts,
  SectionSlots,
} from '../articles/page-slots.ts';
import type { PictureInfo } from '../articles/reader.ts';
import { storyPath } from '../articles/slug.ts';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';
import { siteOrigin, urlContext } from '../sites/urls.ts';
import { tag } from '../web/cache/invalidation.ts';
import { fill } from '../web/slots.ts';
import { Hreflang, JsonLdScript, ShareTags } from './head.tsx';
import { breadcrumbList, type ImageRef, newsArticle } from './json-ld.ts';
import { imageUrl } from './urls.ts';

interface MediaLookup {
  getMany(ids: number[]): Promise<PictureInfo[]>;
}

export class StructuredDataHead implements PageContributor {
  constructor(
    private readonly directory: SiteDirectory,
    private readonly media: MediaLookup,
  ) {}

  // Logos are read on every article render but change only with the site (a new logo is a new media id).
  private readonly logos = new Map<number, PictureInfo | null>();

  private async logo(ctx: SiteContext, origin: string): Promise<ImageRef | null> {
    const id = ctx.site.logoMediaId;
    if (!id) return null;
    if (!this.logos.has(id)) this.logos.set(id, (await this.media.getMany([id]))[0] ?? null);
    const logo = this.logos.get(id);
    if (!logo) return null;
    const width = Math.min(600, logo.width);
    return {
      url: imageUrl(origin, logo, width),
      width,
      height: Math.round((logo.height * width) / logo.width),
    };
  }

  async article({ req, ctx, view, canonicalUrl }: ArticleFacts): Promise<ArticleSlots> {
    const { article, placement, lead } = view;
    const u = urlContext(req);
    const origin = siteOrigin(u, ctx.site);
    const section = ctx.sectionsById.get(placement.sectionId);
    const pageUrl = `${origin}${storyPath(section?.slug ?? 'story', placement.slug)}`;
    const logo = await this.logo(ctx, origin);
    const published = article.publishedAt ?? article.createdAt;
    const modified =
      article.contentUpdatedAt && article.contentUpdatedAt > published ? article.contentUpdatedAt : published;
    const images: ImageRef[] = lead
      ? [{ url: imageUrl(origin, lead), width: Math.min(1200, lead.width), height: scaled(lead, 1200) }]
      : [];
    const ld = newsArticle({
      url: canonicalUrl,
      headline: article.headline,
      description: article.dek || null,
      images,
      datePublished: published,
      dateModified: modified,
      byline: article.byline,
      sourceCopyright: article.sourceCopyright,
      section: section?.name ?? null,
      language: ctx.site.language,
      publisher: { name: ctx.site.name, url: `${origin}/`, logo },
    });
    const crumbs = breadcrumbList([
      { name: ctx.site.name, url: `${origin}/` },
      ...(section ? [{ name: section.name, url: `${origin}/${section.slug}` }] : []),
      { name: article.headline, url: pageUrl },
    ]);
    const versions = this.languageVersions(u, view.placements);
    const tags = ctx.site.logoMediaId ? [tag.media(ctx.site.logoMediaId)] : [];
    return {
      head: fill(
        <>
          <ShareTags
            card={{
              type: 'article',
              siteName: ctx.site.name,
              title: article.headline,
              description: article.dek || null,
              url: canonicalUrl,
              language: ctx.site.language,
              image: lead && images[0] ? { ...images[0], alt: lead.alt } : null,
              publishedAt: published,
              modifiedAt: modified,
              section: section?.name ?? null,
            }}
          />
          <Hreflang versions={versions} />
          <JsonLdScript data={[ld, crumbs]} />
        </>,
        ...tags,
      ),
    };
  }

  /** The story on each sister site, when the network's sites differ in language (else nothing to say). */
  private languageVersions(u: ReturnType<typeof urlContext>, placements: Placement[]) {
    const languages = new Set(this.directory.all().map((c) => c.site.language.toLowerCase()));
    if (languages.size < 2) return [];
    const out: { language: string; url: string }[] = [];
    for (const p of placements) {
      const ctx = this.directory.byIdOrUndefined(p.siteId);
      const sec = ctx?.sectionsById.get(p.sectionId);
      if (!ctx || !sec || !p.live) continue;
      out.push({
        language: ctx.site.language,
        url: `${siteOrigin(u, ctx.site)}${storyPath(sec.slug, p.slug)}`,
      });
    }
    return out;
  }

  section({ req, ctx, section, canonicalUrl }: SectionFacts): SectionSlots {
    const origin = siteOrigin(urlContext(req), ctx.site);
    const crumbs = breadcrumbList([
      { name: ctx.site.name, url: `${origin}/` },
      { name: section.name, url: `${origin}/${section.slug}` },
    ]);
    return {
      head: fill(
        <>
          <link
            rel="alternate"
            type="application/rss+xml"
            title={`${section.name} | ${ctx.site.name} (RSS)`}
            href={`/feeds/${section.slug}/rss.xml`}
          />
          <link
            rel="alternate"
            type="application/atom+xml"
            title={`${section.name} | ${ctx.site.name} (Atom)`}
            href={`/feeds/${section.slug}/atom.xml`}
          />
          <ShareTags
            card={{
              type: 'website',
              siteName: ctx.site.name,
              title: section.name,
              description: section.description || null,
              url: canonicalUrl,
              language: ctx.site.language,
              image: null,
            }}
          />
          <JsonLdScript data={crumbs} />
        </>,
      ),
    };
  }
}

function scaled(m: { width: number; height: number }, maxWidth: number): number {
  const w = Math.min(maxWidth, m.width);
  return Math.round((m.height * w) / m.width);
}
