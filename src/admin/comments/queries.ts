// The moderation screens' reads (every write goes through rt.comments): the queues of the sites in view,
// newest first one keyset page at a time, and what each comment in them needs beside it (its story and where
// it lives on the site, its author's record, open reports). A queue page is one range of the comments_queue
// index (site_id, status, created_at) per site and status, stopping at the page size, merged in memory; the
// cursor is the last comment's id, whose created_at is read back in the query so no time precision is lost
// between PostgreSQL's microseconds and JavaScript's milliseconds.
import { type Expression, type SqlBool, sql } from 'kysely';
import { storyPath } from '../../articles/slug.ts';
import type { HoldReason } from '../../comments/model.ts';
import type { CommentStatus, ReportReason } from '../../comments/tables.ts';
import type { Db } from '../../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull } from '../../db/values.ts';

export const QUEUES = ['pending', 'reported', 'unmoderated', 'approved', 'rejected'] as const;
export type QueueName = (typeof QUEUES)[number];

export const QUEUE_LABELS: Record<QueueName, string> = {
  pending: 'Pending',
  reported: 'Reported',
  unmoderated: 'Unmoderated',
  approved: 'Approved',
  rejected: 'Rejected',
};

export const QUEUE_PAGE_SIZE = 25;

export interface QueueComment {
  id: number;
  siteId: number;
  articleId: number;
  parentId: number | null;
  authorId: number;
  body: string;
  status: CommentStatus;
  holdReasons: HoldReason[];
  reviewedAt: Date | null;
  reviewedBy: number | null;
  rejectReason: string | null;
  rejectNote: string | null;
  moderatorNote: string | null;
  featuredAt: Date | null;
  editedAt: Date | null;
  up: number;
  down: number;
  reportCount: number;
  createdAt: Date;
}

type Row = {
  id: number;
  site_id: number;
  article_id: number;
  parent_id: number | null;
  author_id: number;
  body: string;
  status: CommentStatus;
  hold_reasons: string;
  reviewed_at: string | Date | null;
  reviewed_by: number | null;
  reject_reason: string | null;
  reject_note: string | null;
  moderator_note: string | null;
  featured_at: string | Date | null;
  edited_at: string | Date | null;
  up_count: number;
  down_count: number;
  report_count: number;
  created_at: string | Date;
};

/** The columns a queue comment is read from (toQueueComment); the members screens read the same. */
export const COLUMNS = [
  'c.id',
  'c.site_id',
  'c.article_id',
  'c.parent_id',
  'c.author_id',
  'c.body',
  'c.status',
  'c.hold_reasons',
  'c.reviewed_at',
  'c.reviewed_by',
  'c.reject_reason',
  'c.reject_note',
  'c.moderator_note',
  'c.featured_at',
  'c.edited_at',
  'c.up_count',
  'c.down_count',
  'c.report_count',
  'c.created_at',
] as const;

export function toQueueComment(r: Row): QueueComment {
  let reasons: HoldReason[] = [];
  try {
    const parsed = JSON.parse(r.hold_reasons) as unknown;
    if (Array.isArray(parsed)) reasons = parsed.filter((x): x is HoldReason => !!x && typeof x === 'object');
  } catch {}
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    articleId: Number(r.article_id),
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    authorId: Number(r.author_id),
    body: r.body,
    status: r.status,
    holdReasons: reasons,
    reviewedAt: fromDbTimeOrNull(r.reviewed_at),
    reviewedBy: r.reviewed_by === null || r.reviewed_by === undefined ? null : Number(r.reviewed_by),
    rejectReason: r.reject_reason,
    rejectNote: r.reject_note,
    moderatorNote: r.moderator_note,
    featuredAt: fromDbTimeOrNull(r.featured_at),
    editedAt: fromDbTimeOrNull(r.edited_at),
    up: Number(r.up_count),
    down: Number(r.down_count),
    reportCount: Number(r.report_count),
    createdAt: fromDbTime(r.created_at),
  };
}

type Range = 'pending' | 'reported' | 'unmoderated' | 'approved' | 'rejected';

/**
 * The SQL of one queue on one site, newest first, from after a cursor (exported for the plan test). Pending
 * and rejected are a range of comments_queue; approved walks the published range of it, skipping the few
 * not yet reviewed; reported and unmoderated each have a partial index of their own (0015_comment_moderation), whose conditions
 * are written as literals here so SQLite can see the query matches them.
 */
export function queueRangeQuery(
  db: Db,
  o: { siteId: number; queue: Range },
  after: number | null,
  limit: number,
) {
  let q = db.kysely.selectFrom('comments as c').select(COLUMNS).where('c.site_id', '=', o.siteId);
  switch (o.queue) {
    case 'pending':
    case 'rejected':
      q = q.where('c.status', '=', o.queue);
      break;
    case 'approved':
      q = q.where('c.status', '=', 'published').where('c.reviewed_at', 'is not', null);
      break;
    case 'reported':
      // On SQLite the unary plus keeps the planner from walking comments_queue's statuses instead (it does
      // for a count, with no order to keep): the partial index holds only reported comments.
      q = q.where(
        sql<SqlBool>`c.report_count > 0 and ${db.dialect === 'sqlite' ? sql`+c.status` : sql`c.status`} in ('pending', 'published')`,
      );
      break;
    case 'unmoderated':
      q = q.where(sql<SqlBool>`c.status = 'published' and c.reviewed_at is null`);
      break;
  }
  if (after !== null) {
    // "Older than the cursor's comment": created_at bounds the index range; the id breaks ties.
    const at = sql`(select k.created_at from comments k where k.id = ${after})`;
    q = q.where(
      (eb) =>
        sql<SqlBool>`${eb.ref('c.created_at')} <= ${at} and (${eb.ref('c.created_at')} < ${at} or ${eb.ref('c.id')} < ${after})` as Expression<SqlBool>,
    );
  }
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(limit);
}

/** One page of a queue over the given sites, newest first; `next` is the cursor of the page after. */
export async function listQueue(
  db: Db,
  o: { siteIds: readonly number[]; queue: QueueName; after: number | null; limit?: number },
): Promise<{ items: QueueComment[]; next: number | null }> {
  const limit = o.limit ?? QUEUE_PAGE_SIZE;
  const parts = await Promise.all(
    o.siteIds.map((siteId) =>
      queueRangeQuery(db, { siteId, queue: o.queue }, o.after, limit + 1)
        .execute()
        .then((rows) => rows.map((x) => toQueueComment(x as Row))),
    ),
  );
  const merged = parts.flat().sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || y.id - x.id);
  const items = merged.slice(0, limit);
  return { items, next: merged.length > limit ? items[items.length - 1]!.id : null };
}

/** How many comments each queue holds on the sites, counted up to `cap` (the tabs say "cap+" beyond it). */
export async function queueCounts(
  db: Db,
  siteIds: readonly number[],
  cap = 1000,
): Promise<Partial<Record<QueueName, number>>> {
  const out: Partial<Record<QueueName, number>> = {};
  for (const queue of ['pending', 'reported'] as const) {
    let n = 0;
    for (const siteId of siteIds) {
      if (n >= cap) break;
      const inner = queueRangeQuery(db, { siteId, queue }, null, cap - n)
        .clearSelect()
        .clearOrderBy()
        .select('c.id');
      const row = await db.kysely
        .selectFrom(inner.as('x'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      n += Number(row?.n ?? 0);
    }
    out[queue] = n;
  }
  return out;
}

export async function getQueueComment(db: Db, id: number): Promise<QueueComment | null> {
  const row = await db.kysely
    .selectFrom('comments as c')
    .select(COLUMNS)
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row ? toQueueComment(row as Row) : null;
}

/** The sites of some comments (for the permission check of a bulk action), by id. */
export async function sitesOfComments(db: Db, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('comments')
    .select(['id', 'site_id'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), Number(r.site_id)]));
}

// ------------------------------------------------------------------ beside each comment

export interface AuthorRecord {
  id: number;
  name: string;
  email: string | null;
  profileSlug: string;
  memberSince: Date;
  approved: number;
  published: number;
  rejected: number;
  /** Suspensions and bans in force (on any site or the network). */
  activeSanctions: { kind: string; siteId: number | null; endsAt: Date | null }[];
  warnings: number;
  notes: number;
}

/** Comments per author, status and reviewed or not: grouped by what comments_author_status holds, so no row is read. */
export function authorCountsQuery(db: Db, ids: readonly number[]) {
  const reviewed = sql<number>`case when reviewed_at is null then 0 else 1 end`;
  return db.kysely
    .selectFrom('comments')
    .select((eb) => ['author_id', 'status', reviewed.as('reviewed'), eb.fn.countAll<number>().as('n')])
    .where('author_id', 'in', ids)
    .groupBy(['author_id', 'status', reviewed]);
}

export async function authorRecords(
  db: Db,
  ids: readonly number[],
  now: Date,
): Promise<Map<number, AuthorRecord>> {
  const unique = [...new Set(ids)];
  const out = new Map<number, AuthorRecord>();
  if (unique.length === 0) return out;
  const [users, counts, sanctions, notes] = await Promise.all([
    db.kysely
      .selectFrom('users')
      .select(['id', 'display_name', 'email', 'profile_slug', 'created_at'])
      .where('id', 'in', unique)
      .execute(),
    authorCountsQuery(db, unique).execute(),
    db.kysely
      .selectFrom('member_sanctions')
      .select(['user_id', 'kind', 'site_id', 'ends_at'])
      .where('user_id', 'in', unique)
      .where('lifted_at', 'is', null)
      .execute(),
    db.kysely
      .selectFrom('member_notes')
      .select((eb) => ['user_id', eb.fn.countAll<number>().as('n')])
      .where('user_id', 'in', unique)
      .groupBy('user_id')
      .execute(),
  ]);
  for (const u of users)
    out.set(Number(u.id), {
      id: Number(u.id),
      name: u.display_name,
      email: u.email,
      profileSlug: u.profile_slug,
      memberSince: fromDbTime(u.created_at),
      approved: 0,
      published: 0,
      rejected: 0,
      activeSanctions: [],
      warnings: 0,
      notes: 0,
    });
  for (const c of counts) {
    const a = out.get(Number(c.author_id));
    if (!a) continue;
    const n = Number(c.n);
    if (c.status === 'published') {
      a.published += n;
      if (Number(c.reviewed) === 1) a.approved += n;
    } else if (c.status === 'rejected') a.rejected += n;
  }
  for (const s of sanctions) {
    const a = out.get(Number(s.user_id));
    if (!a) continue;
    if (s.kind === 'warning') {
      a.warnings++;
      continue;
    }
    const ends = fromDbTimeOrNull(s.ends_at);
    if (ends && ends <= now) continue;
    a.activeSanctions.push({
      kind: s.kind,
      siteId: s.site_id === null ? null : Number(s.site_id),
      endsAt: ends,
    });
  }
  for (const n of notes) {
    const a = out.get(Number(n.user_id));
    if (a) a.notes = Number(n.n);
  }
  return out;
}

export interface StoryRef {
  articleId: number;
  siteId: number;
  headline: string;
  status: string;
  /** The story's path on that site (its placement there), or null when it has none. */
  path: string | null;
}

/** The stories of some threads ((site, article) pairs), keyed `${siteId}:${articleId}`. */
export async function storyRefs(
  db: Db,
  threads: readonly { siteId: number; articleId: number }[],
  sectionSlug: (siteId: number, sectionId: number) => string | undefined,
): Promise<Map<string, StoryRef>> {
  const out = new Map<string, StoryRef>();
  const ids = [...new Set(threads.map((t) => t.articleId))];
  if (ids.length === 0) return out;
  const [articles, placements] = await Promise.all([
    db.kysely.selectFrom('articles').select(['id', 'headline', 'status']).where('id', 'in', ids).execute(),
    db.kysely
      .selectFrom('placements')
      .select(['article_id', 'site_id', 'section_id', 'slug'])
      .where('article_id', 'in', ids)
      .execute(),
  ]);
  const byId = new Map(articles.map((a) => [Number(a.id), a]));
  for (const t of threads) {
    const a = byId.get(t.articleId);
    if (!a) continue;
    const p = placements.find((x) => Number(x.article_id) === t.articleId && Number(x.site_id) === t.siteId);
    const section = p ? sectionSlug(t.siteId, Number(p.section_id)) : undefined;
    out.set(`${t.siteId}:${t.articleId}`, {
      articleId: t.articleId,
      siteId: t.siteId,
      headline: a.headline,
      status: a.status,
      path: p ? storyPath(section ?? 'story', p.slug) : null,
    });
  }
  return out;
}

export interface OpenReport {
  reason: ReportReason;
  note: string | null;
  createdAt: Date;
}

/** The open (unresolved) reports of some comments. */
export async function openReports(db: Db, ids: readonly number[]): Promise<Map<number, OpenReport[]>> {
  const out = new Map<number, OpenReport[]>();
  if (ids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('comment_reports')
    .select(['comment_id', 'reason', 'note', 'created_at'])
    .where('comment_id', 'in', ids)
    .where('resolved_at', 'is', null)
    .orderBy('created_at', 'asc')
    .execute();
  for (const r of rows) {
    const list = out.get(Number(r.comment_id)) ?? [];
    list.push({ reason: r.reason, note: r.note, createdAt: fromDbTime(r.created_at) });
    out.set(Number(r.comment_id), list);
  }
  return out;
}
