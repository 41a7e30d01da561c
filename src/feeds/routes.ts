// Feeds, sitemaps and robots.txt for every site. Documents are cached in the page cache (compressed once,
// with an ETag) under the tags their stories carry, so an article event drops exactly the feeds it touches
// and a warm feed is served from memory. Conditional GET answers 304 on a matching ETag or, failing that,
// an If-Modified-Since at or after the newest change.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import type { SiteContext } from '../sites/directory.ts';
import { urlContext } from '../sites/urls.ts';
import { makePage, type PageCache, type PageVersion } from '../web/cache/page-cache.ts';
import { errorRender } from '../web/error-pages.tsx';
import { type PageServer, send } from '../web/pages.ts';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import { type FeedFormat, type FeedService, parseSitemapFile, type XmlDocument } from './service.ts';

export interface FeedRouteDeps {
  pages: PageServer;
  feeds: FeedService;
  cache: PageCache | null;
  /** Resolves the request's site, answering a Host that is not ours (web/request-site.ts). */
  siteHook: SiteHook;
  now?: () => Date;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;
/** The news sitemap ages by the clock, not only by events: its cached copy is remade every ten minutes. */
const NEWS_SITEMAP_TTL_MS = 600_000;

export async function feedRoutes(app: FastifyInstance, deps: FeedRouteDeps): Promise<void> {
  const { pages, feeds, cache } = deps;
  const now = deps.now ?? (() => new Date());

  const notFound = (req: FastifyRequest, reply: FastifyReply, ctx: SiteContext) =>
    pages.serve(req, reply, ctx, '404', async () => errorRender(ctx, 404, [], true));

  /** Serves an XML document from the cache, building it on a miss; null from build means 404. */
  const serveXml = async (
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    key: string,
    build: () => Promise<XmlDocument | null>,
  ): Promise<FastifyReply> => {
    // Absolute URLs inside come from configuration, never from the request, so the site and path suffice.
    const cacheKey = `${ctx.site.id}|xml|${key}`;
    let page = cache?.get(cacheKey);
    if (!page) {
      const doc = await build();
      if (!doc) return notFound(req, reply, ctx);
      page = makePage({
        status: 200,
        contentType: doc.contentType,
        body: Buffer.from(doc.body),
        headers: { 'last-modified': doc.lastModified.toUTCString() },
        cacheControl: pages.cacheControl(200),
        tags: doc.tags,
      });
      cache?.set(cacheKey, page);
    }
    if (notModifiedSince(req, page)) {
      reply.header('etag', page.etag).header('last-modified', page.headers['last-modified']!);
      return reply.code(304).header('cache-control', page.cacheControl).send();
    }
    return send(req, reply, page);
  };

  const siteRoute = { preHandler: deps.siteHook };
  /** A handler given the site the hook resolved. */
  const withSite =
    <G extends RouteGenericInterface = RouteGenericInterface>(
      handler: (req: FastifyRequest<G>, reply: FastifyReply, ctx: SiteContext) => Promise<FastifyReply>,
    ) =>
    async (req: FastifyRequest<G>, reply: FastifyReply) => {
      return handler(req, reply, siteOf(req));
    };

  for (const format of ['rss', 'atom'] as FeedFormat[]) {
    app.get(
      `/feeds/${format}.xml`,
      siteRoute,
      withSite((req, reply, ctx) =>
        serveXml(req, reply, ctx, `/feeds/${format}.xml`, () => feeds.feed(ctx, urlContext(req), format)),
      ),
    );
    app.get<{ Params: { section: string } }>(
      `/feeds/:section/${format}.xml`,
      siteRoute,
      withSite<{ Params: { section: string } }>((req, reply, ctx) => {
        const section = SLUG.test(req.params.section)
          ? ctx.sectionsBySlug.get(req.params.section)
          : undefined;
        if (!section) return notFound(req, reply, ctx);
        return serveXml(req, reply, ctx, `/feeds/${section.slug}/${format}.xml`, () =>
          feeds.feed(ctx, urlContext(req), format, section),
        );
      }),
    );
  }
  // The addresses people guess; the real ones are in every page's <head>.
  for (const [path, target] of [
    ['/feed', '/feeds/rss.xml'],
    ['/rss', '/feeds/rss.xml'],
    ['/feeds', '/feeds/rss.xml'],
    ['/atom', '/feeds/atom.xml'],
  ] as const) {
    app.get(path, async (_req, reply) =>
      reply.code(301).header('cache-control', 'public, max-age=86400').redirect(target),
    );
  }

  app.get(
    '/sitemap.xml',
    siteRoute,
    withSite((req, reply, ctx) =>
      serveXml(req, reply, ctx, '/sitemap.xml', () => feeds.sitemapIndex(ctx, urlContext(req))),
    ),
  );
  app.get(
    '/sitemaps/news.xml',
    siteRoute,
    withSite((req, reply, ctx) => {
      const slot = Math.floor(now().getTime() / NEWS_SITEMAP_TTL_MS);
      return serveXml(req, reply, ctx, `/sitemaps/news.xml@${slot}`, () =>
        feeds.newsSitemap(ctx, urlContext(req)),
      );
    }),
  );
  app.get(
    '/sitemaps/pages.xml',
    siteRoute,
    withSite((req, reply, ctx) =>
      serveXml(req, reply, ctx, '/sitemaps/pages.xml', async () => feeds.pagesSitemap(ctx, urlContext(req))),
    ),
  );
  app.get<{ Params: { file: string } }>(
    '/sitemaps/:file',
    siteRoute,
    withSite<{ Params: { file: string } }>((req, reply, ctx) => {
      const file = parseSitemapFile(req.params.file);
      if (!file) return notFound(req, reply, ctx);
      return serveXml(req, reply, ctx, `/sitemaps/${req.params.file}`, () =>
        feeds.sitemap(ctx, urlContext(req), file.month, file.part),
      );
    }),
  );

  app.get(
    '/robots.txt',
    siteRoute,
    withSite(async (req, reply, ctx) =>
      reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', pages.cacheControl(200))
        .send(feeds.robots(ctx, urlContext(req))),
    ),
  );
}

/** If-Modified-Since applies only without If-None-Match (RFC 9110 13.1.3), to second precision. */
function notModifiedSince(req: FastifyRequest, page: PageVersion): boolean {
  if (req.headers['if-none-match'] !== undefined) return false;
  const since = req.headers['if-modified-since'];
  const last = page.headers['last-modified'];
  if (!since || !last) return false;
  const t = Date.parse(since);
  return Number.isFinite(t) && t >= Date.parse(last);
}
