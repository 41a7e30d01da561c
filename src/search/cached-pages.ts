// Search result pages in the page cache. Readers ask the same few queries over and over (a breaking name, a
// big story's word), and each answer costs a worker real work, so a rendered result page is kept like any
// other page and served from memory until the site's content changes. Two things make that safe:
// - Any change to a story on a site (published, updated, taken down), a site or section change, and every
//   index write for that site drop the site's cached searches. The index is written in the background after
//   the change's event, so the event alone would let a search run in between keep a page without the story.
// - A search that was running while its site's searches were dropped is not kept: it may have read the index
//   from before the change. The page cache sees to that for every page (PageCache.keeps): a search page
//   carries its site's search tag, and a page is not stored if one of its tags was dropped while it rendered.
// One-off queries must not push the network's pages out, so at most MAX_CACHED_SEARCH_PAGES are kept.
import type { EventBus } from '../events/bus.ts';
import type { PageCache } from '../web/cache/page-cache.ts';

/** Every cached search page carries this tag, so their number can be bounded together. */
export const SEARCH_PAGES_TAG = 'search';
/** A site's cached search pages. */
export const searchTag = (siteId: number) => `search:${siteId}`;
/** Kept search pages, all sites together; the oldest cached goes first. */
export const MAX_CACHED_SEARCH_PAGES = 256;

/** What tells the cache that the index changed: the indexer's batches, with the sites they touched. */
export interface IndexWrites {
  onIndexed(listener: (siteIds: readonly number[]) => void): () => void;
}

/** What tells the cache that it was emptied because changes may have been missed. */
export interface CacheResyncs {
  onResync(listener: () => void): () => void;
}

export class SearchPageFreshness {
  constructor(private readonly cache: PageCache | null) {}

  /** Follows changes until the returned function is called. */
  follow(bus: EventBus, index: IndexWrites, resyncs: CacheResyncs): () => void {
    const stops = [
      bus.on((e) => {
        if (e.type === 'article.published' || e.type === 'article.updated' || e.type === 'article.taken_down')
          this.drop(e.siteIds);
        else if (e.type === 'site.changed' || e.type === 'section.changed') this.drop([e.siteId]);
      }),
      index.onIndexed((siteIds) => this.drop(siteIds)),
      resyncs.onResync(() => this.cache?.invalidate([SEARCH_PAGES_TAG])),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** Drops these sites' cached searches; searches now running on them will not be kept either. */
  drop(siteIds: Iterable<number>): void {
    this.cache?.invalidate([...siteIds].map(searchTag));
  }

  /** Keeps the number of cached search pages within bounds; called after each search page is served. */
  bound(): void {
    this.cache?.trimTag(SEARCH_PAGES_TAG, MAX_CACHED_SEARCH_PAGES);
  }
}
