// CSRF protection for every state-changing account route, two checks deep:
// 1. the browser says where the request came from: Sec-Fetch-Site must be same-origin when sent, and Origin,
//    when sent, must be this site's own public origin (a request with neither, e.g. from curl, relies on 2).
//    The public origin comes from configuration (DATELINE_PUBLIC_SCHEME/PORT), not from how the request
//    reached the server: behind a TLS-terminating proxy the server itself is spoken to over plain http;
// 2. a token in the form, signed with the server key and tied to the session (or, before sign-in, to a
//    random HttpOnly cookie), so a page on another site can neither read nor forge it.
// Tokens are deterministic per session, so pages with forms still get stable ETags.
import type { FastifyRequest } from 'fastify';
import { DatelineError } from '../errors/catalogue.ts';
import { acceptedHostName, hostOrigin, urlContext } from '../sites/urls.ts';
import { hmac, safeEqual } from './secrets.ts';

export function sessionCsrfToken(key: Buffer, sessionTokenHash: string): string {
  return hmac(key, 'csrf', 'session', sessionTokenHash);
}

export function anonymousCsrfToken(key: Buffer, preCookie: string): string {
  return hmac(key, 'csrf', 'anonymous', preCookie);
}

/**
 * The public origin of the network host this request is addressed to: the host the reader's browser shows
 * (a site may answer at several), with the configured scheme and port.
 */
export function requestOrigin(req: FastifyRequest): string {
  const u = urlContext(req);
  return hostOrigin(u, acceptedHostName(u, req.host) ?? req.hostname.toLowerCase());
}

function refuse(why: string): DatelineError {
  return new DatelineError(
    'CSRF_REJECTED',
    // Stryker disable next-line StringLiteral: message wording, tests assert the code
    `This form could not be accepted (${why}). Reload the page and submit it again; if it keeps happening, check that cookies are allowed for this site.`,
  );
}

export function checkSameOrigin(req: FastifyRequest): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw refuse('it was sent from another site');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== requestOrigin(req)) throw refuse('it was sent from another site');
}

/** Accepts the token tied to the session or to the anonymous cookie the browser holds. */
export function checkCsrfToken(
  key: Buffer,
  submitted: unknown,
  binding: { sessionTokenHash?: string | null; preCookie?: string | null },
): void {
  // The length bounds only spare a hash: an empty or over-long string fails the comparison below and is
  // refused with the same code, so moving the bound by one is not observable.
  // Stryker disable next-line EqualityOperator: equivalent, see above
  if (typeof submitted !== 'string' || submitted.length === 0 || submitted.length > 100)
    // Stryker disable next-line StringLiteral: message wording, tests assert the code
    throw refuse('the form is missing its token');
  const ok =
    (binding.sessionTokenHash && safeEqual(submitted, sessionCsrfToken(key, binding.sessionTokenHash))) ||
    (binding.preCookie && safeEqual(submitted, anonymousCsrfToken(key, binding.preCookie)));
  // Stryker disable next-line StringLiteral: message wording, tests assert the code
  if (!ok) throw refuse('the form has expired or its token does not match');
}
