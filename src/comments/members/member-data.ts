// What a member page shows, read straight from the tables: the member (by profile slug), their badges, the
// number of their visible comments and one page of those comments, newest first, across every site of the
// network. A comment is visible here only when it is published and its story is live on the comment's site
// (published, not taken down or unpublished): pending, rejected and deleted comments, and comments under
// stories that left the site, never show.
import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { fromDbTime } from '../../db/values.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const MEMBER_PAGE_SIZE = 20;
/** Deeper pages are refused: an OFFSET that far costs more than anyone reads. */
export const MEMBER_MAX_PAGE = 500;

export interface Member {
  id: number;
  displayName: string;
  profileSlug: string;
  memberSince: Date;
  pageHidden: boolean;
  badge: 'Moderator' | 'Staff' | null;
  /** Changes whenever what the page shows about the member (name, roles) may have changed. */
  version: string;
}

export interface MemberComment {
  id: number;
  siteId: number;
  articleId: number;
  body: string;
  up: number;
  down: number;
  createdAt: Date;
  editedAt: Date | null;
  headline: string;
  sectionId: number;
  slug: string;
}

const n = (v: unknown) => Number(v ?? 0);

/** The member at a profile slug; null for no such account or a deleted one. */
export async function memberBySlug(q: Q, slug: string): Promise<Member | null> {
  const u = await q
    .selectFrom('users as u')
    .leftJoin('member_settings as m', 'm.user_id', 'u.id')
    .select([
      'u.id',
      'u.display_name',
      'u.profile_slug',
      'u.status',
      'u.deleted_at',
      'u.created_at',
      'u.updated_at',
      'u.privilege_epoch',
      'm.page_hidden',
    ])
    .where('u.profile_slug', '=', slug)
    .executeTakeFirst();
  if (!u || u.status === 'deleted' || u.deleted_at !== null) return null;
  const roles = await q.selectFrom('user_roles').select('role').where('user_id', '=', u.id).execute();
  // As the thread shows them: moderators first, any other newsroom role is staff.
  const badge = roles.some((r) => r.role === 'moderator')
    ? 'Moderator'
    : roles.some((r) => r.role !== 'reader')
      ? 'Staff'
      : null;
  return {
    id: u.id,
    displayName: u.display_name,
    profileSlug: u.profile_slug,
    memberSince: fromDbTime(u.created_at),
    pageHidden: n(u.page_hidden) === 1,
    badge,
    version: `${fromDbTime(u.updated_at).getTime()}.${u.privilege_epoch}.${badge ?? ''}`,
  };
}

/** The member's comments readers may see, as one query's FROM and WHERE. */
function visibleComments(q: Q, authorId: number) {
  return q
    .selectFrom('comments as c')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .innerJoin('placements as p', (j) =>
      j.onRef('p.article_id', '=', 'c.article_id').onRef('p.site_id', '=', 'c.site_id'),
    )
    .where('c.author_id', '=', authorId)
    .where('c.status', '=', 'published')
    .where('a.status', '=', 'published')
    .where(sql<SqlBool>`p.live = 1`);
}

export async function countVisible(q: Q, authorId: number): Promise<number> {
  const row = await visibleComments(q, authorId)
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return n(row.n);
}

/** One page (from 1) of the member's visible comments, newest first. */
export async function visiblePage(q: Q, authorId: number, page: number): Promise<MemberComment[]> {
  const rows = await visibleComments(q, authorId)
    .select([
      'c.id',
      'c.site_id',
      'c.article_id',
      'c.body',
      'c.up_count',
      'c.down_count',
      'c.created_at',
      'c.edited_at',
      'a.headline',
      'p.section_id',
      'p.slug',
    ])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(MEMBER_PAGE_SIZE)
    .offset((page - 1) * MEMBER_PAGE_SIZE)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    articleId: r.article_id,
    body: r.body,
    up: n(r.up_count),
    down: n(r.down_count),
    createdAt: fromDbTime(r.created_at),
    editedAt: r.edited_at === null ? null : fromDbTime(r.edited_at),
    headline: r.headline,
    sectionId: r.section_id,
    slug: r.slug,
  }));
}

/** The reference style: net, then up and down, e.g. "-3 ( +37 / -40 )". */
export function formatTally(up: number, down: number): string {
  const net = up - down;
  return `${net > 0 ? `+${net}` : String(net)} ( +${up} / -${down} )`;
}
