// Absolute URLs of a site's pages, for canonical links, feeds, sitemaps, structured data, the API, mails,
// redirects and cross-site links. They are built from configuration only, never from the request's Host:
// the scheme and port the network is published on (DATELINE_PUBLIC_SCHEME, DATELINE_PUBLIC_PORT), unless
// the site has a public scheme of its own (`dateline site edit --public-scheme`), and the site's first
// host. A page rendered for one reader is cached and sent to every other, so a Host header
// that could change a URL in it would let one request rewrite the page for everyone.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/config.ts';
import type { PublicScheme, Site } from './site.ts';

/** Where readers reach the network: the public scheme, and the port (null: the scheme's default). */
export interface UrlContext {
  scheme: PublicScheme;
  port: number | null;
  /**
   * The public scheme of the site answering at a host, when that site has one of its own (null or
   * undefined: the network's). Set by the web server from the site directory; absent where no request is
   * served, and then only sites passed in whole (siteOrigin) can differ.
   */
  hostScheme?: (host: string) => PublicScheme | null | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The network's public scheme and port, from configuration (see web/server.tsx). */
    publicUrls: UrlContext;
  }
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

/**
 * The public scheme and port from configuration. Without DATELINE_PUBLIC_PORT, production assumes a proxy
 * on the scheme's default port, and development the server's own PORT (which the server replaces with the
 * port it actually listens on, for PORT=0).
 */
export function configuredUrls(
  config: Pick<Config, 'publicScheme' | 'publicPort' | 'nodeEnv' | 'port'>,
): UrlContext {
  return {
    scheme: config.publicScheme,
    port: config.publicPort ?? (config.nodeEnv === 'production' ? null : config.port || null),
  };
}

/** The public scheme and port of the server that received this request. */
export function urlContext(req: FastifyRequest): UrlContext {
  return req.server.publicUrls;
}

/**
 * The port readers connect to with this scheme (the network's unless given): the configured public port,
 * else the scheme's default, so an http site on an https network is on port 80 when no port is set.
 */
export function publicPort(u: UrlContext, scheme: PublicScheme = u.scheme): number {
  return u.port ?? DEFAULT_PORT[scheme];
}

/** The scheme readers use for a host of the network: its site's own, else the network's. */
export function hostScheme(u: UrlContext, host: string): PublicScheme {
  return u.hostScheme?.(host) ?? u.scheme;
}

function origin(u: UrlContext, scheme: PublicScheme, host: string): string {
  const port = publicPort(u, scheme);
  return `${scheme}://${host}${port === DEFAULT_PORT[scheme] ? '' : `:${port}`}`;
}

/** The origin of one host of the network, e.g. https://news.example.com or http://news.localhost:3000. */
export function hostOrigin(u: UrlContext, host: string): string {
  return origin(u, hostScheme(u, host), host);
}

/** The origin of a site: its first (canonical) host, with the site's public scheme when it has one. */
export function siteOrigin(
  u: UrlContext,
  site: Pick<Site, 'hosts' | 'slug'> & { publicScheme?: PublicScheme | null },
): string {
  return origin(u, site.publicScheme ?? u.scheme, site.hosts[0] ?? `${site.slug}.localhost`);
}

/**
 * The host name a Host header names, lower-cased, when the header is well formed and its port (if any) is
 * the public port; otherwise undefined, and the request is answered as for an unknown site. A Host without
 * a port is accepted: proxies commonly send the bare name (nginx's `$host`), and no URL is built from it.
 */
export function acceptedHostName(u: UrlContext, host: string | undefined): string | undefined {
  if (!host) return undefined;
  const m = /^([a-z0-9.-]{1,253})(?::(\d{1,5}))?$/i.exec(host);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  if (m[2] !== undefined && Number(m[2]) !== publicPort(u, hostScheme(u, name))) return undefined;
  return name;
}
