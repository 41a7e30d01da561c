// A story's moderation view (/comments/threads/:siteId/:articleId): the thread in the readers' order with the
// comments readers do not see (pending, rejected, deleted) shown in place and marked, each with its actions;
// the thread's state with Close/Open; and the story's own override of the site's or section's mode.
import type { PolicyRow, ThreadPolicy } from '../../../comments/model.ts';
import type { AuthorRecord, OpenReport, QueueComment, StoryRef } from '../queries.ts';
import { CloseOpen, policyLine } from './detail.tsx';
import { type CardContext, CommentCard, KeysHelp } from './parts.tsx';
import { PolicyFields } from './settings.tsx';

export interface ThreadProps {
  siteId: number;
  articleId: number;
  story: StoryRef | undefined;
  storyUrl: string | null;
  policy: ThreadPolicy | null;
  override: PolicyRow | null;
  items: { c: QueueComment; depth: number }[];
  total: number;
  authors: Map<number, AuthorRecord>;
  reports: Map<number, OpenReport[]>;
  k: CardContext;
  nextHref: string | null;
  firstHref: string | null;
}

export function ThreadScreen(p: ThreadProps) {
  const zone = p.k.zone(p.siteId);
  const hidden = p.items.filter((i) => i.c.status !== 'published').length;
  return (
    <>
      <section class="adm-panel mod-panel" aria-labelledby="story-h">
        <h2 id="story-h">{p.story?.headline ?? 'Story removed'}</h2>
        <p>
          {p.storyUrl && (
            <>
              <a href={p.storyUrl}>The story on the site</a> ·{' '}
              <a href={`${p.storyUrl}#comments`}>its thread</a> ·{' '}
            </>
          )}
          {p.total} comment{p.total === 1 ? '' : 's'} in all · {policyLine(p.policy, zone)}{' '}
          <CloseOpen
            siteId={p.siteId}
            articleId={p.articleId}
            policy={p.policy}
            csrf={p.k.csrf}
            next={p.k.next}
          />
        </p>
        <details class="mod-override">
          <summary>This story's mode</summary>
          <form method="post" action={`/comments/threads/${p.siteId}/${p.articleId}/policy`}>
            <input type="hidden" name="csrf" value={p.k.csrf} />
            <PolicyFields row={p.override} inherit="the section's or the site's" idPrefix="story" />
            <button type="submit" class="adm-button">
              Save the story's mode
            </button>
          </form>
        </details>
      </section>
      <p class="adm-muted">
        As readers see it, newest first, with replies under each comment. Marked: comments readers do not see
        {hidden > 0 ? ` (${hidden} on this page)` : ''}.
      </p>
      <KeysHelp />
      {p.items.length === 0 ? (
        <p class="adm-panel">No comments on this story yet.</p>
      ) : (
        <div class="mod-list mod-thread">
          {p.items.map(({ c, depth }) => (
            <CommentCard
              key={c.id}
              c={c}
              depth={depth}
              author={p.authors.get(c.authorId)}
              story={null}
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
