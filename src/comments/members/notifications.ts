// A member's comment notifications as the "Notifications" page in My account reads them: newest first, each
// with what happened, the story and site, and where it links (the comment's own site host). Marking read is
// by one notification or all of them, only ever the member's own.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/values.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { CommentStatus, NotificationKind } from '../tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const NOTIFICATIONS_PAGE_SIZE = 30;

export interface NotificationItem {
  id: number;
  kind: NotificationKind;
  createdAt: Date;
  readAt: Date | null;
  commentId: number;
  commentStatus: CommentStatus;
  siteId: number;
  headline: string;
  /** Where the story is on the comment's site, while it is live there. */
  story: { sectionId: number; slug: string } | null;
  body: string;
  /** The comment's author: for a reply, who replied. */
  authorName: string;
  authorDeleted: boolean;
  rejectReason: string | null;
  rejectNote: string | null;
  moderatorNote: string | null;
}

export async function listNotifications(q: Q, userId: number, page: number) {
  const [rows, totals] = await Promise.all([
    q
      .selectFrom('comment_notifications as n')
      .innerJoin('comments as c', 'c.id', 'n.comment_id')
      .innerJoin('articles as a', 'a.id', 'c.article_id')
      .innerJoin('users as au', 'au.id', 'c.author_id')
      .leftJoin('placements as p', (j) =>
        j.onRef('p.article_id', '=', 'c.article_id').onRef('p.site_id', '=', 'c.site_id'),
      )
      .select([
        'n.id',
        'n.kind',
        'n.created_at',
        'n.read_at',
        'c.id as comment_id',
        'c.status',
        'c.site_id',
        'c.body',
        'c.reject_reason',
        'c.reject_note',
        'c.moderator_note',
        'a.headline',
        'a.status as story_status',
        'p.section_id',
        'p.slug',
        'p.live',
        'au.display_name',
        'au.status as author_status',
      ])
      .where('n.user_id', '=', userId)
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(NOTIFICATIONS_PAGE_SIZE)
      .offset((page - 1) * NOTIFICATIONS_PAGE_SIZE)
      .execute(),
    counts(q, userId),
  ]);
  const items: NotificationItem[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind as NotificationKind,
    createdAt: fromDbTime(r.created_at),
    readAt: fromDbTimeOrNull(r.read_at),
    commentId: r.comment_id,
    commentStatus: r.status,
    siteId: r.site_id,
    headline: r.headline,
    story:
      r.section_id !== null && r.slug !== null && Number(r.live) === 1 && r.story_status === 'published'
        ? { sectionId: r.section_id, slug: r.slug }
        : null,
    body: r.status === 'deleted' ? '' : r.body,
    authorName: r.display_name,
    authorDeleted: r.author_status === 'deleted',
    rejectReason: r.reject_reason,
    rejectNote: r.reject_note,
    moderatorNote: r.moderator_note,
  }));
  return { items, ...totals };
}

export async function counts(q: Q, userId: number): Promise<{ total: number; unread: number }> {
  const row = await q
    .selectFrom('comment_notifications')
    .select((eb) => [
      eb.fn.countAll<number | string | bigint>().as('total'),
      eb.fn.count<number | string | bigint>('read_at').as('read'),
    ])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  const total = Number(row.total);
  return { total, unread: total - Number(row.read) };
}

/** Marks one of the member's notifications read, or (id null) all of them. */
export async function markRead(q: Q, userId: number, id: number | null, now: Date): Promise<void> {
  let update = q
    .updateTable('comment_notifications')
    .set({ read_at: toDbTime(now) })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (id !== null) update = update.where('id', '=', id);
  const res = await update.executeTakeFirst();
  if (id !== null && Number(res.numUpdatedRows) === 0) {
    const mine = await q
      .selectFrom('comment_notifications')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!mine) {
      throw new DatelineError(
        'NOTIFICATION_NOT_FOUND',
        'That notification does not exist, or is not yours. Open the notifications page again and pick one from it.',
      );
    }
  }
}
