// Runs a suite once per database dialect, each on a fresh database of its own: an in-memory SQLite file,
// and a fresh PostgreSQL schema that is dropped afterwards. Every repository and service test uses this.
import { join } from 'node:path';
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

// Kysely's migrator lists every schema while it checks its own tables, which fails if another test process
// drops a schema at that moment. Creating, migrating and dropping test schemas therefore take turns, under
// one advisory lock shared by every test process.
const SCHEMA_LOCK = 7_340_001;

export async function withSchemaLock<T>(work: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_PG_URL });
  await c.connect();
  try {
    await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    return await work();
  } finally {
    await c.query('select pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => {});
    await c.end();
  }
}

export async function openTestDb(dialect: Dialect): Promise<Db> {
  if (dialect === 'sqlite') {
    const db = await openDatabase({ url: ':memory:' });
    await migrateToLatest(db);
    return db;
  }
  return withSchemaLock(async () => {
    const db = await openDatabase({ url: TEST_PG_URL, pgSchema: freshSchemaName(), poolSize: 4 });
    try {
      await migrateToLatest(db);
    } catch (err) {
      await dropSchema(db);
      throw err;
    }
    return db;
  });
}

export async function dropTestDb(db: Db): Promise<void> {
  if (db.dialect === 'postgres') await withSchemaLock(() => dropSchema(db));
  else await db.close();
}

async function dropSchema(db: Db): Promise<void> {
  await db.close();
  const schema = db.pgSchema;
  if (schema?.startsWith('t_')) {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  }
}

const ALL_DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof ALL_DIALECTS)[number];

/**
 * The dialects the suites run on: both by default (CI runs both), or those named in `DIALECTS`
 * (`DIALECTS=sqlite npm run test:unit` runs without PostgreSQL). A name that is no dialect stops the run,
 * so a typo never silently runs nothing.
 */
export const DIALECTS: readonly Dialect[] = selectDialects(process.env.DIALECTS);

function selectDialects(setting: string | undefined): readonly Dialect[] {
  if (setting === undefined || setting.trim() === '') return ALL_DIALECTS;
  const names = setting
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ALL_DIALECTS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `DIALECTS names ${unknown.map((n) => `"${n}"`).join(', ')}, which is no database dialect. ` +
        `Use a comma-separated list of ${ALL_DIALECTS.join(', ')}, or leave DIALECTS unset to test on both.`,
    );
  }
  return ALL_DIALECTS.filter((d) => names.includes(d));
}

/**
 * describe() the suite once per dialect; `ctx.db` is a fresh, migrated database for that run. The suite sits
 * in a describe of its own, so its after-hooks (closing an app, say) run before the database is dropped.
 */
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
      describe(name, () => suite(ctx));
    });
  }
}

/**
 * A database for tests that run the `dateline` command, which opens DATABASE_URL as an operator's install
 * does (no test schema): a SQLite file in `dir`, or a PostgreSQL database of its own, dropped by `drop()`.
 */
export async function commandDatabase(
  dialect: Dialect,
  dir: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { url: join(dir, 'dateline.db'), drop: async () => {} };
  const name = `dateline_cmd_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`drop database if exists ${name} with (force)`) };
}
