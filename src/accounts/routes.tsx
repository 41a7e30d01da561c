// The account pages and endpoints under /account. The hooks that make sessions work on every page (finding
// the reader's session, making responses their own) are in session-hooks.ts. Every state change checks, in
// order: the origin (Sec-Fetch-Site / Origin), the CSRF token, then the session and permission, then the
// rate limits.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Config } from '../config/config.ts';
import { type DatelineError, isDatelineError } from '../errors/catalogue.ts';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';
import { renderDocument } from '../web/pages.ts';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import { clearCookie, cookieNames, readCookie, setCookie } from './cookies.ts';
import {
  anonymousCsrfToken,
  checkCsrfToken,
  checkSameOrigin,
  requestOrigin,
  sessionCsrfToken,
} from './csrf.ts';
import { nextForForm, safeNext, siteOrigin } from './redirects.ts';
import { newSecret } from './secrets.ts';
import { type AccountService, FormProblems, type RequestContext, type SignedIn } from './service.ts';
import { sessionHooks } from './session-hooks.ts';
import type { SessionInfo } from './sessions.ts';
import type { SocialService } from './social.ts';
import { AccountPage, type AccountPageProps } from './views/account-page.tsx';
import type { Problems } from './views/forms.tsx';
import {
  ConfirmLinkPage,
  ForgotPage,
  HopPage,
  LoginPage,
  MessagePage,
  RegisterPage,
  ResetPage,
} from './views/pages.tsx';
import { ACCOUNTS_CSS, ACCOUNTS_CSS_HASH } from './views/styles.ts';

export interface AccountRouteDeps {
  accounts: AccountService;
  social: SocialService;
  directory: SiteDirectory;
  config: Config;
  /** Resolves the request's site before each account route, answering a Host that is not ours. */
  siteHook: SiteHook;
}

const FORM_LIMIT = 16 * 1024;

/** Fixed notices chosen by a query code, so no text from the URL is ever shown. */
const NOTICES: Record<string, string> = {
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
};

function str(body: unknown, name: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v.slice(0, 4000) : '';
}

function query(req: FastifyRequest, name: string): string {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

// Tokens in the URLs of these pages must not leak to other sites through the Referer header. Not
// "no-referrer": with it, browsers send "Origin: null" on the page's own form posts, which the CSRF check refuses.
function send(reply: FastifyReply, status: number, node: VNode): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8')
    .send(renderDocument(node));
}

export async function accountRoutes(app: FastifyInstance, deps: AccountRouteDeps): Promise<void> {
  const { accounts, social, directory, config } = deps;
  // Secure, __Host- cookies whenever readers use https, which browsers accept only over https.
  const secure = config.publicScheme === 'https';
  const names = cookieNames(secure);
  const providers = () => social.providers.list();
  // Every account page and form belongs to a site: the hook resolves it (web/request-site.ts) before the
  // handler, whose checks then run in their order (session, then CSRF, then permission).
  const withSite = { preHandler: deps.siteHook };
  const formWithSite = { bodyLimit: FORM_LIMIT, preHandler: deps.siteHook };

  if (!app.hasContentTypeParser('application/x-www-form-urlencoded'))
    await app.register(formbody, { bodyLimit: FORM_LIMIT });

  sessionHooks(app, { accounts, directory, names, secure });

  // ------------------------------------------------------------------ helpers

  function rc(req: FastifyRequest, ctx: SiteContext): RequestContext {
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
    checkCsrfToken(accounts.signingKey, str(req.body, 'csrf'), {
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
    return send(
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

  function signIn(reply: FastifyReply, s: SignedIn): void {
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

  function siteName(id: number | null): string {
    return id === null ? 'all sites' : (directory.byIdOrUndefined(id)?.site.name ?? 'a former site');
  }

  function sisterLinks(req: FastifyRequest, ctx: SiteContext, next: string) {
    return directory
      .all()
      .filter((c) => c.site.id !== ctx.site.id && c.site.hosts.length)
      .map((c) => ({
        name: c.site.name,
        url: `${siteOrigin(req, c)}/account/hop/to?site=${ctx.site.id}&next=${encodeURIComponent(next)}`,
      }));
  }

  // ------------------------------------------------------------------ assets

  app.get<{ Params: { hash: string } }>('/account/assets/:hash/accounts.css', async (req, reply) => {
    return reply
      .type('text/css; charset=utf-8')
      .header(
        'cache-control',
        req.params.hash === ACCOUNTS_CSS_HASH ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      )
      .send(ACCOUNTS_CSS);
  });

  // ------------------------------------------------------------------ sign in and out

  function renderLogin(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    status: number,
    o: { email?: string; next: string; message?: string | null; problems?: Problems; notice?: string | null },
  ) {
    const pending = readCookie(req, names.link) && query(req, 'link') === '1';
    const notice =
      o.notice ??
      (pending
        ? 'An account already uses the email address of that login. Log in to your account to link the two.'
        : null);
    return send(
      reply,
      status,
      <LoginPage
        ctx={ctx}
        csrf={csrfFor(req, reply)}
        email={o.email}
        next={nextForForm(o.next, req)}
        message={o.message}
        problems={o.problems}
        notice={notice}
        providers={providers()}
        sisters={req.account ? [] : sisterLinks(req, ctx, o.next)}
      />,
    );
  }

  app.get('/account/login', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const next = safeNext(query(req, 'next') || undefined, req, directory);
    if (req.account && query(req, 'link') !== '1') return reply.code(303).header('location', next).send();
    return renderLogin(req, reply, ctx, 200, { next, notice: NOTICES[query(req, 'm')] || null });
  });

  app.post('/account/login', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    const email = str(req.body, 'email');
    const next = safeNext(str(req.body, 'next'), req, directory);
    return guarded(req, reply, ctx, async () => {
      try {
        const signedIn = await accounts.login({ email, password: str(req.body, 'password') }, rc(req, ctx));
        // A login from the old session's browser gets a fresh session: the old sign-in ends.
        if (req.account) await accounts.logout(req.account.loginId);
        signIn(reply, signedIn);
        const pending = readCookie(req, names.link);
        if (pending) {
          clearCookie(reply, names.link, secure);
          const provider = await social.completePendingLink(pending, signedIn.user.id);
          if (provider) return afterSignIn(reply, `${requestOrigin(req)}/account?m=linked`);
        }
        return afterSignIn(reply, next);
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        const retry = e.where?.retryAfter;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        return renderLogin(req, reply, ctx, e.statusCode, { email, next, message: e.message });
      }
    });
  });

  app.post('/account/logout', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return sessionGuarded(req, reply, ctx, async () => {
      if (req.account) await accounts.logout(req.account.loginId);
      clearCookie(reply, names.session, secure);
      req.account = null;
      return reply.code(303).header('location', '/account/login?m=logged-out').send();
    });
  });

  app.post('/account/logout-everywhere', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return sessionGuarded(req, reply, ctx, async () => {
      if (req.account) await accounts.logoutEverywhere(req.account.userId);
      clearCookie(reply, names.session, secure);
      req.account = null;
      return reply.code(303).header('location', '/account/login?m=logged-out').send();
    });
  });

  // ------------------------------------------------------------------ the hop across sister sites

  app.get('/account/hop/start', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const next = safeNext(query(req, 'next'), req, directory);
    if (!req.account) return reply.code(303).header('location', next).send();
    const hop = await accounts.startHop(req.account, ctx.site.id, next);
    const target = hop ? directory.byIdOrUndefined(hop.siteId) : undefined;
    if (!hop || !target) return reply.code(303).header('location', next).send();
    return send(
      reply,
      200,
      <HopPage ctx={ctx} url={`${siteOrigin(req, target)}/account/hop?t=${hop.token}`} />,
    );
  });

  app.get('/account/hop', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    try {
      const r = await accounts.acceptHop(query(req, 't'), rc(req, ctx));
      if (r.signedIn) {
        if (req.account && req.account.loginId !== r.signedIn.loginId)
          await accounts.logout(req.account.loginId);
        signIn(reply, r.signedIn);
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
    const target = directory.byIdOrUndefined(Number(query(req, 'site')));
    if (!target || target.site.id === ctx.site.id) return reply.code(303).header('location', '/').send();
    const targetOrigin = siteOrigin(req, target);
    const rawNext = query(req, 'next');
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

  // ------------------------------------------------------------------ registration and verification

  app.get('/account/register', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const next = safeNext(query(req, 'next') || undefined, req, directory);
    return send(
      reply,
      200,
      <RegisterPage
        ctx={ctx}
        csrf={csrfFor(req, reply)}
        values={{}}
        next={nextForForm(next, req)}
        providers={providers()}
      />,
    );
  });

  app.post('/account/register', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    const values = { email: str(req.body, 'email'), displayName: str(req.body, 'displayName') };
    const next = safeNext(str(req.body, 'next'), req, directory);
    return guarded(req, reply, ctx, async () => {
      try {
        await accounts.register({ ...values, password: str(req.body, 'password') }, rc(req, ctx));
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        const retry = e.where?.retryAfter;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        return send(
          reply,
          e.statusCode,
          <RegisterPage
            ctx={ctx}
            csrf={csrfFor(req, reply)}
            values={values}
            next={nextForForm(next, req)}
            providers={providers()}
            problems={e instanceof FormProblems ? e.problems : undefined}
            message={e instanceof FormProblems ? null : e.message}
          />,
        );
      }
      return send(
        reply,
        200,
        <MessagePage
          ctx={ctx}
          title="Check your email"
          paragraphs={[
            `We have sent a message to ${values.email.trim().toLowerCase()}. Open the link in it to confirm your address and finish registering.`,
            'Nothing there after a few minutes? Check your spam folder, or register again to get a new link.',
          ]}
        />,
      );
    });
  });

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
      const token = query(req, 't');
      try {
        await o.check(token);
      } catch (e) {
        if (isDatelineError(e)) return problemPage(reply, ctx, e);
        throw e;
      }
      return send(
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
          return await o.act(req, reply, ctx, str(req.body, 't'));
        } catch (e) {
          if (isDatelineError(e)) return problemPage(reply, ctx, e);
          throw e;
        }
      });
    });
  }

  confirmRoute('/account/verify', {
    check: (t) => accounts.checkVerifyToken(t),
    title: 'Confirm your email address',
    text: 'Confirm that this email address is yours to finish registering. You will be signed in.',
    button: 'Confirm my email address',
    async act(req, reply, ctx, token) {
      const signedIn = await accounts.verifyEmail(token, rc(req, ctx));
      if (req.account) await accounts.logout(req.account.loginId);
      signIn(reply, signedIn);
      return afterSignIn(reply, `${requestOrigin(req)}/account?m=verified`);
    },
  });

  confirmRoute('/account/email/confirm', {
    check: (t) => accounts.checkEmailChangeToken(t),
    title: 'Confirm your new email address',
    text: 'Confirm that this address is yours; your account will use it from now on.',
    button: 'Use this address',
    async act(_req, reply) {
      await accounts.confirmEmailChange(str(_req.body, 't'));
      return reply.code(303).header('location', '/account?m=email-changed').send();
    },
  });

  confirmRoute('/account/news-alerts', {
    check: (t) => accounts.checkNewsAlertsToken(t),
    title: 'News alerts',
    text: 'Confirm that you would like to receive our news alerts by email. You can stop them at any time.',
    button: 'Yes, send me news alerts',
    async act(_req, reply, ctx, token) {
      await accounts.confirmNewsAlerts(token);
      return send(
        reply,
        200,
        <MessagePage ctx={ctx} title="News alerts" paragraphs={[NOTICES['alerts-on']!]} />,
      );
    },
  });

  // ------------------------------------------------------------------ forgotten password

  app.get('/account/forgot', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    return send(reply, 200, <ForgotPage ctx={ctx} csrf={csrfFor(req, reply)} />);
  });

  app.post('/account/forgot', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    const email = str(req.body, 'email');
    return guarded(req, reply, ctx, async () => {
      try {
        await accounts.requestReset(email, rc(req, ctx));
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        const retry = e.where?.retryAfter;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        const problems = e instanceof FormProblems ? e.problems : undefined;
        return send(
          reply,
          e.statusCode,
          <ForgotPage
            ctx={ctx}
            csrf={csrfFor(req, reply)}
            email={email}
            problems={problems}
            message={problems ? null : e.message}
          />,
        );
      }
      return send(
        reply,
        200,
        <MessagePage
          ctx={ctx}
          title="Check your email"
          paragraphs={[
            `If ${email.trim().toLowerCase()} has an account, we have sent it a link to set a new password. The link works once, for one hour.`,
          ]}
          links={[{ href: '/account/login', text: 'Back to log in' }]}
        />,
      );
    });
  });

  app.get('/account/reset', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const token = query(req, 't');
    try {
      await accounts.checkResetToken(token);
    } catch (e) {
      if (isDatelineError(e)) return problemPage(reply, ctx, e);
      throw e;
    }
    return send(reply, 200, <ResetPage ctx={ctx} csrf={csrfFor(req, reply)} token={token} />);
  });

  app.post('/account/reset', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    const token = str(req.body, 't');
    return guarded(req, reply, ctx, async () => {
      try {
        await accounts.resetPassword(token, str(req.body, 'password'), rc(req, ctx));
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        if (e instanceof FormProblems) {
          return send(
            reply,
            400,
            <ResetPage ctx={ctx} csrf={csrfFor(req, reply)} token={token} problems={e.problems} />,
          );
        }
        return problemPage(reply, ctx, e);
      }
      clearCookie(reply, names.session, secure);
      req.account = null;
      return reply.code(303).header('location', '/account/login?m=reset').send();
    });
  });

  // ------------------------------------------------------------------ My account

  async function renderAccount(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    session: SessionInfo,
    status: number,
    extra: Pick<AccountPageProps, 'notice' | 'failed'> = {},
  ) {
    const user = await accounts.user(session.userId);
    if (!user) return reply.code(303).header('location', '/account/login').send();
    const [roles, identities, sessions] = await Promise.all([
      accounts.roles(user.id),
      social.identities(user.id),
      accounts.sessions.list(user.id),
    ]);
    return send(
      reply,
      status,
      <AccountPage
        ctx={ctx}
        csrf={csrfFor(req, reply)}
        user={user}
        roles={roles}
        identities={identities}
        sessions={sessions}
        currentLoginId={session.loginId}
        providers={providers()}
        siteName={siteName}
        {...extra}
      />,
    );
  }

  app.get('/account', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const session = requireSession(req, reply);
    if (!session) return reply;
    return renderAccount(req, reply, ctx, session, 200, { notice: NOTICES[query(req, 'm')] || null });
  });

  /** A My-account form: origin, token and session, then the change; problems re-render the page. */
  function accountForm(
    path: string,
    form: string,
    fields: string[],
    act: (
      req: FastifyRequest,
      reply: FastifyReply,
      ctx: SiteContext,
      session: SessionInfo,
    ) => Promise<FastifyReply>,
  ) {
    app.post(path, formWithSite, async (req, reply) => {
      const ctx = siteOf(req);
      return sessionGuarded(req, reply, ctx, async () => {
        const session = requireSession(req, reply);
        if (!session) return reply;
        try {
          return await act(req, reply, ctx, session);
        } catch (e) {
          if (!isDatelineError(e)) throw e;
          const retry = e.where?.retryAfter;
          if (retry !== undefined) reply.header('retry-after', String(retry));
          const values = Object.fromEntries(fields.map((f) => [f, str(req.body, f)]));
          const problems = e instanceof FormProblems ? e.problems : {};
          return renderAccount(req, reply, ctx, session, e.statusCode, {
            failed: { form, problems, values, message: e instanceof FormProblems ? null : e.message },
          });
        }
      });
    });
  }

  accountForm('/account/profile', 'profile', ['displayName'], async (req, reply, _ctx, session) => {
    await accounts.updateProfile(session.userId, { displayName: str(req.body, 'displayName') });
    return reply.code(303).header('location', '/account?m=profile').send();
  });

  accountForm('/account/email', 'email', ['email'], async (req, reply, ctx, session) => {
    await accounts.requestEmailChange(
      session.userId,
      { email: str(req.body, 'email'), password: str(req.body, 'password') },
      rc(req, ctx),
    );
    return reply.code(303).header('location', '/account?m=email-sent').send();
  });

  accountForm('/account/password', 'password', [], async (req, reply, ctx, session) => {
    const signedIn = await accounts.changePassword(
      session,
      { currentPassword: str(req.body, 'currentPassword'), newPassword: str(req.body, 'newPassword') },
      rc(req, ctx),
    );
    signIn(reply, signedIn);
    return afterSignIn(reply, `${requestOrigin(req)}/account?m=password`);
  });

  accountForm('/account/delete', 'delete', ['confirm'], async (req, reply, ctx, session) => {
    await accounts.deleteAccount(session.userId, {
      confirm: str(req.body, 'confirm'),
      password: str(req.body, 'password'),
    });
    clearCookie(reply, names.session, secure);
    req.account = null;
    return send(
      reply,
      200,
      <MessagePage
        ctx={ctx}
        title="Your account is deleted"
        paragraphs={[
          'Your personal data has been removed and you are signed out on every site of the network.',
        ]}
        links={[{ href: '/', text: `${ctx.site.name} home page` }]}
      />,
    );
  });

  app.post<{ Params: { id: string } }>('/account/logins/:id/unlink', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    return sessionGuarded(req, reply, ctx, async () => {
      const session = requireSession(req, reply);
      if (!session) return reply;
      try {
        await social.unlink(session.userId, Number(req.params.id) || 0);
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        return renderAccount(req, reply, ctx, session, e.statusCode, {
          failed: { form: 'logins', problems: {}, values: {}, message: e.message },
        });
      }
      return reply.code(303).header('location', '/account?m=unlinked').send();
    });
  });

  app.get('/account/data.json', withSite, async (req, reply) => {
    const session = requireSession(req, reply);
    if (!session) return reply;
    const data = await accounts.exportData(session.userId);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="my-data.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  // ------------------------------------------------------------------ social and single sign-on

  app.get<{ Params: { provider: string } }>(
    '/account/oauth/:provider/start',
    withSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      const link = query(req, 'link') === '1';
      if (link && !requireSession(req, reply)) return reply;
      const next = link
        ? `${requestOrigin(req)}/account`
        : safeNext(query(req, 'next') || undefined, req, directory);
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
        const outcome = await social.finish(req.params.provider, url, state, rc(req, ctx));
        switch (outcome.kind) {
          case 'signed-in':
            if (req.account) await accounts.logout(req.account.loginId);
            signIn(reply, outcome.signedIn);
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
