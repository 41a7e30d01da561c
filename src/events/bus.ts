// In-process domain events. Services emit after their transaction commits; caches, search, feeds and
// trending listen. One place (web/cache/invalidation.ts) decides what each change invalidates.

export type DomainEvent =
  | { type: 'site.changed'; siteId: number }
  | { type: 'section.changed'; siteId: number; sectionId: number }
  | { type: 'article.published'; articleId: number; siteIds: number[]; sectionIds: number[] }
  | { type: 'article.updated'; articleId: number; siteIds: number[]; sectionIds: number[] }
  | { type: 'article.taken_down'; articleId: number; siteIds: number[]; sectionIds: number[] }
  | { type: 'media.changed'; mediaId: number };

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
