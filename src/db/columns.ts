// Column types for migrations that differ by dialect. One set of migrations uses these so that the
// same file creates equivalent tables on SQLite and PostgreSQL.
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import { sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

// biome-ignore lint/suspicious/noExplicitAny: migrations work on an untyped schema by design.
export type AnyDb = Kysely<any>;

export function columns(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    /** Auto-increment integer primary key. */
    id<T extends string>(t: CreateTableBuilder<T, never>, name = 'id') {
      return pg
        ? t.addColumn(name, 'serial', (c) => c.primaryKey())
        : t.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
    },
    /** Timestamps are instants: timestamptz on PostgreSQL, ISO text on SQLite. */
    time: pg ? sql`timestamptz` : sql`text`,
    /** Large JSON documents: jsonb would reorder keys, so both dialects keep the text as written. */
    json: sql`text`,
    nowDefault: (c: ColumnDefinitionBuilder) =>
      pg ? c.defaultTo(sql`now()`) : c.defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  };
}
