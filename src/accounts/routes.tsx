// The account pages and endpoints under /account, and the hooks that make sessions work on every page.
// This module puts them together; each idea lives in its own module:
// - session-hooks.ts: finding the reader's session on each request, and making responses their own
//   (personal-responses.ts: the reader's version of a page, with its own header links, ETag and 304);
// - route-context.tsx: what the routes share (form fields, the page answer, the CSRF guard, sign-in cookie);
// - sign-in-routes.tsx: log in and out, register and confirm, forgotten password;
// - sister-site-hop-routes.tsx: signing in on every sister site;
// - account-settings-routes.tsx: My account, its forms, the email-change link and the data download;
// - social-routes.tsx: social and single sign-on, unlinking a login, the news-alert invitation.
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { accountSettingsRoutes } from './account-settings-routes.tsx';
import { type AccountRouteDeps, accountRouteContext, FORM_LIMIT } from './route-context.tsx';
import { sessionHooks } from './session-hooks.ts';
import { signInRoutes } from './sign-in-routes.tsx';
import { sisterSiteHopRoutes } from './sister-site-hop-routes.tsx';
import { socialRoutes } from './social-routes.tsx';

export type { AccountRouteDeps } from './route-context.tsx';

export async function accountRoutes(app: FastifyInstance, deps: AccountRouteDeps): Promise<void> {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded'))
    await app.register(formbody, { bodyLimit: FORM_LIMIT });

  const r = accountRouteContext(app, deps);
  sessionHooks(app, r);

  signInRoutes(app, r);
  sisterSiteHopRoutes(app, r);
  accountSettingsRoutes(app, r);
  socialRoutes(app, r);
}
