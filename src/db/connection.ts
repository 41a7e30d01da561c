// Opens the one database Dateline runs on: SQLite (default, a WAL file under ./data) or PostgreSQL
// when the URL says so. Everything dialect-specific about *connecting* lives here: a failure to connect at
// start is a DATELINE_ERR_DATABASE_OPEN_FAILED naming DATABASE_URL, what was tried and what to check; a
// connection lost later is reported to the database's availability (availability.ts) and never crashes.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pgModule from 'pg';
import { DatelineError } from '../errors/catalogue.ts';
import {
  type ConnectionLog,
  DatabaseAvailability,
  describeTarget,
  isConnectionLoss,
} from './availability.ts';
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
  /** Whether the server answers; always up on SQLite. */
  readonly availability: DatabaseAvailability;
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
  /** Where lost connections and reconnections are reported. */
  log?: ConnectionLog;
}

// A connection attempt to an unreachable host (a cut cable, a dropped firewall rule) would otherwise wait
// for the operating system's TCP timeout, minutes, while requests pile up.
const CONNECT_TIMEOUT_MS = 5000;

export async function openDatabase(opts: OpenOptions): Promise<Db> {
  return isPostgresUrl(opts.url) ? openPostgres(opts) : openSqlite(opts.url);
}

async function openPostgres(opts: OpenOptions): Promise<Db> {
  const pg = requireModule('pg') as typeof pgModule;
  const schema = opts.pgSchema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const target = describeTarget(opts.url);
  if (schema) {
    const c = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query(`create schema if not exists ${schema}`);
    } catch (err) {
      throw cannotConnect(err, target);
    } finally {
      await c.end().catch(() => {});
    }
  }
  // pg-pool's own connectionTimeoutMillis bounds the wait for a free pooled connection as well as the
  // connect, so a burst of more queries than the pool holds (200 concurrent votes on 10 connections on a
  // busy machine) failed after 5 s with "timeout exceeded when trying to connect", which reads as a lost
  // server and marked a healthy database as away. Only the connect itself is bounded: each new client
  // carries the timeout, and a query waits its turn in the pool's queue as long as it takes.
  class ConnectBoundedClient extends pg.Client {
    constructor(config?: string | pgModule.ClientConfig) {
      super({
        ...(typeof config === 'string' ? { connectionString: config } : config),
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      });
    }
  }
  const pool = new pg.Pool({
    Client: ConnectBoundedClient,
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    types: pgTypes(pg),
    // Keepalives notice a peer that vanished without closing the connection (a cut network).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const availability = new DatabaseAvailability({
    target,
    log: opts.log,
    // A connection of its own: a pooled one may be a terminated backend whose error is not yet read, which
    // would say "down" about a server that answers.
    probe: async () => {
      const c = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      c.on('error', () => {});
      try {
        await c.connect();
        await c.query('select 1');
      } finally {
        await c.end().catch(() => {});
      }
    },
  });
  // An idle pooled connection that dies (a terminated backend, a server restart) is reported here. Without
  // a listener the pool's 'error' event would end the process; the pool has already dropped the connection.
  pool.on('error', (err) => availability.check(err));
  try {
    await pool.query('select 1');
  } catch (err) {
    availability.close();
    await pool.end().catch(() => {});
    throw cannotConnect(err, target);
  }
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: guardedPool(pool, availability) }),
  });
  return {
    kysely,
    dialect: 'postgres',
    url: opts.url,
    pgSchema: schema ?? null,
    sqliteDataVersion: null,
    availability,
    async close() {
      availability.close();
      await kysely.destroy();
    },
  };
}

/**
 * The pool as Kysely sees it. While the database is known to be away a query fails at once instead of
 * waiting for a connection; connection failures, when checking out or in the middle of a query, become
 * DATELINE_ERR_DATABASE_UNAVAILABLE and start the availability probe. Every other error passes unchanged.
 */
function guardedPool(pool: pgModule.Pool, availability: DatabaseAvailability) {
  return {
    async connect() {
      if (!availability.isUp) throw availability.unavailable();
      let client: pgModule.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw availability.failed(err);
      }
      // The pool listens for errors only on idle connections. One checked out but between queries (inside a
      // transaction, say) that loses its server would emit an 'error' nobody hears, ending the process.
      const onError = (err: unknown) => availability.check(err);
      client.on('error', onError);
      const release = client.release;
      return new Proxy(client, {
        get(target, prop) {
          if (prop === 'release')
            return (err?: Error | boolean) => {
              target.removeListener('error', onError);
              return release.call(target, err);
            };
          const value = Reflect.get(target, prop, target);
          if (prop !== 'query') return typeof value === 'function' ? value.bind(target) : value;
          return (...args: unknown[]) => {
            const sent = availability.sent();
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            // Kysely's streaming passes a cursor, which query() returns as is rather than as a promise.
            if (!(result instanceof Promise)) return result;
            // Every reply, an SQL error included, tells the availability the server answers.
            return result.then(
              (rows: unknown) => {
                availability.answered(sent);
                return rows;
              },
              (err: unknown) => {
                if (!isConnectionLoss(err)) availability.answered(sent);
                throw availability.failed(err);
              },
            );
          };
        },
      });
    },
    end: () => pool.end(),
  };
}

/** A failure to reach PostgreSQL at start: the setting, what was tried, and what to check for this cause. */
function cannotConnect(err: unknown, target: string): DatelineError {
  const e = err as { code?: string; message?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  const said = e?.message
    ? `${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}`
    : String(err);
  const check =
    code === 'ECONNREFUSED'
      ? 'Nothing accepts connections there: check that PostgreSQL is running and listens on that host and port (listen_addresses, port in postgresql.conf).'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'The host name does not resolve: check its spelling in DATABASE_URL and the DNS.'
        : code === '28P01' || code === '28000'
          ? 'The server refused the user or password: check them in DATABASE_URL and the pg_hba.conf rules.'
          : code === '3D000'
            ? 'The database does not exist: create it (createdb NAME) or fix the name in DATABASE_URL.'
            : code === '57P03'
              ? 'The server is starting or shutting down: wait a moment and start again.'
              : code === '42501'
                ? 'The user lacks a privilege Dateline needs: grant it, or use the database owner.'
                : isConnectionLoss(err)
                  ? 'Check that PostgreSQL is running and that the network and firewall let this machine reach that host and port.'
                  : 'Check DATABASE_URL and the PostgreSQL server log.';
  return new DatelineError(
    'DATABASE_OPEN_FAILED',
    `Cannot connect to PostgreSQL at ${target}, set by DATABASE_URL: ${said}. ${check}`,
    { setting: 'DATABASE_URL', target },
    { cause: err },
  );
}

function openSqlite(url: string): Db {
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  let sqlite: SQLite.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new SQLite(file);
    // WAL lets readers run while the single writer commits; busy_timeout makes a second process
    // (the CLI while the server runs) wait for the lock instead of failing at once. Setting WAL writes
    // to the file, so a read-only directory or file fails here, at start, not at the first edit.
    sqlite.pragma('journal_mode = WAL');
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new DatelineError(
      'DATABASE_OPEN_FAILED',
      `Cannot open the SQLite database ${file}, set by DATABASE_URL (default: DATELINE_DATA_DIR/dateline.db): ` +
        `${e?.message ?? String(err)}${e?.code && !e.message?.includes(e.code) ? ` (${e.code})` : ''}. ` +
        'Check that its folder exists or can be created, and that the user running Dateline may write to the folder and the file.',
      { setting: 'DATABASE_URL', target: file },
      { cause: err },
    );
  }
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
    url,
    pgSchema: null,
    sqliteDataVersion: () => dataVersion.get() as number,
    availability: DatabaseAvailability.local(),
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
