// The blocks trending adds after an article or a section: "trending on our other sites", "most read", and
// the article's read beacon. Lists come from memory, so they add no query; the page carries the site's
// trending tag and is dropped only when its lists really change. Fills the pages' sidebar slot and, on a
// story, the end slot with the beacon (articles/page-slots.ts).
import type { FastifyRequest } from 'fastify';
import type {
  ArticleFacts,
  ArticleSlots,
  PageContributor,
  SectionFacts,
  SectionSlots,
} from '../articles/page-slots.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import { siteOrigin, urlContext } from '../sites/urls.ts';
import { tag } from '../web/cache/invalidation.ts';
import { fill } from '../web/slots.ts';
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

  article({ req, ctx, view }: ArticleFacts): ArticleSlots {
    const urlOf = this.itemUrl(req);
    return {
      sidebar: fill(
        <>
          <TrendingBlock items={this.trending.block(ctx.site.id)} urlOf={urlOf} />
          <MostRead
            title={`Most read on ${ctx.site.name}`}
            items={this.trending.mostRead(ctx.site.id)}
            urlOf={urlOf}
          />
        </>,
        tag.trending(ctx.site.id),
      ),
      end: fill(<ReadBeacon placementId={view.placement.id} />),
    };
  }

  section({ req, ctx, section }: SectionFacts): SectionSlots {
    return {
      sidebar: fill(
        <MostRead
          title={`Most read in ${section.name}`}
          items={this.trending.mostRead(ctx.site.id, section.id)}
          urlOf={this.itemUrl(req)}
        />,
        tag.trending(ctx.site.id),
      ),
    };
  }
}
