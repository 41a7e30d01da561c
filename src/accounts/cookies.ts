// The account cookies, read and written by hand (three cookies do not need a library). Every one is
// HttpOnly and SameSite=Lax, host-only (no Domain: no cookie is shared across hosts), and whenever readers
// use https (DATELINE_PUBLIC_SCHEME, https by default in production) Secure with the __Host- prefix, which
// the browser only accepts from HTTPS, for Path=/ and no Domain.
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

// Scans for the name in place rather than splitting the header: every request that carries a cookie asks.
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (let at = header.indexOf(name); at >= 0; at = header.indexOf(name, at + 1)) {
    // Only a whole name counts: at the start of the header or of a pair, and followed by "=".
    let before = at - 1;
    while (before >= 0 && isSpace(header[before]!)) before--;
    if (before >= 0 && header[before] !== ';') continue;
    let eq = at + name.length;
    while (eq < header.length && isSpace(header[eq]!)) eq++;
    if (header[eq] !== '=') continue;
    const end = header.indexOf(';', eq + 1);
    const v = header.slice(eq + 1, end < 0 ? header.length : end).trim();
    return v === '' ? undefined : v;
  }
  return undefined;
}

function isSpace(ch: string): boolean {
  return ch.trim() === '';
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
