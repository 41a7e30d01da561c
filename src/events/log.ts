// Makes domain events reach every process. A service records its event inside its own transaction, then
// emits it locally after commit. Other processes (the CLI while a server runs, other app nodes) tail the
// event log and replay what they did not emit themselves, so no node keeps serving a stale page.
// On PostgreSQL the LISTEN connection can be lost: the tail reconnects with back-off and then tells its
// resync listeners, because notifications sent while it was away are gone and a page may be stale.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type pgModule from 'pg';
import { type ConnectionLog, errorText, silentLog } from '../db/availability.ts';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/database.ts';
import type { DomainEvent, EventBus } from './bus.ts';

const PG_CHANNEL = 'dateline_events';
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;
// A LISTEN connection carries nothing while nothing changes, so a peer that vanished without closing it (a
// cut network, a failed-over address) would go unnoticed: it is asked a trivial question this often, and
// counted lost when no answer comes within the timeout.
const LISTENER_CHECK_MS = 30_000;
const LISTENER_CHECK_TIMEOUT_MS = 10_000;

/** Writes the event inside the caller's transaction; returns its id for `EventLogTail.own`. */
export async function recordEvent(
  trx: Transaction<Database> | Kysely<Database>,
  dialect: Db['dialect'],
  event: DomainEvent,
): Promise<number> {
  const row = await trx
    .insertInto('event_log')
    .values({ event: JSON.stringify(event) })
    .returning('id')
    .executeTakeFirstOrThrow();
  // NOTIFY is delivered at commit, so listeners on other nodes see the change and the event together.
  if (dialect === 'postgres') {
    await sql`select pg_notify(${PG_CHANNEL}, ${String(row.id)})`.execute(trx);
  }
  return row.id;
}

/**
 * Tails the event log for changes made by other processes.
 * - SQLite: `PRAGMA data_version` changes only when another connection commits. Checking it costs about a
 *   microsecond, so `checkSync()` runs on every request and the very next request after an outside edit
 *   sees fresh content.
 * - PostgreSQL: LISTEN/NOTIFY wakes the tail as each remote transaction commits.
 */
export class EventLogTail {
  private lastId = 0;
  private readonly ownIds = new Set<number>();
  private lastDataVersion = -1;
  private pending: Promise<void> | null = null;
  private stopped = false;
  private listener: pgModule.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private lostAt: number | null = null;
  private readonly resyncListeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly log: ConnectionLog = silentLog,
  ) {}

  /** False while the LISTEN connection is lost (PostgreSQL only); readiness checks report it. */
  get listening(): boolean {
    return this.db.dialect !== 'postgres' || this.listener !== null;
  }

  /**
   * Runs after the LISTEN connection came back: changes made meanwhile may have been missed, so whatever
   * caches content (the page cache, the site directory) must start afresh.
   */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  async start(): Promise<void> {
    const row = await this.db.kysely
      .selectFrom('event_log')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    this.lastId = Number(row?.max ?? 0);
    if (this.db.sqliteDataVersion) this.lastDataVersion = this.db.sqliteDataVersion();
    if (this.db.dialect === 'postgres') await this.listenPostgres();
  }

  /**
   * Notes an event this process recorded and will emit itself, so the tail does not replay it. Called when
   * the event is recorded, before its transaction commits: on PostgreSQL the commit's NOTIFY can wake this
   * very tail before the caller gets round to publishing, and the tail must already know the id is ours.
   */
  own(id: number): void {
    if (id > this.lastId) this.ownIds.add(id);
  }

  /** True when another process has committed since the last look; then call `catchUp()`. */
  outsideChangeSeen(): boolean {
    const probe = this.db.sqliteDataVersion;
    if (!probe) return false;
    const v = probe();
    if (v === this.lastDataVersion) return false;
    this.lastDataVersion = v;
    return true;
  }

  /** Replays events recorded after the last one seen. Concurrent callers share one read. */
  catchUp(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.pending) {
      this.pending = this.readNew().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  private async readNew(): Promise<void> {
    const rows = await this.db.kysely
      .selectFrom('event_log')
      .select(['id', 'event'])
      .where('id', '>', this.lastId)
      .orderBy('id')
      .execute();
    for (const r of rows) {
      this.lastId = Math.max(this.lastId, r.id);
      if (this.ownIds.delete(r.id)) continue;
      this.bus.emit(JSON.parse(r.event) as DomainEvent);
    }
    // Ids at or below lastId are never read again, so ours that were not seen (their transaction rolled
    // back, or committed after a later id was read) would only pile up.
    for (const id of this.ownIds) if (id <= this.lastId) this.ownIds.delete(id);
  }

  private async listenPostgres(): Promise<void> {
    const pg = (await import('pg')).default;
    // The pool is Kysely's; LISTEN needs a connection of its own that stays open.
    const client = new pg.Client({
      connectionString: this.db.url,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // Only the live listener's loss counts: a failed attempt is retried by reconnect() itself.
    const onLost = (err?: unknown) => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => {});
      if (this.stopped) return;
      if (this.lostAt === null) {
        this.lostAt = Date.now();
        this.log.warn(
          { error: err === undefined ? 'connection closed' : errorText(err) },
          'the event-log listener lost its connection; reconnecting',
        );
      }
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', () => {
      // A failed read is retried by the next notification, which starts from the same last id.
      this.catchUp().catch(() => {});
    });
    try {
      await client.connect();
      await client.query(`listen ${PG_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    this.scheduleCheck(client, onLost);
  }

  private scheduleCheck(client: pgModule.Client, onLost: (err?: unknown) => void): void {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(async () => {
      this.checkTimer = null;
      if (this.listener !== client) return;
      let timeout: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          client.query('select 1'),
          new Promise((_, reject) => {
            timeout = setTimeout(
              () => reject(new Error('the event-log listener did not answer a check')),
              LISTENER_CHECK_TIMEOUT_MS,
            );
          }),
        ]);
        this.scheduleCheck(client, onLost);
      } catch (err) {
        onLost(err);
      } finally {
        clearTimeout(timeout);
      }
    }, LISTENER_CHECK_MS);
    this.checkTimer.unref();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopped) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.reconnect();
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
  }

  private async reconnect(): Promise<void> {
    try {
      await this.listenPostgres();
    } catch {
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const downSeconds = this.lostAt === null ? 0 : Math.round((Date.now() - this.lostAt) / 1000);
    this.lostAt = null;
    this.reconnectDelayMs = RECONNECT_MIN_MS;
    this.log.info({ downSeconds }, 'the event-log listener is connected again; dropping cached pages');
    for (const l of this.resyncListeners) {
      try {
        l();
      } catch (err) {
        this.log.warn({ err }, 'a resync listener failed');
      }
    }
    // Events recorded while away are in the log: replay them for search, feeds and webhooks.
    await this.catchUp().catch(() => {});
  }

  /** Stops listening and waits for a read in progress, so the database can be closed safely after. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.reconnectTimer = null;
    this.checkTimer = null;
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => {});
    await this.pending?.catch(() => {});
  }
}

/**
 * What services hold: record an event in a transaction, and publish it once that transaction committed.
 * Notification channels are per database, so tests on separate PostgreSQL schemas may wake each other's
 * tails; that only causes a harmless read.
 */
export class Events {
  constructor(
    readonly db: Db,
    readonly bus: EventBus,
    readonly tail: EventLogTail | null,
  ) {}

  async record(trx: Transaction<Database>, event: DomainEvent): Promise<number> {
    const id = await recordEvent(trx, this.db.dialect, event);
    this.tail?.own(id);
    return id;
  }

  /** Emits here what `record` wrote, once its transaction committed; other processes get it from the log. */
  published(event: DomainEvent, _id: number): void {
    this.bus.emit(event);
  }
}
