// The sign-in pages and forms: log in (finishing a social login waiting to be linked), log out here or
// everywhere, register and confirm the address, and the forgotten-password pair (ask for a link, set a new
// password). A sign-in ends any older session in the browser and goes through the hop to sister sites.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatelineError } from '../errors/catalogue.ts';
import type { SiteContext } from '../sites/directory.ts';
import { siteOf } from '../web/request-site.ts';
import { clearCookie, readCookie } from './cookies.ts';
import { requestOrigin } from './csrf.ts';
import { nextForForm, safeNext, siteOrigin } from './redirects.ts';
import { type AccountRouteContext, formField, NOTICES, queryParam, sendPage } from './route-context.tsx';
import { FormProblems } from './service.ts';
import type { Problems } from './views/forms.tsx';
import { ForgotPage, LoginPage, MessagePage, RegisterPage, ResetPage } from './views/pages.tsx';

export function signInRoutes(app: FastifyInstance, r: AccountRouteContext): void {
  const {
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
    confirmRoute,
  } = r;

  /** Links to log in on a sister site where the reader may be signed in already. */
  function sisterLinks(req: FastifyRequest, ctx: SiteContext, next: string) {
    return directory
      .all()
      .filter((c) => c.site.id !== ctx.site.id && c.site.hosts.length)
      .map((c) => ({
        name: c.site.name,
        url: `${siteOrigin(req, c)}/account/hop/to?site=${ctx.site.id}&next=${encodeURIComponent(next)}`,
      }));
  }

  function renderLogin(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    status: number,
    o: { email?: string; next: string; message?: string | null; problems?: Problems; notice?: string | null },
  ) {
    const pending = readCookie(req, names.link) && queryParam(req, 'link') === '1';
    const notice =
      o.notice ??
      (pending
        ? 'An account already uses the email address of that login. Log in to your account to link the two.'
        : null);
    return sendPage(
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
    const next = safeNext(queryParam(req, 'next') || undefined, req, directory);
    if (req.account && queryParam(req, 'link') !== '1')
      return reply.code(303).header('location', next).send();
    return renderLogin(req, reply, ctx, 200, { next, notice: NOTICES[queryParam(req, 'm')] || null });
  });

  app.post('/account/login', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    const email = formField(req.body, 'email');
    const next = safeNext(formField(req.body, 'next'), req, directory);
    return guarded(req, reply, ctx, async () => {
      try {
        const signedIn = await accounts.login(
          { email, password: formField(req.body, 'password') },
          requestContext(req, ctx),
        );
        // A login from the old session's browser gets a fresh session: the old sign-in ends.
        if (req.account) await accounts.logout(req.account.loginId);
        setSessionCookie(reply, signedIn);
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

  // ------------------------------------------------------------------ registration and verification

  app.get('/account/register', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const next = safeNext(queryParam(req, 'next') || undefined, req, directory);
    return sendPage(
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
    const values = { email: formField(req.body, 'email'), displayName: formField(req.body, 'displayName') };
    const next = safeNext(formField(req.body, 'next'), req, directory);
    return guarded(req, reply, ctx, async () => {
      try {
        await accounts.register(
          { ...values, password: formField(req.body, 'password') },
          requestContext(req, ctx),
        );
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        const retry = e.where?.retryAfter;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        return sendPage(
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
      return sendPage(
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

  confirmRoute('/account/verify', {
    check: (t) => accounts.checkVerifyToken(t),
    title: 'Confirm your email address',
    text: 'Confirm that this email address is yours to finish registering. You will be signed in.',
    button: 'Confirm my email address',
    async act(req, reply, ctx, token) {
      const signedIn = await accounts.verifyEmail(token, requestContext(req, ctx));
      if (req.account) await accounts.logout(req.account.loginId);
      setSessionCookie(reply, signedIn);
      return afterSignIn(reply, `${requestOrigin(req)}/account?m=verified`);
    },
  });

  // ------------------------------------------------------------------ forgotten password

  app.get('/account/forgot', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    return sendPage(reply, 200, <ForgotPage ctx={ctx} csrf={csrfFor(req, reply)} />);
  });

  app.post('/account/forgot', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    const email = formField(req.body, 'email');
    return guarded(req, reply, ctx, async () => {
      try {
        await accounts.requestReset(email, requestContext(req, ctx));
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        const retry = e.where?.retryAfter;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        const problems = e instanceof FormProblems ? e.problems : undefined;
        return sendPage(
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
      return sendPage(
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
    const token = queryParam(req, 't');
    try {
      await accounts.checkResetToken(token);
    } catch (e) {
      if (isDatelineError(e)) return problemPage(reply, ctx, e);
      throw e;
    }
    return sendPage(reply, 200, <ResetPage ctx={ctx} csrf={csrfFor(req, reply)} token={token} />);
  });

  app.post('/account/reset', formWithSite, async (req, reply) => {
    const ctx = siteOf(req);
    const token = formField(req.body, 't');
    return guarded(req, reply, ctx, async () => {
      try {
        await accounts.resetPassword(token, formField(req.body, 'password'), requestContext(req, ctx));
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        if (e instanceof FormProblems) {
          return sendPage(
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
}
