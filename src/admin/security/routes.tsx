// Two-factor sign-in in the admin (the service is accounts/two-factor.ts):
// - the second step of signing in, at /login/second-factor, after the shell's password step has set the
//   pending cookie: a code from the app, a recovery code, or a passkey (the screen's script);
// - You > Security: the app (set up, move to a new phone, turn off where the role allows), recovery codes
//   (make new ones), passkeys (add with the script, rename, remove);
// - the rule that admin and owner enrol an app before anything else: every other admin page sends them to
//   the enrolment screen and every other action is refused (403 TWO_FACTOR_REQUIRED) until they have.
// Each state change of a signed-in staff member goes through the kit (session, then CSRF, then
// permission); the second step is checked against the sign-in form's anonymous CSRF token and origin.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../../accounts/account-core.ts';
import { FormProblems } from '../../accounts/account-core.ts';
import { clearCookie, readCookie } from '../../accounts/cookies.ts';
import { requiredFor, TwoFactorService } from '../../accounts/two-factor.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { Runtime } from '../../runtime.ts';
import { hostOrigin, type UrlContext } from '../../sites/urls.ts';
import { bundleAdminScript } from '../client/bundle.ts';
import { adminOrigin } from '../host.ts';
import {
  ADMIN_NOTICES,
  type AdminContext,
  type AdminKit,
  formValue,
  queryValue,
  safeAdminPath,
} from '../route-kit.tsx';
import { qrDrawing } from './qr-code.ts';
import { EnrolPage, RecoveryCodesPage, SECURITY_CSS, SecondFactorPage, SecurityPage } from './views.tsx';

ADMIN_NOTICES.set('totp-removed', 'The authenticator app is off. Signing in asks only for your password.');
ADMIN_NOTICES.set('passkey-added', 'The passkey was added. It can stand in for a code when you sign in.');
ADMIN_NOTICES.set('passkey-renamed', 'The passkey was renamed.');
ADMIN_NOTICES.set('passkey-removed', 'The passkey was removed.');
ADMIN_NOTICES.set(
  'recovery-used',
  'You signed in with a recovery code, which is now used up. See how many are left under Security.',
);

const RP_NAME = 'Dateline newsroom';
const SCRIPT = 'security-passkeys.js';

const services = new WeakMap<Runtime, TwoFactorService>();

/** The runtime's TwoFactorService, made once (also for other screens, such as resetting a colleague's). */
export function twoFactorOf(rt: Runtime): TwoFactorService {
  let s = services.get(rt);
  if (!s) {
    const host = rt.config.adminHost;
    s = new TwoFactorService({
      db: rt.db,
      signingKey: rt.accounts.signingKey,
      limiterFactory: rt.accounts.limits.factory,
      // The origin is read at each ceremony: the port is known only once the server listens.
      relyingParty: () => ({ id: host, name: RP_NAME, origin: hostOrigin(publicUrlsOf(rt), host) }),
    });
    services.set(rt, s);
  }
  return s;
}

// The server's public URLs, which the kit's app has decorated; kept per runtime when the screen registers.
const urlsOf = new WeakMap<Runtime, UrlContext>();
function publicUrlsOf(rt: Runtime): UrlContext {
  const u = urlsOf.get(rt);
  if (!u) throw new Error('The security screen has not been registered.');
  return u;
}

function twoFactorRequired(): DatelineError {
  return new DatelineError(
    'TWO_FACTOR_REQUIRED',
    'Your role (admin or owner) needs two-factor sign-in, and this account has no authenticator app yet, so nothing was changed. ' +
      'Set one up under Security, then try again.',
  );
}

/** Paths an admin or owner without an app may still use: Security itself and signing out. */
function openWithoutApp(path: string): boolean {
  return path === '/logout' || path === '/security' || path.startsWith('/security/');
}

export async function securityScreen(kit: AdminKit): Promise<void> {
  const rt = kit.rt;
  urlsOf.set(rt, kit.app.publicUrls);
  const twoFactor = twoFactorOf(rt);
  kit.assets.addCss(SECURITY_CSS);
  kit.assets.add(
    SCRIPT,
    'text/javascript; charset=utf-8',
    await bundleAdminScript('security/client/passkeys.ts'),
  );
  const scripts = [kit.assets.path(SCRIPT)];
  kit.nav.add({ id: 'security', group: 'You', label: 'Security', href: '/security', order: 10 });

  // Sign-in asks for a second step from accounts that have one.
  rt.staff.useSecondFactor({ enrolled: (userId) => twoFactor.enabled(userId) });

  // Admin and owner enrol an app before anything else.
  kit.addGate(async (req, a) => {
    if (!requiredFor(a.staff.grants)) return null;
    const path = req.url.split('?')[0]!;
    if (openWithoutApp(path) || (await twoFactor.hasTotp(a.staff.userId))) return null;
    return {
      redirect: `/security/two-factor?next=${encodeURIComponent(req.url)}`,
      error: twoFactorRequired(),
    };
  });

  // ---------------------------------------------------------------- the second step of signing in

  const requestContext = (req: FastifyRequest): RequestContext => ({
    ip: req.ip,
    userAgent: String(req.headers['user-agent'] ?? ''),
    siteId: null,
    origin: adminOrigin(req, rt.config.adminHost),
  });

  /** The account waiting on this browser's pending sign-in (TOKEN_INVALID once it has expired or been used). */
  const pending = async (req: FastifyRequest) => {
    const token = readCookie(req, kit.cookies.pending);
    const userId = await rt.staff.pendingUser(token);
    return { token: token!, userId };
  };

  const nextOf = (req: FastifyRequest, otherwise = '/') =>
    safeAdminPath(queryValue(req, 'next') || formValue(req.body, 'next') || otherwise);

  const secondStepPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    userId: number,
    o: { problem?: { method: 'code' | 'recovery'; text: string }; status?: number } = {},
  ) => {
    const status = await twoFactor.status(userId);
    return kit.render(
      req,
      reply,
      null,
      { title: 'Confirm it is you', status: o.status ?? 200, notice: null, scripts },
      <SecondFactorPage
        csrf={kit.anonymousCsrf(req, reply)}
        next={nextOf(req)}
        hasTotp={status.totp}
        hasPasskeys={status.passkeys.length > 0}
        problem={o.problem}
      />,
    );
  };

  const finishSignIn = async (req: FastifyRequest, reply: FastifyReply, token: string) => {
    const s = await rt.staff.completeSignIn(token, requestContext(req));
    kit.setStaffCookie(reply, s.token);
    clearCookie(reply, kit.cookies.pending, kit.secure);
  };

  kit.open('GET', '/login/second-factor', async (req, reply) => {
    const { userId } = await pending(req);
    return secondStepPage(req, reply, userId);
  });

  kit.open('POST', '/login/second-factor', async (req, reply) => {
    kit.checkAnonymousForm(req);
    const { token, userId } = await pending(req);
    const method = formValue(req.body, 'method') === 'recovery' ? 'recovery' : 'code';
    let usedRecovery = false;
    try {
      if (method === 'recovery') {
        await twoFactor.useRecoveryCode(userId, formValue(req.body, 'recoveryCode'));
        usedRecovery = true;
      } else {
        await twoFactor.verifyTotp(userId, formValue(req.body, 'code'));
      }
    } catch (e) {
      if (!isDatelineError(e) || e.statusCode >= 500) throw e;
      const retry = e.where?.retryAfter;
      if (retry !== undefined) reply.header('retry-after', String(retry));
      return secondStepPage(req, reply, userId, {
        problem: { method, text: e.message },
        status: e.statusCode,
      });
    }
    await finishSignIn(req, reply, token);
    return kit.seeOther(reply, nextOf(req), usedRecovery ? 'recovery-used' : undefined);
  });

  /** A JSON endpoint of the second step, for the passkey script: errors as `{ error: { code, message } }`. */
  const openJson = (path: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<object>) =>
    kit.open('POST', path, async (req, reply) => {
      try {
        kit.checkAnonymousForm(req);
        return reply.send(await handler(req, reply));
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        const retry = e.where?.retryAfter;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        return reply.code(e.statusCode).send({ error: { code: e.code, message: e.message } });
      }
    });

  openJson('/login/second-factor/passkey/options', async (req) => {
    const { userId } = await pending(req);
    return { options: await twoFactor.passkeySignInOptions(userId) };
  });

  openJson('/login/second-factor/passkey', async (req, reply) => {
    const { token, userId } = await pending(req);
    await twoFactor.verifyPasskeySignIn(userId, (req.body as { response?: unknown } | null)?.response);
    await finishSignIn(req, reply, token);
    return { next: nextOf(req) };
  });

  // ---------------------------------------------------------------- Security

  const securityPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: { renameProblem?: { passkeyId: number; text: string }; status?: number } = {},
  ) =>
    kit.render(
      req,
      reply,
      a,
      { title: 'Security', current: 'security', scripts, status: o.status },
      <SecurityPage
        csrf={a.csrf}
        status={await twoFactor.status(a.staff.userId)}
        required={requiredFor(a.staff.grants)}
        renameProblem={o.renameProblem}
      />,
    );

  kit.page('/security', {}, async (req, reply, a) => securityPage(req, reply, a));

  const accountLabel = async (a: AdminContext) => {
    const user = await rt.accounts.requireUser(a.staff.userId);
    return user.email ?? user.displayName;
  };

  const enrolPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: { problem?: string; status?: number } = {},
  ) => {
    const label = await accountLabel(a);
    const enrolment =
      (await twoFactor.pendingTotpEnrolment(a.staff.userId, label)) ??
      (await twoFactor.startTotpEnrolment(a.staff.userId, label));
    const status = await twoFactor.status(a.staff.userId);
    return kit.render(
      req,
      reply,
      a,
      {
        title: status.totp ? 'Move to a new phone' : 'Set up an authenticator app',
        current: 'security',
        status: o.status,
        notice: null,
      },
      <EnrolPage
        csrf={a.csrf}
        next={nextOf(req, '/security')}
        enrolment={enrolment}
        qr={qrDrawing(enrolment.otpauthUrl)}
        required={requiredFor(a.staff.grants)}
        replacing={status.totp}
        problem={o.problem}
      />,
    );
  };

  kit.page('/security/two-factor', {}, async (req, reply, a) => {
    const status = await twoFactor.status(a.staff.userId);
    // With an app on and no move started, there is nothing to enrol: Security has the button for a move.
    if (status.totp && !status.totpPending) return kit.seeOther(reply, '/security');
    return enrolPage(req, reply, a);
  });

  kit.action('/security/two-factor/start', {}, async (_req, reply, a) => {
    await twoFactor.startTotpEnrolment(a.staff.userId, await accountLabel(a));
    return kit.seeOther(reply, '/security/two-factor');
  });

  kit.action('/security/two-factor', {}, async (req, reply, a) => {
    let codes: string[];
    try {
      ({ recoveryCodes: codes } = await twoFactor.confirmTotp(
        a.staff.userId,
        formValue(req.body, 'code'),
        a.actor,
      ));
    } catch (e) {
      if (!isDatelineError(e) || e.statusCode >= 500 || e.code === 'DATELINE_ERR_TWO_FACTOR_NOT_ENABLED')
        throw e;
      const retry = e.where?.retryAfter;
      if (retry !== undefined) reply.header('retry-after', String(retry));
      return enrolPage(req, reply, a, { problem: e.message, status: e.statusCode });
    }
    return kit.render(
      req,
      reply,
      a,
      { title: 'Your recovery codes', current: 'security', notice: null },
      <RecoveryCodesPage
        codes={codes}
        next={nextOf(req, '/security')}
        lead="The authenticator app is set up: signing in now asks for its code after your password."
      />,
    );
  });

  kit.action('/security/two-factor/remove', {}, async (_req, reply, a) => {
    if (requiredFor(a.staff.grants)) throw twoFactorRequired();
    await twoFactor.removeTotp(a.staff.userId, a.actor);
    return kit.seeOther(reply, '/security', 'totp-removed');
  });

  kit.action('/security/recovery-codes', {}, async (req, reply, a) => {
    const codes = await twoFactor.regenerateRecoveryCodes(a.staff.userId, a.actor);
    return kit.render(
      req,
      reply,
      a,
      { title: 'Your new recovery codes', current: 'security', notice: null },
      <RecoveryCodesPage codes={codes} next="/security" lead="The old recovery codes no longer work." />,
    );
  });

  // ---------------------------------------------------------------- passkeys

  kit.json('POST', '/security/passkeys/options', {}, async (_req, _reply, a) => {
    const user = await rt.accounts.requireUser(a.staff.userId);
    return { options: await twoFactor.passkeyRegistrationOptions(user) };
  });

  kit.json('POST', '/security/passkeys', {}, async (req, _reply, a) => {
    const body = (req.body ?? {}) as { name?: unknown; response?: unknown };
    const { passkey, recoveryCodes } = await twoFactor.registerPasskey(
      a.staff.userId,
      body.response,
      typeof body.name === 'string' ? body.name : '',
      a.actor,
    );
    return { passkey: { id: passkey.id, name: passkey.name }, recoveryCodes };
  });

  const passkeyId = (req: FastifyRequest) => {
    const raw = (req.params as { id?: string }).id ?? '';
    return /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  };

  kit.action('/security/passkeys/:id/rename', {}, async (req, reply, a) => {
    const id = passkeyId(req);
    try {
      await twoFactor.renamePasskey(a.staff.userId, id, formValue(req.body, `name-${id}`), a.actor);
    } catch (e) {
      if (!(e instanceof FormProblems)) throw e;
      return securityPage(req, reply, a, {
        renameProblem: { passkeyId: id, text: e.problems.name ?? e.message },
        status: 400,
      });
    }
    return kit.seeOther(reply, '/security', 'passkey-renamed');
  });

  kit.action('/security/passkeys/:id/delete', {}, async (req, reply, a) => {
    await twoFactor.deletePasskey(a.staff.userId, passkeyId(req), a.actor);
    return kit.seeOther(reply, '/security', 'passkey-removed');
  });
}
