// Trending across the network and "most read". Scores are reads with exponential time decay (a half-life
// of a few hours) over hourly buckets, recomputed from the database every refresh period, so every app
// node computes the same lists. Everything pages need is then held in memory: rendering a block costs no
// query. A site's "trending on our other sites" block mixes the top stories of its source sites (all other
// sites unless the operator chose), after the operator's pins and without exclusions. Listeners hear which
// sites' blocks changed, so cached pages are dropped only when what they show is different.
import { storyPath } from '../articles/slug.ts';
import type { Db } from '../db/connection.ts';
import type { EventBus } from '../events/bus.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import {
  clearOverride,
  listOverrides,
  listSources,
  liveStories,
  newestOwnStories,
  type Override,
  pruneReads,
  readsSince,
  replaceSources,
  type StoryRow,
  setOverride,
} from './repository.ts';

export interface TrendingItem {
  articleId: number;
  placementId: number;
  siteId: number;
  sectionId: number;
  /** Path on its own site, e.g. /travel/kyoto-in-autumn. */
  path: string;
  headline: string;
  /** The story's section on its site: the block's category label. */
  category: string;
  siteName: string;
  leadMediaId: number | null;
  publishedAt: Date;
  /** False on a sister site's republication of the story. */
  canonical: boolean;
  score: number;
  /** Reads in the most-read window (most-read lists only). */
  reads: number;
}

export interface TrendingOptions {
  halfLifeHours: number;
  /** Items in a site's block. */
  blockSize?: number;
  /** Items kept per site and per most-read list. */
  listSize?: number;
  /** Window of "most read", in hours. */
  mostReadHours?: number;
  now?: () => Date;
}

type ChangeListener = (siteIds: number[]) => void;

/** Buckets older than this many half-lives weigh under 0.1% and are ignored. */
const HORIZON_HALF_LIVES = 10;
const KEEP_BUCKETS_DAYS = 8;

export class TrendingService {
  /** Per site: its own stories, hottest first, topped up with its newest before anyone has read. */
  private bySite = new Map<number, TrendingItem[]>();
  private mostReadBySite = new Map<number, TrendingItem[]>();
  private mostReadBySection = new Map<number, TrendingItem[]>();
  private overrides: Override[] = [];
  private sources = new Map<number, number[]>();
  private pinned = new Map<number, StoryRow[]>();
  private blocks = new Map<number, TrendingItem[]>();
  private signatures = new Map<number, string>();
  private readonly listeners = new Set<ChangeListener>();
  private refreshing: Promise<number[]> | null = null;
  private readonly o: Required<TrendingOptions>;
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly directory: SiteDirectory,
    opts: TrendingOptions,
  ) {
    this.o = { blockSize: 6, listSize: 10, mostReadHours: 24, now: () => new Date(), ...opts };
  }

  /** Called with the ids of sites whose trending or most-read lists changed. */
  onChange(fn: ChangeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * A taken-down story leaves every list at once (before the next request); an edited one that is shown
   * somewhere is refreshed, so its new headline appears.
   */
  follow(bus: EventBus, onError: (err: unknown) => void = () => {}): () => void {
    return bus.on((e) => {
      if (e.type !== 'article.taken_down' && e.type !== 'article.updated') return;
      if (!this.shows(e.articleId)) return;
      if (e.type === 'article.taken_down') {
        this.drop(e.articleId);
        this.rebuild();
      } else {
        this.refresh().catch(onError);
      }
    });
  }

  private shows(articleId: number): boolean {
    const lists = [
      ...this.bySite.values(),
      ...this.mostReadBySite.values(),
      ...this.mostReadBySection.values(),
    ];
    return (
      lists.some((l) => l.some((i) => i.articleId === articleId)) ||
      [...this.pinned.values()].some((l) => l.some((s) => s.articleId === articleId))
    );
  }

  private drop(articleId: number): void {
    for (const map of [this.bySite, this.mostReadBySite, this.mostReadBySection]) {
      for (const [k, list] of map)
        map.set(
          k,
          list.filter((i) => i.articleId !== articleId),
        );
    }
    for (const [k, list] of this.pinned)
      this.pinned.set(
        k,
        list.filter((s) => s.articleId !== articleId),
      );
  }

  /** The "trending on our other sites" block for a site. From memory: no query. */
  block(siteId: number): TrendingItem[] {
    return this.blocks.get(siteId) ?? [];
  }

  /** This site's own stories, hottest first. */
  trending(siteId: number): TrendingItem[] {
    return this.bySite.get(siteId) ?? [];
  }

  /** Most read on a site, or in one of its sections, over the last day. Empty until someone has read. */
  mostRead(siteId: number, sectionId?: number): TrendingItem[] {
    const list =
      sectionId === undefined ? this.mostReadBySite.get(siteId) : this.mostReadBySection.get(sectionId);
    return list ?? [];
  }

  /** Recomputes every list from the database; resolves with the sites whose lists changed. */
  refresh(): Promise<number[]> {
    this.refreshing ??= this.load()
      .then(() => this.rebuild())
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    await this.directory.fresh();
    const now = this.o.now();
    const nowMs = now.getTime();
    if (nowMs - this.lastPrune > 3_600_000) {
      this.lastPrune = nowMs;
      await pruneReads(this.db, new Date(nowMs - KEEP_BUCKETS_DAYS * 86_400_000));
    }
    const halfLifeMs = this.o.halfLifeHours * 3_600_000;
    const horizon = Math.max(HORIZON_HALF_LIVES * halfLifeMs, this.o.mostReadHours * 3_600_000);
    const buckets = await readsSince(this.db, new Date(nowMs - horizon));
    const mostReadSince = nowMs - this.o.mostReadHours * 3_600_000;

    // score[site][article]: reads decayed by the age of their hour's midpoint.
    const scores = new Map<number, Map<number, number>>();
    const siteReads = new Map<number, Map<number, number>>();
    const sectionReads = new Map<number, Map<number, number>>();
    const add = (m: Map<number, Map<number, number>>, k: number, article: number, v: number) => {
      const inner = m.get(k) ?? new Map<number, number>();
      m.set(k, inner);
      inner.set(article, (inner.get(article) ?? 0) + v);
    };
    for (const b of buckets) {
      const age = Math.max(0, nowMs - (b.hour.getTime() + 1_800_000));
      add(scores, b.siteId, b.articleId, b.reads * 2 ** (-age / halfLifeMs));
      // The bucket of the hour the window starts in counts whole: hours are the resolution.
      if (b.hour.getTime() > mostReadSince - 3_600_000) {
        add(siteReads, b.siteId, b.articleId, b.reads);
        add(sectionReads, b.sectionId, b.articleId, b.reads);
      }
    }
    const top = (m: Map<number, number> | undefined) =>
      [...(m ?? new Map<number, number>()).entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, this.o.listSize * 2);

    this.overrides = await listOverrides(this.db);
    this.sources = await listSources(this.db);
    const wanted = new Set<number>(this.overrides.filter((o) => o.action === 'pin').map((o) => o.articleId));
    for (const m of [scores, siteReads, sectionReads])
      for (const inner of m.values()) for (const [a] of top(inner)) wanted.add(a);
    const stories = await liveStories(this.db, [...wanted]);
    const placementOn = new Map(stories.map((s) => [`${s.siteId}:${s.articleId}`, s]));

    const bySite = new Map<number, TrendingItem[]>();
    const mostReadBySite = new Map<number, TrendingItem[]>();
    const mostReadBySection = new Map<number, TrendingItem[]>();
    for (const ctx of this.directory.all()) {
      const siteId = ctx.site.id;
      const items: TrendingItem[] = [];
      for (const [articleId, score] of top(scores.get(siteId))) {
        const story = placementOn.get(`${siteId}:${articleId}`);
        const item = story && this.item(story, score, 0);
        if (item) items.push(item);
        if (items.length >= this.o.listSize) break;
      }
      if (items.length < this.o.listSize) {
        for (const story of await newestOwnStories(this.db, siteId, this.o.listSize)) {
          if (items.length >= this.o.listSize) break;
          if (items.some((i) => i.articleId === story.articleId)) continue;
          const item = this.item(story, 0, 0);
          if (item) items.push(item);
        }
      }
      bySite.set(siteId, items);
      mostReadBySite.set(
        siteId,
        this.ranked(top(siteReads.get(siteId)), (a) => placementOn.get(`${siteId}:${a}`)),
      );
      for (const section of ctx.sections) {
        mostReadBySection.set(
          section.id,
          this.ranked(top(sectionReads.get(section.id)), (a) => {
            const s = placementOn.get(`${siteId}:${a}`);
            return s?.sectionId === section.id ? s : undefined;
          }),
        );
      }
    }
    const pinned = new Map<number, StoryRow[]>();
    for (const o of this.overrides) {
      if (o.action !== 'pin') continue;
      const onSites = stories.filter((s) => s.articleId === o.articleId);
      const story = onSites.find((s) => s.canonical) ?? onSites[0];
      if (story) pinned.set(o.siteId, [...(pinned.get(o.siteId) ?? []), story]);
    }
    this.bySite = bySite;
    this.mostReadBySite = mostReadBySite;
    this.mostReadBySection = mostReadBySection;
    this.pinned = pinned;
  }

  private ranked(
    entries: [number, number][],
    story: (articleId: number) => StoryRow | undefined,
  ): TrendingItem[] {
    const out: TrendingItem[] = [];
    for (const [articleId, reads] of entries) {
      const s = story(articleId);
      const item = s && this.item(s, 0, reads);
      if (item) out.push(item);
      if (out.length >= this.o.listSize) break;
    }
    return out;
  }

  private item(s: StoryRow, score: number, reads: number): TrendingItem | null {
    const ctx = this.directory.byIdOrUndefined(s.siteId);
    const section = ctx?.sectionsById.get(s.sectionId);
    if (!ctx || !section) return null;
    return {
      articleId: s.articleId,
      placementId: s.placementId,
      siteId: s.siteId,
      sectionId: s.sectionId,
      path: storyPath(section.slug, s.slug),
      headline: s.headline,
      category: section.name,
      siteName: ctx.site.name,
      leadMediaId: s.leadMediaId,
      publishedAt: s.publishedAt,
      canonical: s.canonical,
      score,
      reads,
    };
  }

  /** Builds every site's block from the lists in memory and tells listeners which sites changed. */
  private rebuild(): number[] {
    const blocks = new Map<number, TrendingItem[]>();
    for (const ctx of this.directory.all()) blocks.set(ctx.site.id, this.composeBlock(ctx.site.id));
    this.blocks = blocks;
    const changed: number[] = [];
    for (const ctx of this.directory.all()) {
      const id = ctx.site.id;
      const sig = JSON.stringify([
        this.block(id).map(sigOf),
        this.mostRead(id).map(sigOf),
        ctx.sections.map((s) => this.mostRead(id, s.id).map(sigOf)),
      ]);
      if (this.signatures.get(id) !== sig) {
        this.signatures.set(id, sig);
        changed.push(id);
      }
    }
    if (changed.length > 0) for (const l of this.listeners) l(changed);
    return changed;
  }

  private composeBlock(siteId: number): TrendingItem[] {
    const configured = this.sources.get(siteId);
    const sourceIds = (configured ?? this.directory.all().map((c) => c.site.id)).filter(
      (id) => id !== siteId,
    );
    const excluded = new Set(
      this.overrides.filter((o) => o.siteId === siteId && o.action === 'exclude').map((o) => o.articleId),
    );
    const out: TrendingItem[] = [];
    const taken = new Set<number>();
    for (const story of this.pinned.get(siteId) ?? []) {
      const item = this.item(story, 0, 0);
      if (item && !taken.has(item.articleId) && out.length < this.o.blockSize) {
        out.push(item);
        taken.add(item.articleId);
      }
    }
    // Hottest source first, then take turns, so the block is a mix of sites.
    const lists = sourceIds
      .map((id) => (this.bySite.get(id) ?? []).filter((i) => !excluded.has(i.articleId)))
      .filter((l) => l.length > 0)
      .sort((a, b) => (b[0]?.score ?? 0) - (a[0]?.score ?? 0));
    const cursors = lists.map(() => 0);
    while (out.length < this.o.blockSize) {
      let progressed = false;
      for (let i = 0; i < lists.length && out.length < this.o.blockSize; i++) {
        const list = lists[i]!;
        while (cursors[i]! < list.length) {
          const item = list[cursors[i]!]!;
          cursors[i]!++;
          // A sister site's republication of someone else's story is not its own trending story.
          if (taken.has(item.articleId) || !item.canonical) continue;
          out.push(item);
          taken.add(item.articleId);
          progressed = true;
          break;
        }
      }
      if (!progressed) break;
    }
    return out;
  }

  // Operator choices. Each takes effect at once: it refreshes, and changed blocks drop their pages.

  async pin(siteId: number, articleId: number, position = 0): Promise<void> {
    await setOverride(this.db, { siteId, articleId, action: 'pin', position });
    await this.refresh();
  }

  async exclude(siteId: number, articleId: number): Promise<void> {
    await setOverride(this.db, { siteId, articleId, action: 'exclude', position: 0 });
    await this.refresh();
  }

  async clearOverride(siteId: number, articleId: number): Promise<void> {
    await clearOverride(this.db, siteId, articleId);
    await this.refresh();
  }

  /** Which sites feed a site's block: a list (empty: no block), or null for every other site. */
  async setSources(siteId: number, sourceSiteIds: number[] | null): Promise<void> {
    await replaceSources(this.db, siteId, sourceSiteIds);
    await this.refresh();
  }
}

function sigOf(i: TrendingItem): string {
  return `${i.placementId}|${i.headline}|${i.category}|${i.siteName}`;
}
