import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect, dropTestDb, openTestDb } from '../../test/dialects.ts';
import { AccountLimits, LimiterFactory } from './rate-limit.ts';

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

  /** Brings the end of a stored counter's window to `msFromNow`, as the passing of time would. */
  const windowEndsIn = (key: string, msFromNow: number) =>
    ctx.db.kysely
      .updateTable('rate_limits')
      .set({ expire: Date.now() + msFromNow })
      .where('key', '=', key)
      .execute();

  test('a block lasts its own length from when it is set, whatever is left of the window it replaces', async () => {
    const l = new LimiterFactory(ctx.db, null).make('t3', { points: 1, durationSeconds: 3600 });
    assert.equal(await l.consume('k'), 0);
    await windowEndsIn('dl:t3:k', 60_000);
    await l.block('k', 1800);
    const left = await l.blockedFor('k');
    assert.ok(left > 1700 && left <= 1800, String(left));
    // A block counts as one try more than the limit allows, in place of the tries counted so far.
    assert.equal(await l.spent('k'), 2);
    // A shorter block also replaces a longer window.
    assert.equal(await l.consume('j'), 0);
    await l.block('j', 30);
    const shorter = await l.blockedFor('j');
    assert.ok(shorter > 0 && shorter <= 30, String(shorter));
  });

  test('the per-IP sign-in block runs 15 minutes from the failure that starts it, not from the first', async () => {
    const limits = new AccountLimits(new LimiterFactory(ctx.db, null));
    assert.equal(await limits.loginIp.consume('198.51.100.7', AccountLimits.LOGIN_IP_FAILURES - 1), 0);
    // The first failures were 14 minutes ago: one minute of their window is left.
    await windowEndsIn('dl:login-ip:198.51.100.7', 60_000);
    const wait = await limits.loginIp.consume('198.51.100.7');
    assert.ok(
      wait > AccountLimits.LOGIN_IP_BLOCK_SECONDS - 60 && wait <= AccountLimits.LOGIN_IP_BLOCK_SECONDS,
      String(wait),
    );
    assert.ok((await limits.loginIp.blockedFor('198.51.100.7')) > AccountLimits.LOGIN_IP_BLOCK_SECONDS - 60);
  });

  test('a limiter without a window counts for ever, and a key over it waits at least a second', async () => {
    const l = new LimiterFactory(ctx.db, null).make('t4', { points: 1, durationSeconds: 0 });
    assert.equal(await l.consume('k'), 0);
    assert.equal(await l.blockedFor('k'), 0);
    assert.equal(await l.consume('k'), 1);
    assert.equal(await l.blockedFor('k'), 1);
    assert.equal(await l.spent('k'), 2);
    const row = await ctx.db.kysely
      .selectFrom('rate_limits')
      .select('expire')
      .where('key', '=', 'dl:t4:k')
      .executeTakeFirstOrThrow();
    assert.equal(row.expire, null);
  });

  test('a counter whose window has passed counts as nothing spent and blocks nobody', async () => {
    const l = new LimiterFactory(ctx.db, null).make('t5', { points: 1, durationSeconds: 3600 });
    await l.consume('k', 2);
    assert.ok((await l.blockedFor('k')) > 3500);
    await windowEndsIn('dl:t5:k', -1);
    assert.equal(await l.spent('k'), 0);
    assert.equal(await l.blockedFor('k'), 0);
    await l.block('b', 3600);
    await windowEndsIn('dl:t5:b', -1);
    assert.equal(await l.blockedFor('b'), 0, 'a block ends too');
  });

  test('a store that fails makes the limiter fail rather than let the try through', async () => {
    const broken = await openTestDb(ctx.db.dialect);
    const l = new LimiterFactory(broken, null).make('t6', { points: 5, durationSeconds: 60 });
    await dropTestDb(broken);
    await assert.rejects(l.consume('k'));
    await assert.rejects(l.blockedFor('k'));
    await assert.rejects(l.spent('k'));
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
