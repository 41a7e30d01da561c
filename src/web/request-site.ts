// The site a request is for, resolved once per request by a route hook before the handler runs: routes that
// serve a site declare `{ preHandler: siteHook }` and read `siteOf(req)`. A Host that names none of the
// network's sites is answered by the hook itself, each kind of route in its own way (the HTML no-such-site
// page, plain text for account and asset URLs), and the handler never runs. The content API resolves the
// site in its own request hook, where an unknown host is a JSON error (api/routes.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SiteContext } from '../sites/directory.ts';
import type { PageServer } from './pages.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The site the request's Host names; set by the site hook, null where no route asked for it. */
    site: SiteContext | null;
  }
}

export type UnknownHostAnswer = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;
export type SiteHook = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/** Decorates requests with `site`; once, on the root instance, before any route reads it. */
export function decorateRequestSite(app: FastifyInstance): void {
  app.decorateRequest('site', null);
}

/** The hook for routes that serve a site; `unknownHost` answers a Host that names none. */
export function siteHook(pages: PageServer, unknownHost: UnknownHostAnswer): SiteHook {
  return async (req, reply) => {
    const ctx = await pages.site(req);
    if (ctx) {
      req.site = ctx;
      return undefined;
    }
    return unknownHost(req, reply);
  };
}

/** Plain text for URLs that are not pages (assets, account forms): no HTML page to render. */
export const noSuchSiteText: UnknownHostAnswer = async (_req, reply) =>
  reply.code(404).type('text/plain').header('cache-control', 'no-store').send('No such site');

/** The site resolved for this request; a route that reads it without the site hook is a programming error. */
export function siteOf(req: FastifyRequest): SiteContext {
  if (!req.site) throw new Error(`The route ${req.routeOptions.url} reads the site without the site hook.`);
  return req.site;
}
