// Absolute URLs of a site's pages, for canonical links, feeds, sitemaps, structured data, the API and
// cross-site links. Built from the request (scheme and port as the reader reached us) and the target
// site's first host, so every absolute URL a reader or a crawler sees agrees.
import type { FastifyRequest } from 'fastify';
import type { Site } from './site.ts';

export interface UrlContext {
  protocol: string;
  /** Host as the request named it, with the port if there was one. */
  host: string;
}

export function urlContext(req: FastifyRequest): UrlContext {
  return { protocol: req.protocol, host: req.host };
}

/** The origin of a site: its first host, keeping the request's port for local (*.localhost) use. */
export function siteOrigin(u: UrlContext, site: Pick<Site, 'hosts'>): string {
  const host = site.hosts[0];
  if (!host) return requestOrigin(u);
  const port = u.host.includes(':') && host.endsWith('localhost') ? `:${u.host.split(':').pop()}` : '';
  return `${u.protocol}://${host}${port}`;
}

/** The origin the request came in on (the site being served). */
export function requestOrigin(u: UrlContext): string {
  return `${u.protocol}://${u.host}`;
}

/**
 * A site's origin when there is no request to copy it from (webhook payloads): https, except plain http
 * for local *.localhost hosts.
 */
export function publicOrigin(site: Pick<Site, 'hosts' | 'slug'>): string {
  const host = site.hosts[0] ?? `${site.slug}.localhost`;
  return `${host === 'localhost' || host.endsWith('.localhost') ? 'http' : 'https'}://${host}`;
}
