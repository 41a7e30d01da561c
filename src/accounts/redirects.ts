// Where account flows may send the browser. `next` only ever leads to a path on a host of this network, at
// the network's public scheme and port; anything else (another domain, another port or scheme, a
// scheme-relative //host, javascript:, backslash tricks) becomes "/".
import type { FastifyRequest } from 'fastify';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';
import { hostOrigin, siteOrigin as publicSiteOrigin, urlContext } from '../sites/urls.ts';
import { requestOrigin } from './csrf.ts';

/** The public origin of a site of the network. */
export function siteOrigin(req: FastifyRequest, ctx: SiteContext): string {
  return publicSiteOrigin(urlContext(req), ctx.site);
}

/** A safe absolute URL for `next`, defaulting to this site's home page. */
export function safeNext(raw: unknown, req: FastifyRequest, directory: SiteDirectory): string {
  const here = requestOrigin(req);
  const fallback = `${here}/`;
  if (typeof raw !== 'string' || raw === '' || raw.length > 2000) return fallback;
  // No control characters and no backslashes anywhere: browsers read "/\\evil" as "//evil".
  if ([...raw].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || ch === '\\'))
    return fallback;
  if (raw.startsWith('/') && !raw.startsWith('//')) {
    const u = new URL(raw, here);
    return u.origin === here ? u.href : fallback;
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return fallback;
  }
  if (u.username || u.password) return fallback;
  const host = u.hostname.toLowerCase();
  if (!directory.forHost(host)) return fallback;
  // The whole origin must be the host's public one: same scheme, same port.
  if (u.origin !== hostOrigin(urlContext(req), host)) return fallback;
  return u.href;
}

/** `next` as a path when it is on this host (for form fields and links), else the absolute URL. */
export function nextForForm(next: string, req: FastifyRequest): string {
  const here = requestOrigin(req);
  return next.startsWith(`${here}/`) ? next.slice(here.length) : next;
}
