// Sends an issue's web push deliveries: a loop over push_deliveries like the email engine's. A batch claims
// the next queued rows of the issue (status 'sending' with a lease, FOR UPDATE SKIP LOCKED on PostgreSQL so
// several nodes share a send; a crashed node's rows come back when the lease lapses), sends them with a
// bounded number in flight, and records each answer in one UPDATE per outcome:
//   2xx: sent. 404/410: the push service has dropped the subscription, which is removed (its deliveries go
//   with it). 429 and 5xx, or no answer: queued again with back-off, until the attempts run out (failed).
//   Other 4xx: failed, not retried (the subscription's failure count goes up).
// Payloads are encrypted per subscription (RFC 8291, aes128gcm) by the web-push package; requests go
// through the guarded outbound client, since the endpoint is a URL a browser chose. The VAPID
// Authorization header (RFC 8292) is signed once per push service origin and reused until near its expiry.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import webpush from 'web-push';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/database.ts';
import { toDbTime } from '../../db/values.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import type { OutboundClient } from '../../outbound/client.ts';
import type { VapidKeys } from './keys.ts';

/** What a notification shows (the service worker, push-sw.js, reads it). */
export interface AlertPayload {
  title: string;
  body: string;
  url: string;
  /** Notification tag: a later alert with the same tag replaces the shown one. */
  tag: string;
  issueId: number;
}

export interface PushMessage {
  payload: AlertPayload;
  /** The Topic header (≤ 32 URL-safe characters): an undelivered push with the same topic is replaced. */
  topic: string;
}

export interface PushSenderOptions {
  subject: string;
  concurrency: number;
  ttlSeconds: number;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at 10 minutes. */
  backoffMs?: number;
  timeoutMs?: number;
  now?: () => Date;
  log?: (detail: Record<string, unknown>, message: string) => void;
}

export interface PushRunResult {
  sent: number;
  gone: number;
  failed: number;
  retried: number;
  /** Whether rows are left to send (queued, waiting for a retry, or claimed by another node). */
  more: boolean;
  /** The run stopped at its time limit with rows still to claim: come back at once, not after a pause. */
  timeUp: boolean;
}

interface Claimed {
  id: number;
  subscriptionId: number;
  attempts: number;
}

type Outcome = { kind: 'sent' } | { kind: 'gone' } | { kind: 'failed' | 'retry'; error: string };

/** Topic header of an article's alerts: the same for the alert and its corrections. */
export function alertTopic(articleId: number): string {
  return `article-${articleId}`;
}

/**
 * `column in (values)` as one parameter (json_each on SQLite, = any on PostgreSQL): one statement whatever
 * the list's length, since SQLite's prepared statements are cached by SQL text (src/db/connection.ts) and
 * a list per length filled that cache during a send.
 */
function inList(db: Db, column: string, values: readonly number[]) {
  return db.dialect === 'postgres'
    ? sql<boolean>`${sql.ref(column)} = any(${[...values]})`
    : sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}

const JWT_SECONDS = 12 * 3600;
const JWT_RENEW_SECONDS = 3600;

export class PushSender {
  private readonly o: Required<Omit<PushSenderOptions, 'log'>> & Pick<PushSenderOptions, 'log'>;
  private readonly vapidByOrigin = new Map<string, { header: string; renewAt: number }>();

  constructor(
    private readonly db: Db,
    private readonly outbound: OutboundClient,
    private readonly keys: VapidKeys,
    opts: PushSenderOptions,
  ) {
    this.o = {
      batchSize: 500,
      leaseMs: 60_000,
      maxAttempts: 5,
      backoffMs: 5_000,
      timeoutMs: 15_000,
      now: () => new Date(),
      ...opts,
    };
  }

  private get k(): Kysely<Database> {
    return this.db.kysely;
  }

  /** Queues one delivery per push subscription of the site (a retry adds nothing); how many were added. */
  async freeze(issueId: number, siteId: number, trx: Kysely<Database> = this.k): Promise<number> {
    const res = await sql`
      insert into push_deliveries (issue_id, push_subscription_id, status, attempts)
      select ${issueId}, id, 'queued', 0 from push_subscriptions where site_id = ${siteId} order by id
      on conflict (issue_id, push_subscription_id) do nothing`.execute(trx);
    return Number(res.numAffectedRows ?? 0);
  }

  /** Queues deliveries to the subscriptions another issue reached or meant to (a correction's audience). */
  async freezeLike(issueId: number, fromIssueId: number, trx: Kysely<Database> = this.k): Promise<number> {
    const res = await sql`
      insert into push_deliveries (issue_id, push_subscription_id, status, attempts)
      select ${issueId}, push_subscription_id, 'queued', 0 from push_deliveries
      where issue_id = ${fromIssueId} and status <> 'failed' order by push_subscription_id
      on conflict (issue_id, push_subscription_id) do nothing`.execute(trx);
    return Number(res.numAffectedRows ?? 0);
  }

  /** Cancels what is not yet sent (queued, or claimed by a node whose lease ran out); how many. */
  async cancelUndelivered(issueId: number, trx: Kysely<Database> = this.k): Promise<number> {
    const now = toDbTime(this.o.now());
    const res = await trx
      .updateTable('push_deliveries')
      .set({ status: 'cancelled', claimed_until: null })
      .where('issue_id', '=', issueId)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'queued'),
          eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async counts(issueId: number): Promise<Record<string, number>> {
    const rows = await this.k
      .selectFrom('push_deliveries')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('issue_id', '=', issueId)
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /**
   * Sends batches of the issue until nothing is left to claim now or `untilMs` (epoch ms) has passed.
   * `more` tells the caller to come back (rows waiting for a retry, or still claimed elsewhere).
   */
  async run(
    issueId: number,
    message: PushMessage,
    untilMs = Number.POSITIVE_INFINITY,
  ): Promise<PushRunResult> {
    const total: PushRunResult = { sent: 0, gone: 0, failed: 0, retried: 0, more: false, timeUp: false };
    const body = JSON.stringify(message.payload);
    // Two batch loops, each with half the concurrency: while one waits for its batch's last answers and
    // records them, the other's requests are in flight, so the pushes never drain to zero between batches
    // (one loop spent a fifth of a 10,000-push alert in those tails).
    const share = Math.max(1, Math.ceil(this.o.concurrency / 2));
    const loop = async () => {
      for (;;) {
        const batch = await this.claim(issueId);
        if (batch.length === 0) break;
        const outcomes = await this.sendBatch(batch, body, message.topic, share);
        await this.record(batch, outcomes, total);
        if (Date.now() >= untilMs) {
          total.timeUp = true;
          break;
        }
      }
    };
    await Promise.all([loop(), loop()]);
    total.more = await this.hasMore(issueId);
    return total;
  }

  private async hasMore(issueId: number): Promise<boolean> {
    const row = await this.k
      .selectFrom('push_deliveries')
      .select('id')
      .where('issue_id', '=', issueId)
      .where('status', 'in', ['queued', 'sending'])
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async claim(issueId: number): Promise<Claimed[]> {
    const now = this.o.now();
    const nowDb = toDbTime(now);
    const lease = toDbTime(new Date(now.getTime() + this.o.leaseMs));
    const lock = this.db.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const res = await sql<{ id: number; push_subscription_id: number; attempts: number }>`
      update push_deliveries set status = 'sending', claimed_until = ${lease}, attempts = attempts + 1
      where id in (
        select id from push_deliveries
        where issue_id = ${issueId}
          and ((status = 'queued' and (claimed_until is null or claimed_until <= ${nowDb}))
            or (status = 'sending' and claimed_until < ${nowDb}))
        order by id
        limit ${this.o.batchSize}
        ${lock}
      )
      returning id, push_subscription_id, attempts`.execute(this.k);
    return res.rows.map((r) => ({ id: r.id, subscriptionId: r.push_subscription_id, attempts: r.attempts }));
  }

  private async sendBatch(
    batch: Claimed[],
    body: string,
    topic: string,
    concurrency: number,
  ): Promise<Outcome[]> {
    const subs = await this.k
      .selectFrom('push_subscriptions')
      .select(['id', 'endpoint', 'p256dh', 'auth'])
      .where(
        inList(
          this.db,
          'id',
          batch.map((c) => c.subscriptionId),
        ),
      )
      .execute();
    const byId = new Map(subs.map((s) => [s.id, s]));
    const outcomes: Outcome[] = new Array(batch.length);
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const i = next++;
        const sub = byId.get(batch[i]!.subscriptionId);
        outcomes[i] = sub ? await this.sendOne(sub, body, topic) : { kind: 'gone' };
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    return outcomes;
  }

  private async sendOne(
    sub: { endpoint: string; p256dh: string; auth: string },
    body: string,
    topic: string,
  ): Promise<Outcome> {
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      details = webpush.generateRequestDetails(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        body,
        { TTL: this.o.ttlSeconds, urgency: 'high', topic, contentEncoding: 'aes128gcm' },
      );
    } catch (err) {
      return { kind: 'failed', error: `the subscription's keys cannot encrypt: ${(err as Error).message}` };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(details.headers)) headers[name.toLowerCase()] = String(value);
    headers.authorization = this.vapidHeader(new URL(sub.endpoint).origin);
    try {
      const res = await this.outbound.request(sub.endpoint, {
        method: 'POST',
        headers,
        body: details.body ?? undefined,
        maxBytes: 16 * 1024,
        timeoutMs: this.o.timeoutMs,
        maxRedirects: 0,
        plainHttp: 'allow-listed',
      });
      if (res.status >= 200 && res.status < 300) return { kind: 'sent' };
      if (res.status === 404 || res.status === 410) return { kind: 'gone' };
      const error = `the push service answered ${res.status}`;
      if (res.status === 429 || res.status >= 500) return { kind: 'retry', error };
      return { kind: 'failed', error };
    } catch (err) {
      if (isDatelineError(err, 'FETCH_REFUSED')) return { kind: 'failed', error: err.message };
      return { kind: 'retry', error: isDatelineError(err) ? err.message : String(err) };
    }
  }

  private vapidHeader(origin: string): string {
    const nowS = Math.floor(Date.now() / 1000);
    const cached = this.vapidByOrigin.get(origin);
    if (cached && cached.renewAt > nowS) return cached.header;
    const h = webpush.getVapidHeaders(
      origin,
      this.o.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      'aes128gcm',
      nowS + JWT_SECONDS,
    );
    const header = String(h.Authorization);
    this.vapidByOrigin.set(origin, { header, renewAt: nowS + JWT_SECONDS - JWT_RENEW_SECONDS });
    return header;
  }

  private async record(batch: Claimed[], outcomes: Outcome[], total: PushRunResult): Promise<void> {
    const now = this.o.now();
    const nowDb = toDbTime(now);
    const sent: Claimed[] = [];
    const gone: Claimed[] = [];
    const failed: { c: Claimed; error: string }[] = [];
    const retry: { c: Claimed; error: string }[] = [];
    batch.forEach((c, i) => {
      const o = outcomes[i]!;
      if (o.kind === 'sent') sent.push(c);
      else if (o.kind === 'gone') gone.push(c);
      else if (o.kind === 'retry' && c.attempts < this.o.maxAttempts) retry.push({ c, error: o.error });
      else failed.push({ c, error: o.error });
    });
    await this.k.transaction().execute(async (trx) => {
      if (sent.length > 0) {
        await trx
          .updateTable('push_deliveries')
          .set({ status: 'sent', sent_at: nowDb, claimed_until: null, last_error: null })
          .where(
            inList(
              this.db,
              'id',
              sent.map((c) => c.id),
            ),
          )
          .execute();
        await trx
          .updateTable('push_subscriptions')
          .set({ last_success_at: nowDb, failure_count: 0 })
          .where(
            inList(
              this.db,
              'id',
              sent.map((c) => c.subscriptionId),
            ),
          )
          .execute();
      }
      if (gone.length > 0) {
        // The push service has forgotten the subscription: so do we (its deliveries go with it).
        await trx
          .deleteFrom('push_subscriptions')
          .where(
            inList(
              this.db,
              'id',
              gone.map((c) => c.subscriptionId),
            ),
          )
          .execute();
      }
      for (const { c, error } of failed) {
        await trx
          .updateTable('push_deliveries')
          .set({ status: 'failed', claimed_until: null, last_error: error.slice(0, 500) })
          .where('id', '=', c.id)
          .execute();
        await trx
          .updateTable('push_subscriptions')
          .set((eb) => ({ failure_count: eb('failure_count', '+', 1) }))
          .where('id', '=', c.subscriptionId)
          .execute();
      }
      for (const { c, error } of retry) {
        const delay = Math.min(this.o.backoffMs * 2 ** (c.attempts - 1), 600_000);
        await trx
          .updateTable('push_deliveries')
          .set({
            status: 'queued',
            claimed_until: toDbTime(new Date(now.getTime() + delay)),
            last_error: error.slice(0, 500),
          })
          .where('id', '=', c.id)
          .execute();
      }
    });
    if (gone.length > 0)
      this.o.log?.(
        { subscriptions: gone.length },
        'web push: subscriptions the push service no longer knows removed',
      );
    total.sent += sent.length;
    total.gone += gone.length;
    total.failed += failed.length;
    total.retried += retry.length;
  }
}
