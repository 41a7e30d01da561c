import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { LimiterFactory } from './rate-limit.ts';

describeEachDialect('rate limits in the database', (ctx) => {
  test('counters are shared through the table by every limiter (every app node), and expire', async () => {
    // A window long enough that it cannot pass mid-test on a loaded machine; its end is then brought
    // forward in the table, which is what the passing of time does to a stored counter.
    const a = new LimiterFactory(ctx.db, null).make('t1', { points: 3, durationSeconds: 60 });
    const b = new LimiterFactory(ctx.db, null).make('t1', { points: 3, durationSeconds: 60 });
    assert.equal(await a.consume('1.2.3.4'), 0);
    assert.equal(await b.consume('1.2.3.4'), 0);
    assert.equal(await a.consume('1.2.3.4'), 0);
    assert.ok((await b.consume('1.2.3.4')) >= 1, 'the fourth try is refused, whichever node sees it');
    assert.equal(await a.spent('1.2.3.4'), 4);
    assert.equal(await a.consume('5.6.7.8'), 0, 'other keys are not affected');
    await ctx.db.kysely
      .updateTable('rate_limits')
      .set({ expire: Date.now() - 1 })
      .where('key', 'like', 'dl:t1:%')
      .execute();
    assert.equal(await a.consume('1.2.3.4'), 0, 'the window has passed');
    const rows = await ctx.db.kysely
      .selectFrom('rate_limits')
      .selectAll()
      .where('key', 'like', 'dl:t1:%')
      .execute();
    assert.equal(rows.length, 2);
  });

  test('blocks and resets', async () => {
    const l = new LimiterFactory(ctx.db, null).make('t2', { points: 1, durationSeconds: 60 });
    assert.equal(await l.blockedFor('k'), 0);
    await l.block('k', 3600);
    const left = await l.blockedFor('k');
    assert.ok(left > 3500 && left <= 3600, String(left));
    await l.reset('k');
    assert.equal(await l.blockedFor('k'), 0);
  });
});

test('with REDIS_URL the counters live in Redis', async (t) => {
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  // Two factories are two app nodes. Each is closed however the test ends: an open client reconnects for
  // ever and keeps the test process from exiting.
  const f = new LimiterFactory(null as never, url);
  const other = new LimiterFactory(null as never, url);
  t.after(() => Promise.all([f.close(), other.close()]));
  assert.equal(f.store, 'redis');
  // Until it is connected a factory counts in memory, which would pass the checks below without Redis.
  await Promise.all([f.connected(), other.connected()]);
  assert.equal(f.redisUp, true);
  assert.equal(other.redisUp, true);
  const name = `t-${process.pid}-${Date.now()}`;
  const l = f.make(name, { points: 2, durationSeconds: 60 });
  const seen = other.make(name, { points: 2, durationSeconds: 60 });
  assert.equal(await l.consume('ip'), 0);
  assert.equal(await seen.consume('ip'), 0);
  assert.ok((await l.consume('ip')) >= 1, 'the third try is refused, whichever node counted the others');
  assert.equal(await seen.spent('ip'), 3);
  await l.reset('ip');
  assert.equal(await seen.spent('ip'), 0);
  assert.equal(await l.consume('ip'), 0);
});
