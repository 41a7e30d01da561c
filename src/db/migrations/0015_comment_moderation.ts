// The moderation queues that are not one status: "reported" (open reports, pending or published) and
// "unmoderated" (published, not yet reviewed). Each gets a partial index holding only its comments, newest
// first per site (unmoderated keeps status in its columns too, so SQLite's planner prefers it to
// comments_queue, which matches as many columns), so the queue's first page is a short range scan however many comments are published and
// reviewed (without it, an empty "unmoderated" queue walks every published comment of the site to say so).
// Beside every comment in a queue stands its author's record (approved, published, rejected): counted from
// comments_author_status (author_id, status, reviewed_at) alone, without reading a row, so a prolific
// author's thousands of comments cost one short index scan.
// Immutable once landed: later changes go in new migrations.
import { sql } from 'kysely';
import type { AnyDb, Dialect } from '../columns.ts';

export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await sql`create index comments_reported on comments (site_id, created_at) where report_count > 0`.execute(
    db,
  );
  await sql`create index comments_unmoderated on comments (site_id, status, created_at)
    where status = 'published' and reviewed_at is null`.execute(db);
  await sql`create index comments_author_status on comments (author_id, status, reviewed_at)`.execute(db);
}
