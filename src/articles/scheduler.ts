// Publishes scheduled stories when their time comes, without anyone acting. Runs in every server
// process; the service's conditional update makes concurrent runs on several nodes safe.
import { repeatEvery } from '../jobs/repeat.ts';
import type { ArticleService } from './service.ts';

export function startPublishScheduler(
  articles: ArticleService,
  onError: (err: unknown) => void,
  everyMs = 1000,
): () => void {
  return repeatEvery(everyMs, () => articles.publishDue(), onError);
}
