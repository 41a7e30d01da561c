// In-process domain events. Services emit after their transaction commits; caches, search, feeds and
// trending listen. One place (web/cache/invalidation.ts) decides what each change invalidates.

export type DomainEvent =
  | { type: 'site.changed'; siteId: number }
  | { type: 'section.changed'; siteId: number; sectionId: number }
  | { type: 'article.published'; articleId: number; siteIds: number[]; sectionIds: number[] }
  | { type: 'article.updated'; articleId: number; siteIds: number[]; sectionIds: number[] }
  | { type: 'article.taken_down'; articleId: number; siteIds: number[]; sectionIds: number[] }
  | { type: 'media.changed'; mediaId: number }
  // Comments (src/comments): a comment became visible, changed or left a story's thread on one site.
  // change says what happened (webhooks send 'created', 'approved' and 'rejected'; see src/comments/service.ts);
  // visible false: readers' view of the thread did not change (e.g. a comment held for review was posted).
  | {
      type: 'comment.changed';
      siteId: number;
      articleId: number;
      commentId: number;
      change?: CommentChange;
      visible?: boolean;
    }
  // Vote tallies of a thread changed: recorded at most once per thread every few seconds (votes coalesce).
  | { type: 'comment.tallies'; siteId: number; articleId: number }
  // A thread's mode (open, closed, pre-moderated) may have changed: one story's, or (null) a whole site's.
  | { type: 'comment.policy_changed'; siteId: number; articleId: number | null }
  // An editor saved or cleared a site's front page arrangement (src/front-page): its lead and top stories.
  | { type: 'front_page.changed'; siteId: number }
  // A site's newsletter lists changed (src/newsletters/lists.ts): the masthead link and the article box show them.
  | { type: 'newsletter.changed'; siteId: number; newsletterId: number };

/** What a comment.changed event reports about its comment. */
export type CommentChange =
  | 'created'
  | 'approved'
  | 'rejected'
  | 'edited'
  | 'deleted'
  | 'featured'
  | 'reported'
  | 'moderated';

type Listener = (event: DomainEvent) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly onListenerError: (err: unknown, event: DomainEvent) => void = () => {}) {}

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: DomainEvent): void {
    for (const l of this.listeners) {
      // A failing listener must not undo or block the change that already committed.
      try {
        l(event);
      } catch (err) {
        this.onListenerError(err, event);
      }
    }
  }
}
