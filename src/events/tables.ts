// Table owned by the events feature: every committed domain event, so that other processes (the CLI, other
// app nodes) can react to it too: drop the same cached pages, reload the same sites.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface EventLogTable {
  id: Generated<number>;
  /** The domain event, as JSON: other processes replay it to drop the same cached pages. */
  event: string;
  created_at: Generated<DbTimestamp>;
}

export interface EventTables {
  event_log: EventLogTable;
}
