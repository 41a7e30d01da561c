// Votes change tallies many times a second on a busy thread; recording an event for each would drop the
// thread's cached pages on every vote. Instead each vote marks its thread, and a thread's `comment.tallies`
// event is recorded at most once per interval (about 2 s): the first vote on a quiet thread is flushed
// after the interval, later ones ride along. So cached pages show tallies at most a few seconds old (the
// issue allows 5 s) while the cache keeps serving between flushes. close() flushes what is waiting.
// A process that stops without close() loses at most one interval of tally events: the tallies themselves
// are exact on the comment rows; only the cached pages stay older until their next change or expiry.
import type { Events } from '../events/log.ts';

export class TallyFlusher {
  private readonly dirty = new Map<string, { siteId: number; articleId: number }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly events: Events,
    private readonly intervalMs = 2000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Marks a thread's tallies as changed; its event follows within the interval. */
  touch(siteId: number, articleId: number): void {
    this.dirty.set(`${siteId}:${articleId}`, { siteId, articleId });
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(this.onError);
    }, this.intervalMs);
    // Waiting tallies never keep a process alive; close() flushes them on an orderly stop.
    this.timer.unref();
  }

  /** Threads waiting for their event. */
  get waiting(): number {
    return this.dirty.size;
  }

  /** Records and publishes one event per waiting thread, now. */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.dirty.size === 0) return;
    const threads = [...this.dirty.values()];
    this.dirty.clear();
    this.flushing = (async () => {
      const db = this.events.db.kysely;
      const recorded = await db.transaction().execute(async (trx) => {
        const out = [];
        for (const t of threads) {
          const event = { type: 'comment.tallies' as const, siteId: t.siteId, articleId: t.articleId };
          out.push({ event, id: await this.events.record(trx, event) });
        }
        return out;
      });
      for (const r of recorded) this.events.published(r.event, r.id);
    })()
      .catch((err) => {
        // Tried again at the next vote or close(), unless a newer mark replaced it meanwhile.
        for (const t of threads) {
          const key = `${t.siteId}:${t.articleId}`;
          if (!this.dirty.has(key)) this.dirty.set(key, t);
        }
        throw err;
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush().catch(this.onError);
  }
}
