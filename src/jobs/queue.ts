// Durable background jobs in the database: mail, renditions, pollers, webhooks. A job is unique by key, so
// enqueueing the same work twice keeps one job. Workers claim jobs with a lease (FOR UPDATE SKIP LOCKED on
// PostgreSQL, so several nodes share the work); a crashed worker's lease runs out and the job runs again,
// so handlers must be idempotent for their key. Failures retry with exponential back-off.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/database.ts';
import { fromDbTime, fromDbTimeOrNull, toDbTime } from '../db/values.ts';
import type { JobState } from './tables.ts';

export interface Job<P = unknown> {
  id: number;
  kind: string;
  key: string;
  payload: P;
  attempts: number;
  runAt: Date;
}

export interface JobRecord extends Job {
  state: JobState;
  lastError: string | null;
  finishedAt: Date | null;
}

export type JobHandler<P = unknown> = (payload: P, job: Job<P>) => Promise<void>;

export interface QueueOptions {
  /** How long a claimed job is ours before another worker may take it over. */
  leaseMs?: number;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at an hour. */
  backoffMs?: number;
  now?: () => Date;
  onError?: (err: unknown, job: Job) => void;
}

export class JobQueue {
  private readonly handlers = new Map<string, { fn: JobHandler<never>; maxAttempts: number }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly o: Required<Omit<QueueOptions, 'onError'>> & Pick<QueueOptions, 'onError'>;

  constructor(
    private readonly db: Db,
    opts: QueueOptions = {},
  ) {
    this.o = {
      leaseMs: opts.leaseMs ?? 60_000,
      maxAttempts: opts.maxAttempts ?? 8,
      backoffMs: opts.backoffMs ?? 5_000,
      now: opts.now ?? (() => new Date()),
      onError: opts.onError,
    };
  }

  register<P>(kind: string, fn: JobHandler<P>, opts: { maxAttempts?: number } = {}): void {
    this.handlers.set(kind, {
      fn: fn as JobHandler<never>,
      maxAttempts: opts.maxAttempts ?? this.o.maxAttempts,
    });
  }

  /** Adds a job unless one with the same key exists. Pass the caller's transaction to enqueue atomically. */
  async enqueue(
    kind: string,
    key: string,
    payload: unknown,
    opts: { runAt?: Date; trx?: Transaction<Database> | Kysely<Database> } = {},
  ): Promise<boolean> {
    const q = opts.trx ?? this.db.kysely;
    const res = await q
      .insertInto('jobs')
      .values({
        kind,
        key,
        payload: JSON.stringify(payload),
        state: 'queued',
        attempts: 0,
        run_at: toDbTime(opts.runAt ?? this.o.now()),
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Claims one due job (or one whose lease ran out). */
  async claim(kinds = [...this.handlers.keys()]): Promise<Job | null> {
    if (kinds.length === 0) return null;
    const now = this.o.now();
    const nowDb = toDbTime(now);
    const lease = toDbTime(new Date(now.getTime() + this.o.leaseMs));
    const lock = this.db.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const kindList = sql.join(kinds.map((k) => sql`${k}`));
    // SQLite has one writer at a time, so the update-with-subquery is already atomic there.
    const result = await sql<{
      id: number;
      kind: string;
      key: string;
      payload: string;
      attempts: number;
      run_at: string | Date;
    }>`
      update jobs set state = 'running', locked_until = ${lease}, attempts = attempts + 1
      where id = (
        select id from jobs
        where kind in (${kindList})
          and ((state = 'queued' and run_at <= ${nowDb}) or (state = 'running' and locked_until < ${nowDb}))
        order by run_at, id
        limit 1
        ${lock}
      )
      returning id, kind, key, payload, attempts, run_at`.execute(this.db.kysely);
    const row = result.rows[0];
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      key: row.key,
      payload: JSON.parse(row.payload),
      attempts: row.attempts,
      runAt: fromDbTime(row.run_at),
    };
  }

  /** Runs one due job if there is one; returns whether it did. */
  async runOnce(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    const h = this.handlers.get(job.kind)!;
    try {
      await h.fn(job.payload as never, job as Job<never>);
      await this.db.kysely
        .updateTable('jobs')
        .set({ state: 'done', finished_at: toDbTime(this.o.now()), locked_until: null, last_error: null })
        .where('id', '=', job.id)
        .execute();
    } catch (err) {
      this.o.onError?.(err, job);
      const giveUp = job.attempts >= h.maxAttempts;
      const delay = Math.min(this.o.backoffMs * 2 ** (job.attempts - 1), 3_600_000);
      await this.db.kysely
        .updateTable('jobs')
        .set({
          state: giveUp ? 'failed' : 'queued',
          run_at: toDbTime(new Date(this.o.now().getTime() + delay)),
          locked_until: null,
          last_error: String((err as Error)?.message ?? err).slice(0, 2000),
          ...(giveUp && { finished_at: toDbTime(this.o.now()) }),
        })
        .where('id', '=', job.id)
        .execute();
    }
    return true;
  }

  /** Runs due jobs until none is left; for tests and CLI commands. */
  /**
   * Runs every due job, and returns once none is left in this process: a job the background worker
   * (start()) claimed just before is waited for too, since it is not due any more but has not run yet.
   * Never call it from a job handler, which would wait for itself.
   */
  async drain(limit = 10_000): Promise<number> {
    let n = await this.runUpTo(limit);
    while (this.running && n < limit) {
      await this.running;
      n += await this.runUpTo(limit - n);
    }
    return n;
  }

  private async runUpTo(limit: number): Promise<number> {
    let n = 0;
    while (n < limit && (await this.runOnce())) n++;
    return n;
  }

  start(everyMs = 500): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runUpTo(100)
        .catch(() => {})
        .finally(() => {
          this.running = null;
        });
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async get(key: string): Promise<JobRecord | null> {
    const r = await this.db.kysely.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      kind: r.kind,
      key: r.key,
      payload: JSON.parse(r.payload),
      attempts: r.attempts,
      runAt: fromDbTime(r.run_at),
      state: r.state,
      lastError: r.last_error,
      finishedAt: fromDbTimeOrNull(r.finished_at),
    };
  }
}
