// A member's public page on a site: name, badge, member since, how many comments readers can see, and
// those comments newest first across the network, each with its text, time, tally in the reference style
// `-3 ( +37 / -40 )`, "Posted in: <headline> · <site>" and "See in context" (on the comment's own site).
// Nothing personal: the same page is served to everyone and cached (routes.tsx); a member looking at their
// own hidden page gets a private copy with a note saying that only they can see it.
import type { SiteContext } from '../../../sites/directory.ts';
import { Layout } from '../../../web/views/layout.tsx';
import { renderCommentHtml } from '../../text.ts';
import { formatTally, MEMBER_PAGE_SIZE, type Member } from '../member-data.ts';

export interface ShownComment {
  id: number;
  html: string;
  up: number;
  down: number;
  createdAt: Date;
  edited: boolean;
  headline: string;
  /** The story on the comment's own site, and the comment's "See in context" link there. */
  storyUrl: string;
  contextUrl: string;
  siteName: string;
}

export interface MemberPageProps {
  ctx: SiteContext;
  member: Member;
  count: number;
  page: number;
  comments: ShownComment[];
  /** Only on the member's own private copy of a hidden page. */
  hiddenNote?: boolean;
}

export function toShown(
  c: {
    id: number;
    body: string;
    up: number;
    down: number;
    createdAt: Date;
    editedAt: Date | null;
    headline: string;
  },
  where: { storyUrl: string; contextUrl: string; siteName: string },
): ShownComment {
  return {
    id: c.id,
    html: renderCommentHtml(c.body),
    up: c.up,
    down: c.down,
    createdAt: c.createdAt,
    edited: c.editedAt !== null,
    headline: c.headline,
    ...where,
  };
}

/** The day alone, in the site's language and time zone: "Member since" needs no time of day. */
function dayOf(ctx: SiteContext, d: Date): string {
  return new Intl.DateTimeFormat(ctx.site.language, {
    timeZone: ctx.site.timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(d);
}

export function MemberPage({ ctx, member, count: total, page, comments, hiddenNote }: MemberPageProps) {
  const pages = Math.max(1, Math.ceil(total / MEMBER_PAGE_SIZE));
  const path = `/members/${encodeURIComponent(member.profileSlug)}`;
  const href = (p: number) => (p === 1 ? path : `${path}?page=${p}`);
  const title = page > 1 ? `${member.displayName} (page ${page})` : member.displayName;
  return (
    <Layout
      ctx={ctx}
      title={title}
      path={page > 1 ? href(page) : path}
      description={`Comments by ${member.displayName} on ${ctx.site.name}.`}
      // One member, many hosts: search engines need not index every copy; readers follow links here.
      head={<meta name="robots" content="noindex, follow" />}
    >
      <div class="member">
        {hiddenNote ? (
          <p class="member__hidden" role="status">
            Your member page is hidden: only you can see it. Show it again under{' '}
            <a href="/account#comments">My account</a>.
          </p>
        ) : null}
        <header class="member__head">
          <h1>
            {member.displayName}
            {member.badge ? (
              <>
                {' '}
                <span class={`badge badge--${member.badge.toLowerCase()}`}>{member.badge}</span>
              </>
            ) : null}
          </h1>
          <dl class="member__facts">
            <div>
              <dt>Member since</dt>
              <dd>
                <time dateTime={member.memberSince.toISOString()}>{dayOf(ctx, member.memberSince)}</time>
              </dd>
            </div>
            <div>
              <dt>Comments</dt>
              <dd>{total.toLocaleString('en')}</dd>
            </div>
          </dl>
        </header>
        <h2 class="member__list-title">
          {total === 0
            ? 'No comments yet'
            : pages > 1
              ? `Comments, newest first (page ${page} of ${pages})`
              : 'Comments, newest first'}
        </h2>
        {total === 0 ? <p>{member.displayName} has not written any comments that readers can see.</p> : null}
        <ol class="member__comments">
          {comments.map((c) => (
            <li key={c.id} class="member-comment">
              <article aria-label={`Comment on ${c.headline}`}>
                <p class="member-comment__meta">
                  <time dateTime={c.createdAt.toISOString()}>{ctx.dateFormat.format(c.createdAt)}</time>
                  {c.edited ? <span class="member-comment__edited">edited</span> : null}
                  <span class="tally" title={`${c.up} up, ${c.down} down`}>
                    {formatTally(c.up, c.down)}
                  </span>
                </p>
                {/* renderCommentHtml escapes the text and makes its only markup: paragraphs and links. */}
                <div class="member-comment__text" dangerouslySetInnerHTML={{ __html: c.html }} />
                <p class="member-comment__where">
                  Posted in: <a href={c.storyUrl}>{c.headline}</a> · {c.siteName}
                </p>
                <p class="member-comment__context">
                  <a href={c.contextUrl}>
                    See in context<span class="visually-hidden">: comment on {c.headline}</span>
                  </a>
                </p>
              </article>
            </li>
          ))}
        </ol>
        {pages > 1 ? (
          <nav class="pager" aria-label="Comment pages">
            {page > 1 ? (
              <a href={href(page - 1)} rel="prev">
                ← Newer
              </a>
            ) : (
              <span />
            )}
            {page < pages ? (
              <a href={href(page + 1)} rel="next">
                Older →
              </a>
            ) : null}
          </nav>
        ) : null}
      </div>
    </Layout>
  );
}
