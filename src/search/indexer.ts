// Keeps the search index in step with content. It follows the article events (published, updated, taken
// down, and a scheduled story's embargo passing, which publishes it) and reindexes those stories; on start
// it also repairs anything a crash or an older version left out of step. Work runs one step at a time in the
// background, so a burst of edits never stacks concurrent writes on SQLite's single writer. Stories waiting
// are indexed together: a wire batch publishing hundreds of stories costs two reads and one transaction per
// INDEX_BATCH stories instead of three statements and a commit each (FTS5 writes a new segment, and merges, at every commit).
// Readers never see a story that is no longer live, whatever the index holds: search checks placements.
import type { ArticleService, ArticleWithPlacements } from '../articles/service.ts';
import type { Db } from '../db/connection.ts';
import type { EventBus } from '../events/bus.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import {
  articleIdsInSection,
  deleteDocuments,
  type IndexDoc,
  outOfStep,
  tsConfigFor,
  upsertDocument,
} from './repository.ts';
import { hasCjk, htmlToText } from './text.ts';

/** Index at most this much body text per story: enough for every real article, bounded for abuse. */
const MAX_BODY_CHARS = 200_000;
/**
 * Stories written per transaction. Measured on the wire bench's stories: one at a time cost about 450 µs a
 * story, 50 together about 125 µs (some 6 ms a batch), 200 barely less; a small batch keeps SQLite's one
 * connection free for readers between batches.
 */
const INDEX_BATCH = 50;

export class SearchIndexer {
  private chain: Promise<void> = Promise.resolve();
  /** Stories waiting to be reindexed, oldest first; one already waiting is not added twice. */
  private readonly queued = new Set<number>();
  private flushQueued = false;
  private readonly indexedListeners = new Set<(siteIds: readonly number[]) => void>();

  constructor(
    private readonly db: Db,
    private readonly articles: Pick<ArticleService, 'getMany'>,
    private readonly directory: SiteDirectory,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  follow(bus: EventBus): () => void {
    return bus.on((e) => {
      if (e.type === 'article.published' || e.type === 'article.updated' || e.type === 'article.taken_down') {
        this.schedule(e.articleId);
      } else if (e.type === 'section.changed') {
        // Section names are indexed with the story, so a rename reindexes the section's stories.
        this.run(async () => {
          for (const id of await articleIdsInSection(this.db, e.sectionId)) this.schedule(id);
        });
      }
    });
  }

  /**
   * Reindexes a story soon. Everything scheduled before the queue gets its turn goes in together: the events
   * of one committed batch are emitted in one go, so they all wait for the same flush.
   */
  schedule(articleId: number): void {
    this.queued.add(articleId);
    if (this.flushQueued) return;
    this.flushQueued = true;
    this.run(async () => {
      this.flushQueued = false;
      while (this.queued.size > 0) {
        const ids: number[] = [];
        for (const id of this.queued) {
          ids.push(id);
          if (ids.length === INDEX_BATCH) break;
        }
        // Taken off the queue before reading, so an event arriving meanwhile queues the story again.
        for (const id of ids) this.queued.delete(id);
        await this.reindexOrReport(ids);
      }
    });
  }

  private run(work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch((err) => this.onError(err));
  }

  /**
   * Calls the listener after each index write with the sites whose stories it wrote: what was cached from
   * the index before (search pages) may now be out of date.
   */
  onIndexed(listener: (siteIds: readonly number[]) => void): () => void {
    this.indexedListeners.add(listener);
    return () => this.indexedListeners.delete(listener);
  }

  /** Resolves when everything scheduled so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  /** Writes one story's current state to the index: its text if published, nothing otherwise. */
  async reindex(articleId: number): Promise<void> {
    await this.reindexMany([articleId]);
  }

  /** Writes these stories' current state to the index in one transaction. */
  async reindexMany(articleIds: readonly number[]): Promise<void> {
    const found = await this.articles.getMany(articleIds);
    await this.directory.fresh();
    const docs: IndexDoc[] = [];
    const gone: number[] = [];
    for (const id of articleIds) {
      const story = found.get(id);
      if (story?.article.status === 'published') docs.push(this.document(story));
      else gone.push(id);
    }
    const write = async (q: Parameters<typeof upsertDocument>[2]) => {
      await deleteDocuments(this.db, gone, q);
      for (const d of docs) await upsertDocument(this.db, d, q);
    };
    if (docs.length + (gone.length > 0 ? 1 : 0) > 1) await this.db.kysely.transaction().execute(write);
    else await write(this.db.kysely);
    const siteIds = new Set<number>();
    for (const story of found.values()) for (const p of story.placements) siteIds.add(p.siteId);
    if (siteIds.size > 0) for (const listener of this.indexedListeners) listener([...siteIds]);
  }

  /** A failing batch is retried story by story, so one bad story never keeps the others out of the index. */
  private async reindexOrReport(ids: number[]): Promise<void> {
    try {
      await this.reindexMany(ids);
      return;
    } catch (err) {
      if (ids.length === 1) {
        this.onError(err);
        return;
      }
    }
    for (const id of ids) {
      try {
        await this.reindexMany([id]);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  private document({ article, placements }: ArticleWithPlacements): IndexDoc {
    const sectionNames = new Set<string>();
    let language = 'en';
    for (const p of placements) {
      const ctx = this.directory.byIdOrUndefined(p.siteId);
      const name = ctx?.sectionsById.get(p.sectionId)?.name;
      if (name) sectionNames.add(name);
      if (p.canonical && ctx) language = ctx.site.language;
    }
    const bodyText = htmlToText(article.bodyHtml).slice(0, MAX_BODY_CHARS);
    const byline = article.byline ?? '';
    const all = [article.headline, article.dek, byline, [...sectionNames].join(' '), bodyText].join('\n');
    return {
      articleId: article.id,
      headline: article.headline,
      dek: article.dek,
      byline,
      sectionNames: [...sectionNames].join(' '),
      bodyText,
      cjkText: hasCjk(all) ? all.toLowerCase() : '',
      scope: placements.map((p) => `s${p.siteId} c${p.sectionId}`).join(' '),
      tsConfig: tsConfigFor(language),
      articleModifiedAt: article.modifiedAt,
    };
  }

  /** Brings every out-of-step story into the index; returns how many it touched. */
  async syncAll(batch = 500): Promise<number> {
    const done = new Set<number>();
    for (;;) {
      const { index, remove } = await outOfStep(this.db, batch);
      // A row that stays out of step after reindexing (e.g. a timestamp written in another format) must
      // not loop forever: each story is tried once per pass.
      const pending = [...index, ...remove].filter((id) => !done.has(id));
      if (pending.length === 0) return done.size;
      for (const id of pending) done.add(id);
      for (let i = 0; i < pending.length; i += INDEX_BATCH)
        await this.reindexMany(pending.slice(i, i + INDEX_BATCH));
    }
  }

  /** Runs syncAll in the background queue. */
  syncInBackground(): void {
    this.run(async () => {
      await this.syncAll();
    });
  }
}
