// Reads what the public pages show: one story at its path, a section's page of stories, the home page.
// Page handlers call these and never write.
import type { Db } from '../db/connection.ts';
import type { SiteContext } from '../sites/directory.ts';
import type { Article, Placement } from './article.ts';
import {
  countLive,
  findArticle,
  findPlacementById,
  findPlacementBySlug,
  findRedirect,
  listLive,
  placementsOf,
  type Teaser,
} from './repository.ts';
import { storyPath } from './slug.ts';

/** What a picture needs to render; media records satisfy it. */
export interface PictureInfo {
  id: number;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
}

export interface MediaLookup {
  getMany(ids: number[]): Promise<PictureInfo[]>;
}

export interface ArticleView {
  article: Article;
  placement: Placement;
  /** Everywhere the story appears (this placement included), e.g. for hreflang links. */
  placements: Placement[];
  /** The original's placement when this page is a republication on a sister site. */
  canonical: { siteId: number; path: string } | null;
  lead: PictureInfo | null;
  related: Teaser[];
  pictures: Map<number, PictureInfo>;
}

export type ArticleLookup =
  | { kind: 'article'; view: ArticleView }
  | { kind: 'redirect'; location: string }
  | { kind: 'gone'; article: Article }
  | { kind: 'not_found' };

export const SECTION_PAGE_SIZE = 20;
const RELATED = 4;

export class ArticleReader {
  constructor(
    private readonly db: Db,
    private readonly media: MediaLookup,
    private readonly sectionSlugOf: (sectionId: number) => { siteId: number; slug: string } | undefined,
  ) {}

  private get q() {
    return this.db.kysely;
  }

  pathOf(p: Pick<Placement, 'sectionId' | 'slug'>): string {
    return storyPath(this.sectionSlugOf(p.sectionId)?.slug ?? 'story', p.slug);
  }

  async article(ctx: SiteContext, sectionSlug: string, slug: string): Promise<ArticleLookup> {
    const placement = await findPlacementBySlug(this.q, ctx.site.id, slug);
    if (!placement) {
      const target = await findRedirect(this.q, ctx.site.id, `/${sectionSlug}/${slug}`);
      const moved = target === null ? null : await findPlacementById(this.q, target);
      return moved ? { kind: 'redirect', location: this.pathOf(moved) } : { kind: 'not_found' };
    }
    const article = await findArticle(this.q, placement.articleId);
    if (!article) return { kind: 'not_found' };
    if (article.status === 'taken_down') return { kind: 'gone', article };
    if (!placement.live) return { kind: 'not_found' };
    if (ctx.sectionsById.get(placement.sectionId)?.slug !== sectionSlug) {
      return { kind: 'redirect', location: this.pathOf(placement) };
    }
    const [related, placements] = await Promise.all([
      listLive(this.q, {
        siteId: ctx.site.id,
        sectionId: placement.sectionId,
        limit: RELATED,
        excludeArticleId: article.id,
      }),
      placementsOf(this.q, article.id),
    ]);
    const origin = placement.canonical ? undefined : placements.find((p) => p.canonical);
    const pictures = await this.pictures([article.leadMediaId, ...related.map((t) => t.leadMediaId)]);
    return {
      kind: 'article',
      view: {
        article,
        placement,
        placements,
        canonical: origin ? { siteId: origin.siteId, path: this.pathOf(origin) } : null,
        lead: article.leadMediaId ? (pictures.get(article.leadMediaId) ?? null) : null,
        related,
        pictures,
      },
    };
  }

  async sectionPage(ctx: SiteContext, sectionId: number, page: number) {
    const total = await countLive(this.q, ctx.site.id, sectionId);
    const pages = Math.max(1, Math.ceil(total / SECTION_PAGE_SIZE));
    if (page > pages) return null;
    const teasers = await listLive(this.q, {
      siteId: ctx.site.id,
      sectionId,
      limit: SECTION_PAGE_SIZE,
      offset: (page - 1) * SECTION_PAGE_SIZE,
    });
    return { teasers, page, pages, total, pictures: await this.pictures(teasers.map((t) => t.leadMediaId)) };
  }

  async home(ctx: SiteContext) {
    const [top, ...blocks] = await Promise.all([
      listLive(this.q, { siteId: ctx.site.id, limit: 5 }),
      ...ctx.sections.map((s) => listLive(this.q, { siteId: ctx.site.id, sectionId: s.id, limit: 8 })),
    ]);
    const topIds = new Set(top!.map((t) => t.articleId));
    const sections = ctx.sections
      .map((section, i) => ({
        section,
        teasers: blocks[i]!.filter((t) => !topIds.has(t.articleId)).slice(0, 3),
      }))
      .filter((b) => b.teasers.length > 0);
    const pictures = await this.pictures(
      [...top!, ...sections.flatMap((b) => b.teasers)].map((t) => t.leadMediaId),
    );
    return { top: top!, sections, pictures };
  }

  private async pictures(ids: (number | null)[]): Promise<Map<number, PictureInfo>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    return new Map((await this.media.getMany(wanted)).map((m) => [m.id, m]));
  }
}
