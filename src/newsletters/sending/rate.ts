// How fast this process hands bulk mail to the SMTP server: token buckets for messages per second and per
// hour (DATELINE_BULK_RATE_PER_SECOND / _PER_HOUR; 0 is no limit). The second's bucket holds a tenth of a
// second's worth so a send starts smoothly instead of in a burst; the hour's holds the whole hour, so the
// hour's cap is a cap and not a pace. The limits are per sending process: several nodes sharing a send
// each keep to them (the README says so).

export interface RateLimits {
  perSecond: number;
  perHour: number;
}

class Bucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perMs: number,
    private readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }

  get available(): number {
    return this.tokens;
  }

  take(): void {
    this.tokens -= 1;
  }

  /** Milliseconds until one token is there. */
  waitMs(): number {
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perMs);
  }
}

export class SendRate {
  private readonly second: Bucket | null;
  private readonly hour: Bucket | null;

  constructor(
    readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {
    const t = now();
    this.second =
      limits.perSecond > 0
        ? new Bucket(limits.perSecond / 1000, Math.max(1, limits.perSecond / 10), t)
        : null;
    this.hour = limits.perHour > 0 ? new Bucket(limits.perHour / 3_600_000, limits.perHour, t) : null;
  }

  /** How many messages the hour's cap still allows now (Infinity without one). */
  hourlyAllowance(): number {
    if (!this.hour) return Number.POSITIVE_INFINITY;
    this.hour.refill(this.now());
    return Math.floor(this.hour.available);
  }

  /** Milliseconds until the hour's cap allows one more message. */
  hourlyWaitMs(): number {
    if (!this.hour) return 0;
    this.hour.refill(this.now());
    return this.hour.waitMs();
  }

  /** Waits for the per-second pace, then counts one message against both limits. */
  async take(): Promise<void> {
    if (this.second) {
      for (;;) {
        this.second.refill(this.now());
        const wait = this.second.waitMs();
        if (wait === 0) break;
        await new Promise((r) => setTimeout(r, wait));
      }
      this.second.take();
    }
    if (this.hour) {
      this.hour.refill(this.now());
      this.hour.take();
    }
  }
}
