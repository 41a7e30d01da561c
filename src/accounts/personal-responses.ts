// A signed-in reader's own version of each response. Pages from PageServer carry a slot with the signed-out
// header links: the reader gets the page with their own links spliced in (see personalise.ts), with an ETag
// and 304 of their own, made from the shared page version without touching it. Any other response for a
// reader (account pages, error pages…) is made private, and HTML with the slot is spliced on its way out.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagMatches } from '../web/etag.ts';
import type { PageVariant } from '../web/pages.ts';
import { sessionCsrfToken } from './csrf.ts';
import {
  acceptsGzip,
  type Fragment,
  PersonalPages,
  personalEtag,
  prepareFragment,
  spliced,
  splitAt,
} from './personalise.ts';
import type { AccountService } from './service.ts';
import type { SessionInfo } from './sessions.ts';
import { ACCOUNT_SLOT, signedInFragment } from './views/header.tsx';

/** Readers' versions of pages kept in memory (a reader's version of a page is about its gzip size). */
const PERSONAL_PAGES_MAX_BYTES = 16 * 1024 * 1024;

export interface PersonalResponses {
  /** Set as the request's `pageVariant` for a signed-in reader: PageServer sends the page through it. */
  personalPage: PageVariant;
  /** For onSend, on responses that did not come through `personalPage`: the payload to send instead. */
  personalise(req: FastifyRequest, reply: FastifyReply, payload: unknown): unknown;
}

export function personalResponses(accounts: AccountService): PersonalResponses {
  const fragments = new WeakMap<SessionInfo, Fragment>();
  const personalPages = new PersonalPages(ACCOUNT_SLOT, PERSONAL_PAGES_MAX_BYTES);

  // The session object is shared by every request within the lookup cache's few seconds: render once.
  function fragmentOf(session: SessionInfo): Fragment {
    let fragment = fragments.get(session);
    if (!fragment) {
      fragment = prepareFragment(
        signedInFragment(session.displayName, sessionCsrfToken(accounts.signingKey, session.tokenHash)),
      );
      fragments.set(session, fragment);
    }
    return fragment;
  }

  // A page from PageServer, as the signed-in reader gets it: their own ETag, 304 and body, made from the
  // page version without touching it. Undefined (the shared page goes out) when the page has no slot.
  const personalPage: PageVariant = (req, reply, page) => {
    const session = req.account;
    if (!session) return undefined;
    const version = personalPages.get(page, fragmentOf(session));
    if (!version) return undefined;
    req.accountPersonal = true;
    const rotated = reply.hasHeader('set-cookie');
    if (page.status === 200 && etagMatches(req.headers['if-none-match'], version.etag)) {
      reply.code(304).headers(version.notModified);
      if (rotated) reply.header('cache-control', 'private, no-store');
      return reply.send();
    }
    const { body, headers } = personalPages.body(version, acceptsGzip(req.headers['accept-encoding']));
    reply.code(page.status).headers(headers);
    if (rotated) reply.header('cache-control', 'private, no-store');
    return reply.send(body);
  };

  // Responses that did not come from PageServer's `send` (account pages, error pages…): made private, and
  // HTML that carries the signed-out links gets the reader's own.
  function onSendPersonal(req: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    const session = req.account;
    if (!session) {
      if (reply.hasHeader('set-cookie')) reply.header('cache-control', 'private, no-store');
      return payload;
    }
    const shared = String(reply.getHeader('cache-control') ?? '').startsWith('public');
    reply.header(
      'cache-control',
      shared && !reply.hasHeader('set-cookie') ? 'private, no-cache' : 'private, no-store',
    );
    const vary = String(reply.getHeader('vary') ?? '');
    if (!/cookie/i.test(vary)) reply.header('vary', vary ? `${vary}, Cookie` : 'Cookie');
    const type = String(reply.getHeader('content-type') ?? '');
    // Compressed or not-modified responses here are never pages with the slot: those all go through
    // PageServer's `send`, which answers for signed-in readers with `personalPage` above.
    if (!type.startsWith('text/html') || reply.hasHeader('content-encoding')) return payload;
    const body = Buffer.isBuffer(payload)
      ? payload
      : typeof payload === 'string'
        ? Buffer.from(payload)
        : null;
    if (!body) return payload;
    const split = splitAt(body, ACCOUNT_SLOT);
    if (!split) return payload;
    const fragment = fragmentOf(session);
    const sharedEtag = reply.getHeader('etag');
    if (sharedEtag) {
      const etag = personalEtag(String(sharedEtag), fragment);
      reply.header('etag', etag);
      if (reply.statusCode === 200 && etagMatches(req.headers['if-none-match'], etag)) {
        reply.code(304);
        reply.removeHeader('content-length');
        return '';
      }
    }
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    const out = spliced(split, fragment, gzip);
    if (gzip && out !== body) reply.header('content-encoding', 'gzip');
    reply.removeHeader('content-length');
    return out;
  }

  return { personalPage, personalise: onSendPersonal };
}
