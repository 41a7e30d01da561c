// The wire's clock in the server: every second, takes down stories whose expiry has passed and queues the
// pollers that are due (their jobs then run on the job worker). Embargoed stories need nothing here: they
// are scheduled articles, and the article scheduler publishes them when their time comes.
import type { JobQueue } from '../jobs/queue.ts';
import { repeatEvery } from '../jobs/repeat.ts';
import type { WireService } from './service.ts';

export function startWireScheduler(
  wire: WireService,
  jobs: JobQueue | null,
  onError: (err: unknown) => void,
  everyMs = 1000,
): () => void {
  return repeatEvery(everyMs, () => wire.tick(jobs), onError);
}
