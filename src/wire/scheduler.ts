// The wire's clock in the server: every second, takes down stories whose expiry has passed and queues the
// pollers that are due (their jobs then run on the job worker). Embargoed stories need nothing here: they
// are scheduled articles, and the article scheduler publishes them when their time comes.
import type { JobQueue } from '../jobs/queue.ts';
import type { WireService } from './service.ts';

export function startWireScheduler(
  wire: WireService,
  jobs: JobQueue | null,
  onError: (err: unknown) => void,
  everyMs = 1000,
): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await wire.tick(jobs);
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
