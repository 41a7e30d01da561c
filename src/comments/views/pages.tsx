// The thread's own pages: the thread page (`<story>/comments`), and the small per-request pages that make
// every action work with JavaScript off: reply, edit, delete, report, confirming a vote sent from a shared
// page (which carries no token), and the page that explains a refusal with the form kept.
import type { ComponentChildren } from 'preact';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import { REPORT_REASONS, type ReportReason } from '../model.ts';
import type { ThreadComment } from '../thread.ts';
import { AuthorName, tallyText } from './comment.tsx';
import { Thread, type ThreadProps, threadHref } from './thread.tsx';

export function ThreadPageView(props: ThreadProps & { headline: string; path: string; script: string }) {
  const { ctx, urls, headline } = props;
  return (
    <Layout
      ctx={ctx}
      title={`Comments: ${headline}`}
      path={props.path}
      head={<meta name="robots" content="noindex, follow" />}
    >
      <div class="thread-page">
        <p class="thread-page__back">
          <a href={urls.article}>Back to the story</a>
        </p>
        <Thread {...props} heading="h1" headline={headline} />
      </div>
      <script src={props.script} type="module" />
    </Layout>
  );
}

/** A comment quoted above a form (what one replies to, edits, reports). */
export function Quoted({ ctx, c }: { ctx: SiteContext; c: ThreadComment }) {
  return (
    <blockquote class="quoted">
      <p class="comment__meta">
        <AuthorName author={c.author} />{' '}
        <time dateTime={c.createdAt.toISOString()}>{ctx.dateFormat.format(c.createdAt)}</time>
      </p>
      <p class="quoted__text">{c.body.length > 600 ? `${c.body.slice(0, 600)}…` : c.body}</p>
    </blockquote>
  );
}

export function FormPage({
  ctx,
  title,
  error,
  back,
  children,
}: {
  ctx: SiteContext;
  title: string;
  error?: { title: string; message: string } | null;
  back: { href: string; text: string };
  children?: ComponentChildren;
}) {
  return (
    <Layout ctx={ctx} title={title} head={<meta name="robots" content="noindex" />}>
      <div class="comment-form-page">
        <h1>{title}</h1>
        {error ? (
          <div class="notice notice--error" role="alert">
            <p>
              <strong>{error.title}.</strong> {error.message}
            </p>
          </div>
        ) : null}
        {children}
        <p>
          <a href={back.href}>{back.text}</a>
        </p>
      </div>
    </Layout>
  );
}

const REASON_TEXT: Record<ReportReason, string> = {
  spam: 'Spam or advertising',
  abuse: 'Abusive, hateful or harassing',
  off_topic: 'Off-topic',
  other: 'Something else (say what)',
};

export function ReportForm({
  id,
  csrf,
  reason,
  note,
}: {
  id: number;
  csrf: string;
  reason?: string;
  note?: string;
}) {
  return (
    <form class="compose__form" method="post" action={`/comments/${id}/report`}>
      <input type="hidden" name="csrf" value={csrf} />
      <fieldset>
        <legend>Why should a moderator look at it?</legend>
        {REPORT_REASONS.map((r) => (
          <label class="choice" key={r}>
            <input type="radio" name="reason" value={r} checked={reason === r} required /> {REASON_TEXT[r]}
          </label>
        ))}
      </fieldset>
      <label for="report-note">Details (needed for “something else”)</label>
      <textarea id="report-note" name="note" rows={3} maxLength={500}>
        {note ?? ''}
      </textarea>
      <button type="submit" class="btn">
        Send the report
      </button>
    </form>
  );
}

export function VoteConfirm({ c, csrf, value }: { c: ThreadComment; csrf: string; value: 1 | -1 | 0 }) {
  const verb = value === 1 ? 'Vote up' : value === -1 ? 'Vote down' : 'Withdraw my vote';
  return (
    <form class="compose__form" method="post" action={`/comments/${c.id}/vote`}>
      <input type="hidden" name="csrf" value={csrf} />
      <p>Now: {tallyText(c.up, c.down)}</p>
      <button type="submit" class="btn" name="value" value={String(value)}>
        {verb}
      </button>
    </form>
  );
}

export function DeleteConfirm({ id, csrf }: { id: number; csrf: string }) {
  return (
    <form class="compose__form" method="post" action={`/comments/${id}/delete`}>
      <input type="hidden" name="csrf" value={csrf} />
      <p>Your comment’s text goes; if others replied, “comment deleted” stays where it was.</p>
      <button type="submit" class="btn btn--danger">
        Delete my comment
      </button>
    </form>
  );
}

export function EditForm({
  id,
  csrf,
  body,
  maxLength,
}: {
  id: number;
  csrf: string;
  body: string;
  maxLength: number;
}) {
  return (
    <form class="compose__form" method="post" action={`/comments/${id}/edit`} id="edit">
      <input type="hidden" name="csrf" value={csrf} />
      <label for="edit-body">Your comment</label>
      <textarea id="edit-body" name="body" rows={6} maxLength={maxLength} required>
        {body}
      </textarea>
      <button type="submit" class="btn">
        Save
      </button>
    </form>
  );
}

export { threadHref };
