// Registers every discovery route on the server (search page, feeds and sitemaps, read counting, content
// API) and ties discovery's background work to the server's life: started when it is ready, stopped when it
// closes. Trending changes drop cached pages through invalidation.ts, like every other change.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, apiRoutes } from '../api/routes.ts';
import { feedRoutes } from '../feeds/routes.ts';
import type { Runtime } from '../runtime.ts';
import { searchRoutes } from '../search/routes.tsx';
import { trendingRoutes } from '../trending/routes.ts';
import { tagsForTrendingChange } from '../web/cache/invalidation.ts';
import type { PageCache } from '../web/cache/page-cache.ts';
import type { PageServer } from '../web/pages.ts';

export interface DiscoveryRouteDeps {
  rt: Runtime;
  pages: PageServer;
  cache: PageCache | null;
  unknownHost: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;
}

export async function discoveryRoutes(app: FastifyInstance, deps: DiscoveryRouteDeps): Promise<void> {
  const { rt, pages, cache, unknownHost } = deps;
  const d = rt.discovery;
  const stopListening = d.trending.onChange((siteIds) => cache?.invalidate(tagsForTrendingChange(siteIds)));
  app.addHook('onReady', async () => {
    await d.start();
  });
  app.addHook('onClose', async () => {
    stopListening();
    await d.stop();
  });

  await searchRoutes(app, {
    pages,
    search: d.search,
    cache,
    bus: rt.bus,
    indexer: d.indexer,
    tail: rt.tail,
    unknownHost,
  });
  await feedRoutes(app, { pages, feeds: d.feeds, cache, unknownHost });
  await trendingRoutes(app, { reads: d.reads, directory: rt.directory });
  await app.register(
    async (api) =>
      apiRoutes(api, {
        pages,
        directory: rt.directory,
        keys: d.apiKeys,
        search: d.search,
        trending: d.trending,
        articles: rt.articles,
        media: rt.media,
        db: rt.db,
        corsOrigins: d.corsOrigins,
      }),
    { prefix: API_PREFIX },
  );
}
