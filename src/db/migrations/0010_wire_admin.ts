// The wire in the newsroom admin: personal API tokens, so that a staff member with the editor role can call
// the wire API from a script as themselves instead of with the one shared operator token. Only a SHA-256 hash
// of each token is kept (the token is shown once); a revoked token keeps its row, so the hash is never
// accepted again and the list can say when it was revoked. Immutable once landed: later changes go in new
// migrations.
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  await c
    .id(db.schema.createTable('staff_api_tokens'))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .addColumn('last_used_at', c.time)
    .addColumn('revoked_at', c.time)
    .execute();
  await db.schema.createIndex('staff_api_tokens_user').on('staff_api_tokens').column('user_id').execute();
}
