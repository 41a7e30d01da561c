// The composition root: opens the database, runs migrations, and wires the services, the event log and the
// site directory together. The server and the CLI both start from here.
import type { Logger } from 'pino';
import { ProviderClients } from './accounts/providers.ts';
import { AccountService } from './accounts/service.ts';
import { SocialService } from './accounts/social.ts';
import { StaffAuth } from './admin/staff-auth.ts';
import { ApiKeyService } from './api/keys.ts';
import { ArticleReader } from './articles/reader.ts';
import { ArticleService } from './articles/service.ts';
import { installImport } from './comments/import/install.tsx';
import { installMembers } from './comments/members/install.tsx';
import { CommentService, commentLimitsFrom } from './comments/service.ts';
import type { Config } from './config/config.ts';
import type { ConnectionLog } from './db/availability.ts';
import { type Db, openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { EventBus } from './events/bus.ts';
import { EventLogTail, Events } from './events/log.ts';
import { FeedService } from './feeds/service.ts';
import { JobQueue } from './jobs/queue.ts';
import { repeatEvery } from './jobs/repeat.ts';
import { installRegistration } from './live-events/registration/install.ts';
import type { EventRegistrations } from './live-events/registration/service.ts';
import { MailService } from './mail/mailer.ts';
import { MediaService } from './media/service.ts';
import { FilesystemStorage } from './media/storage.ts';
import { type Alerts, installAlerts } from './newsletters/alerts/install.ts';
import { type Digests, installDigests, startDigestScheduler } from './newsletters/digests/install.ts';
import type { SuppressionList } from './newsletters/feedback/suppressions.ts';
import type { NewsletterSender } from './newsletters/sending/engine.ts';
import { installSending } from './newsletters/sending/install.ts';
import { installSignup, type NewsletterSignup } from './newsletters/signup/install.tsx';
import { OutboundClient } from './outbound/client.ts';
import { SearchIndexer } from './search/indexer.ts';
import { SearchService } from './search/service.ts';
import { SectionService } from './sections/service.ts';
import { SiteDirectory } from './sites/directory.ts';
import { SiteService } from './sites/service.ts';
import { configuredUrls } from './sites/urls.ts';
import { ReadCounter } from './trending/reads.ts';
import { TrendingService } from './trending/service.ts';
import { WebhookService } from './webhooks/service.ts';
import { WireService } from './wire/service.ts';

export interface Runtime {
  config: Config;
  db: Db;
  bus: EventBus;
  tail: EventLogTail;
  events: Events;
  sites: SiteService;
  sections: SectionService;
  articles: ArticleService;
  media: MediaService;
  directory: SiteDirectory;
  reader: ArticleReader;
  search: SearchService;
  /** Keeps the search index in step with published stories, following the event bus. */
  searchIndexer: SearchIndexer;
  /** Counts page reads in memory and writes them in batches. */
  reads: ReadCounter;
  /** The trending and most-read lists, kept in memory and refreshed in the background. */
  trending: TrendingService;
  feeds: FeedService;
  /** Keys of the content API. */
  apiKeys: ApiKeyService;
  /** Webhook endpoints; deliveries run on the job queue. */
  webhooks: WebhookService;
  /**
   * Starts what a serving process does in the background: flushing read counts, refreshing trending,
   * syncing the search index and dispatching webhooks. Trending is computed once before this resolves, so
   * the first pages already carry their blocks. The server calls it when it is ready.
   */
  startBackgroundWork(): Promise<void>;
  /** Stops that work and waits for what is in flight (also in CLI processes that never started it). */
  stopBackgroundWork(): Promise<void>;
  /** Durable background jobs; the server runs the worker (see web/server.tsx). */
  jobs: JobQueue;
  wire: WireService;
  /** Outgoing mail: SMTP when SMTP_URL is set, else the outbox (sent by jobs). */
  mail: MailService;
  /** Reader and staff accounts, sessions and sign-in across the network. */
  accounts: AccountService;
  social: SocialService;
  /** Staff sign-in and sessions of the newsroom admin (src/admin/). */
  staff: StaffAuth;
  /** Comments: posting, votes, reports, moderation, sanctions (src/comments/service.ts). */
  comments: CommentService;
  /** Newsletter sends: freezing recipients, batches over the pooled SMTP transport, progress (src/newsletters/sending). */
  newsletterSender: NewsletterSender;
  /** The bulk-mail suppression list that bounces and complaints feed (src/newsletters/feedback). */
  suppressions: SuppressionList;
  /** Breaking alerts by email and web push (src/newsletters/alerts, src/newsletters/push). */
  alerts: Alerts;
  /** Newsletters, the reader's side: lists, signup, confirmation, preferences (src/newsletters/signup/). */
  newsletterSignup: NewsletterSignup;
  /** Registration for events: capacity, waitlist, confirmation and claim links (src/live-events/registration/). */
  eventRegistration: EventRegistrations;
  /** Digests: the next issue of each, the scheduler, the editor's changes (src/newsletters/digests). */
  digests: Digests;
  close(): Promise<void>;
}

/** Lost and regained connections are warnings and notes; a logger with only error() reports them there. */
function connectionLogOf(log: Pick<Logger, 'error'> & Partial<Pick<Logger, 'warn' | 'info'>>): ConnectionLog {
  return {
    warn: (obj, msg) => (log.warn ?? log.error).call(log, obj, msg),
    info: (obj, msg) => (log.info ?? log.error).call(log, obj, msg),
  };
}

export async function openRuntime(
  config: Config,
  log: Pick<Logger, 'error'> & Partial<Pick<Logger, 'warn' | 'info'>>,
  opts: { db?: Db } = {},
): Promise<Runtime> {
  const connectionLog = connectionLogOf(log);
  const db = opts.db ?? (await openDatabase({ url: config.databaseUrl, log: connectionLog }));
  await migrateToLatest(db);
  const bus = new EventBus((err, event) => log.error({ err, event }, 'an event listener failed'));
  const tail = new EventLogTail(db, bus, connectionLog);
  await tail.start();
  const events = new Events(db, bus, tail);
  const directory = new SiteDirectory(db);
  directory.follow(bus);
  await directory.load();
  // Site changes made while the event-log listener was away were not heard: read the sites again.
  tail.onResync(() => {
    directory.load().catch((err) => log.error({ err }, 'reloading the sites after a reconnect failed'));
  });
  const media = new MediaService(db, new FilesystemStorage(config.mediaDir), {
    maxUploadBytes: config.maxUploadBytes,
    maxImagePixels: config.maxImagePixels,
  });
  const sections = new SectionService(events);
  const reader = new ArticleReader(db, media, (id) => {
    for (const ctx of directory.all()) {
      const s = ctx.sectionsById.get(id);
      if (s) return { siteId: s.siteId, slug: s.slug };
    }
    return undefined;
  });
  const sites = new SiteService(events);
  const articles = new ArticleService(events);
  const jobs = new JobQueue(db, {
    onError: (err, job) => log.error({ err, job: job.key }, 'a background job failed'),
  });
  // One guarded client for every request to a URL someone else chose: pictures, feeds, webhooks.
  const outbound = new OutboundClient({
    allow: config.outboundAllow,
    log: (detail, msg) => (log.warn ?? log.error).call(log, detail, msg),
  });
  const wire = new WireService({
    db,
    outbound,
    articles,
    events,
    media,
    sites,
    sections,
    options: {
      maxBodyBytes: config.wireMaxBodyBytes,
      maxDocumentBytes: config.wireMaxDocumentBytes,
      maxPictureBytes: config.maxUploadBytes,
      fetchTimeoutMs: config.wireFetchTimeoutSeconds * 1000,
    },
  });
  wire.registerJobs(jobs);
  const onError = (what: string) => (err: unknown) => log.error({ err }, what);
  const search = new SearchService(db, { workers: config.searchWorkers, timeoutMs: config.searchTimeoutMs });
  const searchIndexer = new SearchIndexer(db, articles, directory, onError('search indexing failed'));
  searchIndexer.follow(bus);
  const reads = new ReadCounter(db, { dedupeMs: config.readDedupeMinutes * 60_000 });
  const trending = new TrendingService(db, directory, { halfLifeHours: config.trendingHalfLifeHours });
  trending.follow(bus, onError('trending refresh failed'));
  const feeds = new FeedService(db, media, {
    content: config.feedContent,
    maxBodyBytes: config.feedMaxBodyBytes,
  });
  const apiKeys = new ApiKeyService(db);
  const webhooks = new WebhookService(db, jobs, articles, directory, {
    onError: onError('webhook dispatch failed'),
    publicUrls: configuredUrls(config),
    outbound,
  });
  webhooks.follow(bus);
  const background = { stops: [] as (() => void)[], started: false };
  async function startBackgroundWork(): Promise<void> {
    if (background.started) return;
    background.started = true;
    const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
      background.stops.push(repeatEvery(ms, fn, onError(what)));
    };
    await reads.prepare();
    await trending.refresh().catch(onError('trending refresh failed'));
    searchIndexer.syncInBackground();
    every(config.readFlushSeconds * 1000, 'flushing read counts failed', () => reads.flush());
    every(config.trendingRefreshSeconds * 1000, 'trending refresh failed', () => trending.refresh());
    webhooks.start();
    newsletterSignup.startBackground(every);
    // Sends whose process died resume here (and any whose job gave up, every minute).
    await newsletterSender.recover({ force: true }).catch(onError('resuming newsletter sends failed'));
    every(60_000, 'resuming newsletter sends failed', () => newsletterSender.recover());
    startDigestScheduler(digests, every);
  }
  async function stopBackgroundWork(): Promise<void> {
    for (const stop of background.stops) stop();
    background.stops = [];
    await webhooks.stop();
    if (background.started) {
      background.started = false;
      await reads.flush().catch(onError('flushing read counts failed'));
    }
    await searchIndexer.idle();
    await search.close();
  }
  const mail = new MailService(db, jobs, {
    from: config.mailFrom,
    smtpUrl: config.smtpUrl,
    perRecipientPerHour: config.mailPerRecipientPerHour,
    log: { error: (obj, msg) => log.error(obj, msg) },
  });
  const accounts = new AccountService(db, mail, jobs, directory, config);
  await accounts.init();
  accounts.limits.factory.reportTo(connectionLog);
  await accounts.limits.factory.connected();
  const social = new SocialService(db, accounts, new ProviderClients(config.authProviders), mail);
  // Member pages' parts outside the server: the comments.notify mail job, comments in data download and
  // account deletion, and the Comments section of My account (src/comments/members/).
  installMembers({ config, db, bus, events, jobs, mail, directory, accounts });
  // Claiming imported comments when a reader proves the same address, and My account's claim section.
  installImport({ db, events, accounts });
  // Newsletter lists and signups, My account's "Newsletters and alerts", the news-alert invitation's list.
  const newsletterSignup = installSignup({ config, db, events, mail, directory, accounts });
  // Event registration and the job that passes lapsed waitlist offers on (src/live-events/registration/).
  const eventRegistration = installRegistration({ config, db, events, mail, jobs, directory, accounts });
  // Newsletter sending: the bulk transport, the send engine and its jobs, the suppression list.
  const { sender: newsletterSender, suppressions } = installSending({
    config,
    db,
    jobs,
    directory,
    signingKey: () => accounts.signingKey,
    log: {
      error: (obj, msg) => log.error(obj, msg),
      warn: (obj, msg) => (log.warn ?? log.error).call(log, obj, msg),
    },
  });
  // Breaking alerts: urgent stories go out to each site's alert list by email and web push.
  const alerts = await installAlerts({
    config,
    db,
    bus,
    jobs,
    directory,
    log: (detail, msg) => (log.warn ?? log.error).call(log, detail, msg),
    onError: onError('a breaking alert failed'),
    mail: newsletterSender,
  });
  // Digests composed from the site's stories on their schedule, sent through the engine above.
  const digests = installDigests({
    db,
    bus,
    lists: newsletterSignup.lists,
    sender: newsletterSender,
    directory,
    urls: configuredUrls(config),
    signingKey: () => accounts.signingKey,
    onError: (err, what) => log.error({ err }, what),
  });
  const staff = new StaffAuth(db, accounts, config);
  const comments = new CommentService({
    db,
    events,
    jobs,
    limits: accounts.limits.factory,
    mail,
    onError: onError('recording comment tallies failed'),
    settings: {
      maxLength: config.commentMaxLength,
      maxLinks: config.commentMaxLinks,
      editMinutes: config.commentEditMinutes,
      reportsToHold: config.commentReportsToHold,
      limits: commentLimitsFrom(config.commentPostsPerMinute, config.commentVotesPerMinute),
    },
  });
  return {
    config,
    db,
    bus,
    tail,
    events,
    sites,
    sections,
    articles,
    media,
    directory,
    reader,
    search,
    searchIndexer,
    reads,
    trending,
    feeds,
    apiKeys,
    webhooks,
    startBackgroundWork,
    stopBackgroundWork,
    jobs,
    wire,
    mail,
    accounts,
    social,
    staff,
    comments,
    newsletterSender,
    suppressions,
    alerts,
    newsletterSignup,
    eventRegistration,
    digests,
    async close() {
      await comments.close();
      await accounts.close();
      mail.close();
      newsletterSender.close();
      await stopBackgroundWork();
      await jobs.stop();
      await tail.stop();
      await db.close();
    },
  };
}
