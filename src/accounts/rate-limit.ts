// Rate limits on sign-in, registration, password reset, verification and every other action that sends
// mail, per IP, per account and per address mailed, with
// rate-limiter-flexible. Counters live in the database by default (the rate_limits table, shared by every
// app node and surviving restarts) through a small store for Kysely that works on both dialects; with
// REDIS_URL they live in Redis. Failed sign-ins for an email first slow down (a growing pause before the
// next try is accepted) and then lock for a while; the caller tells the owner by mail when a lock starts.
// When Redis is unreachable every limiter falls back to counting in this process's memory (the library's
// insurance limiter) until Redis answers again: limits never fail open, and sign-in never fails closed.
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterStoreAbstract as StoreAbstract,
} from 'rate-limiter-flexible';
import type { ConnectionLog } from '../db/availability.ts';
import type { Db } from '../db/connection.ts';

// The store base class is the library's documented way to add a store, but its index does not re-export it.
const RateLimiterStoreAbstract = createRequire(import.meta.url)(
  'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js',
) as typeof StoreAbstract;

interface StoreRow {
  points: number;
  expire: number | null;
}

/** rate-limiter-flexible's store contract, on the rate_limits table. One upsert per consume. */
export class RateLimiterKysely extends RateLimiterStoreAbstract {
  private readonly db: Db;

  constructor(opts: { db: Db; keyPrefix: string; points: number; duration: number; blockDuration?: number }) {
    super({ ...opts, storeClient: opts.db });
    this.db = opts.db;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, result: StoreRow): RateLimiterRes {
    const points = Number(result.points);
    // Stryker disable next-line ConditionalExpression: equivalent as false, consumed is the stored count either way and isFirstInDuration is read only by execEvenly, which is off
    const first = changedPoints === points;
    const consumed = first ? changedPoints : points;
    // Stryker disable next-line ConditionalExpression,UnaryOperator: equivalent as false or +1, wrap() reads a window without end (-1), 0 and 1 ms alike as a one-second wait
    const msBeforeNext = result.expire === null ? -1 : Math.max(Number(result.expire) - Date.now(), 0);
    // Stryker disable next-line MethodExpression,ArithmeticOperator: equivalent, remainingPoints is read only by execEvenly, which is off
    return new RateLimiterRes(Math.max(this.points - consumed, 0), msBeforeNext, consumed, first);
  }

  // Stryker disable next-line BooleanLiteral: equivalent, the library always passes forceExpire
  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<StoreRow> {
    const now = Date.now();
    const expire = msDuration > 0 ? now + msDuration : null;
    // An expired counter starts again from these points; a live one adds to them.
    const r = forceExpire
      ? await sql<StoreRow>`
          insert into rate_limits (key, points, expire) values (${rlKey}, ${points}, ${expire})
          on conflict (key) do update set points = excluded.points, expire = excluded.expire
          returning points, expire`.execute(this.db.kysely)
      : await sql<StoreRow>`
          insert into rate_limits (key, points, expire) values (${rlKey}, ${points}, ${expire})
          on conflict (key) do update set
            points = case when rate_limits.expire is null or rate_limits.expire > ${now}
                          then rate_limits.points + excluded.points else excluded.points end,
            expire = case when rate_limits.expire is null or rate_limits.expire > ${now}
                          then rate_limits.expire else excluded.expire end
          returning points, expire`.execute(this.db.kysely);
    return r.rows[0]!;
  }

  async _get(rlKey: string): Promise<StoreRow | null> {
    const row = await this.db.kysely
      .selectFrom('rate_limits')
      .select(['points', 'expire'])
      .where('key', '=', rlKey)
      .where((eb) => eb.or([eb('expire', 'is', null), eb('expire', '>', Date.now())]))
      .executeTakeFirst();
    return row ?? null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    const r = await this.db.kysely.deleteFrom('rate_limits').where('key', '=', rlKey).executeTakeFirst();
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, reset() does not read whether a counter was there
    return Number(r.numDeletedRows) > 0;
  }
}

export interface Limiter {
  /** Spends points; resolves with the wait in seconds when over the limit, else 0. */
  consume(key: string, points?: number): Promise<number>;
  /** Seconds until the key may act again (0 when it may now). */
  blockedFor(key: string): Promise<number>;
  block(key: string, seconds: number): Promise<void>;
  /** Points spent in the current window. */
  spent(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

type AnyLimiter = StoreAbstract;

function wrap(l: AnyLimiter): Limiter {
  return {
    async consume(key, points = 1) {
      try {
        await l.consume(key, points);
        return 0;
      } catch (e) {
        if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw e;
      }
    },
    async blockedFor(key) {
      const r = await l.get(key);
      if (!r || r.consumedPoints <= l.points) return 0;
      return Math.max(1, Math.ceil(r.msBeforeNext / 1000));
    },
    async block(key, seconds) {
      await l.block(key, seconds);
    },
    async spent(key) {
      return (await l.get(key))?.consumedPoints ?? 0;
    },
    async reset(key) {
      await l.delete(key);
    },
  };
}

export interface LimiterSpec {
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
}

export class LimiterFactory {
  private readonly redis: Redis | null;
  private log: ConnectionLog | null = null;
  private redisLostAt: number | null = null;

  constructor(
    private readonly db: Db,
    redisUrl: string | null,
  ) {
    this.redis = redisUrl
      ? new (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis(redisUrl, {
          // While Redis is away a command fails at once (and the memory limiter answers) instead of
          // queueing behind a reconnect and holding the sign-in request.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 5000,
          // Reconnect for ever, backing off from 250 ms to 10 s.
          retryStrategy: (times) => Math.min(250 * 2 ** Math.min(times - 1, 6), 10_000),
          lazyConnect: false,
        })
      : null;
    // ioredis emits 'error' on every failed reconnect; without a listener it prints each one. The outage is
    // logged once when it starts and once when it ends.
    this.redis?.on('error', (err) => {
      if (this.redisLostAt !== null) return;
      this.redisLostAt = Date.now();
      // Stryker disable next-line StringLiteral: message wording
      this.log?.warn({ err }, 'Redis does not answer: rate limits count in this process until it is back');
    });
    this.redis?.on('close', () => {
      if (this.redisLostAt === null) {
        this.redisLostAt = Date.now();
        this.log?.warn({}, 'the Redis connection closed: rate limits count in this process until it is back');
      }
    });
    this.redis?.on('ready', () => {
      if (this.redisLostAt === null) return;
      const downSeconds = Math.round((Date.now() - this.redisLostAt) / 1000);
      this.redisLostAt = null;
      // Stryker disable next-line StringLiteral: message wording
      this.log?.info({ downSeconds }, 'Redis answers again: rate limits are shared again');
    });
  }

  /** Where connection trouble with Redis is reported. */
  reportTo(log: ConnectionLog): void {
    this.log = log;
  }

  get store(): 'database' | 'redis' {
    return this.redis ? 'redis' : 'database';
  }

  /** Redis's state for readiness checks: null without Redis. Down is degraded, not unready. */
  get redisUp(): boolean | null {
    return this.redis ? this.redis.status === 'ready' : null;
  }

  make(name: string, spec: LimiterSpec): Limiter {
    const opts = {
      keyPrefix: `dl:${name}`,
      points: spec.points,
      duration: spec.durationSeconds,
      blockDuration: spec.blockSeconds ?? 0,
    };
    return wrap(
      this.redis
        ? new RateLimiterRedis({
            ...opts,
            storeClient: this.redis,
            rejectIfRedisNotReady: true,
            // Same limits, counted per process, while Redis is away. Counts made in Redis meanwhile are not
            // seen (a lock set in Redis is not enforced by the fallback); counts start again at the switch.
            insuranceLimiter: new RateLimiterMemory(opts),
          })
        : new RateLimiterKysely({ ...opts, db: this.db }),
    );
  }

  /**
   * Waits for the first connection to Redis (at most `timeoutMs`), so the first sign-ins after a start are
   * counted in Redis rather than in memory. An unreachable Redis is not waited for: the fallback counts.
   */
  async connected(timeoutMs = 5000): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        // Stryker disable next-line StringLiteral: equivalent, a listener left behind only calls done again, which does nothing more
        redis.off('ready', done);
        // Stryker disable next-line StringLiteral: equivalent, a listener left behind only calls done again, which does nothing more
        redis.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      redis.once('ready', done);
      redis.once('error', done);
      // Closed before it ever connected: nothing more will come.
      redis.once('end', done);
    });
  }

  /**
   * Closes the Redis connection and resolves once it has ended, so nothing of it keeps the process alive.
   * Bounded: a Redis that stopped answering (a stalled server, a cut network) never replies to QUIT, and
   * the connection is then dropped.
   */
  async close(): Promise<void> {
    // Closing on purpose is no outage to report.
    this.log = null;
    const redis = this.redis;
    if (!redis || redis.status === 'end') return;
    // Stryker disable next-line ArrayDeclaration: equivalent, clearing a timer that is no timer does nothing
    const timers: NodeJS.Timeout[] = [];
    const ended = new Promise<void>((resolve) => {
      redis.once('end', () => resolve());
      // ioredis destroys a socket whose peer does not close within its disconnectTimeout (2 s); past that
      // there is nothing left to wait for.
      timers.push(setTimeout(resolve, QUIT_TIMEOUT_MS + 5000));
    });
    // QUIT needs a live connection; one still connecting or reconnecting is simply dropped.
    if (redis.status === 'ready') {
      timers.push(setTimeout(() => redis.disconnect(), QUIT_TIMEOUT_MS));
      // Stryker disable next-line ArrowFunction: a shortcut only, the timer above disconnects a second later anyway
      await redis.quit().catch(() => redis.disconnect());
    } else {
      redis.disconnect();
    }
    await ended;
    for (const t of timers) clearTimeout(t);
  }
}

/** How long closing waits for Redis to answer QUIT before dropping the connection. */
const QUIT_TIMEOUT_MS = 1000;

/** The limits the account routes apply. Numbers are per window; see README, Accounts. */
export class AccountLimits {
  readonly loginIp: Limiter;
  readonly loginFailures: Limiter;
  readonly loginPause: Limiter;
  readonly loginLock: Limiter;
  readonly registerIp: Limiter;
  readonly resetIp: Limiter;
  readonly resetAccount: Limiter;
  readonly verifyIp: Limiter;
  /** Requests that mail someone (email change, a new confirmation link), per network address. */
  readonly mailIp: Limiter;
  /** The same, per signed-in account. */
  readonly mailAccount: Limiter;
  /** Requests that would mail one address, whoever asks; over it the mail is skipped, not refused. */
  readonly mailAddress: Limiter;

  /** Failed sign-ins from one IP address that start a block of every sign-in from it. */
  static readonly LOGIN_IP_FAILURES = 30;
  static readonly LOGIN_IP_BLOCK_SECONDS = 15 * 60;
  /** Failed sign-ins for one email before each further try waits, and before the lock. */
  static readonly PAUSE_AFTER = 3;
  static readonly LOCK_AFTER = 10;
  static readonly LOCK_SECONDS = 15 * 60;

  constructor(readonly factory: LimiterFactory) {
    const f = factory;
    // rate-limiter-flexible blocks on the consume that goes past `points`, so the failure that reaches
    // LOGIN_IP_FAILURES is the one past LOGIN_IP_FAILURES - 1 points.
    this.loginIp = f.make('login-ip', {
      points: AccountLimits.LOGIN_IP_FAILURES - 1,
      durationSeconds: 15 * 60,
      blockSeconds: AccountLimits.LOGIN_IP_BLOCK_SECONDS,
    });
    this.loginFailures = f.make('login-fail', { points: 1000, durationSeconds: 3600 });
    this.loginPause = f.make('login-pause', { points: 1, durationSeconds: 3600 });
    this.loginLock = f.make('login-lock', { points: 1, durationSeconds: 3600 });
    this.registerIp = f.make('register-ip', { points: 10, durationSeconds: 3600 });
    this.resetIp = f.make('reset-ip', { points: 10, durationSeconds: 3600 });
    this.resetAccount = f.make('reset-account', { points: 3, durationSeconds: 3600 });
    this.verifyIp = f.make('verify-ip', { points: 30, durationSeconds: 600 });
    this.mailIp = f.make('mail-ip', { points: 20, durationSeconds: 3600 });
    this.mailAccount = f.make('mail-account', { points: 5, durationSeconds: 3600 });
    this.mailAddress = f.make('mail-address', { points: 3, durationSeconds: 3600 });
  }

  /** Seconds before the next pause ends after `failures` failed tries: 1, 2, 4 … 60. */
  static pauseSeconds(failures: number): number {
    return Math.min(2 ** (failures - AccountLimits.PAUSE_AFTER), 60);
  }
}
