// The newsroom admin's shell routes: sign-in and out, the first-start setup link, the site switcher and the
// admin's own assets; then every screen (screens.ts) registers its routes through the same kit.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FormProblems } from '../accounts/account-core.ts';
import { clearCookie, readCookie, setCookie } from '../accounts/cookies.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import type { Runtime } from '../runtime.ts';
import { faviconSvg } from '../web/assets.ts';
import { AdminAssets } from './assets.ts';
import { bundleAdminScript } from './client/bundle.ts';
import { adminOrigin } from './host.ts';
import { AdminNav } from './nav.ts';
import { AdminKit, formValue, queryValue, safeAdminPath } from './route-kit.tsx';
import { ADMIN_SCREENS } from './screens.ts';
import { SetupPage, SignInPage } from './views/sign-in.tsx';
import { ADMIN_SHELL_CSS } from './views/styles.ts';

export async function adminRoutes(app: FastifyInstance, rt: Runtime): Promise<AdminKit> {
  const assets = new AdminAssets();
  assets.addCss(ADMIN_SHELL_CSS);
  assets.add('admin.js', 'text/javascript; charset=utf-8', await bundleAdminScript('client/admin.ts'));
  assets.add('favicon.svg', 'image/svg+xml', faviconSvg('Newsroom', '#111827'));
  const kit = new AdminKit(app, rt, rt.staff, new AdminNav(), assets);

  app.route({
    method: 'GET',
    url: '/admin-assets/:hash/:name',
    constraints: { adminHost: 'admin' },
    handler: async (req: FastifyRequest<{ Params: { hash: string; name: string } }>, reply) => {
      const f = assets.get(req.params.name);
      if (!f) return reply.code(404).type('text/plain').header('cache-control', 'no-store').send('Not found');
      reply
        .type(f.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('vary', 'accept-encoding');
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')))
        return reply.header('content-encoding', 'gzip').send(f.gzip);
      return reply.send(f.body);
    },
  });

  // ---------------------------------------------------------------- sign-in

  const signInPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { email?: string; problem?: string; status?: number },
  ) =>
    kit.render(
      req,
      reply,
      null,
      {
        title: 'Sign in to the newsroom',
        status: o.status ?? 200,
        notice: o.problem ? { kind: 'problem', text: o.problem } : null,
      },
      <SignInPage
        csrf={kit.anonymousCsrf(req, reply)}
        next={safeAdminPath(queryValue(req, 'next') || formValue(req.body, 'next') || '/')}
        email={o.email ?? ''}
      />,
    );

  kit.open('GET', '/login', async (req, reply) => {
    if (await rt.staff.lookup(readCookie(req, kit.cookies.staff)))
      return kit.seeOther(reply, safeAdminPath(queryValue(req, 'next') || '/'));
    return signInPage(req, reply, {});
  });

  kit.open('POST', '/login', async (req, reply) => {
    kit.checkAnonymousForm(req);
    const email = formValue(req.body, 'email');
    const next = safeAdminPath(formValue(req.body, 'next') || '/');
    try {
      const step = await rt.staff.signIn(
        { email, password: formValue(req.body, 'password') },
        {
          ip: req.ip,
          userAgent: String(req.headers['user-agent'] ?? ''),
          siteId: null,
          origin: adminOrigin(req, rt.config.adminHost),
        },
      );
      if (step.kind === 'second-factor') {
        // The second step (admin/security/) reads the pending sign-in from its own short-lived cookie.
        setCookie(reply, kit.cookies.pending, step.pendingToken, { maxAge: 600, secure: kit.secure });
        return kit.seeOther(reply, `/login/second-factor?next=${encodeURIComponent(next)}`);
      }
      kit.setStaffCookie(reply, step.token);
      return kit.seeOther(reply, next);
    } catch (e) {
      if (isDatelineError(e) && e.statusCode < 500) {
        const retry = e.where?.retryAfter;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        return signInPage(req, reply, { email, problem: e.message, status: e.statusCode });
      }
      throw e;
    }
  });

  kit.action('/logout', {}, async (_req, reply, a) => {
    await rt.staff.signOut(a.staff);
    clearCookie(reply, kit.cookies.staff, kit.secure);
    return kit.seeOther(reply, '/login');
  });

  // ---------------------------------------------------------------- first start

  const setupPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    o: { values?: Record<string, string>; problems?: Record<string, string>; status?: number },
  ) =>
    kit.render(
      req,
      reply,
      null,
      { title: 'Create the owner account', status: o.status ?? 200, notice: null },
      <SetupPage
        csrf={kit.anonymousCsrf(req, reply)}
        token={token}
        values={o.values ?? {}}
        problems={o.problems ?? {}}
      />,
    );

  kit.open('GET', '/setup', async (req, reply) => {
    const token = queryValue(req, 't');
    await rt.staff.checkSetupToken(token);
    return setupPage(req, reply, token, {});
  });

  kit.open('POST', '/setup', async (req, reply) => {
    kit.checkAnonymousForm(req);
    const token = formValue(req.body, 't');
    const values = { email: formValue(req.body, 'email'), displayName: formValue(req.body, 'displayName') };
    try {
      const s = await rt.staff.completeSetup(
        token,
        { ...values, password: formValue(req.body, 'password') },
        {
          ip: req.ip,
          userAgent: String(req.headers['user-agent'] ?? ''),
          siteId: null,
          origin: adminOrigin(req, rt.config.adminHost),
        },
      );
      kit.setStaffCookie(reply, s.token);
      return kit.seeOther(reply, '/', 'welcome');
    } catch (e) {
      if (e instanceof FormProblems)
        return setupPage(req, reply, token, { values, problems: e.problems, status: 400 });
      throw e;
    }
  });

  // ---------------------------------------------------------------- the site being worked on

  kit.action('/site', {}, async (req, reply, a) => {
    const raw = formValue(req.body, 'site');
    const site = a.sites.find((c) => String(c.site.id) === raw);
    setCookie(reply, kit.cookies.site, site ? String(site.site.id) : 'all', {
      maxAge: 365 * 86_400,
      secure: kit.secure,
    });
    return kit.seeOther(reply, formValue(req.body, 'next') || '/');
  });

  // For the admin's scripts: who is signed in, and this session's CSRF token (the editor asks after a
  // sign-in in another tab, since the token on its page belonged to the session that ended).
  kit.json('GET', '/session', {}, async (_req, _reply, a) => ({
    csrf: a.csrf,
    displayName: a.staff.displayName,
  }));

  for (const screen of ADMIN_SCREENS) await screen(kit);
  return kit;
}
