// Keeps the search index in step with content. It follows the article events (published, updated, taken
// down, and a scheduled story's embargo passing, which publishes it) and reindexes that one story; on
// start it also repairs anything a crash or an older version left out of step. Work runs one item at a
// time in the background, so a burst of edits never stacks concurrent writes on SQLite's single writer.
import type { ArticleService } from '../articles/service.ts';
import type { Db } from '../db/connection.ts';
import type { EventBus } from '../events/bus.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import { articleIdsInSection, deleteDocument, outOfStep, tsConfigFor, upsertDocument } from './repository.ts';
import { hasCjk, htmlToText } from './text.ts';

/** Index at most this much body text per story: enough for every real article, bounded for abuse. */
const MAX_BODY_CHARS = 200_000;

export class SearchIndexer {
  private chain: Promise<void> = Promise.resolve();
  private readonly queued = new Set<number>();

  constructor(
    private readonly db: Db,
    private readonly articles: Pick<ArticleService, 'get'>,
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

  /** Reindexes one story soon (deduplicated while it waits). */
  schedule(articleId: number): void {
    if (this.queued.has(articleId)) return;
    this.queued.add(articleId);
    this.run(async () => {
      this.queued.delete(articleId);
      await this.reindex(articleId);
    });
  }

  private run(work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch((err) => this.onError(err));
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
    const found = await this.articles.get(articleId);
    if (found?.article.status !== 'published') {
      await deleteDocument(this.db, articleId);
      return;
    }
    await this.directory.fresh();
    const { article, placements } = found;
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
    await upsertDocument(this.db, {
      articleId,
      headline: article.headline,
      dek: article.dek,
      byline,
      sectionNames: [...sectionNames].join(' '),
      bodyText,
      cjkText: hasCjk(all) ? all.toLowerCase() : '',
      scope: placements.map((p) => `s${p.siteId} c${p.sectionId}`).join(' '),
      tsConfig: tsConfigFor(language),
      articleModifiedAt: article.modifiedAt,
    });
  }

  /** Brings every out-of-step story into the index; returns how many it touched. */
  async syncAll(batch = 500): Promise<number> {
    const done = new Set<number>();
    for (;;) {
      const { index, remove } = await outOfStep(this.db, batch);
      // A row that stays out of step after reindexing (e.g. a timestamp written in another format) must
      // not loop forever: each story is tried once per pass.
      const todo = [...index, ...remove].filter((id) => !done.has(id));
      if (todo.length === 0) return done.size;
      for (const id of todo) {
        done.add(id);
        await this.reindex(id);
      }
    }
  }

  /** Runs syncAll in the background queue. */
  syncInBackground(): void {
    this.run(async () => {
      await this.syncAll();
    });
  }
}
