// The current sending rate of each issue this process sends: messages recorded as sent over the last ten
// seconds. The admin's progress shows it (and the ETA it gives); a process that is not sending an issue
// falls back to the average since the send started.
const WINDOW_MS = 10_000;

export class RateMeter {
  private readonly samples = new Map<number, { at: number; n: number }[]>();

  add(issueId: number, n: number, at = Date.now()): void {
    if (n <= 0) return;
    const list = this.samples.get(issueId) ?? [];
    list.push({ at, n });
    while (list.length > 0 && list[0]!.at < at - WINDOW_MS) list.shift();
    this.samples.set(issueId, list);
  }

  /** Messages per second over the window, or null when this process sent none of the issue lately. */
  perSecond(issueId: number, now = Date.now()): number | null {
    const list = (this.samples.get(issueId) ?? []).filter((s) => s.at >= now - WINDOW_MS);
    if (list.length === 0) return null;
    const n = list.reduce((a, s) => a + s.n, 0);
    const span = Math.max(1000, now - list[0]!.at);
    return (n * 1000) / span;
  }

  forget(issueId: number): void {
    this.samples.delete(issueId);
  }
}
