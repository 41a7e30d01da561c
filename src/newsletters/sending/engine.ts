// The newsletter send engine: one issue to every active subscriber of its list, fast and exactly once.
// start() freezes the recipients into newsletter_deliveries in one transaction and queues a send job; the
// job sends in slices of a few seconds (so other jobs take their turn), each slice claiming batches of
// deliveries, handing them to the pooled SMTP transport at the configured rate and concurrency, and
// recording the answers every few dozen acknowledgements. Each slice encodes the issue's message once
// (PreparedIssue) and each recipient's copy only fills in its own parts; the transport writes those shared
// bytes to a pipelined connection (smtp-pool.ts), so a copy costs a few microseconds of building. A 4xx
// answer defers the recipient with back-off, a 5xx fails it for good, and an unreachable server makes the
// whole send wait (status_note says why) and resume. A crash leaves at most the unrecorded
// acknowledgements of this process to be sent again.
// Without SMTP_URL each message is written to the outbox (mail_messages) with its sent mark, atomically.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { toDbTime } from '../../db/values.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { siteOrigin, type UrlContext } from '../../sites/urls.ts';
import { recipientLinks } from '../links.ts';
import type { IssueStatus } from '../tables.ts';
import type { IssueContent, IssueRenderer } from './content.ts';
import { type ClaimedDelivery, DeliveryStore, type OutboxRow, type Outcomes } from './deliveries.ts';
import { buildMessage, domainOf, type IssueFrame } from './message.ts';
import { RateMeter } from './meter.ts';
import { type PreparedCopy, PreparedIssue } from './prepared.ts';
import { type RateLimits, SendRate } from './rate.ts';
import type { BulkMessage, SendOutcome } from './transport.ts';

export const SEND_JOB = 'newsletter.send';

export interface BulkSender {
  send(m: BulkMessage): Promise<SendOutcome>;
  /** A copy built already (PreparedIssue.copy); without it every copy goes through send(). */
  sendCopy?(copy: PreparedCopy): Promise<SendOutcome>;
  close(): void;
}

export interface SendProgress {
  status: IssueStatus;
  /** Recipients frozen for the send, suppressed ones not counted. */
  total: number;
  sent: number;
  failed: number;
  deferred: number;
  suppressed: number;
  cancelled: number;
  bounced: number;
  unsubscribed: number;
  /** Claimed and not yet answered. */
  inFlight: number;
  ratePerSecond: number;
  etaSeconds: number | null;
  note: string | null;
}

export interface SenderOptions {
  db: Db;
  jobs: JobQueue;
  directory: SiteDirectory;
  urls: UrlContext;
  signingKey: () => Buffer;
  /** The pooled SMTP transport; null writes every message to the outbox instead. */
  transport: BulkSender | null;
  rate: RateLimits;
  /** Messages handed to the transport at once. */
  concurrency: number;
  batchSize: number;
  /** How long a claimed batch is this process's before another may take it over. */
  leaseMs: number;
  /** Longest a send job runs before it queues its continuation. */
  sliceMs?: number;
  /** Acknowledgements recorded together (what a crash can lose track of, at most, per batch worker). */
  recordEvery?: number;
  /** Waits before a deferred (4xx) recipient is tried again, by attempt; then it fails. */
  retryDelaysMs?: number[];
  log?: {
    error(obj: Record<string, unknown>, msg: string): void;
    warn?(obj: Record<string, unknown>, msg: string): void;
  };
}

const DEFAULT_RETRIES = [60_000, 300_000, 900_000, 3_600_000, 3 * 3_600_000];
/** Parallel batch workers in one slice: one claims and records while the other's messages are on the wire. */
const WORKERS = 2;

class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(n: number) {
    this.free = n;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

type SliceEnd =
  | { kind: 'done' }
  | { kind: 'stopped' }
  | { kind: 'more' }
  | { kind: 'unreachable'; error: string }
  | { kind: 'hourly'; waitMs: number };

export class NewsletterSender {
  private readonly renderers = new Map<'digest' | 'alert', IssueRenderer>();
  private readonly store: DeliveryStore;
  private readonly rate: SendRate;
  private readonly slots: Slots;
  private readonly meter = new RateMeter();
  private readonly contents = new Map<number, IssueContent>();
  /** Consecutive unreachable waits per issue, for the back-off. */
  private readonly outages = new Map<number, number>();
  /** Deliveries sent again after their claim lapsed (a crash), since this process started. */
  resentAfterLapse = 0;

  constructor(private readonly o: SenderOptions) {
    this.store = new DeliveryStore(o.db);
    this.rate = new SendRate(o.rate);
    this.slots = new Slots(Math.max(1, o.concurrency));
    o.jobs.register<{ issueId: number }>(SEND_JOB, (p) => this.runSlice(p.issueId), { maxAttempts: 100 });
  }

  get mode(): 'smtp' | 'outbox' {
    return this.o.transport ? 'smtp' : 'outbox';
  }

  close(): void {
    this.o.transport?.close();
  }

  registerRenderer(kind: 'digest' | 'alert', r: IssueRenderer): void {
    this.renderers.set(kind, r);
  }

  private async issue(issueId: number) {
    const row = await this.o.db.kysely
      .selectFrom('newsletter_issues')
      .selectAll()
      .where('id', '=', issueId)
      .executeTakeFirst();
    if (!row)
      throw new DatelineError('NEWSLETTER_ISSUE_NOT_FOUND', `There is no newsletter issue ${issueId}.`);
    return row;
  }

  private async render(issueId: number, kind: 'digest' | 'alert'): Promise<IssueContent> {
    const cached = this.contents.get(issueId);
    if (cached) return cached;
    const r = this.renderers.get(kind);
    if (!r)
      throw new DatelineError(
        'NEWSLETTER_RENDERER_MISSING',
        `No renderer is registered for ${kind} issues, so issue ${issueId} cannot be mailed.`,
      );
    const content = await r.render(issueId);
    this.contents.set(issueId, content);
    return content;
  }

  /** Freezes the recipients and queues the send; starting an issue already sending or sent does nothing. */
  async start(issueId: number): Promise<void> {
    const issue = await this.issue(issueId);
    if (issue.status === 'sending' || issue.status === 'paused' || issue.status === 'sent') return;
    if (issue.status === 'cancelled')
      throw new DatelineError('NEWSLETTER_ISSUE_STATE', `Issue ${issueId} was cancelled; it cannot be sent.`);
    this.contents.delete(issueId);
    await this.render(issueId, issue.kind);
    await this.o.db.kysely.transaction().execute(async (trx) => {
      const now = toDbTime(new Date());
      const claimed = await trx
        .updateTable('newsletter_issues')
        .set({ status: 'sending', started_at: now, updated_at: now, status_note: null })
        .where('id', '=', issueId)
        .where('status', 'in', ['draft', 'queued'])
        .executeTakeFirst();
      // Someone else started it at the same moment: theirs is the send.
      if (Number(claimed.numUpdatedRows ?? 0n) === 0) return;
      const { recipients } = await this.store.freeze(trx, issueId, issue.newsletter_id);
      await trx
        .updateTable('newsletter_issues')
        .set({ frozen_at: now, recipient_count: recipients })
        .where('id', '=', issueId)
        .execute();
      await this.o.jobs.enqueue(SEND_JOB, `${SEND_JOB}:${issueId}:start`, { issueId }, { trx });
    });
  }

  async pause(issueId: number, by: string): Promise<void> {
    const issue = await this.issue(issueId);
    if (issue.status === 'paused') return;
    if (issue.status !== 'sending' && issue.status !== 'queued')
      throw new DatelineError(
        'NEWSLETTER_ISSUE_STATE',
        `Issue ${issueId} is ${issue.status}; only a send can be paused.`,
      );
    const now = new Date();
    await this.o.db.kysely
      .updateTable('newsletter_issues')
      .set({
        status: 'paused',
        status_note: `Paused by ${by.slice(0, 100)} at ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
        updated_at: toDbTime(now),
      })
      .where('id', '=', issueId)
      .where('status', 'in', ['sending', 'queued'])
      .execute();
  }

  async resume(issueId: number): Promise<void> {
    const issue = await this.issue(issueId);
    if (issue.status === 'sending') return;
    if (issue.status !== 'paused')
      throw new DatelineError(
        'NEWSLETTER_ISSUE_STATE',
        `Issue ${issueId} is ${issue.status}; only a paused send resumes.`,
      );
    await this.o.db.kysely.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('newsletter_issues')
        .set({ status: 'sending', status_note: null, updated_at: toDbTime(new Date()) })
        .where('id', '=', issueId)
        .where('status', '=', 'paused')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows ?? 0n) > 0) await this.queueSlice(issueId, 'resume', new Date(), trx);
    });
  }

  /** Stops the send for good: what is not yet handed over is cancelled; messages in flight finish. */
  async cancel(issueId: number): Promise<void> {
    const issue = await this.issue(issueId);
    if (issue.status === 'cancelled') return;
    if (issue.status === 'sent')
      throw new DatelineError(
        'NEWSLETTER_ISSUE_STATE',
        `Issue ${issueId} was sent already; it cannot be cancelled.`,
      );
    await this.o.db.kysely.transaction().execute(async (trx) => {
      const now = toDbTime(new Date());
      await this.store.cancelUndelivered(trx, issueId);
      await trx
        .updateTable('newsletter_issues')
        .set({ status: 'cancelled', finished_at: now, updated_at: now })
        .where('id', '=', issueId)
        .where('status', '!=', 'sent')
        .execute();
    });
    this.contents.delete(issueId);
  }

  /**
   * Cancels every delivery not yet handed over (an alert's story was corrected or killed) and returns how
   * many. An issue not started yet is cancelled whole; one sending finishes with what was already sent.
   */
  async cancelUndelivered(issueId: number): Promise<number> {
    const issue = await this.issue(issueId);
    return this.o.db.kysely.transaction().execute(async (trx) => {
      const n = await this.store.cancelUndelivered(trx, issueId);
      const now = toDbTime(new Date());
      if (issue.status === 'draft' || issue.status === 'queued') {
        await trx
          .updateTable('newsletter_issues')
          .set({ status: 'cancelled', finished_at: now, updated_at: now })
          .where('id', '=', issueId)
          .execute();
      } else if (n > 0) {
        await trx
          .updateTable('newsletter_issues')
          .set({ status_note: `${n} deliveries not yet sent were cancelled.`, updated_at: now })
          .where('id', '=', issueId)
          .execute();
      }
      return n;
    });
  }

  async progress(issueId: number): Promise<SendProgress> {
    const issue = await this.issue(issueId);
    const c = await this.store.counts(issueId);
    const rate =
      this.meter.perSecond(issueId) ??
      (issue.started_at && issue.sent_count > 0
        ? issue.sent_count / Math.max(1, (Date.now() - new Date(issue.started_at).getTime()) / 1000)
        : 0);
    const remaining = c.queued + c.sending + c.deferred;
    const active = issue.status === 'sending';
    return {
      status: issue.status,
      total: issue.recipient_count,
      sent: issue.sent_count,
      failed: issue.failed_count,
      deferred: c.deferred,
      suppressed: c.suppressed,
      cancelled: c.cancelled,
      bounced: issue.bounced_count,
      unsubscribed: issue.unsubscribed_count,
      inFlight: c.sending,
      ratePerSecond: Math.round(rate * 10) / 10,
      etaSeconds:
        active && remaining > 0 && rate > 0
          ? Math.ceil(remaining / rate)
          : active && remaining === 0
            ? 0
            : null,
      note: issue.status_note,
    };
  }

  /** One copy to an editor, with links that lead nowhere personal; not recorded as a delivery. */
  async sendTest(issueId: number, to: string): Promise<void> {
    const email = to.trim().toLowerCase();
    if (!/^[^\s@<>"(),;:]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(email) || email.length > 254)
      throw new DatelineError(
        'NEWSLETTER_TEST_ADDRESS_INVALID',
        `"${to.slice(0, 100)}" is not an email address to send a test to.`,
      );
    const issue = await this.issue(issueId);
    const content = await (this.renderers.get(issue.kind)?.render(issueId) ??
      this.render(issueId, issue.kind));
    const frame = await this.frame(issue, content);
    const links = recipientLinks(
      this.o.signingKey(),
      frame.origin,
      { subscriberId: 0, linkVersion: 0 },
      frame.newsletterId,
    );
    const m = buildMessage(frame, { email, subscriberId: 0 }, links);
    m.subject = `[Test] ${m.subject}`;
    m.messageId = `<nl-test.${issueId}.${randomUUID()}@${domainOf(frame.senderEmail)}>`;
    if (this.o.transport) {
      const out = await this.o.transport.send(m);
      if (out.kind !== 'sent')
        throw new DatelineError(
          'NEWSLETTER_TEST_FAILED',
          `The SMTP server did not take the test mail: ${out.error}`,
        );
      return;
    }
    await this.o.db.kysely
      .insertInto('mail_messages')
      .values({
        key: `newsletter-test:${issueId}:${randomUUID()}`,
        kind: 'newsletter-test',
        site_id: issue.site_id,
        user_id: null,
        to_address: email,
        subject: m.subject,
        text_body: m.text,
        html_body: m.html,
        message_id: m.messageId,
        headers: JSON.stringify(m.headers),
        sent_at: toDbTime(new Date()),
        transport: 'outbox',
      })
      .execute();
  }

  /**
   * Queues a slice for every issue that is sending: at start-up (the process that sent it may have died
   * with its job's lease still running) and now and then, in case a job gave up.
   */
  async recover(opts: { force?: boolean } = {}): Promise<number> {
    const rows = await this.o.db.kysely
      .selectFrom('newsletter_issues')
      .select('id')
      .where('status', '=', 'sending')
      .execute();
    let n = 0;
    const now = toDbTime(new Date());
    for (const r of rows) {
      if (!opts.force) {
        const live = await this.o.db.kysely
          .selectFrom('jobs')
          .select('id')
          .where('kind', '=', SEND_JOB)
          .where('key', 'like', `${SEND_JOB}:${r.id}:%`)
          .where((eb) =>
            eb.or([
              eb('state', '=', 'queued'),
              eb.and([eb('state', '=', 'running'), eb('locked_until', '>', now)]),
            ]),
          )
          .executeTakeFirst();
        if (live) continue;
      }
      await this.queueSlice(r.id, 'recover', new Date());
      n++;
    }
    return n;
  }

  private async queueSlice(issueId: number, why: string, at: Date, trx?: Db['kysely']): Promise<void> {
    await this.o.jobs.enqueue(
      SEND_JOB,
      `${SEND_JOB}:${issueId}:${why}:${randomUUID()}`,
      { issueId },
      { runAt: at, trx },
    );
  }

  private async frame(
    issue: { id: number; newsletter_id: number; site_id: number },
    content: IssueContent,
  ): Promise<IssueFrame> {
    const nl = await this.o.db.kysely
      .selectFrom('newsletters')
      .select(['slug', 'name', 'sender_name', 'sender_email', 'reply_to'])
      .where('id', '=', issue.newsletter_id)
      .executeTakeFirstOrThrow();
    const site = this.o.directory.byIdOrUndefined(issue.site_id)?.site;
    if (!site)
      throw new DatelineError('SITE_NOT_FOUND', `Site ${issue.site_id} of issue ${issue.id} is not known.`);
    return {
      issueId: issue.id,
      newsletterId: issue.newsletter_id,
      newsletterSlug: nl.slug,
      newsletterName: nl.name,
      siteId: site.id,
      siteSlug: site.slug,
      siteHost: site.hosts[0] ?? `${site.slug}.localhost`,
      origin: siteOrigin(this.o.urls, site),
      senderName: nl.sender_name,
      senderEmail: nl.sender_email.trim().toLowerCase(),
      replyTo: nl.reply_to,
      content,
    };
  }

  /** The job: sends for up to a slice's time, then queues what comes next (more, a retry, or nothing). */
  async runSlice(issueId: number): Promise<void> {
    const issue = await this.issue(issueId).catch(() => null);
    if (issue?.status !== 'sending') return;
    const frame = await this.frame(issue, await this.render(issueId, issue.kind));
    // The issue's message encoded once for the slice; each recipient's copy only fills in its own parts.
    const prepared = new PreparedIssue(frame, this.o.signingKey());
    const deadline = Date.now() + (this.o.sliceMs ?? 5_000);
    let noteToClear = issue.status_note !== null;
    const ends: SliceEnd[] = [];
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (;;) {
          if (Date.now() >= deadline) return void ends.push({ kind: 'more' });
          const allowance = this.rate.hourlyAllowance();
          if (allowance < 1) return void ends.push({ kind: 'hourly', waitMs: this.rate.hourlyWaitMs() });
          const now = await this.o.db.kysely
            .selectFrom('newsletter_issues')
            .select('status')
            .where('id', '=', issueId)
            .executeTakeFirst();
          if (now?.status !== 'sending') return void ends.push({ kind: 'stopped' });
          const size = Math.min(this.batchSize(), allowance);
          const batch = await this.store.claim(issueId, size, new Date(Date.now() + this.o.leaseMs));
          if (batch.length === 0) return void ends.push({ kind: 'done' });
          const end = await this.sendBatch(frame, prepared, batch);
          if (end) return void ends.push(end);
          if (noteToClear) {
            noteToClear = false;
            this.outages.delete(issueId);
            await this.setNote(issueId, null);
          }
        }
      }),
    );
    await this.afterSlice(issueId, ends);
  }

  /** A batch is at most five seconds' worth at the configured pace, so its lease never runs out mid-send. */
  private batchSize(): number {
    const perSecond = this.o.rate.perSecond;
    return Math.max(1, perSecond > 0 ? Math.min(this.o.batchSize, perSecond * 5) : this.o.batchSize);
  }

  private async afterSlice(issueId: number, ends: SliceEnd[]): Promise<void> {
    const unreachable = ends.find((e) => e.kind === 'unreachable');
    const hourly = ends.find((e) => e.kind === 'hourly');
    if (ends.some((e) => e.kind === 'stopped')) return;
    if (unreachable) {
      const n = (this.outages.get(issueId) ?? 0) + 1;
      this.outages.set(issueId, n);
      const wait = Math.min(5_000 * 2 ** (n - 1), 60_000);
      const at = new Date(Date.now() + wait);
      await this.setNote(
        issueId,
        `Waiting: the SMTP server cannot be reached (${unreachable.error.slice(0, 200)}). Trying again at ${at.toISOString().slice(11, 19)} UTC.`,
      );
      (this.o.log?.warn ?? this.o.log?.error)?.call(
        this.o.log,
        { issueId, error: unreachable.error },
        'newsletter send waits: SMTP server unreachable',
      );
      await this.queueSlice(issueId, 'retry', at);
      return;
    }
    if (hourly) {
      const at = new Date(Date.now() + hourly.waitMs);
      await this.setNote(
        issueId,
        `Waiting: the hourly sending limit is reached. Resumes at ${at.toISOString().slice(11, 16)} UTC.`,
      );
      await this.queueSlice(issueId, 'hourly', at);
      return;
    }
    if (ends.some((e) => e.kind === 'more') || (await this.store.hasQueued(issueId))) {
      await this.queueSlice(issueId, 'more', new Date());
      return;
    }
    // Nothing to claim now: deferred retries or other processes' batches in flight may remain.
    const next = await this.store.nextDue(issueId);
    if (next) {
      await this.queueSlice(issueId, 'later', new Date(Math.max(Date.now(), next.getTime() + 10)));
      return;
    }
    const now = toDbTime(new Date());
    await this.o.db.kysely
      .updateTable('newsletter_issues')
      .set({ status: 'sent', finished_at: now, updated_at: now, status_note: null })
      .where('id', '=', issueId)
      .where('status', '=', 'sending')
      .execute();
    this.contents.delete(issueId);
    this.meter.forget(issueId);
  }

  private async setNote(issueId: number, note: string | null): Promise<void> {
    await this.o.db.kysely
      .updateTable('newsletter_issues')
      .set({ status_note: note })
      .where('id', '=', issueId)
      .where('status', '=', 'sending')
      .execute();
  }

  /** Sends one claimed batch; returns why the slice must stop, or nothing to go on. */
  private async sendBatch(
    frame: IssueFrame,
    prepared: PreparedIssue,
    batch: ClaimedDelivery[],
  ): Promise<SliceEnd | null> {
    const key = this.o.signingKey();
    const suppressed = await this.store.suppressedAmong(batch.map((d) => d.email));
    let out: Outcomes = { sent: [], deferred: [], failed: [], untried: [], suppressed: [] };
    const pending: ClaimedDelivery[] = [];
    for (const d of batch) {
      if (suppressed.has(d.email)) out.suppressed.push(d.id);
      else pending.push(d);
      if (d.reclaimed) this.resentAfterLapse++;
    }
    const message = (d: ClaimedDelivery) =>
      buildMessage(
        frame,
        { email: d.email, subscriberId: d.subscriberId },
        recipientLinks(
          key,
          frame.origin,
          { subscriberId: d.subscriberId, linkVersion: d.linkVersion },
          frame.newsletterId,
          frame.issueId,
        ),
      );
    const domain = domainOf(frame.senderEmail);
    const transport = this.o.transport;
    if (!transport) {
      const outbox: OutboxRow[] = pending.map((d) => {
        const m = message(d);
        out.sent.push({ id: d.id, subscriberId: d.subscriberId, email: d.email });
        return {
          deliveryId: d.id,
          key: `newsletter:${frame.issueId}:${d.subscriberId}`,
          siteId: frame.siteId,
          to: d.email,
          subject: m.subject,
          html: m.html,
          text: m.text,
          messageId: m.messageId,
          headers: m.headers,
        };
      });
      const r = await this.store.record(frame.issueId, domain, out, outbox);
      this.meter.add(frame.issueId, r.sent);
      return null;
    }
    let unreachable: string | null = null;
    let recording: Promise<void> = Promise.resolve();
    const flush = () => {
      const o = out;
      out = { sent: [], deferred: [], failed: [], untried: [], suppressed: [] };
      recording = recording.then(async () => {
        const r = await this.store.record(frame.issueId, domain, o);
        this.meter.add(frame.issueId, r.sent);
      });
    };
    const every = this.o.recordEvery ?? 50;
    const retries = this.o.retryDelaysMs ?? DEFAULT_RETRIES;
    // A few runners take the batch's recipients in turn, rather than one pending promise per recipient:
    // 500 closures waiting for a slot lived through every scavenge and were promoted, and the old
    // generation (the process's RSS) grew by megabytes a second during a send.
    let next = 0;
    const runner = async () => {
      while (next < pending.length) {
        const d = pending[next++]!;
        await this.slots.acquire();
        try {
          if (unreachable === null) await this.rate.take();
          // The server went away meanwhile: the rest go back to the queue untried.
          if (unreachable !== null) {
            out.untried.push(d.id);
            continue;
          }
          const copy = transport.sendCopy ? prepared.copy(d) : null;
          const res = copy ? await transport.sendCopy!(copy) : await transport.send(message(d));
          if (res.kind === 'sent') out.sent.push({ id: d.id, subscriberId: d.subscriberId, email: d.email });
          else if (res.kind === 'failed') out.failed.push({ id: d.id, error: res.error });
          else if (res.kind === 'deferred') {
            const delay = retries[d.attempts - 1];
            if (delay === undefined)
              out.failed.push({ id: d.id, error: `gave up after ${d.attempts} tries: ${res.error}` });
            else out.deferred.push({ id: d.id, error: res.error, retryAt: new Date(Date.now() + delay) });
          } else {
            unreachable = res.error;
            out.untried.push(d.id);
          }
          if (out.sent.length >= every) flush();
        } finally {
          this.slots.release();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, pending.length) }, runner));
    flush();
    await recording;
    return unreachable === null ? null : { kind: 'unreachable', error: unreachable };
  }
}
