// The blocks trending adds after an article or a section: "trending on our other sites", "most read", and
// the article's read beacon. Lists come from memory, so they add no query; the page carries the site's
// trending tag and is dropped only when its lists really change. Fills the sidebar slot of the story,
// section and home pages and, on a story, the end slot with the beacon (articles/page-slots.ts).
import type { FastifyRequest } from 'fastify';
import type {
  ArticleFacts,
  ArticleSlots,
  HomeFacts,
  HomeSlots,
  PageContributor,
  SectionFacts,
  SectionSlots,
} from '../articles/page-slots.ts';
import type { Section } from '../sections/section.ts';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';
import { siteOrigin, urlContext } from '../sites/urls.ts';
import { tag } from '../web/cache/invalidation.ts';
import { type Fill, fill } from '../web/slots.ts';
import type { TrendingItem, TrendingService } from './service.ts';
import { ReadBeacon } from './views/read-beacon.tsx';
import { MostRead, TrendingBlock } from './views/trending-block.tsx';

export class TrendingPageBlocks implements PageContributor {
  constructor(
    private readonly directory: SiteDirectory,
    private readonly trending: TrendingService,
  ) {}

  private itemUrl(req: FastifyRequest) {
    const u = urlContext(req);
    return (item: TrendingItem) => {
      const site = this.directory.byIdOrUndefined(item.siteId)?.site;
      // A story of a site removed since the list was computed keeps a path on this site.
      return `${site ? siteOrigin(u, site) : ''}${item.path}`;
    };
  }

  /**
   * The most read list (of the site, or of a section) and, on stories and the home page, what is trending on
   * the sister sites, as one sidebar fill. With both lists empty the fill is empty (no rail beside the
   * page), but still carries the tag, so the page is dropped when a list first appears.
   */
  private sidebar(req: FastifyRequest, ctx: SiteContext, section?: Section): Fill {
    const urlOf = this.itemUrl(req);
    const trending = section ? [] : this.trending.block(ctx.site.id);
    const mostRead = this.trending.mostRead(ctx.site.id, section?.id);
    const t = tag.trending(ctx.site.id);
    if (trending.length === 0 && mostRead.length === 0) return fill(null, t);
    return fill(
      <>
        <TrendingBlock items={trending} urlOf={urlOf} />
        <MostRead
          title={section ? `Most read in ${section.name}` : `Most read on ${ctx.site.name}`}
          items={mostRead}
          urlOf={urlOf}
        />
      </>,
      t,
    );
  }

  article({ req, ctx, view }: ArticleFacts): ArticleSlots {
    return {
      sidebar: this.sidebar(req, ctx),
      end: fill(<ReadBeacon placementId={view.placement.id} />),
    };
  }

  section({ req, ctx, section }: SectionFacts): SectionSlots {
    return { sidebar: this.sidebar(req, ctx, section) };
  }

  home({ req, ctx }: HomeFacts): HomeSlots {
    return { sidebar: this.sidebar(req, ctx) };
  }
}
