// Pollers bring wire copy in on a schedule: a folder an agency drops files into, or a feed URL (RSS, Atom,
// ninjs over HTTP) fetched with conditional GET. Each poll runs as a durable job keyed by the poller and its
// due time, so a restart neither loses a poll nor runs one twice; the ingest itself is idempotent, so a poll
// that crashed half-way and runs again changes nothing it had already done. Failures back off exponentially.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/connection.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { OutboundClient } from '../outbound/client.ts';
import { httpGet, ReadFailure } from './fetch.ts';
import type { WireDocument, WireIngester } from './ingester.ts';
import { emptySummary, type IngestSummary, type Poller } from './model.ts';
import {
  duePollers,
  findAgency,
  findPoller,
  insertProblems,
  markFileSeen,
  seenFiles,
  updatePoller,
} from './repository.ts';
import { readDocumentFile } from './sources.ts';

export const POLL_JOB = 'wire.poll';
const DOCUMENT_EXTENSIONS = /\.(json|ninjs|xml|rss|atom)$/i;
const MAX_BACKOFF_SECONDS = 3600;

export interface PollerOptions {
  maxDocumentBytes: number;
  fetchTimeoutMs: number;
  /** A file modified more recently than this may still be being written; it is picked up next time. */
  settleMs: number;
  /** The guarded client feed polls go through. */
  outbound: OutboundClient;
}

export interface PollReport {
  pollerId: number;
  kind: Poller['kind'];
  location: string;
  status: 'ok' | 'not_modified' | 'failed' | 'disabled';
  files: number;
  summary: IngestSummary;
  error: string | null;
  nextRunAt: Date;
}

export class WirePollers {
  constructor(
    private readonly db: Db,
    private readonly ingester: WireIngester,
    private readonly options: PollerOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get q() {
    return this.db.kysely;
  }

  register(jobs: JobQueue): void {
    jobs.register<{ pollerId: number }>(POLL_JOB, async (payload) => {
      await this.pollNow(payload.pollerId);
    });
  }

  /** Queues a poll job for every poller that is due; the key makes a second call for the same due time a no-op. */
  async scheduleDue(jobs: JobQueue): Promise<number> {
    let queued = 0;
    for (const p of await duePollers(this.q, this.now())) {
      if (
        await jobs.enqueue(POLL_JOB, `${POLL_JOB}:${p.id}:${p.nextRunAt.toISOString()}`, { pollerId: p.id })
      )
        queued++;
    }
    return queued;
  }

  /** Runs every due poller now, in this process (for `dateline wire poll` without a server). */
  async pollDue(): Promise<PollReport[]> {
    const reports: PollReport[] = [];
    for (const p of await duePollers(this.q, this.now())) reports.push(await this.pollNow(p.id));
    return reports;
  }

  async pollNow(id: number): Promise<PollReport> {
    const poller = await findPoller(this.q, id);
    const now = this.now();
    const base = { files: 0, summary: emptySummary(), error: null };
    if (!poller?.enabled) {
      return {
        pollerId: id,
        kind: poller?.kind ?? 'feed',
        location: poller?.location ?? '',
        status: 'disabled',
        ...base,
        nextRunAt: now,
      };
    }
    const agency = await findAgency(this.q, { id: poller.agencyId });
    if (!agency)
      return {
        pollerId: id,
        kind: poller.kind,
        location: poller.location,
        status: 'disabled',
        ...base,
        nextRunAt: now,
      };
    try {
      const result =
        poller.kind === 'folder'
          ? await this.pollFolder(poller, agency)
          : await this.pollFeed(poller, agency);
      const nextRunAt = new Date(now.getTime() + poller.intervalSeconds * 1000);
      await updatePoller(this.q, id, {
        failures: 0,
        lastError: null,
        lastRunAt: now,
        nextRunAt,
        ...result.state,
      });
      return {
        pollerId: id,
        kind: poller.kind,
        location: poller.location,
        ...base,
        ...result.report,
        nextRunAt,
      };
    } catch (e) {
      const failures = poller.failures + 1;
      const delay = Math.min(
        poller.intervalSeconds * 2 ** failures,
        Math.max(poller.intervalSeconds, MAX_BACKOFF_SECONDS),
      );
      const nextRunAt = new Date(now.getTime() + delay * 1000);
      const message = e instanceof Error ? e.message : String(e);
      const error = `Poll ${failures} in a row failed: ${message}. Trying again at ${nextRunAt.toISOString()}.`;
      await updatePoller(this.q, id, { failures, lastError: error, lastRunAt: now, nextRunAt });
      await insertProblems(
        this.q,
        [
          {
            agencyId: agency.id,
            source: poller.location,
            item: null,
            field: null,
            code: 'DATELINE_ERR_WIRE_FEED_FAILED',
            severity: 'error',
            message: `${poller.location}: ${error} Check that the ${poller.kind === 'folder' ? 'folder exists and is readable' : 'feed URL is right and the agency server is up'}.`,
          },
        ],
        now,
      );
      return {
        pollerId: id,
        kind: poller.kind,
        location: poller.location,
        status: 'failed',
        ...base,
        error,
        nextRunAt,
      };
    }
  }

  private async pollFolder(poller: Poller, agency: NonNullable<Awaited<ReturnType<typeof findAgency>>>) {
    // File times are wall-clock times, so the settle check uses the wall clock too.
    const now = Date.now();
    const seen = await seenFiles(this.q, poller.id);
    let names: string[];
    try {
      names = (await readdir(poller.location)).sort();
    } catch (e) {
      throw new ReadFailure(
        `the folder ${poller.location} cannot be read (${(e as NodeJS.ErrnoException).code})`,
      );
    }
    const fresh: { name: string; signature: string; doc: WireDocument }[] = [];
    let newest = poller.highWater ? Date.parse(poller.highWater) : 0;
    for (const name of names) {
      if (name.startsWith('.') || !DOCUMENT_EXTENSIONS.test(name)) continue;
      const path = join(poller.location, name);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) continue;
      const signature = `${info.size}:${Math.trunc(info.mtimeMs)}`;
      if (seen.get(name) === signature || now - info.mtimeMs < this.options.settleMs) continue;
      fresh.push({
        name,
        signature,
        doc: await readDocumentFile(path, info.size, this.options.maxDocumentBytes),
      });
      newest = Math.max(newest, info.mtimeMs);
    }
    const summary =
      fresh.length > 0
        ? await this.ingester.ingestDocuments(
            agency,
            fresh.map((f) => f.doc),
          )
        : emptySummary();
    // Marked after ingesting: a crash in between means the files are read again, which changes nothing.
    for (const f of fresh) await markFileSeen(this.q, poller.id, f.name, f.signature);
    return {
      report: { status: 'ok' as const, files: fresh.length, summary },
      state: newest > 0 ? { highWater: new Date(newest).toISOString() } : {},
    };
  }

  private async pollFeed(poller: Poller, agency: NonNullable<Awaited<ReturnType<typeof findAgency>>>) {
    const res = await httpGet(
      this.options.outbound,
      poller.location,
      { maxBytes: this.options.maxDocumentBytes, timeoutMs: this.options.fetchTimeoutMs },
      { etag: poller.etag, lastModified: poller.lastModified },
    );
    if (res.status === 304) {
      return { report: { status: 'not_modified' as const, files: 0, summary: emptySummary() }, state: {} };
    }
    if (res.status !== 200 || !res.body)
      throw new ReadFailure(`${poller.location} answered HTTP ${res.status}`);
    const mark = poller.highWater ? new Date(poller.highWater) : null;
    let newest = mark;
    const summary = await this.ingester.ingestDocuments(
      agency,
      [{ source: poller.location, content: res.body, allowFiles: false }],
      {
        skip: (item) => {
          const at = item.versionCreated;
          if (at && (!newest || at > newest)) newest = at;
          // Strictly older than the newest version already seen: a feed keeps old entries for a while.
          return mark && at && at < mark
            ? `${item.uri}: older than the poller's high-water mark (${mark.toISOString()}); already seen.`
            : null;
        },
      },
    );
    return {
      report: { status: 'ok' as const, files: 1, summary },
      // Validators and the mark are saved only after the items are in, so a crash re-fetches rather than skips.
      state: {
        etag: res.etag,
        lastModified: res.lastModified,
        ...(newest && { highWater: (newest as Date).toISOString() }),
      },
    };
  }
}
