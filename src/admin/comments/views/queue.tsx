// The moderation queues (/comments): tabs for pending, reported, unmoderated, approved and rejected on the
// sites in view, a bulk form whose checkboxes sit on each card (the HTML form attribute, so no form is nested),
// the keyboard help line (shown by the script, which is what makes the keys work), and the cards newest first
// with a link to the next page.
import type { AuthorRecord, OpenReport, QueueComment, QueueName, StoryRef } from '../queries.ts';
import { QUEUE_LABELS, QUEUES } from '../queries.ts';
import { type CardContext, CommentCard, Hidden, KeysHelp, REJECT_REASONS } from './parts.tsx';

export interface QueueProps {
  queue: QueueName;
  counts: Partial<Record<QueueName, number>>;
  cap: number;
  items: QueueComment[];
  authors: Map<number, AuthorRecord>;
  stories: Map<string, StoryRef>;
  reports: Map<number, OpenReport[]>;
  k: CardContext;
  nextHref: string | null;
  firstHref: string | null;
  scopeNote: string;
}

const EMPTY: Record<QueueName, string> = {
  pending: 'Nothing is waiting for a decision.',
  reported: 'No comment has an open report.',
  unmoderated: 'Every published comment has been looked at.',
  approved: 'No approved comments yet.',
  rejected: 'No rejected comments.',
};

export function QueueScreen(p: QueueProps) {
  return (
    <>
      <nav class="mod-tabs" aria-label="Queues">
        {QUEUES.map((q) => {
          const n = p.counts[q];
          return (
            <a href={`/comments?queue=${q}`} aria-current={q === p.queue ? 'page' : undefined} key={q}>
              {QUEUE_LABELS[q]}
              {n !== undefined && <span class="mod-count">{n >= p.cap ? `${p.cap}+` : n}</span>}
            </a>
          );
        })}
      </nav>
      <p class="adm-muted mod-scope">{p.scopeNote}</p>
      <KeysHelp />
      {p.items.length > 0 && (
        <form id="mod-bulk" class="adm-panel mod-bulk" method="post" action="/comments/bulk">
          <Hidden csrf={p.k.csrf} next={p.k.next} />
          <span class="adm-label">With the selected comments:</span>
          <button type="submit" name="action" value="approve" class="adm-button">
            Approve
          </button>
          <label for="bulk-reason" class="mod-bulk-reason">
            Reject as
          </label>
          <select id="bulk-reason" name="reason" class="adm-input">
            {REJECT_REASONS.map((r) => (
              <option value={r.code} key={r.code}>
                {r.label}
              </option>
            ))}
          </select>
          <button type="submit" name="action" value="reject" class="adm-button adm-button-danger">
            Reject
          </button>
          {p.queue === 'unmoderated' && (
            <button type="submit" name="action" value="reviewed" class="adm-button adm-button-quiet">
              Mark reviewed
            </button>
          )}
        </form>
      )}
      {p.items.length === 0 ? (
        <p class="adm-panel">{EMPTY[p.queue]}</p>
      ) : (
        <div class="mod-list">
          {p.items.map((c) => (
            <CommentCard
              key={c.id}
              c={c}
              author={p.authors.get(c.authorId)}
              story={p.stories.get(`${c.siteId}:${c.articleId}`)}
              reports={p.reports.get(c.id) ?? []}
              k={p.k}
            />
          ))}
        </div>
      )}
      {(p.nextHref || p.firstHref) && (
        <nav class="adm-pager" aria-label="More comments">
          {p.firstHref && <a href={p.firstHref}>Newest</a>}
          {p.nextHref && (
            <a href={p.nextHref} rel="next">
              Older
            </a>
          )}
        </nav>
      )}
    </>
  );
}
