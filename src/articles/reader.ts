// Reads what the public pages show: one story at its path, a section's page of stories, the home page.
// Page handlers call these and never write.
import type { Db } from '../db/connection.ts';
import type { Section } from '../sections/section.ts';
import type { SiteContext } from '../sites/directory.ts';
import type { Article, Placement } from './article.ts';
import {
  countLive,
  findArticle,
  findPlacementById,
  findPlacementBySlug,
  findRedirect,
  listLive,
  liveTeasersOf,
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
/** The home page's top stories: the lead and four more. */
export const HOME_TOP = 5;
/** Stories per section block on the home page: a lead teaser and three more. */
export const HOME_BLOCK = 4;

/**
 * The stories an editor put on the home page (the front page arrangement, src/front-page/), given to the
 * routes by the composition root: articles/ never imports the feature that arranges them.
 */
export interface HomePicks {
  arrangement(siteId: number): Promise<{ leadArticleId: number | null; topArticleIds: number[] } | null>;
}

/** The home page's stories: the lead and top stories, then each section's block. */
export interface HomeStories {
  top: Teaser[];
  sections: { section: Section; teasers: Teaser[] }[];
  pictures: Map<number, PictureInfo>;
}

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

  /**
   * The lead and top stories as an editor arranged them when `picks` has an arrangement for the site, the
   * newest filling whatever it leaves open (a lead or top story taken down, unpublished or moved off the
   * site since, or fewer than five arranged); without one, the newest. Then each section's newest stories
   * that are not already at the top.
   */
  async home(ctx: SiteContext, picks?: HomePicks): Promise<HomeStories> {
    const siteId = ctx.site.id;
    const arrangement = (await picks?.arrangement(siteId)) ?? null;
    const arranged = arrangement
      ? [
          ...(arrangement.leadArticleId === null ? [] : [arrangement.leadArticleId]),
          ...arrangement.topArticleIds,
        ]
      : [];
    const [pinned, newest, ...blocks] = await Promise.all([
      liveTeasersOf(this.q, siteId, arranged),
      listLive(this.q, { siteId, limit: HOME_TOP + arranged.length }),
      ...ctx.sections.map((s) => listLive(this.q, { siteId, sectionId: s.id, limit: HOME_TOP + HOME_BLOCK })),
    ]);
    const top = topStories(arrangement, pinned!, newest!);
    const topIds = new Set(top.map((t) => t.articleId));
    const sections = ctx.sections
      .map((section, i) => ({
        section,
        teasers: blocks[i]!.filter((t) => !topIds.has(t.articleId)).slice(0, HOME_BLOCK),
      }))
      .filter((b) => b.teasers.length > 0);
    const pictures = await this.pictures(
      [...top, ...sections.flatMap((b) => b.teasers)].map((t) => t.leadMediaId),
    );
    return { top, sections, pictures };
  }

  private async pictures(ids: (number | null)[]): Promise<Map<number, PictureInfo>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    return new Map((await this.media.getMany(wanted)).map((m) => [m.id, m]));
  }
}

/**
 * The five top stories: the arranged lead (else the newest story not arranged), the arranged top stories
 * still live in their order, then the newest to make up five. A story appears once.
 */
function topStories(
  arrangement: { leadArticleId: number | null; topArticleIds: number[] } | null,
  pinned: Teaser[],
  newest: Teaser[],
): Teaser[] {
  if (!arrangement) return newest.slice(0, HOME_TOP);
  const live = new Map(pinned.map((t) => [t.articleId, t]));
  const arrangedTop = arrangement.topArticleIds.flatMap((id) => live.get(id) ?? []);
  const seen = new Set(arrangedTop.map((t) => t.articleId));
  const lead = arrangement.leadArticleId === null ? undefined : live.get(arrangement.leadArticleId);
  if (lead) seen.add(lead.articleId);
  const fresh = newest.filter((t) => !seen.has(t.articleId));
  const out = [lead ?? fresh.shift(), ...arrangedTop].filter((t): t is Teaser => t !== undefined);
  return [...out, ...fresh].slice(0, HOME_TOP);
}
