// A member's comments in "Download my data" and in account deletion. The download lists every comment the
// member wrote (any status; a deleted one without its text), their votes, notifications and settings.
// Deletion, in the account's own transaction: the member's votes go and the tallies they counted in are
// decremented in the same transaction, so every count stays exact; their comments stay without their name
// ('anonymise': the account row becomes the tombstone that threads show as "deleted member") or are
// removed (status 'deleted', which the threads show as "comment deleted" where replies hang from it);
// notifications and settings go. Every thread touched drops its cached pages once the deletion committed.
import { sql } from 'kysely';
import type { DeletionListener, DeletionMode } from '../../accounts/account-settings.ts';
import type { Q } from '../../accounts/repository.ts';
import type { Db } from '../../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/values.ts';
import type { DomainEvent } from '../../events/bus.ts';
import type { Events } from '../../events/log.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { readSettings } from './settings.ts';

export interface AccountDataDeps {
  db: Db;
  events: Events;
  directory: SiteDirectory;
  now?: () => Date;
}

export function commentsExport(deps: AccountDataDeps) {
  return async (userId: number): Promise<Record<string, unknown>> => {
    const q = deps.db.kysely;
    const siteName = (id: number) => deps.directory.byIdOrUndefined(id)?.site.name ?? `site ${id}`;
    const [comments, votes, reports, notifications, settings] = await Promise.all([
      q
        .selectFrom('comments as c')
        .innerJoin('articles as a', 'a.id', 'c.article_id')
        .select([
          'c.id',
          'c.site_id',
          'c.parent_id',
          'c.body',
          'c.status',
          'c.up_count',
          'c.down_count',
          'c.created_at',
          'c.edited_at',
          'c.moderator_note',
          'c.reject_reason',
          'c.reject_note',
          'a.headline',
        ])
        .where('c.author_id', '=', userId)
        .orderBy('c.id')
        .execute(),
      q
        .selectFrom('comment_votes as v')
        .innerJoin('comments as c', 'c.id', 'v.comment_id')
        .select(['v.comment_id', 'v.value', 'v.created_at', 'c.site_id'])
        .where('v.user_id', '=', userId)
        .orderBy('v.comment_id')
        .execute(),
      q
        .selectFrom('comment_reports')
        .select(['comment_id', 'reason', 'note', 'created_at'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      q
        .selectFrom('comment_notifications')
        .select(['kind', 'comment_id', 'created_at', 'read_at'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute(),
      readSettings(q, userId),
    ]);
    return {
      comments: comments.map((c) => ({
        id: c.id,
        site: siteName(c.site_id),
        story: c.headline,
        inReplyTo: c.parent_id,
        // A deleted comment's text is never read again, here neither.
        text: c.status === 'deleted' ? null : c.body,
        status: c.status,
        votes: { up: Number(c.up_count), down: Number(c.down_count) },
        createdAt: fromDbTime(c.created_at).toISOString(),
        editedAt: fromDbTimeOrNull(c.edited_at)?.toISOString() ?? null,
        moderatorNote: c.moderator_note,
        rejection: c.status === 'rejected' ? { reason: c.reject_reason, note: c.reject_note } : null,
      })),
      commentVotes: votes.map((v) => ({
        comment: v.comment_id,
        site: siteName(v.site_id),
        vote: Number(v.value) > 0 ? 'up' : 'down',
        at: fromDbTime(v.created_at).toISOString(),
      })),
      commentReports: reports.map((r) => ({
        comment: r.comment_id,
        reason: r.reason,
        note: r.note,
        at: fromDbTime(r.created_at).toISOString(),
      })),
      commentNotifications: notifications.map((n) => ({
        kind: n.kind,
        comment: n.comment_id,
        createdAt: fromDbTime(n.created_at).toISOString(),
        readAt: fromDbTimeOrNull(n.read_at)?.toISOString() ?? null,
      })),
      commentSettings: settings,
    };
  };
}

/** Threads (site, story) as one key each. */
function threadsOf(rows: { site_id: number; article_id: number; id: number }[]) {
  const out = new Map<string, { siteId: number; articleId: number; commentId: number }>();
  for (const r of rows) {
    const k = `${r.site_id}:${r.article_id}`;
    if (!out.has(k)) out.set(k, { siteId: r.site_id, articleId: r.article_id, commentId: r.id });
  }
  return [...out.values()];
}

export function commentsDeletion(deps: AccountDataDeps): DeletionListener {
  return async (userId: number, mode: DeletionMode, trx: Q) => {
    const now = toDbTime((deps.now ?? (() => new Date()))());
    const events: DomainEvent[] = [];

    // Votes: each one decrements the counter it was counted in, in this transaction, then goes.
    const voted = await trx
      .selectFrom('comment_votes as v')
      .innerJoin('comments as c', 'c.id', 'v.comment_id')
      .select(['c.id', 'c.site_id', 'c.article_id'])
      .where('v.user_id', '=', userId)
      .execute();
    if (voted.length > 0) {
      await trx
        .updateTable('comments')
        .set({
          up_count: sql`up_count - (select count(*) from comment_votes v where v.comment_id = comments.id and v.user_id = ${userId} and v.value > 0)`,
          down_count: sql`down_count - (select count(*) from comment_votes v where v.comment_id = comments.id and v.user_id = ${userId} and v.value < 0)`,
        })
        .where('id', 'in', (eb) =>
          eb.selectFrom('comment_votes').select('comment_id').where('user_id', '=', userId),
        )
        .execute();
      await trx.deleteFrom('comment_votes').where('user_id', '=', userId).execute();
      for (const t of threadsOf(voted))
        events.push({ type: 'comment.tallies', siteId: t.siteId, articleId: t.articleId });
    }

    // Comments: the threads showing them (published, or deleted with replies) change either way, since
    // the author's name becomes "deleted member".
    const written = await trx
      .selectFrom('comments')
      .select(['id', 'site_id', 'article_id', 'status'])
      .where('author_id', '=', userId)
      .where('status', '!=', 'deleted')
      .execute();
    if (mode === 'remove' && written.length > 0) {
      // A removed reply is no longer one its parent's readers can see.
      await trx
        .updateTable('comments')
        .set({
          reply_count: sql`case when reply_count > (select count(*) from comments r where r.parent_id = comments.id and r.author_id = ${userId} and r.status = 'published') then reply_count - (select count(*) from comments r where r.parent_id = comments.id and r.author_id = ${userId} and r.status = 'published') else 0 end`,
        })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('comments as r')
            .select('r.parent_id')
            .where('r.author_id', '=', userId)
            .where('r.status', '=', 'published')
            .where('r.parent_id', 'is not', null)
            .$narrowType<{ parent_id: number }>(),
        )
        .execute();
      await trx
        .updateTable('comments')
        .set({ status: 'deleted', updated_at: now })
        .where('author_id', '=', userId)
        .where('status', '!=', 'deleted')
        .execute();
    }
    for (const t of threadsOf(written.filter((c) => c.status === 'published'))) {
      events.push({
        type: 'comment.changed',
        siteId: t.siteId,
        articleId: t.articleId,
        commentId: t.commentId,
      });
    }

    await trx.deleteFrom('comment_notifications').where('user_id', '=', userId).execute();
    await trx.deleteFrom('member_settings').where('user_id', '=', userId).execute();

    const ids: number[] = [];
    for (const e of events) ids.push(await deps.events.record(trx as never, e));
    return () => {
      events.forEach((e, i) => {
        deps.events.published(e, ids[i]!);
      });
    };
  };
}
