// The wire feature as the rest of Dateline sees it: set-up (agencies, rules, pollers), ingest from files,
// the API and pollers, the review queue, expiry, and the problems list for editors. The runtime holds one;
// the CLI, the HTTP routes, the scheduler and the bench all go through it.
import type { ArticleService } from '../articles/service.ts';
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { Events } from '../events/log.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { MediaService } from '../media/service.ts';
import { OutboundClient } from '../outbound/client.ts';
import type { SectionService } from '../sections/service.ts';
import type { SiteService } from '../sites/service.ts';
import { type ItemEntry, type WireDocument, WireIngester } from './ingester.ts';
import {
  type Agency,
  emptySummary,
  type IngestSummary,
  mergeSummary,
  type Problem,
  type Story,
} from './model.ts';
import type { WireItem } from './parse/types.ts';
import { WirePollers } from './pollers.ts';
import {
  findAgency,
  findInbox,
  findStory,
  finishInbox,
  insertInbox,
  listProblems,
  listStories,
  pruneOld,
  setStoryState,
  storiesDueToExpire,
  storyArticles,
  withdrawPending,
} from './repository.ts';
import { ReviewQueue } from './review-queue.ts';
import { WireSetup } from './setup.ts';
import { expandPaths, readDocumentFile } from './sources.ts';

export const INBOX_JOB = 'wire.inbox';
/** Problems and finished deliveries are kept this long for editors, then dropped (checked hourly). */
const KEEP_HISTORY_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/** Text for the inbox: UTF-8 as is; anything else (a Latin-1 XML feed) kept exactly, as base64. */
export function encodeBody(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : `b64:${bytes.toString('base64')}`;
}

export function decodeBody(body: string): string | Buffer {
  return body.startsWith('b64:') ? Buffer.from(body.slice(4), 'base64') : body;
}

export interface WireOptions {
  /** Largest story body accepted, in UTF-8 bytes (DATELINE_WIRE_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Largest document (file, API request, feed) accepted (DATELINE_WIRE_MAX_DOCUMENT_BYTES). */
  maxDocumentBytes: number;
  maxPictureBytes: number;
  fetchTimeoutMs: number;
  /** Folder pollers leave files younger than this alone: they may still be being written. */
  pollSettleMs: number;
}

export const DEFAULT_WIRE_OPTIONS: WireOptions = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxDocumentBytes: 50 * 1024 * 1024,
  maxPictureBytes: 25 * 1024 * 1024,
  fetchTimeoutMs: 20_000,
  pollSettleMs: 2_000,
};

export interface WireDeps {
  db: Db;
  articles: ArticleService;
  events: Pick<Events, 'published'>;
  media: Pick<MediaService, 'addImage'>;
  sites: SiteService;
  sections: SectionService;
  options?: Partial<WireOptions>;
  now?: () => Date;
  /**
   * The guarded client for pictures and feeds. Without one, a client with an empty allow-list: only public
   * addresses are fetched from.
   */
  outbound?: OutboundClient;
}

export class WireService {
  readonly setup: WireSetup;
  readonly ingester: WireIngester;
  readonly queue: ReviewQueue;
  readonly pollers: WirePollers;
  readonly options: WireOptions;
  private readonly now: () => Date;
  private lastPrune = 0;

  constructor(private readonly deps: WireDeps) {
    this.now = deps.now ?? (() => new Date());
    this.options = { ...DEFAULT_WIRE_OPTIONS, ...deps.options };
    const o = this.options;
    const outbound = deps.outbound ?? new OutboundClient();
    this.setup = new WireSetup(deps.db, deps.sites, deps.sections, deps.articles, this.now, outbound);
    this.ingester = new WireIngester({
      db: deps.db,
      articles: deps.articles,
      events: deps.events,
      media: deps.media,
      sites: deps.sites,
      sections: deps.sections,
      now: this.now,
      options: {
        maxBodyBytes: o.maxBodyBytes,
        maxPictureBytes: o.maxPictureBytes,
        fetchTimeoutMs: o.fetchTimeoutMs,
      },
      outbound,
    });
    this.queue = new ReviewQueue(deps.db, deps.articles, this.ingester, deps.sites, deps.sections, this.now);
    this.pollers = new WirePollers(
      deps.db,
      this.ingester,
      {
        maxDocumentBytes: o.maxDocumentBytes,
        fetchTimeoutMs: o.fetchTimeoutMs,
        settleMs: o.pollSettleMs,
        outbound,
      },
      this.now,
    );
  }

  private get q() {
    return this.deps.db.kysely;
  }

  /** The job kinds the wire feature runs: polls, and API deliveries not yet ingested after a restart. */
  registerJobs(jobs: JobQueue): void {
    this.pollers.register(jobs);
    jobs.register<{ inboxId: number }>(INBOX_JOB, async (payload) => {
      await this.processInbox(payload.inboxId);
    });
  }

  /**
   * The agency to ingest for: the one named, or the only one there is. With several agencies and none named,
   * the caller must say which, since identity, licences and credits all depend on it.
   */
  async resolveAgency(slug?: string): Promise<Agency> {
    if (slug) return this.setup.requireAgency(slug);
    const all = await this.setup.listAgencies();
    if (all.length === 1) return all[0]!;
    if (all.length === 0) {
      throw new DatelineError(
        'WIRE_AGENCY_NOT_FOUND',
        'No agency is set up, so there is no one to credit and no licence to check. Add one with `dateline wire agency add SLUG --name NAME --site SITE`.',
      );
    }
    throw new DatelineError(
      'WIRE_AGENCY_NOT_FOUND',
      `Several agencies are set up (${all.map((a) => a.slug).join(', ')}); say which one sent these files with --agency SLUG.`,
    );
  }

  /** `dateline wire ingest PATH…`: files, folders and globs, all applied as one delivery. */
  async ingestPaths(agency: Agency, paths: string[], opts: { actor?: string } = {}): Promise<IngestSummary> {
    const { files, missing } = await expandPaths(paths);
    const docs: WireDocument[] = missing.map((m) => ({
      source: m.path,
      content: '',
      allowFiles: true,
      unreadable: {
        code: 'DATELINE_ERR_WIRE_SOURCE_UNREADABLE',
        reason: `${m.path}: ${m.reason}. Check the path.`,
      },
    }));
    for (const f of files) docs.push(await readDocumentFile(f, null, this.options.maxDocumentBytes));
    return this.ingester.ingestDocuments(agency, docs, opts);
  }

  /** For the bench and tests: applies parsed items for an agency, each in its own transaction. */
  ingestItems(
    agency: Agency,
    items: (WireItem | ItemEntry)[],
    opts: { source?: string; actor?: string } = {},
  ): Promise<IngestSummary> {
    const entries = items.map((i) => ('item' in i ? i : { item: i, source: opts.source ?? 'bench' }));
    return this.ingester.ingestItems(agency, entries, opts);
  }

  /**
   * An API delivery: each document is written to the inbox with a recovery job first, so a crash loses
   * nothing; then ingested at once (`wait`) or left to the job worker. A delivery already ingested is never
   * ingested again by its job.
   */
  async deliver(
    agency: Agency,
    docs: { name: string; content: string }[],
    opts: { jobs: JobQueue | null; wait: boolean },
  ): Promise<{ deliveries: number[]; summary: IngestSummary | null }> {
    const now = this.now();
    const ids = await this.q.transaction().execute(async (trx) => {
      const ids: number[] = [];
      for (const d of docs) {
        const id = await insertInbox(
          trx,
          { agencyId: agency.id, source: `api://${agency.slug}/${d.name}`, body: d.content },
          now,
        );
        ids.push(id);
        // When the request waits, the job is only the safety net for a crash in the middle; otherwise it is the work.
        const runAt = new Date(now.getTime() + (opts.wait ? 60_000 : 0));
        await opts.jobs?.enqueue(INBOX_JOB, `${INBOX_JOB}:${id}`, { inboxId: id }, { runAt, trx });
      }
      return ids;
    });
    if (!opts.wait) return { deliveries: ids, summary: null };
    const summary = emptySummary();
    for (const id of ids) {
      const one = await this.processInbox(id);
      if (one) mergeSummary(summary, one);
    }
    return { deliveries: ids, summary };
  }

  /** Ingests one inbox delivery unless that was already done; returns its summary, or null if nothing to do. */
  async processInbox(id: number): Promise<IngestSummary | null> {
    const row = await findInbox(this.q, id);
    if (!row || row.state === 'done') return null;
    const agency = await findAgency(this.q, { id: row.agencyId });
    if (!agency) return null;
    const summary = await this.ingester.ingestDocuments(agency, [
      { source: row.source, content: decodeBody(row.body), allowFiles: false },
    ]);
    await finishInbox(this.q, id, { counts: summary.counts }, this.now());
    return summary;
  }

  async delivery(id: number) {
    const row = await findInbox(this.q, id);
    return row
      ? {
          id: row.id,
          state: row.state,
          source: row.source,
          summary: row.summary,
          receivedAt: row.receivedAt,
          doneAt: row.doneAt,
        }
      : null;
  }

  /**
   * Takes down every story whose `expires` time (or the agency's retention) has passed, on every site, and
   * withdraws it from the queue. Runs every second in the server; safe to run from several nodes at once.
   */
  async expireDue(limit = 200): Promise<number> {
    const now = this.now();
    let done = 0;
    for (const id of await storiesDueToExpire(this.q, now, limit)) {
      const story = await findStory(this.q, { id });
      if (story?.state !== 'active') continue;
      const links = await storyArticles(this.q, id);
      const reason = `Expired: the agency's usage period ended at ${story.expiresAt?.toISOString()}`;
      await this.deps.articles.inTransaction(async (unit) => {
        for (const l of links) await this.deps.articles.takeDown(l.articleId, reason, 'wire:expiry', unit);
        await withdrawPending(unit.trx, id, 'wire:expiry', now);
        await setStoryState(unit.trx, id, 'expired', now);
        await unit.trx
          .insertInto('audit_log')
          .values({
            actor: 'wire:expiry',
            action: 'wire.expired',
            subject_type: 'wire_story',
            subject_id: String(id),
            detail: JSON.stringify({
              uri: story.uri,
              expiresAt: story.expiresAt,
              articles: links.map((l) => l.articleId),
            }),
          })
          .execute();
      });
      done++;
    }
    return done;
  }

  /** One pass of the wire's periodic work: expiry, queueing the pollers that are due, and housekeeping. */
  async tick(jobs: JobQueue | null): Promise<void> {
    await this.expireDue();
    if (jobs) await this.pollers.scheduleDue(jobs);
    const now = this.now().getTime();
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await pruneOld(this.q, new Date(now - KEEP_HISTORY_MS));
    }
  }

  problems(opts: { limit?: number; item?: string } = {}): Promise<Problem[]> {
    return listProblems(this.q, {
      limit: opts.limit ?? 100,
      ...(opts.item !== undefined && { item: opts.item }),
    });
  }

  stories(opts: { limit?: number } = {}): Promise<Story[]> {
    return listStories(this.q, { limit: opts.limit ?? 50 });
  }

  story(agencyId: number, uri: string): Promise<Story | null> {
    return findStory(this.q, { agencyId, uri });
  }

  async storyArticles(storyId: number) {
    return storyArticles(this.q, storyId);
  }
}
