// The comments parts of My account: the "Comments" section of the account page (hide my member page, notices
// by email, a link to the notifications page), the Notifications page itself, and the pages of the one-click
// off link. Every form posts to this site with the session's CSRF token (the off link's page carries its
// signed token instead) and works without JavaScript.

import { Csrf, Notice } from '../../../accounts/views/forms.tsx';
import type { SiteContext } from '../../../sites/directory.ts';
import { Layout } from '../../../web/views/layout.tsx';
import type { NotificationItem } from '../notifications.ts';
import { rejectReasonText } from '../notify.ts';
import type { MemberSettings, NoticeGroup } from '../settings.ts';

export function CommentsAccountPart(p: {
  csrf: string;
  settings: MemberSettings;
  profileSlug: string;
  unread: number;
}) {
  const box = (name: keyof MemberSettings, label: string, hint?: string) => (
    <div class="check">
      <input type="checkbox" id={`f-comments-${name}`} name={name} value="1" checked={p.settings[name]} />
      <label for={`f-comments-${name}`}>
        {label}
        {hint ? <span class="check__hint">{hint}</span> : null}
      </label>
    </div>
  );
  return (
    <section aria-labelledby="comments">
      <h2 id="comments">Comments</h2>
      <p>
        <a href="/account/notifications">
          Notifications{p.unread > 0 ? ` (${p.unread.toLocaleString('en')} new)` : ''}
        </a>
        {' · '}
        <a href={`/members/${encodeURIComponent(p.profileSlug)}`}>Your member page</a>
      </p>
      <form method="post" action="/account/comments">
        <Csrf token={p.csrf} />
        <fieldset class="choice">
          <legend>Your member page</legend>
          {box(
            'pageHidden',
            'Hide my member page',
            'Others then get “not found” there, and your name in discussions is no longer a link.',
          )}
        </fieldset>
        <fieldset class="choice">
          <legend>Email me when</legend>
          {box('emailReplies', 'someone replies to one of my comments')}
          {box('emailDecisions', 'a moderator approves, rejects, edits or features one of my comments')}
        </fieldset>
        <button class="btn" type="submit">
          Save comment settings
        </button>
      </form>
    </section>
  );
}

function what(n: NotificationItem): string {
  const by = n.authorDeleted ? 'A deleted member' : n.authorName;
  switch (n.kind) {
    case 'reply':
      return `${by} replied to your comment`;
    case 'approved':
      return 'Your comment was approved';
    case 'rejected':
      return `Your comment was rejected: ${rejectReasonText(n.rejectReason)}`;
    case 'edited':
      return 'A moderator edited your comment';
    case 'featured':
      return 'Your comment was featured';
  }
}

export interface NotificationsPageProps {
  ctx: SiteContext;
  csrf: string;
  items: NotificationItem[];
  total: number;
  unread: number;
  page: number;
  pages: number;
  notice?: string | null;
  /** Where each comment opens: its own site's "See in context" URL. */
  linkOf: (n: NotificationItem) => string | null;
  siteName: (siteId: number) => string;
}

export function NotificationsPage(p: NotificationsPageProps) {
  const { ctx } = p;
  return (
    <Layout ctx={ctx} title="Notifications" head={<meta name="robots" content="noindex" />}>
      <div class="account account--wide">
        <p class="crumbs">
          <a href="/account">My account</a>
        </p>
        <h1>Notifications</h1>
        {p.notice ? <Notice>{p.notice}</Notice> : null}
        <p>
          {p.total === 0
            ? 'Nothing yet. When someone replies to your comments, or a moderator decides on one, it shows here.'
            : `${p.unread.toLocaleString('en')} new of ${p.total.toLocaleString('en')}.`}{' '}
          Mail about them is set under <a href="/account#comments">My account</a>.
        </p>
        {p.unread > 0 ? (
          <form class="notices__all" method="post" action="/account/notifications/read">
            <Csrf token={p.csrf} />
            <button class="btn btn--plain" type="submit">
              Mark all as read
            </button>
          </form>
        ) : null}
        <ol class="notices">
          {p.items.map((n) => {
            const link = p.linkOf(n);
            return (
              <li key={n.id} class={n.readAt ? 'notices__item' : 'notices__item notices__item--new'}>
                <p class="notices__what">
                  {n.readAt ? null : <strong class="notices__new">New</strong>}
                  {what(n)}
                </p>
                <p class="notices__where">
                  On “{n.headline}” · {p.siteName(n.siteId)} ·{' '}
                  <time dateTime={n.createdAt.toISOString()}>{ctx.dateFormat.format(n.createdAt)}</time>
                </p>
                {n.kind === 'rejected' && n.rejectNote ? (
                  <p class="notices__note">Moderator’s note: {n.rejectNote}</p>
                ) : null}
                {n.kind === 'edited' && n.moderatorNote ? (
                  <p class="notices__note">Moderator’s note: {n.moderatorNote}</p>
                ) : null}
                {n.body ? <blockquote class="notices__text">{excerpt(n.body)}</blockquote> : null}
                <div class="notices__actions">
                  {link ? <a href={link}>See in context</a> : <span>The comment is no longer shown.</span>}
                  {n.readAt ? null : (
                    <form method="post" action="/account/notifications/read">
                      <Csrf token={p.csrf} />
                      <input type="hidden" name="id" value={String(n.id)} />
                      <button class="btn btn--plain" type="submit">
                        Mark as read<span class="visually-hidden">: {what(n)}</span>
                      </button>
                    </form>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
        {p.pages > 1 ? (
          <nav class="pager" aria-label="Notification pages">
            {p.page > 1 ? (
              <a href={`/account/notifications?page=${p.page - 1}`} rel="prev">
                ← Newer
              </a>
            ) : (
              <span />
            )}
            {p.page < p.pages ? (
              <a href={`/account/notifications?page=${p.page + 1}`} rel="next">
                Older →
              </a>
            ) : null}
          </nav>
        ) : null}
      </div>
    </Layout>
  );
}

function excerpt(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const GROUP_TEXT: Record<NoticeGroup, string> = {
  replies: 'replies to your comments',
  decisions: 'moderators’ decisions on your comments',
};

/** The off link's page: a button, since a GET (a mail scanner following links) must change nothing. */
export function NoticeOffPage(p: { ctx: SiteContext; token: string; group: NoticeGroup; done: boolean }) {
  return (
    <Layout ctx={p.ctx} title="Comment mails" head={<meta name="robots" content="noindex" />}>
      <div class="account">
        {p.done ? (
          <>
            <h1>Mails turned off</h1>
            <p>
              You will no longer get mails about {GROUP_TEXT[p.group]}. They still show on your notifications
              page.
            </p>
            <p>
              To turn them on again, <a href="/account#comments">open My account</a>.
            </p>
          </>
        ) : (
          <>
            <h1>Turn off these mails?</h1>
            <p>You get mails about {GROUP_TEXT[p.group]}.</p>
            <form method="post" action="/account/notifications/off">
              <input type="hidden" name="t" value={p.token} />
              <button class="btn" type="submit">
                Turn them off
              </button>
            </form>
          </>
        )}
      </div>
    </Layout>
  );
}
