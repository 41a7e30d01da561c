// The blocks trending adds after an article or a section: "trending on our other sites", "most read", and
// the article's read beacon. Lists come from memory, so they add no query; the page carries the site's
// trending tag and is dropped only when its lists really change. Part of the page extras
// (articles/page-extras.ts).
import type { FastifyRequest } from 'fastify';
import type { PageAdditions, PageExtras } from '../articles/page-extras.ts';
import type { ArticleView } from '../articles/reader.ts';
import type { Section } from '../sections/section.ts';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';
import { siteOrigin, urlContext } from '../sites/urls.ts';
import { tag } from '../web/cache/invalidation.ts';
import type { TrendingItem, TrendingService } from './service.ts';
import { ReadBeacon } from './views/read-beacon.tsx';
import { MostRead, TrendingBlock } from './views/trending-block.tsx';

export class TrendingPageBlocks implements PageExtras {
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

  async article(req: FastifyRequest, ctx: SiteContext, view: ArticleView): Promise<PageAdditions> {
    const urlOf = this.itemUrl(req);
    return {
      head: null,
      after: (
        <>
          <TrendingBlock items={this.trending.block(ctx.site.id)} urlOf={urlOf} />
          <MostRead
            title={`Most read on ${ctx.site.name}`}
            items={this.trending.mostRead(ctx.site.id)}
            urlOf={urlOf}
          />
          <ReadBeacon placementId={view.placement.id} />
        </>
      ),
      tags: [tag.trending(ctx.site.id)],
    };
  }

  async section(req: FastifyRequest, ctx: SiteContext, section: Section): Promise<PageAdditions> {
    return {
      head: null,
      after: (
        <MostRead
          title={`Most read in ${section.name}`}
          items={this.trending.mostRead(ctx.site.id, section.id)}
          urlOf={this.itemUrl(req)}
        />
      ),
      tags: [tag.trending(ctx.site.id)],
    };
  }
}
