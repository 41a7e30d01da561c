// Webhooks: integrations register an endpoint and receive article.published, article.updated,
// article.taken_down, comment.created, comment.approved and comment.rejected as signed JSON POSTs.
//
// Events are read from the event log (which every article change writes in its own transaction) with a
// cursor kept in the database, not taken from the in-process bus: so no event is lost if the process stops
// between commit and dispatch, and an event seen by several processes (the CLI that made it, every server
// replaying it) still becomes exactly one job per endpoint, because the job key is endpoint + event id.
// Deliveries run on the durable job queue with exponential back-off and survive restarts; every attempt is
// logged. Delivery is at-least-once: receivers dedupe on the Dateline-Webhook-Id header.
//
// Endpoints are reached through the guarded outgoing client: https to public addresses, and plain http only
// to hosts the operator allow-listed (DATELINE_OUTBOUND_ALLOW), such as a receiver on loopback in tests.
import { randomBytes } from 'node:crypto';
import type { ArticleService } from '../articles/service.ts';
import { storyPath } from '../articles/slug.ts';
import type { Db } from '../db/connection.ts';
import { fromDbBool, fromDbTime, toDbBool } from '../db/values.ts';
import { DatelineError, isDatelineError } from '../errors/catalogue.ts';
import type { DomainEvent, EventBus } from '../events/bus.ts';
import type { Job, JobQueue } from '../jobs/queue.ts';
import { OutboundClient } from '../outbound/client.ts';
import type { SiteDirectory } from '../sites/directory.ts';
import { siteOrigin, type UrlContext } from '../sites/urls.ts';
import { signatureHeader } from './signature.ts';

export const WEBHOOK_EVENTS = [
  'article.published',
  'article.updated',
  'article.taken_down',
  // Comments (src/comments): from comment.changed events whose change is created, approved or rejected.
  'comment.created',
  'comment.approved',
  'comment.rejected',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_JOB = 'webhook.deliver';
const CURSOR = 'webhooks';
/** A receiver's answer is not used; this much of it is read before the delivery counts as failed anyway. */
const RECEIVER_BODY_LIMIT = 1024 * 1024;

export interface WebhookEndpoint {
  id: number;
  url: string;
  siteId: number | null;
  events: WebhookEventType[];
  active: boolean;
  createdAt: Date;
}

export interface DeliveryRecord {
  id: number;
  endpointId: number;
  eventId: number;
  eventType: string;
  attempt: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  createdAt: Date;
}

export interface WebhookOptions {
  timeoutMs?: number;
  /** The guarded client deliveries go through; without one, only https to public addresses. */
  outbound?: OutboundClient;
  now?: () => Date;
  onError?: (err: unknown) => void;
  /** The network's public scheme and port, for the story URLs in payloads. */
  publicUrls?: UrlContext;
}

interface DeliverPayload {
  endpointId: number;
  eventId: number;
}

type ArticleEvent = Extract<DomainEvent, { type: WebhookEventType }>;
type CommentWebhookEvent = Extract<DomainEvent, { type: 'comment.changed' }>;
const COMMENT_WEBHOOK_CHANGES: readonly string[] = ['created', 'approved', 'rejected'];

function isWebhookEvent(e: DomainEvent): e is ArticleEvent | CommentWebhookEvent {
  if (e.type === 'comment.changed') return COMMENT_WEBHOOK_CHANGES.includes(e.change ?? '');
  return (WEBHOOK_EVENTS as readonly string[]).includes(e.type);
}

/** The webhook an event raises, and the sites it concerns. */
function webhookOf(e: ArticleEvent | CommentWebhookEvent): { type: WebhookEventType; siteIds: number[] } {
  if (e.type === 'comment.changed')
    return { type: `comment.${e.change}` as WebhookEventType, siteIds: [e.siteId] };
  return { type: e.type, siteIds: e.siteIds };
}

export class WebhookService {
  private dispatching: Promise<number> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly o: Required<WebhookOptions>;

  constructor(
    private readonly db: Db,
    private readonly queue: JobQueue,
    private readonly articles: Pick<ArticleService, 'get'>,
    private readonly directory: SiteDirectory,
    opts: WebhookOptions = {},
  ) {
    this.o = {
      timeoutMs: 10_000,
      now: () => new Date(),
      onError: () => {},
      publicUrls: { scheme: 'http', port: null },
      ...opts,
      outbound: opts.outbound ?? new OutboundClient(),
    };
    // With the queue's doubling back-off (5 s, capped at an hour) twelve attempts span about two and a half hours.
    queue.register<DeliverPayload>(WEBHOOK_JOB, (payload, job) => this.deliver(payload, job), {
      maxAttempts: 12,
    });
  }

  // Endpoints.

  async createEndpoint(input: {
    url: string;
    siteId?: number | null;
    events?: string[];
  }): Promise<WebhookEndpoint & { secret: string }> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new DatelineError(
        'WEBHOOK_INVALID',
        `"${input.url}" is not a URL. Give the full address, e.g. https://example.com/hooks.`,
        {
          field: 'url',
        },
      );
    }
    const plainHttpRefused = () =>
      new DatelineError(
        'WEBHOOK_INVALID',
        'A webhook URL must start with https://. Plain http:// is accepted only for hosts listed in DATELINE_OUTBOUND_ALLOW (a receiver on this machine or a trusted local network).',
        { field: 'url' },
      );
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw plainHttpRefused();
    // Refused now if it leads to a non-public address, and again at every delivery (DNS can change). A host
    // that does not resolve yet is accepted over https; deliveries report it.
    const target = await this.o.outbound.check(url).catch((e: unknown) => {
      if (isDatelineError(e, 'FETCH_FAILED')) return null;
      throw e;
    });
    if (url.protocol === 'http:' && !target?.allowListed) throw plainHttpRefused();
    const events = input.events ?? [...WEBHOOK_EVENTS];
    const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
    if (events.length === 0 || unknown.length > 0) {
      throw new DatelineError(
        'WEBHOOK_INVALID',
        `Unknown webhook event ${unknown.join(', ') || '(none given)'}; choose from ${WEBHOOK_EVENTS.join(', ')}.`,
        { field: 'events' },
      );
    }
    if (input.siteId != null && !this.directory.byIdOrUndefined(input.siteId)) {
      await this.directory.fresh();
      if (!this.directory.byIdOrUndefined(input.siteId)) {
        throw new DatelineError('WEBHOOK_INVALID', `There is no site with id ${input.siteId}.`, {
          field: 'site',
        });
      }
    }
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const last = await this.db.kysely
      .selectFrom('event_log')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    const row = await this.db.kysely
      .insertInto('webhook_endpoints')
      .values({
        url: url.toString(),
        secret,
        site_id: input.siteId ?? null,
        events: JSON.stringify(events),
        active: 1,
        start_event_id: Number(last?.max ?? 0),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...toEndpoint(row), secret };
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    const rows = await this.db.kysely.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute();
    return rows.map(toEndpoint);
  }

  async setActive(id: number, active: boolean): Promise<void> {
    const r = await this.db.kysely
      .updateTable('webhook_endpoints')
      .set({ active: toDbBool(active) })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw new DatelineError('WEBHOOK_NOT_FOUND', `There is no webhook endpoint ${id}.`);
  }

  async deleteEndpoint(id: number): Promise<void> {
    const r = await this.db.kysely.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0)
      throw new DatelineError('WEBHOOK_NOT_FOUND', `There is no webhook endpoint ${id}.`);
  }

  async deliveries(endpointId: number, limit = 50): Promise<DeliveryRecord[]> {
    const rows = await this.db.kysely
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      endpointId: r.endpoint_id,
      eventId: r.event_id,
      eventType: r.event_type,
      attempt: r.attempt,
      ok: fromDbBool(r.ok),
      statusCode: r.status_code,
      error: r.error,
      durationMs: r.duration_ms,
      createdAt: fromDbTime(r.created_at),
    }));
  }

  // Dispatch: event log → one job per (endpoint, event).

  /** Dispatches soon after every article event, in this process or replayed from another. */
  follow(bus: EventBus): () => void {
    return bus.on((e) => {
      if (isWebhookEvent(e)) this.dispatchSoon();
    });
  }

  dispatchSoon(): void {
    this.dispatch().catch(this.o.onError);
  }

  /** Turns new events into delivery jobs; returns how many jobs it queued. One pass at a time. */
  dispatch(): Promise<number> {
    if (this.dispatching) {
      this.again = true;
      return this.dispatching;
    }
    this.dispatching = (async () => {
      let queued = 0;
      do {
        this.again = false;
        queued += await this.dispatchBatch();
      } while (this.again);
      return queued;
    })().finally(() => {
      this.dispatching = null;
    });
    return this.dispatching;
  }

  private async dispatchBatch(): Promise<number> {
    const q = this.db.kysely;
    let cursor = await q
      .selectFrom('discovery_cursors')
      .select('last_event_id')
      .where('name', '=', CURSOR)
      .executeTakeFirst();
    if (!cursor) {
      // First run: start from now, or from the oldest endpoint's start if one was made before this first
      // pass (endpoints only ever receive events after they were created, never the backlog).
      const last = await q
        .selectFrom('event_log')
        .select((eb) => eb.fn.max('id').as('max'))
        .executeTakeFirst();
      const first = await q
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.min('start_event_id').as('min'))
        .executeTakeFirst();
      const start = Math.min(
        Number(last?.max ?? 0),
        first?.min == null ? Number.POSITIVE_INFINITY : Number(first.min),
      );
      await q
        .insertInto('discovery_cursors')
        .values({ name: CURSOR, last_event_id: start })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      cursor = await q
        .selectFrom('discovery_cursors')
        .select('last_event_id')
        .where('name', '=', CURSOR)
        .executeTakeFirstOrThrow();
    }
    let queued = 0;
    let from = cursor.last_event_id;
    for (;;) {
      const events = await q
        .selectFrom('event_log')
        .select(['id', 'event'])
        .where('id', '>', from)
        .orderBy('id')
        .limit(500)
        .execute();
      if (events.length === 0) return queued;
      const rows = await q.selectFrom('webhook_endpoints').selectAll().where('active', '=', 1).execute();
      const endpoints = rows.map((r) => ({ ...toEndpoint(r), startEventId: r.start_event_id }));
      const last = events[events.length - 1]!.id;
      await q.transaction().execute(async (trx) => {
        for (const row of events) {
          const event = JSON.parse(row.event) as DomainEvent;
          if (!isWebhookEvent(event)) continue;
          const hook = webhookOf(event);
          for (const ep of endpoints) {
            if (row.id <= ep.startEventId) continue;
            if (!ep.events.includes(hook.type)) continue;
            if (ep.siteId !== null && !hook.siteIds.includes(ep.siteId)) continue;
            const payload: DeliverPayload = { endpointId: ep.id, eventId: row.id };
            if (await this.queue.enqueue(WEBHOOK_JOB, `webhook:${ep.id}:${row.id}`, payload, { trx }))
              queued++;
          }
        }
        // Never moves back: another process may have gone further meanwhile.
        await trx
          .updateTable('discovery_cursors')
          .set({ last_event_id: last })
          .where('name', '=', CURSOR)
          .where('last_event_id', '<', last)
          .execute();
      });
      from = last;
    }
  }

  // Delivery.

  /** The JSON body for one event, from the story's state now: a killed story's content is never sent. */
  async payloadFor(eventId: number): Promise<{ type: WebhookEventType; body: string } | null> {
    const row = await this.db.kysely
      .selectFrom('event_log')
      .select(['id', 'event', 'created_at'])
      .where('id', '=', eventId)
      .executeTakeFirst();
    if (!row) return null;
    const event = JSON.parse(row.event) as DomainEvent;
    if (!isWebhookEvent(event)) return null;
    if (event.type === 'comment.changed') return this.commentPayload(row, event);
    const found = await this.articles.get(event.articleId);
    let article: Record<string, unknown> = {
      id: event.articleId,
      status: found?.article.status ?? 'deleted',
    };
    if (found && found.article.status === 'published' && event.type !== 'article.taken_down') {
      const a = found.article;
      await this.directory.fresh();
      article = {
        id: a.id,
        status: a.status,
        headline: a.headline,
        dek: a.dek,
        byline: a.byline,
        dateline: a.dateline,
        source_copyright: a.sourceCopyright,
        published_at: a.publishedAt?.toISOString() ?? null,
        updated_at: (a.contentUpdatedAt ?? a.publishedAt)?.toISOString() ?? null,
        placements: found.placements
          .filter((p) => p.live)
          .flatMap((p) => {
            const ctx = this.directory.byIdOrUndefined(p.siteId);
            const sec = ctx?.sectionsById.get(p.sectionId);
            if (!ctx || !sec) return [];
            return [
              {
                site: ctx.site.slug,
                section: sec.slug,
                canonical: p.canonical,
                url: `${siteOrigin(this.o.publicUrls, ctx.site)}${storyPath(sec.slug, p.slug)}`,
              },
            ];
          }),
      };
    } else if (found?.article.takenDownAt) {
      article.taken_down_at = found.article.takenDownAt.toISOString();
    }
    const body = JSON.stringify({
      id: `evt_${row.id}`,
      type: event.type,
      created_at: fromDbTime(row.created_at).toISOString(),
      data: { article, site_ids: event.siteIds },
    });
    return { type: event.type, body };
  }

  /** A comment event's body, from the comment's state now: text only while it is published. */
  private async commentPayload(
    row: { id: number; created_at: string | Date },
    event: CommentWebhookEvent,
  ): Promise<{ type: WebhookEventType; body: string }> {
    const type = webhookOf(event).type;
    const c = await this.db.kysely
      .selectFrom('comments as c')
      .leftJoin('users as u', 'u.id', 'c.author_id')
      .select([
        'c.id',
        'c.parent_id',
        'c.status',
        'c.body',
        'c.up_count',
        'c.down_count',
        'c.created_at',
        'c.edited_at',
        'u.display_name',
        'u.profile_slug',
      ])
      .where('c.id', '=', event.commentId)
      .executeTakeFirst();
    const published = c?.status === 'published';
    const comment = {
      id: event.commentId,
      site_id: event.siteId,
      article_id: event.articleId,
      status: c?.status ?? 'deleted',
      ...(c && published
        ? {
            parent_id: c.parent_id,
            body: c.body,
            author: { display_name: c.display_name, profile_slug: c.profile_slug },
            up: Number(c.up_count),
            down: Number(c.down_count),
            created_at: fromDbTime(c.created_at).toISOString(),
            edited_at: c.edited_at ? fromDbTime(c.edited_at).toISOString() : null,
          }
        : {}),
    };
    const body = JSON.stringify({
      id: `evt_${row.id}`,
      type,
      created_at: fromDbTime(row.created_at).toISOString(),
      data: { comment, site_ids: [event.siteId] },
    });
    return { type, body };
  }

  private async deliver(p: DeliverPayload, job: Job<DeliverPayload>): Promise<void> {
    const ep = await this.db.kysely
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', p.endpointId)
      .executeTakeFirst();
    if (!ep || !fromDbBool(ep.active)) return;
    const payload = await this.payloadFor(p.eventId);
    if (!payload) return;
    const { header, timestamp } = signatureHeader(ep.secret, payload.body, this.o.now());
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      // A redirect is answered as a failure, not followed: the signed payload goes only where it was registered.
      const res = await this.o.outbound.request(ep.url, {
        method: 'POST',
        body: payload.body,
        maxRedirects: 0,
        plainHttp: 'allow-listed',
        maxBytes: RECEIVER_BODY_LIMIT,
        timeoutMs: this.o.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Dateline-Webhooks/1',
          'dateline-event': payload.type,
          'dateline-webhook-id': `evt_${p.eventId}`,
          'dateline-timestamp': String(timestamp),
          'dateline-signature': header,
        },
      });
      status = res.status;
      if (status < 200 || status > 299) error = `The endpoint answered HTTP ${status}.`;
    } catch (err) {
      // The client's messages say nothing about the network behind the URL; anything else is a bug.
      if (!isDatelineError(err)) throw err;
      error = `${err.code}: ${err.message}`.slice(0, 500);
    }
    const ok = error === null;
    await this.db.kysely
      .insertInto('webhook_deliveries')
      .values({
        endpoint_id: ep.id,
        event_id: p.eventId,
        event_type: payload.type,
        attempt: job.attempts,
        ok: toDbBool(ok),
        status_code: status,
        error,
        duration_ms: Math.round(performance.now() - started),
      })
      .execute();
    // Throwing hands the job back to the queue, which retries it later with back-off.
    if (!ok) throw new Error(error ?? 'delivery failed');
  }

  /**
   * Background work: a dispatch pass every few seconds as a safety net. The deliveries are jobs, run by the
   * shared job worker, which the server starts when it listens (web/server.tsx); starting the worker here
   * too ran it in every inject() test app, racing tests that drain the queue themselves.
   */
  start(everyMs = 5_000): void {
    if (this.timer) return;
    this.dispatchSoon();
    this.timer = setInterval(() => this.dispatchSoon(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue.stop();
    await this.dispatching?.catch(() => {});
  }
}

function toEndpoint(r: {
  id: number;
  url: string;
  site_id: number | null;
  events: string;
  active: number;
  created_at: string | Date;
}): WebhookEndpoint {
  return {
    id: r.id,
    url: r.url,
    siteId: r.site_id,
    events: JSON.parse(r.events) as WebhookEventType[],
    active: fromDbBool(r.active),
    createdAt: fromDbTime(r.created_at),
  };
}
