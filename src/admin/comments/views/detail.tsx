// One comment (/comments/:id): the card with its actions, the edit form (text and the moderator's note every
// reader sees under it), the thread's state with Close/Open, and the author's recent comments on the sites
// the moderator works on.
import type { ThreadPolicy } from '../../../comments/model.ts';
import type { AuthorRecord, OpenReport, QueueComment, StoryRef } from '../queries.ts';
import { type CardContext, CommentCard, Hidden, reasonLabel, StatusBadge, Time } from './parts.tsx';

export interface DetailProps {
  c: QueueComment;
  author: AuthorRecord | undefined;
  story: StoryRef | undefined;
  reports: OpenReport[];
  policy: ThreadPolicy | null;
  recent: QueueComment[];
  k: CardContext;
}

export function policyLine(p: ThreadPolicy | null, zone: string) {
  if (!p) return <span class="adm-muted">Thread state unknown</span>;
  if (!p.open)
    return (
      <span class="adm-badge adm-badge-bad">
        Closed
        {p.closedBecause === 'age'
          ? ' (by age)'
          : p.closedBecause === 'story_gone'
            ? ' (story gone)'
            : ' (by hand)'}
      </span>
    );
  return (
    <span>
      <span class="adm-badge adm-badge-ok">Open</span>
      {p.closesAt && (
        <span class="adm-muted">
          {' '}
          closes <Time at={p.closesAt} zone={zone} />
        </span>
      )}
    </span>
  );
}

export function CloseOpen({
  siteId,
  articleId,
  policy,
  csrf,
  next,
}: {
  siteId: number;
  articleId: number;
  policy: ThreadPolicy | null;
  csrf: string;
  next: string;
}) {
  if (!policy || policy.closedBecause === 'story_gone') return null;
  const open = policy.open;
  return (
    <form
      method="post"
      action={`/comments/threads/${siteId}/${articleId}/${open ? 'close' : 'open'}`}
      class="mod-inline"
    >
      <Hidden csrf={csrf} next={next} />
      <button type="submit" class="adm-button adm-button-quiet">
        {open ? 'Close the thread' : 'Open the thread'}
      </button>
    </form>
  );
}

export function DetailScreen(p: DetailProps) {
  const { c, k } = p;
  const zone = k.zone(c.siteId);
  return (
    <>
      <p>
        <a href="/comments">Back to the queues</a>
      </p>
      <CommentCard c={c} author={p.author} story={p.story} reports={p.reports} k={k} onItsPage />
      <section class="adm-panel mod-panel" aria-labelledby="thread-h">
        <h2 id="thread-h">Thread</h2>
        <p>
          {policyLine(p.policy, zone)}{' '}
          <CloseOpen
            siteId={c.siteId}
            articleId={c.articleId}
            policy={p.policy}
            csrf={k.csrf}
            next={k.next}
          />
        </p>
      </section>
      {c.status !== 'deleted' && (
        <section class="adm-panel mod-panel" aria-labelledby="edit-h">
          <h2 id="edit-h">Edit</h2>
          <form method="post" action={`/comments/${c.id}/edit`} class="mod-edit">
            <Hidden csrf={k.csrf} next={k.next} />
            <div class="adm-field">
              <label for="f-body">Text</label>
              <textarea id="f-body" name="body" rows={6}>
                {c.body}
              </textarea>
            </div>
            <div class="adm-field">
              <label for="f-note">Moderator's note</label>
              <p class="adm-hint" id="f-note-hint">
                Shown to every reader under the comment, as “Moderator: …”. Leave empty for none.
              </p>
              <input
                id="f-note"
                name="note"
                value={c.moderatorNote ?? ''}
                maxLength={300}
                aria-describedby="f-note-hint"
              />
            </div>
            <button type="submit" class="adm-button">
              Save
            </button>
          </form>
        </section>
      )}
      {c.status === 'rejected' && (
        <p class="adm-panel">
          Rejected as {reasonLabel(c.rejectReason)}
          {c.rejectNote ? ` with a note to the author: “${c.rejectNote}”` : ''}.
        </p>
      )}
      <section class="adm-panel mod-panel" aria-labelledby="recent-h">
        <h2 id="recent-h">The author's recent comments</h2>
        {p.recent.length === 0 ? (
          <p class="adm-muted">None other.</p>
        ) : (
          <ul class="mod-recent">
            {p.recent.map((r) => (
              <li key={r.id}>
                <StatusBadge c={r} /> <Time at={r.createdAt} zone={k.zone(r.siteId)} />{' '}
                <a href={`/comments/${r.id}`}>{r.body.length > 140 ? `${r.body.slice(0, 140)}…` : r.body}</a>
              </li>
            ))}
          </ul>
        )}
        {p.author && (
          <p>
            <a href={`/comments/members/${p.author.id}`}>Member page: history, warn, suspend, ban, notes</a>
          </p>
        )}
      </section>
    </>
  );
}
