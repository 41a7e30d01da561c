// What every account route shares: reading form fields and query parameters, the account page's answer
// (never cached, tokens kept out of the Referer), the fixed notices, the request context the service needs,
// and the checks and answers around a state change. Every state change checks, in order: the origin
// (Sec-Fetch-Site / Origin), the CSRF token, then the session and permission, then the rate limits; a
// refusal shows a clear page and changes nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Config } from '../config/config.ts';
import { type DatelineError, isDatelineError } from '../errors/catalogue.ts';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';
import { renderDocument } from '../web/pages.ts';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import { cookieNames, readCookie, setCookie } from './cookies.ts';
import {
  anonymousCsrfToken,
  checkCsrfToken,
  checkSameOrigin,
  requestOrigin,
  sessionCsrfToken,
} from './csrf.ts';
import { newSecret } from './secrets.ts';
import type { AccountService, RequestContext, SignedIn } from './service.ts';
import type { SessionInfo } from './sessions.ts';
import type { SocialService } from './social.ts';
import { ConfirmLinkPage, MessagePage } from './views/pages.tsx';

export interface AccountRouteDeps {
  accounts: AccountService;
  social: SocialService;
  directory: SiteDirectory;
  config: Config;
  /** Resolves the request's site before each account route, answering a Host that is not ours. */
  siteHook: SiteHook;
}

/** The largest form body the account routes accept. */
export const FORM_LIMIT = 16 * 1024;

/** Fixed notices chosen by a query code, so no text from the URL is ever shown. */
export const NOTICES: Record<string, string> = {
  reset: 'Your new password is set, and you have been signed out everywhere. Log in with it.',
  verified: 'Your email address is confirmed, and you are signed in.',
  linked: 'The login is linked to your account. You can now sign in with it.',
  'link-pending': '',
  profile: 'Your name is saved.',
  'email-sent':
    'We have sent a link to the new address. Open it to finish the change; until then your address stays as it is.',
  'email-changed': 'Your email address is changed.',
  password: 'Your password is changed, and every other sign-in has ended.',
  unlinked: 'The login is unlinked.',
  'alerts-on': 'Thank you: you will receive our news alerts.',
  'logged-out': 'You are logged out.',
  claimed: 'The imported comments written with your email address are now yours.',
  'nothing-claimed': 'There were no imported comments to claim for your email address.',
  comments: 'Your comment settings are saved.',
  newsletters: 'Your newsletters and alerts are saved.',
};

/** A text field of a posted form, or ''; cut to 4000 characters, more than any field of these forms needs. */
export function formField(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v.slice(0, 4000) : '';
}

/** A query parameter given once, or ''. */
export function queryParam(req: FastifyRequest, name: string): string {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

// Tokens in the URLs of these pages must not leak to other sites through the Referer header. Not
// "no-referrer": with it, browsers send "Origin: null" on the page's own form posts, which the CSRF check refuses.
export function sendPage(reply: FastifyReply, status: number, node: VNode): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8')
    .send(renderDocument(node));
}

/** The shared parts and checks of the account routes, made once for the app by `accountRoutes`. */
export function accountRouteContext(app: FastifyInstance, deps: AccountRouteDeps) {
  const { accounts, social, directory, config } = deps;
  // Secure, __Host- cookies whenever readers use https, which browsers accept only over https.
  const secure = config.publicScheme === 'https';
  const names = cookieNames(secure);
  const providers = () => social.providers.list();
  // Every account page and form belongs to a site: the hook resolves it (web/request-site.ts) before the
  // handler, whose checks then run in their order (session, then CSRF, then permission).
  const withSite = { preHandler: deps.siteHook };
  const formWithSite = { bodyLimit: FORM_LIMIT, preHandler: deps.siteHook };

  function requestContext(req: FastifyRequest, ctx: SiteContext): RequestContext {
    return {
      ip: req.ip,
      userAgent: String(req.headers['user-agent'] ?? ''),
      siteId: ctx.site.id,
      origin: requestOrigin(req),
    };
  }

  /** The CSRF token for forms on this response; anonymous visitors get a binding cookie first. */
  function csrfFor(req: FastifyRequest, reply: FastifyReply): string {
    if (req.account) return sessionCsrfToken(accounts.signingKey, req.account.tokenHash);
    let pre = readCookie(req, names.pre);
    if (!pre || !/^[A-Za-z0-9_-]{20,60}$/.test(pre)) {
      pre = newSecret(18);
      setCookie(reply, names.pre, pre, { maxAge: 7 * 86_400, secure });
      // Later reads in this request see it, so a re-rendered form carries the matching token.
      req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${names.pre}=${pre}`;
    }
    return anonymousCsrfToken(accounts.signingKey, pre);
  }

  /**
   * `session` routes act on the signed-in session (log out, My account): there only the session's token
   * counts, so a token from a page shown before sign-in (the browser keeps its anonymous cookie) cannot end
   * or change it. The sign-in forms also take the anonymous token, as a page opened before signing in has it.
   */
  function guard(req: FastifyRequest, scope: 'session' | 'sign-in'): void {
    checkSameOrigin(req);
    checkCsrfToken(accounts.signingKey, formField(req.body, 'csrf'), {
      sessionTokenHash: req.account?.tokenHash ?? null,
      preCookie: scope === 'session' && req.account ? null : (readCookie(req, names.pre) ?? null),
    });
  }

  function problemPage(reply: FastifyReply, ctx: SiteContext, err: DatelineError): FastifyReply {
    const retry = err.where?.retryAfter;
    if (retry !== undefined) reply.header('retry-after', String(retry));
    const links =
      err.code === 'DATELINE_ERR_TOKEN_INVALID'
        ? [
            { href: '/account/forgot', text: 'Ask for a new password link' },
            { href: '/account/login', text: 'Log in' },
          ]
        : [{ href: '/', text: `${ctx.site.name} home page` }];
    return sendPage(
      reply,
      err.statusCode,
      <MessagePage ctx={ctx} title={err.title} paragraphs={[err.message]} links={links} />,
    );
  }

  /** Runs a state change: origin and token first; a refusal shows a clear page and changes nothing. */
  async function guarded(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    fn: () => Promise<FastifyReply>,
    scope: 'session' | 'sign-in' = 'sign-in',
  ) {
    try {
      guard(req, scope);
    } catch (e) {
      if (isDatelineError(e)) return problemPage(reply, ctx, e);
      throw e;
    }
    return fn();
  }

  /** The same, for a change to the signed-in session or account: only the session's token is accepted. */
  function sessionGuarded(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    fn: () => Promise<FastifyReply>,
  ) {
    return guarded(req, reply, ctx, fn, 'session');
  }

  /** After a sign-in: the browser keeps the new session's token. */
  function setSessionCookie(reply: FastifyReply, s: SignedIn): void {
    setCookie(reply, names.session, s.token, { maxAge: accounts.sessionCookieMaxAge, secure });
  }

  /** After a sign-in: go through the hop page (which signs in on sister sites) to `next`. */
  function afterSignIn(reply: FastifyReply, next: string): FastifyReply {
    return reply
      .code(303)
      .header('location', `/account/hop/start?next=${encodeURIComponent(next)}`)
      .send();
  }

  function requireSession(req: FastifyRequest, reply: FastifyReply): SessionInfo | null {
    if (req.account) return req.account;
    reply
      .code(303)
      .header('location', `/account/login?next=${encodeURIComponent(req.url)}`)
      .header('cache-control', 'no-store')
      .send();
    return null;
  }

  function confirmRoute(
    path: string,
    o: {
      check: (token: string) => Promise<unknown>;
      title: string;
      text: string;
      button: string;
      act: (
        req: FastifyRequest,
        reply: FastifyReply,
        ctx: SiteContext,
        token: string,
      ) => Promise<FastifyReply>;
    },
  ) {
    app.get(path, withSite, async (req, reply) => {
      const ctx = siteOf(req);
      const token = queryParam(req, 't');
      try {
        await o.check(token);
      } catch (e) {
        if (isDatelineError(e)) return problemPage(reply, ctx, e);
        throw e;
      }
      return sendPage(
        reply,
        200,
        <ConfirmLinkPage
          ctx={ctx}
          csrf={csrfFor(req, reply)}
          action={path}
          token={token}
          title={o.title}
          text={o.text}
          button={o.button}
        />,
      );
    });
    app.post(path, formWithSite, async (req, reply) => {
      const ctx = siteOf(req);
      return guarded(req, reply, ctx, async () => {
        try {
          return await o.act(req, reply, ctx, formField(req.body, 't'));
        } catch (e) {
          if (isDatelineError(e)) return problemPage(reply, ctx, e);
          throw e;
        }
      });
    });
  }

  return {
    accounts,
    social,
    directory,
    secure,
    names,
    providers,
    withSite,
    formWithSite,
    requestContext,
    csrfFor,
    problemPage,
    guarded,
    sessionGuarded,
    setSessionCookie,
    afterSignIn,
    requireSession,
    confirmRoute,
    /** The network's choice for a deleted account's public writing, which My account offers first. */
    deletionDefault: config.accountDeletion,
  };
}

export type AccountRouteContext = ReturnType<typeof accountRouteContext>;
