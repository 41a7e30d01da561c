// Runs periodic work in a server process: never two runs at once, errors reported and the loop kept, and
// the timer never holds the process open on its own.
export function repeatEvery(
  everyMs: number,
  work: () => Promise<unknown>,
  onError: (err: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await work();
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
