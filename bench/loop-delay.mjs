// Preloaded into the benchmarked server (node --import): measures the event-loop delay inside that process.
// SIGUSR2 writes the delay seen since the previous signal to BENCH_LOOP_DELAY_FILE as JSON, then starts over,
// so the bench brackets exactly its load with two signals.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_DELAY_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
  process.on('SIGUSR2', () => {
    writeFileSync(
      file,
      JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }),
    );
    h.reset();
  });
}
