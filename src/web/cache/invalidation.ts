// The one place that decides which cached pages a change makes stale. Pages declare tags when they are
// rendered (tags.ts); here each domain event names the tags it touches.
import type { DomainEvent } from '../../events/bus.ts';

export const tag = {
  site: (id: number) => `site:${id}`,
  home: (siteId: number) => `home:${siteId}`,
  section: (id: number) => `section:${id}`,
  article: (id: number) => `article:${id}`,
  media: (id: number) => `media:${id}`,
  /** Pages showing a site's "trending on our other sites" or "most read" lists. */
  trending: (siteId: number) => `trending:${siteId}`,
};

/**
 * Trending and most-read lists change with reads, not with domain events: the trending service recomputes
 * them every refresh period and names the sites whose lists really changed. Those sites' pages carrying the
 * lists are dropped; pages whose lists are unchanged stay cached.
 */
export function tagsForTrendingChange(siteIds: number[]): string[] {
  return siteIds.map(tag.trending);
}

export function tagsFor(event: DomainEvent): string[] {
  switch (event.type) {
    case 'site.changed':
      return [tag.site(event.siteId)];
    // Every page of a site shows its section navigation.
    case 'section.changed':
      return [tag.site(event.siteId)];
    // A story shows in its sections' lists, on the home page, and in the "related" block of every story in
    // the same sections; article pages therefore carry their section's tag too.
    case 'article.published':
    case 'article.updated':
    case 'article.taken_down':
      return [
        tag.article(event.articleId),
        ...event.siteIds.map(tag.home),
        ...event.sectionIds.map(tag.section),
      ];
    case 'media.changed':
      return [tag.media(event.mediaId)];
    // A story's page carries its thread.
    case 'comment.changed':
    case 'comment.tallies':
      return [tag.article(event.articleId)];
    case 'comment.policy_changed':
      return event.articleId === null ? [tag.site(event.siteId)] : [tag.article(event.articleId)];
  }
}
