// Wires the discovery features together for the runtime: search index and service, read counting and
// trending, feeds, the content API's keys and webhooks, plus what pages add (structured data, blocks). It
// also owns their background work: flushing read counts, refreshing trending, syncing the search index,
// dispatching and delivering webhooks. The server starts and stops that work with itself.

import { ApiKeyService } from '../api/keys.ts';
import type { PictureInfo } from '../articles/reader.ts';
import type { ArticleService } from '../articles/service.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/connection.ts';
import type { EventBus } from '../events/bus.ts';
import { FeedService } from '../feeds/service.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { repeatEvery } from '../jobs/repeat.ts';
import type { OutboundClient } from '../outbound/client.ts';
import { SearchIndexer } from '../search/indexer.ts';
import { SearchService } from '../search/service.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import { configuredUrls } from '../sites/urls.ts';
import { ReadCounter } from '../trending/reads.ts';
import { TrendingService } from '../trending/service.ts';
import { WebhookService } from '../webhooks/service.ts';
import { DiscoveryPageExtras } from './page-extras.tsx';

export interface DiscoveryDeps {
  db: Db;
  bus: EventBus;
  articles: ArticleService;
  directory: SiteDirectory;
  /** The runtime's durable job queue: webhook deliveries run on it. */
  jobs: JobQueue;
  media: { getMany(ids: number[]): Promise<PictureInfo[]> };
  config: Pick<
    Config,
    | 'feedContent'
    | 'feedMaxBodyBytes'
    | 'trendingHalfLifeHours'
    | 'trendingRefreshSeconds'
    | 'readFlushSeconds'
    | 'readDedupeMinutes'
    | 'apiCorsOrigins'
    | 'searchWorkers'
    | 'searchTimeoutMs'
    | 'publicScheme'
    | 'publicPort'
    | 'nodeEnv'
    | 'port'
  >;
  log: { error(obj: unknown, msg?: string): void };
  /** The guarded client webhook deliveries go through. */
  outbound: OutboundClient;
}

export class Discovery {
  readonly search: SearchService;
  readonly indexer: SearchIndexer;
  readonly reads: ReadCounter;
  readonly trending: TrendingService;
  readonly feeds: FeedService;
  readonly apiKeys: ApiKeyService;
  readonly webhooks: WebhookService;
  readonly pageExtras: DiscoveryPageExtras;
  readonly corsOrigins: string[];
  private stops: (() => void)[] = [];
  private started = false;

  constructor(private readonly deps: DiscoveryDeps) {
    const { db, bus, articles, directory, media, config, log, jobs } = deps;
    const onError = (what: string) => (err: unknown) => log.error({ err }, what);
    this.search = new SearchService(db, {
      workers: config.searchWorkers,
      timeoutMs: config.searchTimeoutMs,
    });
    this.indexer = new SearchIndexer(db, articles, directory, onError('search indexing failed'));
    this.indexer.follow(bus);
    this.reads = new ReadCounter(db, { dedupeMs: config.readDedupeMinutes * 60_000 });
    this.trending = new TrendingService(db, directory, { halfLifeHours: config.trendingHalfLifeHours });
    this.trending.follow(bus, onError('trending refresh failed'));
    this.feeds = new FeedService(db, media, {
      content: config.feedContent,
      maxBodyBytes: config.feedMaxBodyBytes,
    });
    this.apiKeys = new ApiKeyService(db);
    this.webhooks = new WebhookService(db, jobs, articles, directory, {
      onError: onError('webhook dispatch failed'),
      publicUrls: configuredUrls(config),
      outbound: deps.outbound,
    });
    this.webhooks.follow(bus);
    this.pageExtras = new DiscoveryPageExtras(directory, media, this.trending);
    this.corsOrigins = config.apiCorsOrigins;
  }

  /**
   * Starts the background work of a serving process. Trending is computed once before this resolves, so
   * the first pages already carry their blocks.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { config, log } = this.deps;
    const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
      this.stops.push(repeatEvery(ms, fn, (err) => log.error({ err }, what)));
    };
    await this.reads.prepare();
    await this.trending.refresh().catch((err) => log.error({ err }, 'trending refresh failed'));
    this.indexer.syncInBackground();
    every(config.readFlushSeconds * 1000, 'flushing read counts failed', () => this.reads.flush());
    every(config.trendingRefreshSeconds * 1000, 'trending refresh failed', () => this.trending.refresh());
    this.webhooks.start();
  }

  /** Stops background work and waits for what is in flight (also in CLI processes that never started). */
  async stop(): Promise<void> {
    for (const stop of this.stops) stop();
    this.stops = [];
    await this.webhooks.stop();
    if (this.started) {
      this.started = false;
      await this.reads.flush().catch((err) => this.deps.log.error({ err }, 'flushing read counts failed'));
    }
    await this.indexer.idle();
    await this.search.close();
  }
}
