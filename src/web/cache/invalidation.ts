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
  /** Pages showing one story's thread on one site: its article page there, and its thread pages. */
  thread: (siteId: number, articleId: number) => `thread:${siteId}:${articleId}`,
  /** Every page showing a thread of the site (a site-wide change of comment mode). */
  threads: (siteId: number) => `threads:${siteId}`,
  /** Home and section pages showing teasers' comment counts; dropped at most every 15 s (comments/live.ts). */
  commentCounts: (siteId: number) => `comment-counts:${siteId}`,
  /** Pages showing a site's newsletter signup box (src/newsletters/signup/article-box.tsx). */
  newsletters: (siteId: number) => `newsletters:${siteId}`,
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
    // A thread is one story on one site: only that site's article page and thread pages show it (the same
    // story republished elsewhere has its own). Votes arrive coalesced (at most one event per thread every
    // ~2 s), so tallies lag by that much. Teaser counts follow on their own, slower clock (comments/live.ts).
    // A change readers cannot see (a comment held for review, a report) keeps the pages.
    case 'comment.changed':
      return event.visible === false ? [] : [tag.thread(event.siteId, event.articleId)];
    case 'comment.tallies':
      return [tag.thread(event.siteId, event.articleId)];
    case 'comment.policy_changed':
      return event.articleId === null
        ? [tag.threads(event.siteId)]
        : [tag.thread(event.siteId, event.articleId)];
    // The front page arrangement shows on the home page only (its lead and top stories).
    case 'front_page.changed':
      return [tag.home(event.siteId)];
    // The signup box at the end of a site's stories says what its article-box newsletter sends.
    case 'newsletter.changed':
      return [tag.newsletters(event.siteId)];
  }
}
