// The account cookies, read and written by hand (three cookies do not need a library). Every one is
// HttpOnly and SameSite=Lax, host-only (no Domain: no cookie is shared across hosts), and in production
// Secure with the __Host- prefix, which the browser only accepts from HTTPS, for Path=/ and no Domain.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CookieNames {
  session: string;
  /** Anonymous visitors' CSRF binding, set when a form is shown. */
  pre: string;
  /** The OAuth state of a flow started in this browser. */
  oauth: string;
  /** A social login waiting to be linked once the reader proves they own the matching account. */
  link: string;
}

export function cookieNames(secure: boolean): CookieNames {
  const p = secure ? '__Host-' : '';
  return { session: `${p}dl_session`, pre: `${p}dl_pre`, oauth: `${p}dl_oauth`, link: `${p}dl_link` };
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header?.includes(name)) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v === '' ? undefined : v;
    }
  }
  return undefined;
}

export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  opts: { maxAge: number; secure: boolean },
): void {
  const parts = [`${name}=${value}`, 'Path=/', `Max-Age=${opts.maxAge}`, 'HttpOnly', 'SameSite=Lax'];
  if (opts.secure) parts.push('Secure');
  const prev = reply.getHeader('set-cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  reply.header('set-cookie', [...list.filter((c) => !c.startsWith(`${name}=`)), parts.join('; ')]);
  // A response that sets a cookie is personal: no shared cache may keep it.
  reply.header('cache-control', 'private, no-store');
}

export function clearCookie(reply: FastifyReply, name: string, secure: boolean): void {
  setCookie(reply, name, '', { maxAge: 0, secure });
}
