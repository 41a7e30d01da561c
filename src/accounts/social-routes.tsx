// Social and single sign-on as routes: starting a provider's flow and its callback (a sign-in, a linked
// login, or a login waiting for the reader to prove they own the account with its address), unlinking a
// login from My account, and confirming the news-alert invitation mailed to a reader who signed up this way.
import type { FastifyInstance } from 'fastify';
import { isDatelineError } from '../errors/catalogue.ts';
import { siteOf } from '../web/request-site.ts';
import { renderAccountPage } from './account-settings-routes.tsx';
import { clearCookie, readCookie, setCookie } from './cookies.ts';
import { requestOrigin } from './csrf.ts';
import { safeNext } from './redirects.ts';
import { type AccountRouteContext, NOTICES, queryParam, sendPage } from './route-context.tsx';
import { MessagePage } from './views/pages.tsx';

export function socialRoutes(app: FastifyInstance, r: AccountRouteContext): void {
  const {
    accounts,
    social,
    directory,
    secure,
    names,
    withSite,
    formWithSite,
    requestContext,
    problemPage,
    sessionGuarded,
    setSessionCookie,
    afterSignIn,
    requireSession,
    confirmRoute,
  } = r;

  app.post<{ Params: { id: string } }>('/account/logins/:id/unlink', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return sessionGuarded(req, reply, ctx, async () => {
      const session = requireSession(req, reply);
      if (!session) return reply;
      try {
        await social.unlink(session.userId, Number(req.params.id) || 0);
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        return renderAccountPage(r, req, reply, ctx, session, e.statusCode, {
          failed: { form: 'logins', problems: {}, values: {}, message: e.message },
        });
      }
      return reply.code(303).header('location', '/account?m=unlinked').send();
    });
  });

  confirmRoute('/account/news-alerts', {
    check: (t) => accounts.checkNewsAlertsToken(t),
    title: 'News alerts',
    text: 'Confirm that you would like to receive our news alerts by email. You can stop them at any time.',
    button: 'Yes, send me news alerts',
    async act(_req, reply, ctx, token) {
      await accounts.confirmNewsAlerts(token);
      return sendPage(
        reply,
        200,
        <MessagePage ctx={ctx} title="News alerts" paragraphs={[NOTICES['alerts-on']!]} />,
      );
    },
  });

  app.get<{ Params: { provider: string } }>(
    '/account/oauth/:provider/start',
    withSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      const link = queryParam(req, 'link') === '1';
      if (link && !requireSession(req, reply)) return reply;
      const next = link
        ? `${requestOrigin(req)}/account`
        : safeNext(queryParam(req, 'next') || undefined, req, directory);
      try {
        const { url, state } = await social.begin(req.params.provider, {
          next,
          linkUserId: link ? req.account!.userId : null,
          siteId: ctx.site.id,
          redirectUri: `${requestOrigin(req)}/account/oauth/${req.params.provider}/callback`,
        });
        setCookie(reply, names.oauth, state, { maxAge: 600, secure });
        return reply.code(302).header('location', url.href).send();
      } catch (e) {
        if (isDatelineError(e)) return problemPage(reply, ctx, e);
        throw e;
      }
    },
  );

  app.get<{ Params: { provider: string } }>(
    '/account/oauth/:provider/callback',
    withSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      const state = readCookie(req, names.oauth);
      clearCookie(reply, names.oauth, secure);
      try {
        const url = new URL(req.url, requestOrigin(req));
        const outcome = await social.finish(req.params.provider, url, state, requestContext(req, ctx));
        switch (outcome.kind) {
          case 'signed-in':
            if (req.account) await accounts.logout(req.account.loginId);
            setSessionCookie(reply, outcome.signedIn);
            return afterSignIn(reply, outcome.next);
          case 'linked':
            return reply.code(303).header('location', '/account?m=linked').send();
          case 'pending-link':
            setCookie(reply, names.link, outcome.token, { maxAge: 900, secure });
            return reply
              .code(303)
              .header('location', `/account/login?link=1&next=${encodeURIComponent(outcome.next)}`)
              .send();
        }
      } catch (e) {
        if (isDatelineError(e)) return problemPage(reply, ctx, e);
        throw e;
      }
    },
  );
}
