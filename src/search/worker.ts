// The body of one search worker thread (see pool.ts): a read-only connection to the SQLite file and the same
// SearchService the main thread would run, answering one request at a time. better-sqlite3 blocks the thread
// it runs on; here that thread is this worker's, never the server's event loop. WAL lets any number of such
// readers run beside the one writer, and each sees what was committed when its query began.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SearchRequest, SearchResult } from './service.ts';
import { SearchService } from './service.ts';

export interface WorkerSetup {
  file: string;
  candidates: number;
}

export type WorkerRequest = { id: number; req: SearchRequest };
export type WorkerReply =
  | { id: number; result: SearchResult }
  | { id: number; error: { message: string; stack?: string } };

const setup = workerData as WorkerSetup;
const sqlite = new SQLite(setup.file, { readonly: true, fileMustExist: true });
// A writer's checkpoint can briefly hold the lock a reader needs; wait for it rather than fail.
sqlite.pragma('busy_timeout = 5000');
const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
const search = new SearchService({ kysely, dialect: 'sqlite' }, { candidates: setup.candidates });
const port = parentPort!;

port.on('message', async ({ id, req }: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id, result: await search.search(req) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id, error: { message: e.message, stack: e.stack } };
  }
  port.postMessage(reply);
});
