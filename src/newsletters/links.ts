// Signed links mailed to newsletter recipients, which work without signing in:
// - the per-recipient preference and one-click unsubscribe links every newsletter mail carries. The token
//   names the subscriber, the subscriber's link version and (for unsubscribe) the list, signed with the
//   network's signing key (accounts' loadSigningKey). They do not expire, since a mail read months later must
//   still let its reader leave; raising the subscriber's link_version ends every link mailed so far.
// - the confirmation link of double opt-in, which confirms every pending subscription of one subscriber on
//   one site. It carries its issue time and expires after 7 days; its signature also covers the address, so
//   a link cannot confirm a later subscriber that happened to get the same row id.
// A token's signature is checked in constant time; anything malformed, tampered or for another purpose is
// refused the same way (null), and the caller shows one clear page (DATELINE_ERR_NEWSLETTER_LINK_INVALID).
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface RecipientLinks {
  preferences: string;
  unsubscribe: string;
  /** mailto: for List-Unsubscribe */
  unsubscribeMailto: string;
}

export interface RecipientToken {
  subscriberId: number;
  linkVersion: number;
  /** The list the unsubscribe link leaves; null for the preference link (every list of the site). */
  newsletterId: number | null;
}

const RECIPIENT = 'newsletters.recipient';
const CONFIRM = 'newsletters.confirm';
/** How long a confirmation link works, and how long an unconfirmed address is kept. */
export const CONFIRM_TTL_MS = 7 * 86_400_000;

function mac(key: Buffer, ...parts: (string | number)[]): string {
  return createHmac('sha256', key).update(parts.join('\n')).digest().subarray(0, 18).toString('base64url');
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const INT = /^[1-9]\d{0,14}$/;

/** `<subscriber>.<version>.<list or 0>.<signature>`: all URL-safe. */
export function recipientToken(
  key: Buffer,
  r: { subscriberId: number; linkVersion: number },
  newsletterId: number | null,
): string {
  const list = newsletterId ?? 0;
  return `${r.subscriberId}.${r.linkVersion}.${list}.${mac(key, RECIPIENT, r.subscriberId, r.linkVersion, list)}`;
}

/**
 * The links for one recipient of one list. `issueId`, when given, rides along on the unsubscribe link as
 * `i=` so that an unsubscribe from an issue's mail is counted on that issue.
 */
export function recipientLinks(
  key: Buffer,
  origin: string,
  r: { subscriberId: number; linkVersion: number },
  newsletterId: number,
  issueId?: number,
): RecipientLinks {
  const unsubscribe = recipientToken(key, r, newsletterId);
  const host = new URL(origin).hostname;
  return {
    preferences: `${origin}/newsletters/preferences?t=${recipientToken(key, r, null)}`,
    unsubscribe: `${origin}/newsletters/unsubscribe?t=${unsubscribe}${issueId ? `&i=${issueId}` : ''}`,
    unsubscribeMailto: `mailto:unsubscribe@${host}?subject=${encodeURIComponent(`unsubscribe ${unsubscribe}`)}`,
  };
}

/** What a recipient token says, or null when it is malformed or its signature does not match. */
export function readRecipientToken(key: Buffer, token: string): RecipientToken | null {
  if (typeof token !== 'string' || token.length > 120) return null;
  const m = /^(\d{1,15})\.(\d{1,9})\.(\d{1,15})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!m) return null;
  const [, s, v, l, sig] = m;
  if (!INT.test(s!) || !INT.test(v!) || !(l === '0' || INT.test(l!))) return null;
  if (!sameMac(sig!, mac(key, RECIPIENT, Number(s), Number(v), Number(l)))) return null;
  return { subscriberId: Number(s), linkVersion: Number(v), newsletterId: l === '0' ? null : Number(l) };
}

export interface ConfirmToken {
  subscriberId: number;
  siteId: number;
  issuedAt: Date;
}

/** `<subscriber>.<site>.<issued, seconds base 36>.<signature over those and the address>`. */
export function confirmToken(
  key: Buffer,
  c: { subscriberId: number; siteId: number; email: string },
  now: Date,
): string {
  const at = Math.floor(now.getTime() / 1000).toString(36);
  return `${c.subscriberId}.${c.siteId}.${at}.${mac(key, CONFIRM, c.subscriberId, c.siteId, at, c.email)}`;
}

/**
 * Reads a confirmation token without its signature check (which needs the subscriber's address): the
 * caller loads the subscriber and calls `confirmTokenValid`. Null when malformed or expired.
 */
export function parseConfirmToken(token: string, now: Date): (ConfirmToken & { raw: string }) | null {
  if (typeof token !== 'string' || token.length > 120) return null;
  const m = /^(\d{1,15})\.(\d{1,15})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!m || !INT.test(m[1]!) || !INT.test(m[2]!)) return null;
  const issuedAt = new Date(Number.parseInt(m[3]!, 36) * 1000);
  const age = now.getTime() - issuedAt.getTime();
  if (!(age >= -60_000 && age <= CONFIRM_TTL_MS)) return null;
  return { subscriberId: Number(m[1]), siteId: Number(m[2]), issuedAt, raw: token };
}

export function confirmTokenValid(key: Buffer, token: string, email: string): boolean {
  const [s, site, at, sig] = token.split('.');
  if (!s || !site || !at || !sig) return false;
  return sameMac(sig, mac(key, CONFIRM, Number(s), Number(site), at, email));
}
