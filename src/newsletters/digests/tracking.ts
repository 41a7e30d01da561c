// First-party open and click counting for lists that turn it on (track_engagement, off by default): an open
// pixel at /newsletters/o/<token> and a click redirect at /newsletters/c/<token>?u=<target> on the site's own
// host. The tokens name the issue only, never the recipient, so the counts are per issue (newsletter_issues.open_count
// and click_count) and no reader is followed. A click token carries the target URL and our signature over
// it, so the redirect only ever goes where one of our mails pointed, never where a crafted link says
// (anything else is 404 NEWSLETTER_TRACKING_LINK_INVALID). The links are built in renderer.ts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { SiteHook } from '../../web/request-site.ts';

const PURPOSE = 'newsletters.engagement';

function mac(key: Buffer, ...parts: (string | number)[]): string {
  return createHmac('sha256', key)
    .update([PURPOSE, ...parts].join('\n'))
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function openPixelUrl(key: Buffer, origin: string, issueId: number): string {
  return `${origin}/newsletters/o/${issueId}.${mac(key, 'open', issueId)}.gif`;
}

export function clickUrl(key: Buffer, origin: string, issueId: number, target: string): string {
  return `${origin}/newsletters/c/${issueId}.${mac(key, 'click', issueId, target)}?u=${encodeURIComponent(target)}`;
}

export function readOpenToken(key: Buffer, token: string): number | null {
  const m = /^([1-9]\d{0,11})\.([A-Za-z0-9_-]{22})\.gif$/.exec(token);
  if (!m) return null;
  return same(m[2]!, mac(key, 'open', Number(m[1]))) ? Number(m[1]) : null;
}

export function readClickToken(
  key: Buffer,
  token: string,
  target: string,
): { issueId: number; target: string } | null {
  const m = /^([1-9]\d{0,11})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m || target.length > 4000) return null;
  if (!same(m[2]!, mac(key, 'click', Number(m[1]), target))) return null;
  // Signed by us, and still only ever an http(s) address.
  if (!/^https?:\/\//i.test(target)) return null;
  return { issueId: Number(m[1]), target };
}

/** A 1×1 transparent GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

async function bump(db: Db, issueId: number, column: 'open_count' | 'click_count'): Promise<void> {
  await db.kysely
    .updateTable('newsletter_issues')
    .set({ [column]: sql`${sql.ref(column)} + 1` })
    .where('id', '=', issueId)
    .execute();
}

/** The two routes, on every site host (an unknown host gets the site hook's answer). */
export function trackingRoutes(
  app: FastifyInstance,
  o: { db: Db; signingKey: () => Buffer; siteHook: SiteHook },
): void {
  const preHandler = o.siteHook;
  const invalid = () =>
    new DatelineError(
      'NEWSLETTER_TRACKING_LINK_INVALID',
      'This newsletter link is not one of ours, or it was changed on its way. Open the site to find the story.',
    );
  app.get<{ Params: { token: string } }>('/newsletters/o/:token', { preHandler }, async (req, reply) => {
    const issueId = readOpenToken(o.signingKey(), req.params.token);
    if (issueId) await bump(o.db, issueId, 'open_count');
    return reply
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex')
      .type('image/gif')
      .send(PIXEL);
  });
  app.get<{ Params: { token: string }; Querystring: { u?: unknown } }>(
    '/newsletters/c/:token',
    async (req, reply) => {
      const u = typeof req.query.u === 'string' ? req.query.u : '';
      const t = readClickToken(o.signingKey(), req.params.token, u);
      if (!t) throw invalid();
      await bump(o.db, t.issueId, 'click_count');
      return reply
        .code(302)
        .header('cache-control', 'private, no-store')
        .header('x-robots-tag', 'noindex')
        .header('referrer-policy', 'no-referrer')
        .header('location', t.target)
        .send();
    },
  );
}
