// Test support for story editing (used by its tests and benches, never by the app): staff accounts made
// straight in the users table, and the editing, publishing, lock and preview services on a test database.
import type { Db } from '../db/connection.ts';
import { StoryEditing } from './editing.ts';
import type { ArticleService } from './service.ts';

let made = 0;

/** A staff account with only what story editing reads: an id and a display name. */
export async function staffUser(db: Db, displayName: string): Promise<number> {
  made += 1;
  const slug = `staff-${process.pid}-${made}-${Math.random().toString(36).slice(2, 8)}`;
  const row = await db.kysely
    .insertInto('users')
    .values({
      email: `${slug}@example.test`,
      display_name: displayName,
      profile_slug: slug,
      status: 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function storyServices(db: Db, articles: ArticleService, now?: () => Date) {
  return { editing: new StoryEditing(db, articles, now) };
}

/** The audit entries written about a story, oldest first. */
export async function auditOf(db: Db, storyId: number) {
  const rows = await db.kysely
    .selectFrom('audit_log')
    .select(['actor', 'action', 'detail'])
    .where('subject_type', '=', 'article')
    .where('subject_id', '=', String(storyId))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
