// The newsroom admin's sessions: staff sign in at the admin host with sessions of their own, kept apart
// from reader sessions (a reader cookie never opens the admin, nor a staff cookie a reader page) and with a
// shorter idle time. Existing sessions are readers'. Immutable once landed: later changes go in new
// migrations.
import type { AnyDb, Dialect } from '../columns.ts';

export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('audience', 'text', (col) => col.notNull().defaultTo('reader'))
    .execute();
}
