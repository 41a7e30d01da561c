// Preloaded into the benchmarked server (node --import): measures the event-loop delay inside that process,
// and the garbage collector's pauses beside it (the usual cause of a long turn of the loop). SIGUSR2 writes
// what was seen since the previous signal to BENCH_LOOP_DELAY_FILE as JSON, then starts over, so the bench
// brackets exactly its load with two signals.
import { writeFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_DELAY_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
  const fresh = () => ({ minor: { count: 0, ms: 0, maxMs: 0 }, major: { count: 0, ms: 0, maxMs: 0 } });
  let gc = fresh();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.major;
      kind.count++;
      kind.ms += e.duration;
      kind.maxMs = Math.max(kind.maxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  const round = (g) => ({ count: g.count, ms: Math.round(g.ms), maxMs: Math.round(g.maxMs * 10) / 10 });
  process.on('SIGUSR2', () => {
    writeFileSync(
      file,
      JSON.stringify({
        p50: ms(h.percentile(50)),
        p99: ms(h.percentile(99)),
        max: ms(h.max),
        gc: { minor: round(gc.minor), major: round(gc.major) },
      }),
    );
    h.reset();
    gc = fresh();
  });
}
