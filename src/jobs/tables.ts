// Table owned by the jobs feature: durable background work, idempotent by key.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  key: string;
  payload: string;
  state: JobState;
  attempts: number;
  run_at: DbTimestamp;
  locked_until: DbTimestamp | null;
  last_error: string | null;
  created_at: Generated<DbTimestamp>;
  finished_at: DbTimestamp | null;
}

export interface JobTables {
  jobs: JobsTable;
}
