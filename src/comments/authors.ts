// Who wrote a set of comments, as readers see them on one site: the display name, the member-page slug
// (null when the member hid their page, so the name is not a link) and a Moderator or Staff badge from the
// author's roles on that site or network-wide. A deleted account reads as "deleted member". One lookup,
// used by the thread and by the content API, so both always name an author the same way.
import type { Db } from '../db/connection.ts';

export interface Author {
  id: number;
  name: string;
  /** Null when the member hid their page or the account is gone: the name is then not a link. */
  slug: string | null;
  badge: 'Moderator' | 'Staff' | null;
}

export const DELETED_MEMBER: Omit<Author, 'id'> = { name: 'deleted member', slug: null, badge: null };

/** The authors of the given ids as shown on `siteId` (two queries, whatever the number of ids). */
export async function commentAuthors(
  q: Db['kysely'],
  siteId: number,
  ids: readonly number[],
): Promise<Map<number, Author>> {
  const unique = [...new Set(ids)];
  const out = new Map<number, Author>();
  if (unique.length === 0) return out;
  const [users, roles] = await Promise.all([
    q
      .selectFrom('users as u')
      .leftJoin('member_settings as m', 'm.user_id', 'u.id')
      .select(['u.id', 'u.display_name', 'u.profile_slug', 'u.status', 'u.deleted_at', 'm.page_hidden'])
      .where('u.id', 'in', unique)
      .execute(),
    q
      .selectFrom('user_roles')
      .select(['user_id', 'role'])
      .where('user_id', 'in', unique)
      .where((eb) => eb.or([eb('site_id', '=', siteId), eb('site_id', 'is', null)]))
      .execute(),
  ]);
  const badges = new Map<number, Author['badge']>();
  for (const r of roles) {
    if (r.role === 'reader') continue;
    if (r.role === 'moderator') badges.set(r.user_id, 'Moderator');
    else if (!badges.has(r.user_id)) badges.set(r.user_id, 'Staff');
  }
  for (const u of users) {
    const gone = u.deleted_at !== null || u.status === 'deleted';
    out.set(
      u.id,
      gone
        ? { id: u.id, ...DELETED_MEMBER }
        : {
            id: u.id,
            name: u.display_name,
            slug: Number(u.page_hidden ?? 0) ? null : u.profile_slug,
            badge: badges.get(u.id) ?? null,
          },
    );
  }
  return out;
}
