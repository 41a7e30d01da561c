// Each site's own public scheme: null follows the network's DATELINE_PUBLIC_SCHEME, 'http' or 'https'
// overrides it for that site's URLs, CSRF origin and HSTS (a staging site on http beside https ones).
// Immutable once landed: later changes go in new migrations.
import type { AnyDb, Dialect } from '../columns.ts';

export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('sites').addColumn('public_scheme', 'text').execute();
}
