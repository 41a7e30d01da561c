// The hop across sister sites, as routes: after a sign-in the browser visits each sister site in turn
// (hop/start shows the page that begins it, each hop sets that site's session and sends the browser on),
// and a reader signed in here can ask to be signed in on one sister site too (hop/to).
import type { FastifyInstance } from 'fastify';
import { isDatelineError } from '../errors/catalogue.ts';
import { siteOf } from '../web/request-site.ts';
import { requestOrigin } from './csrf.ts';
import { safeNext, siteOrigin } from './redirects.ts';
import { type AccountRouteContext, queryParam, sendPage } from './route-context.tsx';
import { HopPage } from './views/pages.tsx';

export function sisterSiteHopRoutes(app: FastifyInstance, r: AccountRouteContext): void {
  const { accounts, directory, withSite, requestContext, problemPage, setSessionCookie } = r;

  app.get('/account/hop/start', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const next = safeNext(queryParam(req, 'next'), req, directory);
    if (!req.account) return reply.code(303).header('location', next).send();
    const hop = await accounts.startHop(req.account, ctx.site.id, next);
    const target = hop ? directory.byIdOrUndefined(hop.siteId) : undefined;
    if (!hop || !target) return reply.code(303).header('location', next).send();
    return sendPage(
      reply,
      200,
      <HopPage ctx={ctx} url={`${siteOrigin(req, target)}/account/hop?t=${hop.token}`} />,
    );
  });

  app.get('/account/hop', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    try {
      const r = await accounts.acceptHop(queryParam(req, 't'), requestContext(req, ctx));
      if (r.signedIn) {
        if (req.account && req.account.loginId !== r.signedIn.loginId)
          await accounts.logout(req.account.loginId);
        setSessionCookie(reply, r.signedIn);
      }
      const nextSite = r.nextHop ? directory.byIdOrUndefined(r.nextHop.siteId) : undefined;
      const location =
        r.nextHop && nextSite
          ? `${siteOrigin(req, nextSite)}/account/hop?t=${r.nextHop.token}`
          : safeNext(r.next, req, directory);
      return reply.code(302).header('location', location).header('referrer-policy', 'no-referrer').send();
    } catch (e) {
      if (isDatelineError(e)) return problemPage(reply, ctx, e);
      throw e;
    }
  });

  /** On demand: signed in here, sign me in on that sister site too. */
  app.get('/account/hop/to', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const target = directory.byIdOrUndefined(Number(queryParam(req, 'site')));
    if (!target || target.site.id === ctx.site.id) return reply.code(303).header('location', '/').send();
    const targetOrigin = siteOrigin(req, target);
    const rawNext = queryParam(req, 'next');
    // `next` must be on the target site; safeNext checks it is on the network.
    const next = safeNext(rawNext.startsWith('/') ? `${targetOrigin}${rawNext}` : rawNext, req, directory);
    if (!req.account) {
      return reply
        .code(303)
        .header('location', `/account/login?next=${encodeURIComponent(`${requestOrigin(req)}${req.url}`)}`)
        .send();
    }
    const token = await accounts.hopTo(req.account, target.site.id, next);
    return reply
      .code(302)
      .header('location', `${targetOrigin}/account/hop?t=${token}`)
      .header('cache-control', 'no-store')
      .send();
  });
}
