// Where account flows may send the browser. `next` only ever leads to a path on a host of this network;
// anything else (another domain, a scheme-relative //host, javascript:, backslash tricks) becomes "/". Links
// to sister sites keep the port in local use (news.localhost:3000), as the rest of the app does.
import type { FastifyRequest } from 'fastify';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';

export function portSuffix(req: FastifyRequest, host: string): string {
  const port = req.host.includes(':') ? req.host.split(':').pop() : '';
  return port && (host.endsWith('.localhost') || host === 'localhost') ? `:${port}` : '';
}

/** The origin of a site of the network as seen from this request. */
export function siteOrigin(req: FastifyRequest, ctx: SiteContext): string {
  const host = ctx.site.hosts[0] ?? req.hostname;
  return `${req.protocol}://${host}${portSuffix(req, host)}`;
}

/** A safe absolute URL for `next`, defaulting to this site's home page. */
export function safeNext(raw: unknown, req: FastifyRequest, directory: SiteDirectory): string {
  const here = `${req.protocol}://${req.host}`;
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
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return fallback;
  if (u.username || u.password) return fallback;
  const ctx = directory.forHost(u.hostname.toLowerCase());
  if (!ctx) return fallback;
  if (u.port && `:${u.port}` !== portSuffix(req, u.hostname)) return fallback;
  return u.href;
}

/** `next` as a path when it is on this host (for form fields and links), else the absolute URL. */
export function nextForForm(next: string, req: FastifyRequest): string {
  const here = `${req.protocol}://${req.host}`;
  return next.startsWith(`${here}/`) ? next.slice(here.length) : next;
}
