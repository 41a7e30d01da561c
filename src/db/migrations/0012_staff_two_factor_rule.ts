// Two-factor sign-in required of one person: admins and owners must always enrol an authenticator app, and
// the Staff screen can ask the same of anyone else (a row here). Until they have enrolled, every admin page
// leads them to enrolment. Immutable once landed: later changes go in new migrations.
import { type AnyDb, columns, type Dialect } from '../columns.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const c = columns(dialect);
  await db.schema
    .createTable('staff_two_factor_rules')
    .addColumn('user_id', 'integer', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('required_by', 'text', (col) => col.notNull())
    .addColumn('created_at', c.time, (col) => c.nowDefault(col.notNull()))
    .execute();
}
