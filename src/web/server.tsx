// Builds the HTTP server: security headers, health checks, assets, media, the public pages, and the error
// and not-found handling that turns every failure into a clear page with a stable code.
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { sql } from 'kysely';
import { accountRoutes } from '../accounts/routes.tsx';
import { accountMastheadItem } from '../accounts/views/header.tsx';
import { adminHostConstraint, isAdminRequest } from '../admin/host.ts';
import type { AdminKit } from '../admin/route-kit.tsx';
import { adminRoutes } from '../admin/routes.tsx';
import { API_PREFIX, apiRoutes } from '../api/routes.ts';
import { pageSlots } from '../articles/page-slots.ts';
import { articleRoutes } from '../articles/routes.tsx';
import { importRoutes } from '../comments/import/install.tsx';
import { memberRoutes } from '../comments/members/install.tsx';
import { threadRoutes } from '../comments/thread-routes.tsx';
import { installDemoIdentity } from '../demo/identity/install.tsx';
import { isDatelineError } from '../errors/catalogue.ts';
import { feedRoutes } from '../feeds/routes.ts';
import { FrontPageReader } from '../front-page/reader.ts';
import { registrationRoutes } from '../live-events/registration/routes.tsx';
import { liveEventRoutes } from '../live-events/routes.tsx';
import { mediaRoutes } from '../media/routes.ts';
import { digestRoutes } from '../newsletters/digests/install.ts';
import { feedbackRoutes } from '../newsletters/feedback/routes.ts';
import { pushRoutes } from '../newsletters/push/routes.tsx';
import { signupRoutes } from '../newsletters/signup/install.tsx';
import { NewsletterArticleBox, newsletterMastheadItem } from '../newsletters/signup/page-parts.tsx';
import type { Runtime } from '../runtime.ts';
import { searchRoutes } from '../search/routes.tsx';
import { configuredUrls, siteOrigin } from '../sites/urls.ts';
import { StructuredDataHead } from '../structured-data/page-head.tsx';
import { TrendingPageBlocks } from '../trending/page-blocks.tsx';
import { trendingRoutes } from '../trending/routes.ts';
import { wireRoutes } from '../wire/routes.ts';
import { startWireScheduler } from '../wire/scheduler.ts';
import { wireStaffDesk } from '../wire/staff-desk.ts';
import { faviconSvg, findAsset } from './assets.ts';
import { tagsFor, tagsForTrendingChange } from './cache/invalidation.ts';
import { makePage, negotiate, PageCache } from './cache/page-cache.ts';
import { errorRender } from './error-pages.tsx';
import { PageServer, renderDocument, send } from './pages.ts';
import { decorateRequestSite, noSuchSiteText, siteHook, siteOf } from './request-site.ts';
import { securityHeaders } from './security-headers.ts';
import { siteStylesheet } from './stylesheet.ts';
import { NetworkDirectoryPage, NoSuchSitePage } from './views/error-page.tsx';

export interface ServerOptions {
  /** Overrides for tests, e.g. `{ level: 'silent' }`. */
  logger?: boolean | { level: string };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/** An X-Forwarded-Proto whose last (nearest) entry is plain http. */
const PLAIN_HTTP = /(?:^|,)\s*http\s*$/i;

export async function buildServer(rt: Runtime, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const { config } = rt;
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    // Per-request access logs cost about a third of the warm path's throughput; a CDN or proxy in front
    // logs requests anyway. Errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: {
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      maxParamLength: 200,
      // The newsroom admin answers at its own host only (admin/host.ts).
      constraints: { adminHost: adminHostConstraint(config.adminHost) },
    },
    // Behind a TLS-terminating proxy, the proxy's X-Forwarded-For/-Proto/-Host are believed only when
    // configured. A hop count trusts that many hops nearest the server, whoever they are: Fastify no longer
    // takes a number, so it is given as the equivalent function.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
  });
  // Every absolute URL is built from these (sites/urls.ts), never from the request's Host.
  const publicUrls = configuredUrls(config);
  // A site may have a public scheme of its own (an http staging site on an https network).
  publicUrls.hostScheme = (host) => rt.directory.forHost(host)?.site.publicScheme;
  app.decorate('publicUrls', publicUrls);
  // In development without a configured public port, readers reach the port the server actually listens
  // on (PORT=0 picks a free one).
  if (config.publicPort === null && config.nodeEnv !== 'production') {
    app.addHook('onListen', async () => {
      const address = app.server.address();
      if (address && typeof address === 'object') publicUrls.port = address.port;
    });
  }

  const cache = config.pageCache
    ? new PageCache(config.pageCacheMaxMb * 1024 * 1024, config.pageCacheMaxPageKb * 1024)
    : null;
  if (cache) rt.bus.on((event) => cache.invalidate(tagsFor(event)));
  const pages = new PageServer(rt.directory, rt.tail, cache, {
    cdnMaxAge: config.cdnMaxAge,
    cdnStaleWhileRevalidate: config.cdnStaleWhileRevalidate,
  });
  app.decorate('pageCache', cache);
  // Notifications sent while the event-log listener was away are lost: any cached page may be stale.
  if (cache) {
    const stopResync = rt.tail.onResync(() => cache.clear());
    app.addHook('onClose', async () => {
      stopResync();
    });
  }

  const httpsHeaders = securityHeaders(true);
  const httpHeaders = securityHeaders(false);
  app.addHook('onRequest', (req, reply, done) => {
    // HSTS and the https redirect follow the scheme of the site at this Host: its own, else the network's.
    const ctx = rt.directory.forHost(req.hostname.toLowerCase());
    const https = (ctx?.site.publicScheme ?? config.publicScheme) === 'https';
    reply.headers(https ? httpsHeaders : httpHeaders);
    // A trusted proxy that says the reader came over plain http: send them to the https address of the same
    // page. Only when the proxy's header itself says http, so a proxy that sends none, or one not trusted
    // that says https, cannot cause a redirect loop.
    if (
      https &&
      config.trustProxy !== false &&
      req.protocol === 'http' &&
      PLAIN_HTTP.test(String(req.headers['x-forwarded-proto']))
    ) {
      if (ctx && (req.method === 'GET' || req.method === 'HEAD')) {
        reply
          .code(301)
          .header('location', `${siteOrigin(publicUrls, ctx.site)}${req.url}`)
          .header('cache-control', 'no-store')
          .send();
        return;
      }
    }
    done();
  });

  const noSuchSite = makePage({
    status: 404,
    contentType: 'text/html; charset=utf-8',
    body: renderDocument(<NoSuchSitePage />),
    headers: {},
    // Never kept by a CDN either: one that ignores the port in its cache key would otherwise serve this
    // page for a real site after a request naming a foreign port.
    cacheControl: 'no-store',
    tags: [],
  });
  const unknownHost = async (req: FastifyRequest, reply: FastifyReply) => {
    if (config.nodeEnv !== 'production' && LOOPBACK_HOSTS.has(req.hostname)) {
      const sites = rt.directory.all().map((c) => ({
        name: c.site.name,
        tagline: c.site.tagline,
        url: `${siteOrigin(publicUrls, c.site)}/`,
      }));
      return reply
        .code(200)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(renderDocument(<NetworkDirectoryPage sites={sites} />));
    }
    return send(req, reply, noSuchSite);
  };
  // The site is resolved once per request, by the hook of each route that serves one (request-site.ts):
  // pages answer an unknown host with the page above, files with plain text.
  decorateRequestSite(app);
  const sitePageHook = siteHook(pages, unknownHost);
  // A path the admin host does not have gets the admin's own page, not a site's.
  const notFoundHook: typeof sitePageHook = (req, reply) =>
    isAdminRequest(req, config.adminHost) ? Promise.resolve(undefined) : sitePageHook(req, reply);
  const siteFile = { preHandler: siteHook(pages, noSuchSiteText) };

  app.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    const status = isDatelineError(err)
      ? err.statusCode
      : err.statusCode && err.statusCode < 500
        ? err.statusCode
        : 500;
    // While the database is away, pages not in the cache are refused with a hint when to come back; the
    // outage itself is logged once by the database's availability check, not once per request.
    const databaseAway = isDatelineError(err, 'DATABASE_UNAVAILABLE');
    if (databaseAway) reply.header('retry-after', String(rt.db.availability.retryAfterSeconds));
    else if (status >= 500) req.log.error({ err }, 'request failed');
    const code = isDatelineError(err)
      ? err.code
      : status >= 500
        ? 'DATELINE_ERR_INTERNAL'
        : 'DATELINE_ERR_BAD_REQUEST';
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    const ctx = wantsHtml ? rt.directory.forHost(req.hostname) : undefined;
    if (ctx) {
      const r = errorRender(ctx, status);
      return reply
        .code(status)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(renderDocument(r.html!));
    }
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .send({
        error: {
          code,
          message: status >= 500 ? 'Something went wrong on our side. Try again shortly.' : err.message,
        },
      });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  // Not ready while the database or the event-log listener is away (a node that cannot hear changes may
  // serve stale pages). Redis only holds rate limits, which fall back to memory: it degrades, never unreadies.
  app.get('/readyz', async (_req, reply) => {
    const down: string[] = [];
    try {
      await sql`select 1`.execute(rt.db.kysely);
    } catch (err) {
      if (!isDatelineError(err, 'DATABASE_UNAVAILABLE'))
        app.log.error({ err }, 'readiness check failed: the database does not answer');
      down.push('database');
    }
    if (!rt.tail.listening) down.push('event-listener');
    const redisUp = rt.accounts.limits.factory.redisUp;
    const degraded = redisUp === false ? { degraded: ['redis'] } : {};
    reply.header('cache-control', 'no-store');
    if (down.length === 0) return { status: 'ready', ...degraded };
    return reply
      .code(503)
      .header('retry-after', String(rt.db.availability.retryAfterSeconds))
      .send({ status: 'unavailable', reason: down[0], down, ...degraded });
  });

  app.get<{ Params: { hash: string; name: string } }>('/assets/:hash/:name', async (req, reply) => {
    const asset = findAsset(req.params.name);
    if (!asset) return reply.code(404).type('text/plain').send('Not found');
    return reply
      .type(asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });
  app.get('/favicon.ico', siteFile, async (req, reply) => {
    const ctx = siteOf(req);
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(faviconSvg(ctx.site.name, ctx.site.primaryColor));
  });
  // The site's one stylesheet (stylesheet.ts), compressed once. A hash that is no longer the site's (its
  // colours changed, or a new release) still gets today's sheet, cached briefly, never as immutable.
  app.get<{ Params: { hash: string } }>('/assets/:hash/site.css', siteFile, async (req, reply) => {
    const sheet = siteStylesheet(siteOf(req).site);
    const encoding = negotiate(req.headers['accept-encoding']);
    reply
      .type('text/css; charset=utf-8')
      .header('vary', 'accept-encoding')
      .header(
        'cache-control',
        req.params.hash === sheet.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      );
    if (encoding === 'identity') return reply.send(sheet.body);
    const encoded = await sheet.encoded;
    return reply.header('content-encoding', encoding).send(encoding === 'br' ? encoded.br : encoded.gzip);
  });

  await app.register(mediaRoutes, { media: rt.media });
  await app.register(wireRoutes, {
    wire: rt.wire,
    jobs: rt.jobs,
    maxDocumentBytes: config.wireMaxDocumentBytes,
    staffDesk: wireStaffDesk(rt),
  });
  // Background work (the job worker, wire expiry and pollers) runs only in a server that listens, never in
  // tests that drive the app through inject().
  let stopWire: (() => void) | null = null;
  app.addHook('onListen', async () => {
    rt.jobs.start();
    stopWire = startWireScheduler(rt.wire, rt.jobs, (err) => {
      // While the database is away its availability check has logged the outage once; the next tick retries.
      if (!isDatelineError(err, 'DATABASE_UNAVAILABLE'))
        app.log.error({ err }, 'wire expiry or polling failed');
    });
  });
  app.addHook('onClose', async () => {
    stopWire?.();
    await rt.jobs.stop();
  });
  // The masthead slot on every page of every site (web/slots.ts), its items in this order.
  rt.directory.setFrame({ masthead: [newsletterMastheadItem, accountMastheadItem] });
  // Sessions, the reader's header links on every page, and the /account pages.
  await accountRoutes(app, {
    accounts: rt.accounts,
    social: rt.social,
    directory: rt.directory,
    config,
    siteHook: siteFile.preHandler,
  });
  // Demo mode only: the demo identity provider at id.localhost and its "Continue with Demo ID" button.
  await installDemoIdentity(app, rt);
  // Member pages (/members/<slug>) and the comments parts of My account (src/comments/members/).
  memberRoutes(app, {
    rt,
    pages,
    cache,
    siteHook: sitePageHook,
    accountSiteHook: siteFile.preHandler,
    onError: (err) => app.log.error({ err }, 'dropping a member page from the cache failed'),
  });
  // "Claim imported comments" in My account (src/comments/import/).
  importRoutes(app, { rt, accountSiteHook: siteFile.preHandler });
  // Newsletters, the reader's side (src/newsletters/signup/): /newsletters, its links, My account's form.
  await signupRoutes(app, { rt, siteHook: siteFile.preHandler });
  // Breaking alerts in the browser: the push key, subscriptions and the service worker (src/newsletters/push/).
  await pushRoutes(app, { rt, siteHook: siteFile.preHandler });
  // Bounce and complaint webhooks of the bulk mail providers (src/newsletters/feedback/).
  await feedbackRoutes(app, { suppressions: rt.suppressions, secret: config.mailWebhookSecret });
  // Digests' first-party open pixel and click redirect, for lists that count them (src/newsletters/digests/).
  digestRoutes(app, { rt, siteHook: siteFile.preHandler });
  // Comments (src/comments/): the thread under each story, its own pages, forms, live updates and the
  // counts on teasers.
  const comments = await threadRoutes(app, { rt, pages, siteHook: sitePageHook });
  await articleRoutes(app, {
    pages,
    reader: rt.reader,
    directory: rt.directory,
    siteHook: sitePageHook,
    // The pages' slots (articles/page-slots.ts), each slot's fills in this order. Head: structured data,
    // sharing tags, hreflang and feed links; headline and thread: comments; sidebar: trending blocks.
    slots: pageSlots([
      new StructuredDataHead(rt.directory, rt.media),
      comments.slots,
      // afterBody: the newsletter signup box (src/newsletters/signup/page-parts.tsx).
      new NewsletterArticleBox(rt.newsletterSignup.lists),
      new TrendingPageBlocks(rt.directory, rt.trending),
    ]),
    teaserCounts: comments.teaserCounts,
    // The lead and top stories an editor arranged in the admin (src/front-page/).
    homePicks: new FrontPageReader(rt.db),
  });
  // Read counting, trending, search sync and webhooks run with the server, in tests through inject() too, so
  // pages carry their blocks; trending changes drop cached pages like every other change.
  const stopTrendingDrops = rt.trending.onChange((siteIds) =>
    cache?.invalidate(tagsForTrendingChange(siteIds)),
  );
  app.addHook('onReady', async () => {
    await rt.startBackgroundWork();
  });
  app.addHook('onClose', async () => {
    stopTrendingDrops();
    await rt.stopBackgroundWork();
  });
  await searchRoutes(app, {
    pages,
    search: rt.search,
    cache,
    bus: rt.bus,
    indexer: rt.searchIndexer,
    tail: rt.tail,
    siteHook: sitePageHook,
  });
  await feedRoutes(app, { pages, feeds: rt.feeds, cache, siteHook: sitePageHook });
  // Events and webinars (src/live-events/): /events, its pages and feeds, and its sitemap in the index.
  const liveEvents = await liveEventRoutes(app, { rt, pages, cache, siteHook: sitePageHook });
  rt.feeds.addSitemap(liveEvents.sitemapEntry);
  // Registration for events: the form, mailed links and the personal page (src/live-events/registration/).
  await registrationRoutes(app, { rt, siteHook: siteFile.preHandler });
  await trendingRoutes(app, { reads: rt.reads, directory: rt.directory });
  await app.register(
    async (api) =>
      apiRoutes(api, {
        pages,
        directory: rt.directory,
        keys: rt.apiKeys,
        search: rt.search,
        trending: rt.trending,
        articles: rt.articles,
        media: rt.media,
        db: rt.db,
        corsOrigins: config.apiCorsOrigins,
      }),
    { prefix: API_PREFIX },
  );

  // The newsroom admin, at DATELINE_ADMIN_HOST.
  const admin = await adminRoutes(app, rt);
  app.decorate('admin', admin);

  app.setNotFoundHandler({ preHandler: notFoundHook }, async (req, reply) => {
    if (isAdminRequest(req, config.adminHost)) return admin.notFound(req, reply);
    const ctx = siteOf(req);
    // One page per site whatever the path (the key never contains it), so it is kept like any other page.
    return pages.serve(req, reply, ctx, '404', async () => errorRender(ctx, 404, [], true));
  });

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    pageCache: PageCache | null;
    /** The newsroom admin's routes and parts (src/admin/). */
    admin: AdminKit;
  }
}
