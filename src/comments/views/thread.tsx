// The thread under a story and on its own page: the count, sorting, featured comments, the list, "More
// comments", and the place to write one. In a shared (cached) page that place holds the signed-out prompt
// ("Log in to comment", "Register", social sign-in) and, for signed-in readers, a link to their own thread
// page with the form (shown by CSS when the masthead carries their links, and replaced in place by the
// client script with the real form). A signed-in reader's own thread page renders the form itself.
import type { ThreadPolicy } from '../model.ts';
import type { ThreadPage, ThreadSort } from '../thread.ts';
import { CommentItem, countText, type Personal } from './comment.tsx';

export interface ThreadUrls {
  /** The story's path on this site, e.g. /world/summit-opens. */
  article: string;
}

export function threadHref(
  u: ThreadUrls,
  q: { sort?: ThreadSort; page?: number; root?: number } = {},
): string {
  const p = new URLSearchParams();
  if (q.sort && q.sort !== 'oldest') p.set('sort', q.sort);
  if (q.page && q.page > 1) p.set('page', String(q.page));
  if (q.root) p.set('root', String(q.root));
  const s = p.toString();
  return `${u.article}/comments${s ? `?${s}` : ''}`;
}

const SORT_NAMES: Record<ThreadSort, string> = {
  oldest: 'Oldest',
  newest: 'Newest',
  top: 'Most up-voted',
  replies: 'Most replied',
};

export interface Provider {
  id: string;
  name: string;
}

export interface ThreadProps {
  ctx: import('../../sites/directory.ts').SiteContext;
  articleId: number;
  urls: ThreadUrls;
  thread: ThreadPage;
  policy: ThreadPolicy;
  providers: Provider[];
  maxLength: number;
  /** A signed-in reader's own page; absent on shared pages. */
  personal?: Personal;
  /** Heading level of the thread's title: h2 under a story, h1 on the thread page. */
  heading: 'h1' | 'h2';
  headline?: string;
  /** A fixed notice chosen by code (after posting, deleting…). */
  notice?: string | null;
  /** One conversation on its own page. */
  root?: number;
}

export function CommentForm({
  articleId,
  csrf,
  maxLength,
  parentId,
  body = '',
  label = 'Your comment',
  button = 'Post comment',
  idPrefix = 'comment',
}: {
  articleId: number;
  csrf: string;
  maxLength: number;
  parentId?: number;
  body?: string;
  label?: string;
  button?: string;
  idPrefix?: string;
}) {
  return (
    <form class="compose__form" method="post" action="/comments" data-post="">
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="article" value={String(articleId)} />
      {parentId ? <input type="hidden" name="parent" value={String(parentId)} /> : null}
      <label for={`${idPrefix}-body`}>{label}</label>
      <textarea id={`${idPrefix}-body`} name="body" rows={5} maxLength={maxLength} required>
        {body}
      </textarea>
      <p class="compose__hint">
        Plain text: paragraphs and links. Up to {maxLength.toLocaleString('en')} characters.
      </p>
      <p class="compose__error" role="alert" hidden />
      <button type="submit" class="btn">
        {button}
      </button>
    </form>
  );
}

function SignedOutPrompt({ urls, providers }: { urls: ThreadUrls; providers: Provider[] }) {
  const next = encodeURIComponent(`${threadHref(urls)}#reply`);
  return (
    <div class="compose__signed-out">
      <p class="compose__lead">
        <a class="btn" href={`/account/login?next=${next}`}>
          Log in to comment
        </a>{' '}
        <a class="btn btn--plain" href={`/account/register?next=${next}`}>
          Register
        </a>
      </p>
      {providers.length > 0 ? (
        <ul class="compose__providers" aria-label="Log in with another account">
          {providers.map((p) => (
            <li key={p.id}>
              <a class="btn btn--plain" href={`/account/oauth/${p.id}/start?next=${next}`}>
                Log in with {p.name}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Compose(props: ThreadProps) {
  const { policy, personal, urls, articleId, maxLength } = props;
  if (!policy.open) {
    return (
      <div class="compose" id="reply">
        <p class="compose__closed">Comments are closed on this story.</p>
      </div>
    );
  }
  const held =
    policy.mode === 'pre'
      ? 'A moderator reads each comment before it appears.'
      : policy.mode === 'pre_new'
        ? "A moderator reads a new member's first comments before they appear."
        : null;
  return (
    <div class="compose" id="reply" data-compose={String(articleId)}>
      {held ? <p class="compose__hint">{held}</p> : null}
      {personal ? (
        <>
          <CommentForm articleId={articleId} csrf={personal.csrf} maxLength={maxLength} />
          <template id="comment-form-template">
            <CommentForm articleId={articleId} csrf="" maxLength={maxLength} idPrefix="js-comment" />
          </template>
        </>
      ) : (
        <>
          <SignedOutPrompt urls={urls} providers={props.providers} />
          <p class="compose__signed-in">
            <a class="btn" href={`${threadHref(urls)}#reply`} data-write="">
              Write a comment
            </a>
          </p>
          {/* The client script fills in the reader's token and puts this form in place. */}
          <template id="comment-form-template">
            <CommentForm articleId={articleId} csrf="" maxLength={maxLength} idPrefix="js-comment" />
          </template>
        </>
      )}
    </div>
  );
}

export function Thread(props: ThreadProps) {
  const { ctx, thread, urls, personal, policy } = props;
  const H = props.heading;
  const empty = thread.count === 0 && thread.featured.length === 0 && thread.comments.length === 0;
  const base = { sort: thread.sort };
  return (
    <section
      class="thread"
      id="comments"
      aria-labelledby="comments-title"
      data-thread={String(props.articleId)}
      data-url={`${urls.article}/comments`}
      data-count={String(thread.count)}
      data-sort={thread.sort}
      data-page={String(thread.page)}
    >
      <H class="thread__title" id="comments-title">
        {props.headline ? (
          <>
            {countText(thread.count)} <span class="thread__on">on {props.headline}</span>
          </>
        ) : (
          countText(thread.count)
        )}
      </H>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p class="thread__live" data-live="" hidden />
      {empty ? (
        <p class="thread__empty">No comments yet. Start the conversation.</p>
      ) : props.root ? (
        <p class="thread__sort">
          One conversation. <a href={threadHref(urls, base)}>All comments</a>
        </p>
      ) : (
        <nav class="thread__sort" aria-label="Sort comments">
          <span>Sort:</span>
          <ul>
            {(['oldest', 'newest', 'top', 'replies'] as ThreadSort[]).map((s) => (
              <li key={s}>
                <a href={threadHref(urls, { sort: s })} aria-current={s === thread.sort ? 'true' : undefined}>
                  {SORT_NAMES[s]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {thread.featured.length > 0 ? (
        <ol class="comments comments--featured" aria-label="Featured comments">
          {thread.featured.map((c) => (
            <CommentItem key={c.id} ctx={ctx} c={c} level={0} open={policy.open} personal={personal} />
          ))}
        </ol>
      ) : null}
      <ol class="comments" data-list="">
        {thread.comments.map((c) => (
          <CommentItem
            key={c.id}
            ctx={ctx}
            c={c}
            level={0}
            open={policy.open}
            personal={personal}
            more={
              !props.root && c.totalReplies > countShown(c)
                ? { href: threadHref(urls, { root: c.id }), total: c.totalReplies }
                : undefined
            }
          />
        ))}
      </ol>
      <nav class="thread__pages" aria-label="More comments">
        {thread.page > 1 ? (
          <a href={threadHref(urls, { ...base, page: thread.page - 1 })} rel="prev">
            Earlier page
          </a>
        ) : null}
        {thread.page < thread.pages ? (
          <a
            class="btn btn--plain thread__more"
            href={threadHref(urls, { ...base, page: thread.page + 1 })}
            rel="next"
            data-more=""
          >
            More comments
          </a>
        ) : null}
      </nav>
      <Compose {...props} />
    </section>
  );
}

function countShown(c: { replies: { replies: unknown[] }[] }): number {
  let n = 0;
  const walk = (x: { replies: unknown[] }) => {
    for (const r of x.replies as { replies: unknown[] }[]) {
      n++;
      walk(r);
    }
  };
  walk(c);
  return n;
}
