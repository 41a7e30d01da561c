// Serves the demo identity provider at id.localhost in demo mode (mode.ts) and adds it to the network's
// sign-in providers as "Demo ID", so a newcomer can try social sign-in, the account it creates, and the
// news-alert invitation that follows, without configuring a real provider. The provider answers at its own
// host only, through a router constraint like the admin's; every other host keeps its routes.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConstraintStrategy } from 'find-my-way';
import type { VNode } from 'preact';
import { checkSameOrigin } from '../../accounts/csrf.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { Runtime } from '../../runtime.ts';
import { hostOrigin } from '../../sites/urls.ts';
import { renderDocument } from '../../web/pages.ts';
import { inProcessFetch } from './back-channel.ts';
import { DEMO_IDENTITIES, type DemoIdentity, typedIdentity } from './identities.ts';
import {
  DEMO_ID_HOST,
  DEMO_PROVIDER_ID,
  DEMO_PROVIDER_NAME,
  demoIdentityEnabled,
  demoSiteHosts,
} from './mode.ts';
import { DEMO_ID_CSS, MessagePage, PickPage } from './page.tsx';
import { CALLBACK_PATH, createDemoProvider, type DemoProvider, SCOPES } from './provider.ts';

const CONSTRAINT = 'demoIdHost';
const ID = 'id';

function hostName(req: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  const h = req.headers.host;
  const host = Array.isArray(h) ? h[0] : h;
  return host?.replace(/:\d+$/, '').toLowerCase();
}

function idHostConstraint(): ConstraintStrategy<never, string> {
  return {
    name: CONSTRAINT,
    mustMatchWhenDerived: true,
    validate(value: unknown) {
      if (value !== ID) throw new Error(`The ${CONSTRAINT} route constraint takes only '${ID}'.`);
    },
    storage() {
      const handlers = new Map<string, unknown>();
      return {
        get: (v: string) => (handlers.get(v) as never) ?? null,
        set: (v: string, h: unknown) => {
          handlers.set(v, h);
        },
      };
    },
    deriveConstraint: (req: { headers: Record<string, string | string[] | undefined> }) =>
      hostName(req) === DEMO_ID_HOST ? ID : (undefined as unknown as string),
  } as unknown as ConstraintStrategy<never, string>;
}

/** Installs the provider when the server runs in demo mode; returns whether it did. */
export async function installDemoIdentity(app: FastifyInstance, rt: Runtime): Promise<boolean> {
  if (!demoIdentityEnabled(rt.config, rt.directory)) return false;
  const origin = () => hostOrigin(app.publicUrls, DEMO_ID_HOST);
  const clientSecret = randomBytes(24).toString('base64url');
  const callbackPath = CALLBACK_PATH(DEMO_PROVIDER_ID);
  const callbackAllowed = (uri: string) => {
    let u: URL;
    try {
      u = new URL(uri);
    } catch {
      return false;
    }
    return (
      u.pathname === callbackPath &&
      u.search === '' &&
      demoSiteHosts(rt.directory).includes(u.hostname) &&
      u.origin === hostOrigin(app.publicUrls, u.hostname)
    );
  };
  // Made on first use: the issuer names the port the server listens on, known once it listens.
  let made: Promise<DemoProvider> | null = null;
  const demo = () => {
    made ??= createDemoProvider({
      issuer: origin(),
      providerId: DEMO_PROVIDER_ID,
      clientSecret,
      redirectUris: demoSiteHosts(rt.directory).map((h) => `${hostOrigin(app.publicUrls, h)}${callbackPath}`),
      allowRedirect: callbackAllowed,
    });
    return made;
  };
  rt.social.providers.addInProcess(
    {
      kind: 'oidc',
      id: DEMO_PROVIDER_ID,
      name: DEMO_PROVIDER_NAME,
      get issuer() {
        return origin();
      },
      clientId: 'dateline-demo',
      clientSecret,
      scopes: SCOPES.split(' '),
    },
    inProcessFetch(app, origin),
  );

  app.addConstraintStrategy(idHostConstraint());
  const constraints = { [CONSTRAINT]: ID };
  const html = (reply: FastifyReply, status: number, page: VNode) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      // As strict as the sites' policy, except that the sign-in form's answer redirects to the site.
      .header(
        'content-security-policy',
        `default-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' ${demoSiteHosts(
          rt.directory,
        )
          .map((h) => hostOrigin(app.publicUrls, h))
          .join(' ')}`,
      )
      .type('text/html; charset=utf-8')
      .send(renderDocument(page));
  const siteNameFor = (redirectUri: unknown) => {
    if (typeof redirectUri !== 'string') return null;
    try {
      return rt.directory.forHost(new URL(redirectUri).hostname)?.site.name ?? null;
    } catch {
      return null;
    }
  };
  const expired = (reply: FastifyReply) =>
    html(
      reply,
      400,
      <MessagePage
        title="This sign-in has expired"
        code="DATELINE_ERR_TOKEN_INVALID"
        text="It was started too long ago, or in another browser. Go back to the site and choose Continue with Demo ID again."
      />,
    );
  /** The interaction this browser is in, or null when its cookie is missing, stale or for another one. */
  const interaction = async (req: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply) => {
    try {
      const details = await (await demo()).provider.interactionDetails(req.raw, reply.raw);
      return details.uid === req.params.uid ? details : null;
    } catch {
      return null;
    }
  };

  app.get('/demo-id.css', { constraints }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(DEMO_ID_CSS),
  );
  app.get('/', { constraints }, async (_req, reply) =>
    html(
      reply,
      200,
      <MessagePage
        title="Demo ID"
        text="This is the demo network's stand-in for a social login. Open one of the demo sites, choose Log in, then Continue with Demo ID."
      />,
    ),
  );
  app.get<{ Params: { uid: string } }>('/sign-in/:uid', { constraints }, async (req, reply) => {
    const details = await interaction(req, reply);
    if (!details) return expired(reply);
    return html(
      reply,
      200,
      <PickPage uid={details.uid} siteName={siteNameFor(details.params.redirect_uri)} />,
    );
  });
  app.post<{ Params: { uid: string }; Body: Record<string, string | undefined> }>(
    '/sign-in/:uid',
    { constraints },
    async (req, reply) => {
      // The interaction cookie stands for the session here; the request must come from this page.
      try {
        checkSameOrigin(req);
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        return html(reply, e.statusCode, <MessagePage title={e.title} code={e.code} text={e.message} />);
      }
      const details = await interaction(req, reply);
      if (!details) return expired(reply);
      const body = req.body ?? {};
      const siteName = siteNameFor(details.params.redirect_uri);
      let who: DemoIdentity | null | undefined;
      if (typeof body.identity === 'string' && body.identity) {
        who = DEMO_IDENTITIES.find((i) => i.sub === body.identity);
      } else {
        who = typedIdentity(String(body.email ?? ''), String(body.name ?? ''));
      }
      if (!who) {
        const e = new DatelineError(
          'ACCOUNT_INVALID',
          typeof body.identity === 'string' && body.identity
            ? 'There is no such demo reader. Pick one of the list, or type an address.'
            : 'Type an email address such as reader@example.com, or pick one of the demo readers.',
          { field: 'email' },
        );
        return html(
          reply,
          e.statusCode,
          <PickPage
            uid={details.uid}
            siteName={siteName}
            error={{ code: e.code, message: e.message }}
            email={String(body.email ?? '')}
            name={String(body.name ?? '')}
          />,
        );
      }
      const d = await demo();
      d.remember(who);
      // The reader consents by picking: the grant covers what Dateline asks for, nothing more.
      const grant = new d.provider.Grant({ accountId: who.sub, clientId: String(details.params.client_id) });
      grant.addOIDCScope(SCOPES);
      const grantId = await grant.save();
      const next = await d.provider.interactionResult(
        req.raw,
        reply.raw,
        { login: { accountId: who.sub, remember: false }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return reply.code(303).header('location', next).header('cache-control', 'no-store').send();
    },
  );
  // Everything else at this host is the OpenID Connect server itself (discovery, keys, authorisation,
  // token, user info). It reads request bodies itself, so this part parses none.
  await app.register(async (op) => {
    op.removeAllContentTypeParsers();
    op.addContentTypeParser('*', (_req, _payload, done) => done(null));
    op.all('/*', { constraints }, async (req, reply) => {
      const callback = (await demo()).provider.callback();
      reply.hijack();
      await callback(req.raw, reply.raw);
    });
  });
  return true;
}
