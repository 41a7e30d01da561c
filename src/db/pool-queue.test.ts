// A burst of more queries than the PostgreSQL pool has connections waits its turn: the connect timeout
// bounds connecting to the server, not the wait for a pooled connection. Before, pg-pool's
// connectionTimeoutMillis covered both, so on a busy machine a query queued for more than 5 s failed with
// "timeout exceeded when trying to connect", which read as a lost server and marked the database as away.
// Only PostgreSQL has a pool, so the test is one of the PostgreSQL half (DIALECTS), against the shared server
// in a schema of its own.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, TEST_PG_URL } from '../../test/dialects.ts';
import { openDatabase } from './connection.ts';

for (const _postgres of DIALECTS.filter((d) => d === 'postgres')) {
  const schema = `pool_queue_${process.pid}`;
  const db = await openDatabase({ url: TEST_PG_URL, pgSchema: schema, poolSize: 2 });

  after(async () => {
    await sql.raw(`drop schema if exists ${schema} cascade`).execute(db.kysely);
    await db.close();
  });

  test('queries queued behind a full pool for longer than the connect timeout all run, and the database stays up', async () => {
    // 2 connections, 20 queries of 0.6 s: the last ones wait about 5.4 s, past the 5 s connect timeout.
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        sql<{ n: number }>`select ${i}::int as n, pg_sleep(0.6)`.execute(db.kysely),
      ),
    );
    const failed = results
      .filter((r) => r.status === 'rejected')
      .map((r) => String((r as PromiseRejectedResult).reason));
    assert.deepEqual(failed, []);
    assert.ok(Date.now() - started >= 5_000, 'the queue really was longer than the connect timeout');
    assert.equal(db.availability.isUp, true);
  });
}
