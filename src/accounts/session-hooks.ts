// The two hooks that make sessions work on every page: onRequest finds the reader's session from the cookie
// (rotating it after a privilege change), and onSend makes the response the reader's own (see
// personal-responses.ts), keeping any response that is personal or sets a cookie out of shared caches, and
// clearing a session cookie that no longer names a live session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SiteDirectory } from '../sites/directory.ts';
import { type CookieNames, clearCookie, readCookie, setCookie } from './cookies.ts';
import { personalResponses } from './personal-responses.ts';
import { hashSecret } from './secrets.ts';
import type { AccountService } from './service.ts';
import type { SessionInfo } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The reader's live session on this host, or null. */
    account: SessionInfo | null;
    /** The response is already the reader's own version of a page (sent by PageServer through pageVariant). */
    accountPersonal: boolean;
    accountClearCookie: boolean;
  }
}

export function sessionHooks(
  app: FastifyInstance,
  deps: {
    accounts: AccountService;
    directory: SiteDirectory;
    names: CookieNames;
    secure: boolean;
  },
): void {
  const { accounts, directory, names, secure } = deps;
  const { personalPage, personalise } = personalResponses(accounts);

  app.decorateRequest('account', null);
  app.decorateRequest('accountPersonal', false);
  app.decorateRequest('accountClearCookie', false);
  app.decorateRequest('pageVariant', null);

  function attachSession(req: FastifyRequest, session: SessionInfo): void {
    req.account = session;
    req.pageVariant = personalPage;
  }

  async function findSession(req: FastifyRequest, reply: FastifyReply, token: string, siteId: number | null) {
    const fresh = req.method !== 'GET' && req.method !== 'HEAD';
    let session = await accounts.sessions.lookup(token, siteId, { fresh });
    if (!session) {
      req.accountClearCookie = true;
      return;
    }
    if (session.stalePrivileges) {
      const rotated = await accounts.sessions.rotate(session);
      session = rotated.info;
      setCookie(reply, names.session, rotated.token, { maxAge: accounts.sessionCookieMaxAge, secure });
    }
    attachSession(req, session);
  }

  // A browser sends the same cookie on every request of a keep-alive connection: the token's hash is kept
  // with the connection (for as long as the connection itself holds the token), and not computed again.
  const connectionTokens = new WeakMap<object, { token: string; hash: string }>();
  function tokenHashOn(req: FastifyRequest, token: string): string {
    const socket = req.raw.socket as object | undefined;
    if (!socket) return hashSecret(token);
    const known = connectionTokens.get(socket);
    if (known?.token === token) return known.hash;
    const hash = hashSecret(token);
    connectionTokens.set(socket, { token, hash });
    return hash;
  }

  // ------------------------------------------------------------------ hooks on every request
  // Both hooks are synchronous (done-style): a request without the cookie passes through at the cost of a
  // function call, and a page view whose session is in memory is signed in without a turn of the event loop.

  app.addHook('onRequest', (req, reply, done) => {
    const cookie = req.headers.cookie;
    if (cookie === undefined || !cookie.includes(names.session)) return done();
    const token = readCookie(req, names.session);
    if (!token) return done();
    const siteId = directory.forHost(req.hostname.toLowerCase())?.site.id ?? null;
    if (req.method === 'GET' || req.method === 'HEAD') {
      const known = accounts.sessions.peek(token, siteId, tokenHashOn(req, token));
      if (known === null) {
        req.accountClearCookie = true;
        return done();
      }
      if (known && !known.stalePrivileges) {
        attachSession(req, known);
        return done();
      }
    }
    findSession(req, reply, token, siteId).then(() => done(), done);
  });

  app.addHook('onSend', (req, reply, payload, done) => {
    try {
      done(null, req.accountPersonal ? payload : onSendPersonal(req, reply, payload));
    } catch (err) {
      done(err as Error);
    }
  });

  // Responses that did not come from PageServer's `send`; a cookie for no live session is cleared.
  function onSendPersonal(req: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    if (req.accountClearCookie && !reply.hasHeader('set-cookie')) clearCookie(reply, names.session, secure);
    return personalise(req, reply, payload);
  }
}
