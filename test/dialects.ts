// Runs a suite once per database dialect, each on a fresh database of its own: an in-memory SQLite file,
// and a fresh PostgreSQL schema that is dropped afterwards. Every repository and service test uses this.
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { type Db, openDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let counter = 0;
function freshSchemaName(): string {
  counter += 1;
  return `t_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function openTestDb(dialect: 'sqlite' | 'postgres'): Promise<Db> {
  const db =
    dialect === 'sqlite'
      ? await openDatabase({ url: ':memory:' })
      : await openDatabase({ url: TEST_PG_URL, pgSchema: freshSchemaName(), poolSize: 4 });
  try {
    await migrateToLatest(db);
  } catch (err) {
    await dropTestDb(db);
    throw err;
  }
  return db;
}

export async function dropTestDb(db: Db): Promise<void> {
  const schema =
    db.dialect === 'postgres'
      ? ((
          await db.kysely.selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s')).executeTakeFirst()
        )?.s ?? null)
      : null;
  await db.close();
  if (schema?.startsWith('t_')) {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  }
}

export const DIALECTS = ['sqlite', 'postgres'] as const;

/** describe() the suite once per dialect; `ctx.db` is a fresh, migrated database for that run. */
export function describeEachDialect(name: string, suite: (ctx: { readonly db: Db }) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      const ctx = {} as { db: Db };
      before(async () => {
        ctx.db = await openTestDb(dialect);
      });
      after(async () => {
        if (ctx.db) await dropTestDb(ctx.db);
      });
      suite(ctx);
    });
  }
}
