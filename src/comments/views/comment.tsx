// One comment as readers see it: author (linking to their member page) with a staff or moderator badge,
// the time, "edited", the text, a moderator's note, the vote tally in the reference style
// `-3 ( +37 / -40 )`, and its actions (vote, reply, report, permalink; edit and delete on one's own).
// Comments far below zero are collapsed in a <details> that opens with "show". The same markup serves the
// shared (cached) page, where nothing is personal, and a signed-in reader's own page, which adds the
// reader's vote state, tokens and own-comment actions (see Personal).
import type { SiteContext } from '../../sites/directory.ts';
import type { Author } from '../authors.ts';
import { renderCommentHtml } from '../text.ts';
import type { ThreadComment } from '../thread.ts';

/** At or below this net score a comment starts collapsed. */
export const COLLAPSE_AT = -5;

/** What a signed-in reader's own page adds. Never part of a shared page. */
export interface Personal {
  userId: number;
  csrf: string;
  votes: Map<number, 1 | -1>;
  /** Own comments that may still be edited. */
  editable: Set<number>;
  /** Own comments (delete). */
  own: Set<number>;
}

export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** "0 Comments", "1 Comment", "24 Comments". */
export function countText(n: number): string {
  return plural(n, 'Comment', 'Comments');
}

/** The reference style: net, then up and down, e.g. `-3 ( +37 / -40 )`. */
export function tallyText(up: number, down: number): string {
  const net = up - down;
  return `${net > 0 ? `+${net}` : String(net)} ( +${up} / -${down} )`;
}

export function AuthorName({ author }: { author: Author }) {
  return (
    <>
      {author.slug ? (
        <a class="comment__author" href={`/members/${encodeURIComponent(author.slug)}`}>
          {author.name}
        </a>
      ) : (
        <span class="comment__author">{author.name}</span>
      )}
      {author.badge ? <span class={`badge badge--${author.badge.toLowerCase()}`}>{author.badge}</span> : null}
    </>
  );
}

// Lean markup on purpose: a page carries up to 50 top-level comments and their replies, and each vote form
// is repeated on every one (the script finds the comment from the form's action). The arrows are drawn by
// comments.css rather than typed as ▲ ▼: axe cannot judge a symbol character's contrast and reports it
// undecided, which the reader-design test counts as a failure.
function VoteForm({ c, personal }: { c: ThreadComment; personal?: Personal }) {
  const mine = personal?.votes.get(c.id) ?? 0;
  const own = personal?.own.has(c.id) ?? false;
  const pressed = (v: number) => (personal ? mine === v : undefined);
  return (
    <form class="vote" method="post" action={`/comments/${c.id}/vote`}>
      {/* The shared page has no token: without one the route asks to confirm on a page of its own. */}
      {personal ? <input type="hidden" name="csrf" value={personal.csrf} /> : null}
      <button
        type="submit"
        name="value"
        value={mine === 1 ? '0' : '1'}
        aria-label={mine === 1 ? 'Withdraw up-vote' : 'Vote up'}
        aria-pressed={pressed(1)}
        disabled={own || undefined}
      />
      <span class="tally">{tallyText(c.up, c.down)}</span>
      <button
        type="submit"
        name="value"
        value={mine === -1 ? '0' : '-1'}
        aria-label={mine === -1 ? 'Withdraw down-vote' : 'Vote down'}
        aria-pressed={pressed(-1)}
        disabled={own || undefined}
      />
    </form>
  );
}

export interface CommentProps {
  ctx: SiteContext;
  c: ThreadComment;
  level: number;
  open: boolean;
  personal?: Personal;
  /** Under a top-level comment whose replies are not all shown: the page of that conversation. */
  more?: { href: string; total: number };
}

function CommentBody({ ctx, c, open, personal }: Omit<CommentProps, 'level'>) {
  if (c.status === 'deleted') {
    return (
      <div class="comment__main comment__main--deleted">
        <p class="comment__deleted">comment deleted</p>
        {c.moderatorNote ? <p class="comment__note">Moderator: {c.moderatorNote}</p> : null}
      </div>
    );
  }
  return (
    <div class="comment__main">
      <p class="comment__meta">
        <AuthorName author={c.author} />
        {c.inReplyTo ? <span class="comment__to">to {c.inReplyTo.name}</span> : null}
        <a class="comment__time" href={`/comments/${c.id}`}>
          <time dateTime={c.createdAt.toISOString()} data-relative="">
            {ctx.dateFormat.format(c.createdAt)}
          </time>
        </a>
        {c.edited ? <span class="comment__edited">edited</span> : null}
        {c.featured ? <span class="badge badge--featured">Featured</span> : null}
      </p>
      <div class="comment__text" dangerouslySetInnerHTML={{ __html: renderCommentHtml(c.body) }} />
      {c.moderatorNote ? <p class="comment__note">Moderator: {c.moderatorNote}</p> : null}
      <div class="comment__actions">
        <VoteForm c={c} personal={personal} />
        {open ? (
          <a class="comment__reply" href={`/comments/${c.id}/reply#reply`}>
            Reply
          </a>
        ) : null}
        <a href={`/comments/${c.id}/report`}>Report</a>
        {personal?.editable.has(c.id) ? (
          <a href={`/comments/${c.id}/edit#edit`} data-own="">
            Edit
          </a>
        ) : null}
        {personal?.own.has(c.id) ? (
          <a href={`/comments/${c.id}/delete`} data-own="">
            Delete
          </a>
        ) : null}
      </div>
    </div>
  );
}

export function CommentItem({ ctx, c, level, open, personal, more }: CommentProps) {
  const net = c.up - c.down;
  const collapsed = c.status !== 'deleted' && net <= COLLAPSE_AT;
  const body = <CommentBody ctx={ctx} c={c} open={open} personal={personal} />;
  return (
    <li class={`comment comment--l${level}`} id={`comment-${c.id}`}>
      {collapsed ? (
        <details class="comment__collapsed">
          <summary>
            <span class="comment__collapsed-why">
              {c.author.name}'s comment is hidden by readers' votes ({tallyText(c.up, c.down)}).
            </span>{' '}
            <span class="comment__show">show</span>
          </summary>
          {body}
        </details>
      ) : (
        body
      )}
      {c.replies.length > 0 ? (
        <ol class="comments comments--replies">
          {c.replies.map((r) => (
            <CommentItem
              key={r.id}
              ctx={ctx}
              c={r}
              level={Math.min(level + 1, 3)}
              open={open}
              personal={personal}
            />
          ))}
        </ol>
      ) : null}
      {more ? (
        <p class="comment__more-replies">
          <a href={more.href}>All {more.total.toLocaleString('en')} replies</a>
        </p>
      ) : null}
    </li>
  );
}
