// The admin's own host. Admin routes are registered under a router constraint derived from the Host
// header, so they answer only at DATELINE_ADMIN_HOST and every other host keeps its site routes: a site
// path such as /login on a news site never reaches the admin, nor /stories on the admin a site.
import type { FastifyRequest } from 'fastify';
import type { ConstraintStrategy } from 'find-my-way';
import { hostOrigin } from '../sites/urls.ts';

/** The constraint value of requests addressed to the admin host. */
export const ADMIN = 'admin';

function hostName(host: string | string[] | undefined): string | undefined {
  const h = Array.isArray(host) ? host[0] : host;
  if (!h) return undefined;
  const colon = h.lastIndexOf(':');
  // A bracketed IPv6 literal keeps its colons; only a trailing :port is cut.
  const name = colon > h.lastIndexOf(']') ? h.slice(0, colon) : h;
  return name.toLowerCase();
}

/** The router constraint: requests whose Host names the admin derive `admin`, all others nothing. */
export function adminHostConstraint(adminHost: string): ConstraintStrategy<never, string> {
  return {
    name: 'adminHost',
    // An admin request matches admin routes only, never a site route of the same path.
    mustMatchWhenDerived: true,
    validate(value: unknown) {
      if (value !== ADMIN) throw new Error(`The adminHost route constraint takes only '${ADMIN}'.`);
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
      hostName(req.headers.host) === adminHost ? ADMIN : (undefined as unknown as string),
  } as unknown as ConstraintStrategy<never, string>;
}

export function isAdminRequest(req: FastifyRequest, adminHost: string): boolean {
  return hostName(req.headers.host) === adminHost;
}

/** The admin's public origin: the network's scheme and port, at the admin host. */
export function adminOrigin(req: FastifyRequest, adminHost: string): string {
  return hostOrigin(req.server.publicUrls, adminHost);
}
