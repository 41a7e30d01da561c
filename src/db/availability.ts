// Whether the database answers, as seen by this process. A PostgreSQL server can restart, be failed over or
// have its backends terminated under a running app: connection failures are recognised here, confirmed by
// a probe, and while the server is away the probe repeats with back-off. Callers fail fast in the meantime
// (`DATELINE_ERR_DATABASE_UNAVAILABLE`, answered 503 with Retry-After) instead of queueing on a dead pool.
// The latest evidence wins: probes and queries are numbered in the order they were sent, so a probe refused
// just before the server came back (its failure read late, on a busy event loop) cannot mark down a server
// that has since answered a query sent after that probe.
import { DatelineError } from '../errors/catalogue.ts';

/** Where connection trouble is reported; pino loggers fit. */
export interface ConnectionLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export const silentLog: ConnectionLog = { warn() {}, info() {} };

// Node's socket errors that mean "no connection", and PostgreSQL's SQLSTATEs for the same: class 08
// (connection exception), 57P01-57P03 (the server is shutting down, crashed, or not yet accepting).
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const SERVER_GONE = new Set(['57P01', '57P02', '57P03']);
// node-postgres reports a lost or never-made connection with these messages and no code.
const DRIVER_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|is not queryable|Client was closed/i;

/** True for errors that say the connection is gone or cannot be made, not that a query was wrong. */
export function isConnectionLoss(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  if (err instanceof DatelineError) return err.code === 'DATELINE_ERR_DATABASE_UNAVAILABLE';
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_GONE.has(code) || code.startsWith('08')))
    return true;
  if (typeof message === 'string' && DRIVER_MESSAGES.test(message)) return true;
  // A host with several addresses fails with an AggregateError of one error per address.
  return Array.isArray(errors) && errors.some(isConnectionLoss);
}

/** "host:port/database as user", for messages: what was tried, never the password. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    const user = u.username ? ` as user ${decodeURIComponent(u.username)}` : '';
    return `${u.hostname || 'localhost'}:${u.port || '5432'}/${db}${user}`;
  } catch {
    return 'the server DATABASE_URL names';
  }
}

export interface AvailabilityOptions {
  /** Tries one round trip; rejects when the database does not answer. */
  probe: () => Promise<void>;
  /** Shown in messages, e.g. "127.0.0.1:5432/dateline as user dateline". */
  target: string;
  log?: ConnectionLog;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export class DatabaseAvailability {
  /** Set while the database is away; `probeSent` is the number of the probe that found it so. */
  private down: { since: number; error: string; probeSent: number } | null = null;
  private probing = false;
  /** Numbers probes and queries in the order they were sent (see `sent()`). */
  private sequence = 0;
  /** The number of the latest-sent query the server answered. */
  private lastAnswered = 0;
  private timer: NodeJS.Timeout | null = null;
  private delayMs: number;
  private closed = false;
  private readonly log: ConnectionLog;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly opts: AvailabilityOptions) {
    this.log = opts.log ?? silentLog;
    this.minDelayMs = opts.minDelayMs ?? 250;
    this.maxDelayMs = opts.maxDelayMs ?? 10_000;
    this.delayMs = this.minDelayMs;
  }

  /** A database that cannot go away (SQLite, in this process). */
  static local(): DatabaseAvailability {
    return new DatabaseAvailability({ probe: async () => {}, target: 'local' });
  }

  get isUp(): boolean {
    return this.down === null;
  }

  /** What readiness checks show while the database is away. */
  get status(): { up: true } | { up: false; since: string; error: string } {
    return this.down
      ? { up: false, since: new Date(this.down.since).toISOString(), error: this.down.error }
      : { up: true };
  }

  /** Seconds a client should wait before asking again: the probe's current back-off, at least 1. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.delayMs / 1000));
  }

  /** The error to fail a request with while the database is away. */
  unavailable(cause?: unknown): DatelineError {
    return new DatelineError(
      'DATABASE_UNAVAILABLE',
      `The database (${this.opts.target}, set by DATABASE_URL) does not answer: ${this.down?.error ?? errorText(cause)}. ` +
        'Dateline reconnects by itself; try again shortly. If it persists, check that PostgreSQL is running and reachable.',
      { retryAfter: this.retryAfterSeconds },
      cause === undefined ? undefined : { cause },
    );
  }

  /** Numbers a query about to be sent; hand the number to `answered()` when the server replies. */
  sent(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /**
   * The server replied to the query numbered `sent` (with rows or with an SQL error: either way it answers).
   * A reply to a query sent after the probe that found the database away is newer evidence: it is back.
   */
  answered(sent: number): void {
    if (sent > this.lastAnswered) this.lastAnswered = sent;
    if (this.down && sent > this.down.probeSent) this.markUp();
  }

  /**
   * Every driver error passes through here. A connection failure starts a probe (a terminated backend says
   * nothing about the server, a refused probe does) and comes back as DATABASE_UNAVAILABLE; any other
   * error is returned unchanged.
   */
  failed(err: unknown): unknown {
    if (!isConnectionLoss(err) || err instanceof DatelineError) return err;
    this.check(err);
    return this.unavailable(err);
  }

  /** Probes now unless a probe is already under way or scheduled. */
  check(reason?: unknown): void {
    if (this.probing || this.timer || this.closed) return;
    if (reason !== undefined && this.down === null)
      this.log.warn(
        { error: errorText(reason), database: this.opts.target },
        'a database connection was lost; checking the server',
      );
    void this.runProbe();
  }

  private async runProbe(): Promise<void> {
    this.probing = true;
    const sent = this.sent();
    try {
      await this.opts.probe();
      this.probing = false;
      this.markUp();
    } catch (err) {
      this.probing = false;
      if (this.closed) return;
      // A query sent after this probe was answered: the refusal is older than that answer.
      if (this.lastAnswered > sent) {
        this.markUp();
        return;
      }
      if (!this.down) {
        this.down = { since: Date.now(), error: errorText(err), probeSent: sent };
        this.log.warn(
          { error: errorText(err), database: this.opts.target },
          'the database does not answer: serving cached pages, answering the rest 503 until it is back',
        );
      } else {
        this.down.error = errorText(err);
        this.down.probeSent = sent;
        this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
      }
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.runProbe();
      }, this.delayMs);
      this.timer.unref();
    }
  }

  private markUp(): void {
    if (this.down) {
      const seconds = Math.round((Date.now() - this.down.since) / 1000);
      this.log.info({ database: this.opts.target, downSeconds: seconds }, 'the database answers again');
    }
    this.down = null;
    this.delayMs = this.minDelayMs;
    // A probe still scheduled would only confirm what the answer said; the next lost connection asks again.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** An error as one line for logs and messages: driver errors carry the whole client, too much to log. */
export function errorText(err: unknown): string {
  if (!err || typeof err !== 'object') return String(err);
  const { code, message } = err as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : 'connection failed';
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}
