// The web push routes on every site: the VAPID public key and a CSRF token for the opt-in script
// (GET /push/key, never cached), taking and dropping a browser's subscription (POST /push/subscriptions,
// POST /push/subscriptions/delete, JSON), the service worker at /push-sw.js on the site's own origin, and the
// opt-in script. A subscription is a state change like any other reader form: the origin (Sec-Fetch-Site /
// Origin), then the CSRF token tied to the session or to the anonymous cookie, then the site must have an
// alerts list; signed-in readers' subscriptions carry their account.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieNames, readCookie, setCookie } from '../../accounts/cookies.ts';
import {
  anonymousCsrfToken,
  checkCsrfToken,
  checkSameOrigin,
  sessionCsrfToken,
} from '../../accounts/csrf.ts';
import { newSecret } from '../../accounts/secrets.ts';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import type { Runtime } from '../../runtime.ts';
import type { SiteHook } from '../../web/request-site.ts';
import { siteOf } from '../../web/request-site.ts';
import { pushOptInScript } from './client/bundle.ts';
import { SERVICE_WORKER } from './service-worker.ts';
import { parseSubscription } from './subscriptions.ts';

const JSON_LIMIT = 8 * 1024;
const FALLBACK_SCRIPT = '/push/opt-in.js';
let scriptPath = FALLBACK_SCRIPT;

/** Where the opt-in script is served: its content-hashed URL once bundled. */
export function pushScriptPath(): string {
  return scriptPath;
}

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

function problem(reply: FastifyReply, err: DatelineError): FastifyReply {
  return reply
    .code(err.statusCode)
    .header('cache-control', 'no-store')
    .send({ error: { code: err.code, title: err.title, message: err.message } });
}

export async function pushRoutes(
  app: FastifyInstance,
  deps: { rt: Runtime; siteHook: SiteHook },
): Promise<void> {
  const { rt } = deps;
  const alerts = rt.alerts;
  const secure = rt.config.publicScheme === 'https';
  const names = cookieNames(secure);
  const withSite = { preHandler: deps.siteHook };
  const json = { preHandler: deps.siteHook, bodyLimit: JSON_LIMIT };
  const script = await pushOptInScript();
  scriptPath = script.path;

  async function hasAlertList(siteId: number): Promise<boolean> {
    const list = await rt.db.kysely
      .selectFrom('newsletters')
      .select('id')
      .where('site_id', '=', siteId)
      .where('kind', '=', 'alerts')
      .where('active', '=', 1)
      .limit(1)
      .executeTakeFirst();
    return list !== undefined;
  }

  /** The token for this browser: its session's, or one bound to an anonymous cookie set now if missing. */
  function csrfFor(req: FastifyRequest, reply: FastifyReply): string {
    if (req.account) return sessionCsrfToken(rt.accounts.signingKey, req.account.tokenHash);
    let pre = readCookie(req, names.pre);
    if (!pre || !/^[A-Za-z0-9_-]{20,60}$/.test(pre)) {
      pre = newSecret(18);
      setCookie(reply, names.pre, pre, { maxAge: 7 * 86_400, secure });
    }
    return anonymousCsrfToken(rt.accounts.signingKey, pre);
  }

  function guard(req: FastifyRequest): void {
    checkSameOrigin(req);
    checkCsrfToken(rt.accounts.signingKey, field(req.body, 'csrf'), {
      sessionTokenHash: req.account?.tokenHash ?? null,
      preCookie: readCookie(req, names.pre) ?? null,
    });
  }

  app.get('/push/key', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const csrf = csrfFor(req, reply);
    return reply
      .header('cache-control', 'private, no-store')
      .send({ publicKey: alerts.keys.publicKey, csrf, available: await hasAlertList(ctx.site.id) });
  });

  app.post('/push/subscriptions', json, async (req, reply) => {
    const ctx = siteOf(req);
    try {
      guard(req);
      if (!(await hasAlertList(ctx.site.id)))
        throw new DatelineError(
          'PUSH_SUBSCRIPTION_INVALID',
          `${ctx.site.name} sends no breaking news alerts yet, so there is nothing to subscribe to.`,
          { field: 'site' },
        );
      const sub = parseSubscription(field(req.body, 'subscription'), {
        allowHttpLoopback: alerts.allowHttpLoopback,
      });
      await alerts.subscriptions.save(ctx.site.id, sub, req.account?.userId ?? null);
      return reply.code(201).header('cache-control', 'no-store').send({ subscribed: true });
    } catch (e) {
      if (isDatelineError(e)) return problem(reply, e);
      throw e;
    }
  });

  const unsubscribe = async (req: FastifyRequest, reply: FastifyReply) => {
    const ctx = siteOf(req);
    try {
      guard(req);
      const endpoint = field(req.body, 'endpoint');
      if (typeof endpoint !== 'string' || endpoint === '' || endpoint.length > 2048)
        throw new DatelineError('PUSH_SUBSCRIPTION_INVALID', 'Say which subscription to end: its endpoint.', {
          field: 'endpoint',
        });
      // The same answer whether or not there was one: the endpoint is what the browser holds.
      await alerts.subscriptions.remove(ctx.site.id, endpoint);
      return reply.header('cache-control', 'no-store').send({ subscribed: false });
    } catch (e) {
      if (isDatelineError(e)) return problem(reply, e);
      throw e;
    }
  };
  app.post('/push/subscriptions/delete', json, unsubscribe);
  app.delete('/push/subscriptions', json, unsubscribe);

  // At the root of the origin, so its scope covers every page of the site.
  app.get('/push-sw.js', withSite, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('service-worker-allowed', '/')
      .send(SERVICE_WORKER),
  );
  const sendScript = (reply: FastifyReply, cache: string) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', cache).send(script.body);
  app.get(script.path, async (_req, reply) => sendScript(reply, 'public, max-age=31536000, immutable'));
  app.get(FALLBACK_SCRIPT, async (_req, reply) => sendScript(reply, 'public, max-age=300'));
}
