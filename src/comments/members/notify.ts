// The `comments.notify` job: one mail for one comment_notifications row, when the member still wants that
// kind of notice by email. Core's writes insert the row and queue this job in the same transaction; the
// settings are read again here, so turning notices off stops mail already queued. Each mail carries a
// one-click off link (List-Unsubscribe and List-Unsubscribe-Post, RFC 8058) that turns that kind of notice
// off without signing in (settings.ts).
// Idempotent: the mail's key is the notification's id, and MailService.queue keeps one message per key, so a
// retried or re-run job never sends twice (mail delivery itself is a job of its own, idempotent by key too).
import type { MailSite } from '../../accounts/mails.ts';
import { storyPath } from '../../articles/slug.ts';
import type { Db } from '../../db/connection.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { MailService, OutgoingMail } from '../../mail/mailer.ts';
import { renderMail } from '../../mail/templates.tsx';
import type { SiteDirectory } from '../../sites/directory.ts';
import { siteOrigin, type UrlContext } from '../../sites/urls.ts';
import type { NotificationKind } from '../tables.ts';
import { groupOf, offToken, readSettings } from './settings.ts';

export const NOTIFY_JOB = 'comments.notify';

export interface NotifyDeps {
  db: Db;
  jobs: JobQueue;
  mail: MailService;
  directory: SiteDirectory;
  publicUrls: UrlContext;
  signingKey: () => Buffer;
  mailSite: (siteId: number, origin: string) => MailSite;
}

/** What a reject reason code says to the author. */
export const REJECT_REASONS: Record<string, string> = {
  spam: 'it looks like spam',
  abuse: 'it is abusive',
  off_topic: 'it is off-topic',
  other: 'it breaks the rules of this site',
};

export function rejectReasonText(code: string | null): string {
  return code ? (REJECT_REASONS[code] ?? code.replace(/_/g, ' ')) : 'it breaks the rules of this site';
}

function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The path on the comment's site host that opens the thread at the comment (thread owns it). */
export const commentPath = (commentId: number) => `/comments/${commentId}`;
/** The one-click off link, on the site the notice is about. */
export const OFF_PATH = '/account/notifications/off';

export function registerNotifyJob(deps: NotifyDeps): void {
  deps.jobs.register<{ notificationId: number }>(NOTIFY_JOB, (p) =>
    sendNotice(deps, Number(p.notificationId)),
  );
}

/** Queues the mail for one notification, or does nothing when it is not (or no longer) wanted. */
export async function sendNotice(deps: NotifyDeps, notificationId: number): Promise<void> {
  const q = deps.db.kysely;
  const row = await q
    .selectFrom('comment_notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .innerJoin('comments as c', 'c.id', 'n.comment_id')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .innerJoin('users as au', 'au.id', 'c.author_id')
    .leftJoin('placements as p', (j) =>
      j.onRef('p.article_id', '=', 'c.article_id').onRef('p.site_id', '=', 'c.site_id'),
    )
    .select([
      'n.id',
      'n.kind',
      'n.user_id',
      'u.email',
      'u.email_verified_at',
      'u.status',
      'c.id as comment_id',
      'c.site_id',
      'c.parent_id',
      'c.body',
      'c.status as comment_status',
      'c.reject_reason',
      'c.reject_note',
      'c.moderator_note',
      'a.headline',
      'p.section_id',
      'p.slug',
      'au.display_name as author_name',
      'au.status as author_status',
    ])
    .where('n.id', '=', notificationId)
    .executeTakeFirst();
  // Gone with its comment or account, or nowhere to send it: nothing to do, and nothing to retry.
  if (!row) return;
  if (row.status !== 'active' || !row.email || row.email_verified_at === null) return;
  const kind = row.kind as NotificationKind;
  const settings = await readSettings(q, row.user_id);
  if (!(groupOf(kind) === 'replies' ? settings.emailReplies : settings.emailDecisions)) return;
  // A reply removed before the mail went, or a decision since undone, is not announced.
  if ((kind === 'reply' || kind === 'approved' || kind === 'featured') && row.comment_status !== 'published')
    return;
  if (kind === 'rejected' && row.comment_status !== 'rejected') return;
  const ctx = deps.directory.byIdOrUndefined(row.site_id);
  if (!ctx) return;
  const origin = siteOrigin(deps.publicUrls, ctx.site);
  const site = deps.mailSite(ctx.site.id, origin);
  // A rejected comment is not in the thread (its permalink is a 404): the mail opens the discussion instead.
  const section = row.section_id === null ? undefined : ctx.sectionsById.get(row.section_id);
  const actionPath =
    kind === 'rejected' && section && row.slug !== null
      ? `${storyPath(section.slug, row.slug)}#comments`
      : commentPath(row.comment_id);
  const offUrl = `${origin}${OFF_PATH}?t=${offToken(deps.signingKey(), row.user_id, groupOf(kind))}`;
  const words = noticeWords(kind, {
    headline: row.headline,
    body: excerpt(row.body),
    author: row.author_status === 'deleted' ? 'A deleted member' : row.author_name,
    rejectReason: row.reject_reason,
    rejectNote: row.reject_note,
    moderatorNote: row.moderator_note,
  });
  const { html, text } = renderMail(site.brand, {
    heading: words.heading,
    paragraphs: words.paragraphs,
    action: { label: words.action, url: `${origin}${actionPath}` },
    note:
      `You get this mail because you asked for ${groupOf(kind) === 'replies' ? 'replies to your comments' : 'moderators’ decisions on your comments'} by email. ` +
      `Turn these mails off with one click: ${offUrl}`,
  });
  const mail: OutgoingMail = {
    key: `comment-notice:${row.id}`,
    kind: `comment-${kind}`,
    to: row.email,
    subject: `${words.heading} – ${ctx.site.name}`,
    html,
    text,
    siteId: ctx.site.id,
    userId: row.user_id,
    headers: {
      'List-Unsubscribe': `<${offUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
  await deps.mail.queue(mail);
}

interface NoticeFacts {
  headline: string;
  body: string;
  author: string;
  rejectReason: string | null;
  rejectNote: string | null;
  moderatorNote: string | null;
}

/** The words of each notice, for the mail and (heading) the notifications page. */
export function noticeWords(
  kind: NotificationKind,
  f: NoticeFacts,
): { heading: string; paragraphs: string[]; action: string } {
  const on = `on “${f.headline}”`;
  switch (kind) {
    case 'reply':
      return {
        heading: `${f.author} replied to your comment`,
        paragraphs: [`${f.author} replied to your comment ${on}:`, f.body],
        action: 'Read the reply',
      };
    case 'approved':
      return {
        heading: 'Your comment is published',
        paragraphs: [`A moderator approved your comment ${on}, and readers can now see it:`, f.body],
        action: 'See your comment',
      };
    case 'rejected':
      return {
        heading: 'Your comment was not published',
        paragraphs: [
          `A moderator did not publish your comment ${on}, because ${rejectReasonText(f.rejectReason)}.`,
          ...(f.rejectNote ? [`The moderator’s note: ${f.rejectNote}`] : []),
          `What you wrote: ${f.body}`,
        ],
        action: 'See the discussion',
      };
    case 'edited':
      return {
        heading: 'A moderator edited your comment',
        paragraphs: [
          `A moderator edited your comment ${on}.`,
          ...(f.moderatorNote ? [`The moderator’s note: ${f.moderatorNote}`] : []),
          `It now reads: ${f.body}`,
        ],
        action: 'See your comment',
      };
    case 'featured':
      return {
        heading: 'Your comment is featured',
        paragraphs: [
          `A moderator featured your comment ${on}: it is pinned at the top of the discussion.`,
          f.body,
        ],
        action: 'See your comment',
      };
  }
}
