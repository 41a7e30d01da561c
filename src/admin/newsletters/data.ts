// What the newsletters screens read beside the newsletters services: confirmed subscribers per list, the
// last send of each list, the signed-in staff member's own address (for test mails), and a story named by
// an editor as a number, an admin link or its address on the site, resolved to a story live on that site.
import type { Kysely } from 'kysely';
import { findPlacementBySlug } from '../../articles/repository.ts';
import type { Database } from '../../db/database.ts';
import { liveOnSite } from '../../front-page/repository.ts';
import type { DigestIssue } from '../../newsletters/digests/issues.ts';

/** Active (confirmed) subscriptions per newsletter id; lists without any are absent. */
export async function confirmedCounts(db: Kysely<Database>, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('newsletter_subscriptions')
    .select(['newsletter_id', db.fn.countAll<number>().as('n')])
    .where('newsletter_id', 'in', ids)
    .where('status', '=', 'active')
    .groupBy('newsletter_id')
    .execute();
  return new Map(rows.map((r) => [r.newsletter_id, Number(r.n)]));
}

/** The newest issue that was not a draft, per list, from a newest-first list of issues. */
export function lastSendOf(recent: DigestIssue[]): Map<number, DigestIssue> {
  const out = new Map<number, DigestIssue>();
  for (const i of recent) if (!out.has(i.newsletterId)) out.set(i.newsletterId, i);
  return out;
}

export async function staffEmail(db: Kysely<Database>, userId: number): Promise<string | null> {
  const u = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  return u?.email ?? null;
}

/**
 * The story an editor pasted: "123", "/stories/123" (the admin), or the story's address on the site (its last
 * path segment is the slug). Answers the id when the story is live on the site, else null.
 */
export async function storyNamed(db: Kysely<Database>, siteId: number, raw: string): Promise<number | null> {
  const text = raw.trim().slice(0, 2000);
  let id = 0;
  const number = /^(?:.*\/stories\/)?([1-9][0-9]{0,9})\/?$/.exec(text);
  if (number) id = Number(number[1]);
  else {
    let path = text;
    try {
      path = new URL(text, 'http://site.invalid').pathname;
    } catch {
      return null;
    }
    const last = path.split('/').filter(Boolean).at(-1);
    if (!last) return null;
    let slug = last;
    try {
      slug = decodeURIComponent(last);
    } catch {
      return null;
    }
    const p = await findPlacementBySlug(db, siteId, slug);
    id = p?.articleId ?? 0;
  }
  if (!id) return null;
  return (await liveOnSite(db, siteId, [id])).has(id) ? id : null;
}
