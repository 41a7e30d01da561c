// Running the sites from the newsroom admin: a section can be hidden (kept, with its pages and stories, but
// left out of the site's menu and home page), and the audit log gets the indexes its page reads by: newest
// first for one person, one subject (a story, a site, an account), one action, or a date range.
// Immutable once landed: later changes go in new migrations.
import type { AnyDb, Dialect } from '../columns.ts';

export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('sections')
    .addColumn('hidden', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  // The page lists newest first by id (ids grow with time), so each filter's index ends in id.
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'id']).execute();
  await db.schema
    .createIndex('audit_log_subject')
    .on('audit_log')
    .columns(['subject_type', 'subject_id', 'id'])
    .execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();
  await db.schema.createIndex('audit_log_created').on('audit_log').columns(['created_at', 'id']).execute();
}
