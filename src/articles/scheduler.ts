// Publishes scheduled stories when their time comes, without anyone acting. Runs in every server
// process; the service's conditional update makes concurrent runs on several nodes safe.
import type { ArticleService } from './service.ts';

export function startPublishScheduler(
  articles: ArticleService,
  onError: (err: unknown) => void,
  everyMs = 1000,
): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await articles.publishDue();
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
