// Reads for the members screens and a story's moderation view: finding members by name or email, a
// member's comments on the sites a moderator works on (the comments_author index, newest first), who wrote
// their sanctions and notes, and one thread's comments of every status (the comments_thread index).
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { fromDbTime } from '../../db/values.ts';
import { COLUMNS as COLS, type QueueComment, toQueueComment } from './queries.ts';

export interface MemberHit {
  id: number;
  name: string;
  email: string | null;
  profileSlug: string;
  memberSince: Date;
  status: string;
}

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Members whose display name or email contains the words (case-insensitive), newest accounts first. */
export async function searchMembers(db: Db, q: string, limit = 30): Promise<MemberHit[]> {
  const text = q.trim().toLowerCase().slice(0, 100);
  if (!text) return [];
  const pattern = likePattern(text);
  const rows = await db.kysely
    .selectFrom('users')
    .select(['id', 'display_name', 'email', 'profile_slug', 'created_at', 'status'])
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        sql<boolean>`lower(display_name) like ${pattern} escape '\\'`,
        sql<boolean>`email like ${pattern} escape '\\'`,
      ]),
    )
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.display_name,
    email: r.email,
    profileSlug: r.profile_slug,
    memberSince: fromDbTime(r.created_at),
    status: r.status,
  }));
}

export async function memberById(db: Db, id: number): Promise<MemberHit | null> {
  const r = await db.kysely
    .selectFrom('users')
    .select(['id', 'display_name', 'email', 'profile_slug', 'created_at', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r
    ? {
        id: Number(r.id),
        name: r.display_name,
        email: r.email,
        profileSlug: r.profile_slug,
        memberSince: fromDbTime(r.created_at),
        status: r.status,
      }
    : null;
}

/** A member's comments on some sites, newest first, from after a cursor (a comment id). */
export async function memberComments(
  db: Db,
  o: { userId: number; siteIds: readonly number[]; after: number | null; limit: number; except?: number },
): Promise<{ items: QueueComment[]; next: number | null }> {
  if (o.siteIds.length === 0) return { items: [], next: null };
  let q = db.kysely
    .selectFrom('comments as c')
    .select(COLS)
    .where('c.author_id', '=', o.userId)
    .where('c.site_id', 'in', o.siteIds);
  if (o.except) q = q.where('c.id', '!=', o.except);
  if (o.after !== null) {
    const at = sql`(select k.created_at from comments k where k.id = ${o.after})`;
    q = q.where(sql<boolean>`c.created_at <= ${at} and (c.created_at < ${at} or c.id < ${o.after})`);
  }
  const rows = await q
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(o.limit + 1)
    .execute();
  const items = rows.slice(0, o.limit).map((r) => toQueueComment(r as never));
  return { items, next: rows.length > o.limit ? items[items.length - 1]!.id : null };
}

/** Display names of staff accounts (who wrote a sanction or a note). */
export async function namesOf(db: Db, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r.display_name]));
}

export const THREAD_PAGE_SIZE = 50;

/**
 * A page of a thread as moderators see it: featured comments first (on the first page, as readers see them
 * pinned), then top-level comments of every status newest first (the readers' default order), each followed
 * by all its replies oldest first.
 */
export async function threadPage(
  db: Db,
  o: { siteId: number; articleId: number; after: number | null },
): Promise<{ items: { c: QueueComment; depth: number }[]; next: number | null; total: number }> {
  let q = db.kysely
    .selectFrom('comments as c')
    .select(COLS)
    .where('c.article_id', '=', o.articleId)
    .where('c.site_id', '=', o.siteId)
    .where('c.root_id', 'is', null)
    .where('c.featured_at', 'is', null);
  if (o.after !== null) {
    const at = sql`(select k.created_at from comments k where k.id = ${o.after})`;
    q = q.where(sql<boolean>`c.created_at <= ${at} and (c.created_at < ${at} or c.id < ${o.after})`);
  }
  const featured =
    o.after === null
      ? await db.kysely
          .selectFrom('comments as c')
          .select(COLS)
          .where('c.article_id', '=', o.articleId)
          .where('c.site_id', '=', o.siteId)
          .where('c.root_id', 'is', null)
          .where('c.featured_at', 'is not', null)
          .orderBy('c.featured_at', 'desc')
          .execute()
      : [];
  const [tops, total] = await Promise.all([
    q
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(THREAD_PAGE_SIZE + 1)
      .execute(),
    db.kysely
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('article_id', '=', o.articleId)
      .where('site_id', '=', o.siteId)
      .executeTakeFirst(),
  ]);
  const page = [...featured, ...tops.slice(0, THREAD_PAGE_SIZE)].map((r) => toQueueComment(r as never));
  const rootIds = page.map((c) => c.id);
  const replies =
    rootIds.length === 0
      ? []
      : (
          await db.kysely
            .selectFrom('comments as c')
            .select([...COLS, 'c.root_id', 'c.depth'])
            .where('c.article_id', '=', o.articleId)
            .where('c.site_id', '=', o.siteId)
            .where('c.root_id', 'in', rootIds)
            .orderBy('c.created_at', 'asc')
            .orderBy('c.id', 'asc')
            .execute()
        ).map((r) => ({ c: toQueueComment(r as never), rootId: Number(r.root_id), depth: Number(r.depth) }));
  // Replies in thread order under their parents: depth-first from each top-level comment.
  const children = new Map<number, { c: QueueComment; depth: number }[]>();
  for (const r of replies) {
    const list = children.get(r.c.parentId ?? r.rootId) ?? [];
    list.push({ c: r.c, depth: r.depth });
    children.set(r.c.parentId ?? r.rootId, list);
  }
  const items: { c: QueueComment; depth: number }[] = [];
  const walk = (id: number) => {
    for (const child of children.get(id) ?? []) {
      items.push(child);
      walk(child.c.id);
    }
  };
  for (const top of page) {
    items.push({ c: top, depth: 0 });
    walk(top.id);
  }
  return {
    items,
    next: tops.length > THREAD_PAGE_SIZE ? Number(tops[THREAD_PAGE_SIZE - 1]!.id) : null,
    total: Number(total?.n ?? 0),
  };
}
