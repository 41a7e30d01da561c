// A small pool of worker threads that run searches on a SQLite file, so no search, however unlucky its
// words, ever holds the server's event loop: better-sqlite3 is synchronous, and a query running on the main
// thread stops every other request, /healthz included, until it ends. Workers start on the first search
// (a CLI process never pays for them), take one request at a time, and are replaced if one fails or runs
// past the time limit. Idle workers never keep the process alive.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DatelineError } from '../errors/catalogue.ts';
import type { SearchRequest, SearchResult } from './service.ts';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './worker.ts';

export interface SearchPoolOptions {
  /** The SQLite database file (never :memory:, which another thread cannot open). */
  file: string;
  size: number;
  /** A search still running after this long is abandoned and its worker replaced. */
  timeoutMs: number;
  candidates: number;
  /** Searches waiting for a worker beyond this are refused at once, instead of queueing without end. */
  maxQueued?: number;
}

interface Job {
  id: number;
  req: SearchRequest;
  resolve(r: SearchResult): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const here = fileURLToPath(import.meta.url);
const workerFile = fileURLToPath(new URL(`./worker${extname(here)}`, import.meta.url));
const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

function busy(why: string): DatelineError {
  return new DatelineError(
    'SEARCH_BUSY',
    `Search could not answer: ${why}. Nothing is wrong with the query; try again in a moment.`,
  );
}

export class SearchWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: SearchPoolOptions) {}

  search(req: SearchRequest): Promise<SearchResult> {
    if (this.closed) return Promise.reject(busy('the server is shutting down'));
    const maxQueued = this.opts.maxQueued ?? 64 * this.opts.size;
    if (this.queue.length >= maxQueued) return Promise.reject(busy('too many searches are waiting'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, req, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; searches in flight or waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(busy('the server is shutting down'));
    await Promise.all(this.slots.splice(0).map((slot) => this.retire(slot, 'the server is shutting down')));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.opts.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => {
        void this.retire(slot, `it took longer than ${this.opts.timeoutMs} ms`);
        this.dispatch();
      }, this.opts.timeoutMs);
      slot.worker.postMessage({ id: job.id, req: job.req } satisfies WorkerRequest);
    }
  }

  private spawn(): Slot {
    const workerData: WorkerSetup = { file: this.opts.file, candidates: this.opts.candidates };
    // From the TypeScript sources (tests, `npm run dev`) the worker registers tsx itself, since a process
    // started through tsx's API passes no loader flag on to its threads.
    const worker =
      extname(workerFile) === '.ts'
        ? new Worker(
            `import('tsx/esm/api').then((m) => { m.register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(`file://${workerFile}`)}); });`,
            { eval: true, workerData },
          )
        : new Worker(workerFile, { workerData });
    const slot: Slot = { worker, job: null, timer: null };
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      this.finish(slot);
      if ('result' in reply) job.resolve(reply.result);
      else job.reject(Object.assign(new Error(reply.error.message), { stack: reply.error.stack }));
      this.dispatch();
    });
    const lost = (err: Error | number) => {
      if (!this.slots.includes(slot)) return;
      this.slots.splice(this.slots.indexOf(slot), 1);
      const job = slot.job;
      this.finish(slot);
      job?.reject(err instanceof Error ? err : busy(`a search worker stopped (exit code ${err})`));
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  /** Takes a worker out of the pool and stops it; a search it was running fails with SEARCH_BUSY. */
  private async retire(slot: Slot, why: string): Promise<void> {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    const job = slot.job;
    this.finish(slot);
    job?.reject(busy(why));
    await slot.worker.terminate();
  }
}
