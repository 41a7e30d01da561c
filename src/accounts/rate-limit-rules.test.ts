// The account limits as numbers a reader meets: for each limiter, exactly how many tries a window allows
// and how long the wait is after that, the per-IP sign-in block, the growing sign-in pause, and what a
// limiter answers before and after its points are spent. rate-limit.test.ts covers the stores themselves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { AccountLimits, type Limiter, LimiterFactory } from './rate-limit.ts';

describeEachDialect('account rate limits', (ctx) => {
  let n = 0;
  const key = () => `rules-${process.pid}-${++n}`;

  /** Spends the whole window at once, then checks that one more try waits about the window's length. */
  async function allows(l: Limiter, points: number, windowSeconds: number, label: string) {
    const k = key();
    assert.equal(await l.consume(k, points), 0, `${label}: ${points} tries are allowed`);
    assert.equal(await l.blockedFor(k), 0, `${label}: not blocked with the window exactly spent`);
    const wait = await l.consume(k);
    assert.ok(wait > windowSeconds - 60 && wait <= windowSeconds, `${label}: waits ${wait} s`);
    assert.ok((await l.blockedFor(k)) > windowSeconds - 60, `${label}: blocked`);
    assert.equal(await l.spent(k), points + 1);
  }

  test('each limiter allows its number of tries per window, and not one more', async () => {
    const limits = new AccountLimits(new LimiterFactory(ctx.db, null));
    await allows(limits.loginFailures, 1000, 3600, 'loginFailures');
    await allows(limits.loginPause, 1, 3600, 'loginPause');
    await allows(limits.loginLock, 1, 3600, 'loginLock');
    await allows(limits.registerIp, 10, 3600, 'registerIp');
    await allows(limits.resetIp, 10, 3600, 'resetIp');
    await allows(limits.resetAccount, 3, 3600, 'resetAccount');
    await allows(limits.verifyIp, 30, 600, 'verifyIp');
    await allows(limits.mailIp, 20, 3600, 'mailIp');
    await allows(limits.mailAccount, 5, 3600, 'mailAccount');
    await allows(limits.mailAddress, 3, 3600, 'mailAddress');
  });

  test('the 30th failed sign-in from one address blocks sign-in from it for 15 minutes', async () => {
    const limits = new AccountLimits(new LimiterFactory(ctx.db, null));
    assert.equal(AccountLimits.LOGIN_IP_FAILURES, 30);
    const ip = key();
    assert.equal(await limits.loginIp.consume(ip, 29), 0);
    // The failures count over a window of 15 minutes from the first.
    const { expire } = await ctx.db.kysely
      .selectFrom('rate_limits')
      .select('expire')
      .where('key', '=', `dl:login-ip:${ip}`)
      .executeTakeFirstOrThrow();
    const windowLeft = Number(expire) - Date.now();
    assert.ok(windowLeft > (15 * 60 - 60) * 1000 && windowLeft <= 15 * 60 * 1000, String(windowLeft));
    const wait = await limits.loginIp.consume(ip);
    assert.ok(wait > 15 * 60 - 60 && wait <= 15 * 60, String(wait));
    assert.ok((await limits.loginIp.blockedFor(ip)) > 15 * 60 - 60);
  });

  test('each limiter keeps its counters under its own name, which every node and every restart shares', async () => {
    // Renaming one would make nodes running different releases count apart and forget live locks.
    const limits = new AccountLimits(new LimiterFactory(ctx.db, null));
    const names: [Limiter, string][] = [
      [limits.loginIp, 'login-ip'],
      [limits.loginFailures, 'login-fail'],
      [limits.loginPause, 'login-pause'],
      [limits.loginLock, 'login-lock'],
      [limits.registerIp, 'register-ip'],
      [limits.resetIp, 'reset-ip'],
      [limits.resetAccount, 'reset-account'],
      [limits.verifyIp, 'verify-ip'],
      [limits.mailIp, 'mail-ip'],
      [limits.mailAccount, 'mail-account'],
      [limits.mailAddress, 'mail-address'],
    ];
    const k = key();
    for (const [limiter] of names) await limiter.consume(k);
    const stored = await ctx.db.kysely
      .selectFrom('rate_limits')
      .select('key')
      .where('key', 'like', `%:${k}`)
      .execute();
    assert.deepEqual(stored.map((r) => r.key).sort(), names.map(([, name]) => `dl:${name}:${k}`).sort());
  });

  test('limiters count separately per name and per key', async () => {
    const limits = new AccountLimits(new LimiterFactory(ctx.db, null));
    const k = key();
    await limits.resetAccount.consume(k, 3);
    assert.ok((await limits.resetAccount.consume(k)) >= 1);
    assert.equal(await limits.mailAddress.consume(k), 0, 'another limiter, same key');
    assert.equal(await limits.resetAccount.consume(key()), 0, 'same limiter, another key');
    assert.equal(await limits.resetAccount.spent(key()), 0, 'an unseen key has spent nothing');
  });

  test('without REDIS_URL the counters are in the database and there is nothing to connect or close', async () => {
    const f = new LimiterFactory(ctx.db, null);
    assert.equal(f.store, 'database');
    assert.equal(f.redisUp, null);
    await f.connected(1);
    await f.close();
    assert.equal(await f.make('after-close', { points: 1, durationSeconds: 60 }).consume(key()), 0);
  });
});

test('the sign-in pause doubles from 1 second after the third failure, up to a minute', () => {
  assert.equal(AccountLimits.PAUSE_AFTER, 3);
  assert.deepEqual(
    [3, 4, 5, 6, 7, 8, 9, 20].map((f) => AccountLimits.pauseSeconds(f)),
    [1, 2, 4, 8, 16, 32, 60, 60],
  );
  assert.equal(AccountLimits.LOCK_AFTER, 10);
  assert.equal(AccountLimits.LOCK_SECONDS, 15 * 60);
  assert.equal(AccountLimits.LOGIN_IP_BLOCK_SECONDS, 15 * 60);
});
