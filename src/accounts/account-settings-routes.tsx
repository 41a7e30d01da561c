// My account: the page itself (profile, email, password, linked logins, sessions, deletion), its forms,
// confirming a new email address from the mailed link, and "Download my data". Each form acts on the
// signed-in session and accepts only that session's CSRF token; problems re-render the page with what was
// typed and the problem beside its field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatelineError } from '../errors/catalogue.ts';
import type { SiteContext } from '../sites/directory.ts';
import { siteOf } from '../web/request-site.ts';
import { clearCookie } from './cookies.ts';
import { requestOrigin } from './csrf.ts';
import { type AccountRouteContext, formField, NOTICES, queryParam, sendPage } from './route-context.tsx';
import { FormProblems } from './service.ts';
import type { SessionInfo } from './sessions.ts';
import { AccountPage, type AccountPageProps } from './views/account-page.tsx';
import { MessagePage } from './views/pages.tsx';

/** The My account page for the session's reader, with a notice or a failed form's problems. */
export async function renderAccountPage(
  r: AccountRouteContext,
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: SiteContext,
  session: SessionInfo,
  status: number,
  extra: Pick<AccountPageProps, 'notice' | 'failed'> = {},
) {
  const { accounts, social, directory, providers, csrfFor } = r;
  const siteName = (id: number | null): string =>
    id === null ? 'all sites' : (directory.byIdOrUndefined(id)?.site.name ?? 'a former site');
  const user = await accounts.user(session.userId);
  if (!user) return reply.code(303).header('location', '/account/login').send();
  const csrf = csrfFor(req, reply);
  const [roles, identities, sessions, parts] = await Promise.all([
    accounts.roles(user.id),
    social.identities(user.id),
    accounts.sessions.list(user.id),
    Promise.all(accounts.pageParts.map((part) => part({ userId: user.id, csrf, ctx }))),
  ]);
  return sendPage(
    reply,
    status,
    <AccountPage
      ctx={ctx}
      csrf={csrf}
      user={user}
      roles={roles}
      identities={identities}
      sessions={sessions}
      currentLoginId={session.loginId}
      providers={providers()}
      siteName={siteName}
      parts={parts}
      deletionDefault={r.deletionDefault}
      {...extra}
    />,
  );
}

export function accountSettingsRoutes(app: FastifyInstance, r: AccountRouteContext): void {
  const {
    accounts,
    secure,
    names,
    withSite,
    formWithSite,
    requestContext,
    sessionGuarded,
    setSessionCookie,
    afterSignIn,
    requireSession,
    confirmRoute,
  } = r;

  app.get('/account', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const session = requireSession(req, reply);
    if (!session) return reply;
    return renderAccountPage(r, req, reply, ctx, session, 200, {
      notice: NOTICES[queryParam(req, 'm')] || null,
    });
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
          const values = Object.fromEntries(fields.map((f) => [f, formField(req.body, f)]));
          const problems = e instanceof FormProblems ? e.problems : {};
          return renderAccountPage(r, req, reply, ctx, session, e.statusCode, {
            failed: { form, problems, values, message: e instanceof FormProblems ? null : e.message },
          });
        }
      });
    });
  }

  accountForm('/account/profile', 'profile', ['displayName'], async (req, reply, _ctx, session) => {
    await accounts.updateProfile(session.userId, { displayName: formField(req.body, 'displayName') });
    return reply.code(303).header('location', '/account?m=profile').send();
  });

  accountForm('/account/email', 'email', ['email'], async (req, reply, ctx, session) => {
    await accounts.requestEmailChange(
      session.userId,
      { email: formField(req.body, 'email'), password: formField(req.body, 'password') },
      requestContext(req, ctx),
    );
    return reply.code(303).header('location', '/account?m=email-sent').send();
  });

  accountForm('/account/password', 'password', [], async (req, reply, ctx, session) => {
    const signedIn = await accounts.changePassword(
      session,
      {
        currentPassword: formField(req.body, 'currentPassword'),
        newPassword: formField(req.body, 'newPassword'),
      },
      requestContext(req, ctx),
    );
    setSessionCookie(reply, signedIn);
    return afterSignIn(reply, `${requestOrigin(req)}/account?m=password`);
  });

  accountForm('/account/delete', 'delete', ['confirm', 'publicWriting'], async (req, reply, ctx, session) => {
    const choice = formField(req.body, 'publicWriting');
    await accounts.deleteAccount(session.userId, {
      confirm: formField(req.body, 'confirm'),
      password: formField(req.body, 'password'),
      publicWriting: choice === 'remove' || choice === 'anonymise' ? choice : undefined,
    });
    clearCookie(reply, names.session, secure);
    req.account = null;
    return sendPage(
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

  confirmRoute('/account/email/confirm', {
    check: (t) => accounts.checkEmailChangeToken(t),
    title: 'Confirm your new email address',
    text: 'Confirm that this address is yours; your account will use it from now on.',
    button: 'Use this address',
    async act(_req, reply) {
      await accounts.confirmEmailChange(formField(_req.body, 't'));
      return reply.code(303).header('location', '/account?m=email-changed').send();
    },
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
}
