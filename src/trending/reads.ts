// Counts article reads privately. Each hit from the beacon is checked against obvious bots, then against
// a short dedupe window keyed by a hash of (day's salt, IP, User-Agent, placement): the IP is never stored
// and the hash only lives in memory. No cookie is set. Counts gather in memory and are written in one
// small transaction every few seconds, so a beacon request costs a hash and two map operations.
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { isBot } from './bots.ts';
import { addReads, hourStart, livePlacements, type ReadIncrement, saltFor } from './repository.ts';

export interface ReadCounterOptions {
  /** A reader reading the same story again within this window counts once. */
  dedupeMs: number;
  /** Most distinct placements held between flushes; more are dropped (and a flush is due anyway). */
  maxPending?: number;
  /** Most readers remembered for dedupe; the oldest go first. */
  maxSeen?: number;
  now?: () => Date;
}

export type CountOutcome = 'counted' | 'bot' | 'duplicate' | 'invalid';

function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export class ReadCounter {
  private pending = new Map<number, number>();
  /** Dedupe keys with their expiry, in insertion (so expiry) order. */
  private readonly seen = new Map<string, number>();
  private salt = '';
  private saltDay = '';
  private readonly o: Required<ReadCounterOptions>;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    opts: ReadCounterOptions,
  ) {
    this.o = { maxPending: 100_000, maxSeen: 500_000, now: () => new Date(), ...opts };
  }

  /** Loads (or makes) today's salt; call before counting and it is kept current by flush(). */
  async prepare(): Promise<void> {
    const now = this.o.now();
    const day = utcDay(now);
    if (day === this.saltDay) return;
    this.salt = await saltFor(this.db, day, utcDay(new Date(now.getTime() - 86_400_000)));
    this.saltDay = day;
    // Yesterday's readers hashed with yesterday's salt can never match again; forget them.
    this.seen.clear();
  }

  count(placementId: number, ip: string, userAgent: string | undefined): CountOutcome {
    if (!Number.isSafeInteger(placementId) || placementId <= 0) return 'invalid';
    if (isBot(userAgent)) return 'bot';
    const nowMs = this.o.now().getTime();
    const key = createHash('sha256')
      .update(`${this.salt}|${ip}|${userAgent}|${placementId}`)
      .digest('base64url')
      .slice(0, 22);
    const until = this.seen.get(key);
    if (until !== undefined && until > nowMs) return 'duplicate';
    this.seen.delete(key);
    this.seen.set(key, nowMs + this.o.dedupeMs);
    if (this.seen.size > this.o.maxSeen) this.forgetExpired(nowMs, true);
    const n = this.pending.get(placementId);
    if (n === undefined && this.pending.size >= this.o.maxPending) return 'invalid';
    this.pending.set(placementId, (n ?? 0) + 1);
    return 'counted';
  }

  private forgetExpired(nowMs: number, overflow = false): void {
    for (const [k, until] of this.seen) {
      if (until > nowMs && !(overflow && this.seen.size > this.o.maxSeen * 0.9)) break;
      this.seen.delete(k);
    }
  }

  /** How many reads wait to be written (tests, metrics). */
  get pendingReads(): number {
    let n = 0;
    for (const v of this.pending.values()) n += v;
    return n;
  }

  /** Writes the gathered counts; placements that are not live (bogus ids, killed stories) are dropped. */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    await this.prepare();
    this.forgetExpired(this.o.now().getTime());
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const hour = hourStart(this.o.now());
    try {
      const where = await livePlacements(this.db, [...batch.keys()]);
      const increments: ReadIncrement[] = [];
      for (const [placementId, reads] of batch) {
        const p = where.get(placementId);
        if (p) increments.push({ ...p, hour, reads });
      }
      await addReads(this.db, increments);
    } catch (err) {
      // Put the counts back so a passing database hiccup loses nothing.
      for (const [k, v] of batch) this.pending.set(k, (this.pending.get(k) ?? 0) + v);
      throw err;
    }
  }
}
