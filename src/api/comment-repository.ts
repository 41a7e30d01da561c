// Queries of the content API's comments: a thread's published comments in time order with keyset
// (cursor) pages, one comment, and their authors (name, member page unless hidden, staff badge). Only
// published comments are ever read here; what a comment's author or a moderator hid stays hidden.
import { commentAuthors as sharedAuthors } from '../comments/authors.ts';
import type { Db } from '../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';

export interface ApiCommentRow {
  id: number;
  siteId: number;
  articleId: number;
  parentId: number | null;
  rootId: number | null;
  depth: number;
  authorId: number;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  featured: boolean;
  moderatorNote: string | null;
  replyCount: number;
  up: number;
  down: number;
}

export interface ApiAuthor {
  name: string;
  slug: string | null;
  badge: 'Moderator' | 'Staff' | null;
}

const n = (v: unknown) => Number(v ?? 0);

function base(db: Db) {
  return db.kysely
    .selectFrom('comments as c')
    .select([
      'c.id',
      'c.site_id',
      'c.article_id',
      'c.parent_id',
      'c.root_id',
      'c.depth',
      'c.author_id',
      'c.body',
      'c.created_at',
      'c.edited_at',
      'c.featured_at',
      'c.moderator_note',
      'c.reply_count',
      'c.up_count',
      'c.down_count',
    ])
    .where('c.status', '=', 'published');
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

function toRow(r: Row): ApiCommentRow {
  return {
    id: r.id,
    siteId: r.site_id,
    articleId: r.article_id,
    parentId: r.parent_id,
    rootId: r.root_id,
    depth: n(r.depth),
    authorId: r.author_id,
    body: r.body,
    createdAt: fromDbTime(r.created_at),
    editedAt: fromDbTimeOrNull(r.edited_at),
    featured: r.featured_at !== null,
    moderatorNote: r.moderator_note,
    replyCount: n(r.reply_count),
    up: n(r.up_count),
    down: n(r.down_count),
  };
}

export interface CommentCursor {
  createdAt: Date;
  id: number;
}

export async function listThreadComments(
  db: Db,
  opts: { siteId: number; articleId: number; newest: boolean; after?: CommentCursor; limit: number },
): Promise<ApiCommentRow[]> {
  let q = base(db).where('c.site_id', '=', opts.siteId).where('c.article_id', '=', opts.articleId);
  const after = opts.after;
  if (after) {
    const t = toDbTime(after.createdAt);
    const op = opts.newest ? '<' : '>';
    q = q.where((eb) =>
      eb.or([eb('c.created_at', op, t), eb.and([eb('c.created_at', '=', t), eb('c.id', op, after.id)])]),
    );
  }
  const dir = opts.newest ? 'desc' : 'asc';
  const rows = await q.orderBy('c.created_at', dir).orderBy('c.id', dir).limit(opts.limit).execute();
  return rows.map(toRow);
}

export async function countThreadComments(db: Db, siteId: number, articleId: number): Promise<number> {
  const r = await db.kysely
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('site_id', '=', siteId)
    .where('article_id', '=', articleId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return n(r?.n);
}

export async function findPublishedComment(
  db: Db,
  siteId: number,
  id: number,
): Promise<ApiCommentRow | null> {
  const r = await base(db).where('c.id', '=', id).where('c.site_id', '=', siteId).executeTakeFirst();
  return r ? toRow(r) : null;
}

/** What a comment of `id` is when it is not published: for a 410 rather than a 404 once deleted. */
export async function commentStatus(db: Db, siteId: number, id: number): Promise<string | null> {
  const r = await db.kysely
    .selectFrom('comments')
    .select('status')
    .where('id', '=', id)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return r?.status ?? null;
}

/** The authors of comments as the API names them: the thread's own lookup (src/comments/authors.ts). */
export async function commentAuthors(db: Db, siteId: number, ids: number[]): Promise<Map<number, ApiAuthor>> {
  return sharedAuthors(db.kysely, siteId, ids);
}
