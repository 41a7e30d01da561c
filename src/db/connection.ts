// Opens the one database Dateline runs on: SQLite (default, a WAL file under ./data) or PostgreSQL
// when the URL says so. Everything dialect-specific about *connecting* lives here.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pgModule from 'pg';
import type { Database } from './database.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** The URL it was opened with, and the PostgreSQL schema if one was chosen (tests). */
  readonly url: string;
  readonly pgSchema: string | null;
  /** A cheap "has anyone else written?" probe; see cache/invalidation. Null on PostgreSQL. */
  readonly sqliteDataVersion: (() => number) | null;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

// PostgreSQL hands back int8 (counts, bigint ids) as strings to avoid precision loss. Our counts and ids
// stay far below 2^53, so we parse them once here and services never see strings for numbers.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = (pg: typeof pgModule) => ({
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
});

// The PostgreSQL driver loads only for PostgreSQL: a SQLite install never pays its start-up time or memory.
const requireModule = createRequire(import.meta.url);

export interface OpenOptions {
  url: string;
  /** PostgreSQL schema to use (tests get a fresh one each); created if missing. */
  pgSchema?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Db> {
  if (isPostgresUrl(opts.url)) {
    const pg = requireModule('pg') as typeof pgModule;
    const schema = opts.pgSchema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
    if (schema) {
      const c = new pg.Client({ connectionString: opts.url });
      await c.connect();
      await c.query(`create schema if not exists ${schema}`);
      await c.end();
    }
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      types: pgTypes(pg),
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kysely,
      dialect: 'postgres',
      url: opts.url,
      pgSchema: schema ?? null,
      sqliteDataVersion: null,
      close: () => kysely.destroy(),
    };
  }
  const file = opts.url.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run while the single writer commits; busy_timeout makes a second process
  // (the CLI while the server runs) wait for the lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    kysely,
    dialect: 'sqlite',
    url: opts.url,
    pgSchema: null,
    sqliteDataVersion: () => dataVersion.get() as number,
    close: () => kysely.destroy(),
  };
}

/**
 * Kysely prepares every query afresh; on SQLite preparing costs as much as running a small query. Pages run
 * the same few query shapes over and over, so prepared statements are kept by their SQL text. Kysely only
 * calls all/run/iterate on them, one at a time per connection, which makes reuse safe.
 */
function withStatementCache(db: SQLite.Database, max = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = db.prepare.bind(db);
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== 'prepare') {
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        let stmt = cache.get(source);
        if (!stmt) {
          stmt = prepare(source);
          if (cache.size >= max) cache.delete(cache.keys().next().value as string);
          cache.set(source, stmt);
        }
        return stmt;
      };
    },
  });
}
