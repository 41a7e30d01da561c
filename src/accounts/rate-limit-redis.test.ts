// With REDIS_URL, losing Redis neither lifts the limits nor blocks sign-in: while Redis is away every limiter
// counts in the process's memory, and once Redis is back counting returns to it. /readyz stays ready and
// names Redis as degraded. Runs against a private redis-server the test starts, kills and restarts.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { openTestDb } from '../../test/dialects.ts';
import { freePort, type PrivateRedis, startPrivateRedis } from '../../test/private-servers.ts';
import type { Db } from '../db/connection.ts';
import { AccountLimits, LimiterFactory } from './rate-limit.ts';

async function eventually(what: string, check: () => boolean, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`still waiting for: ${what}`);
    await sleep(50);
  }
}

describe('rate limits when Redis goes away [private redis]', () => {
  let redis: PrivateRedis | undefined;
  let db: Db | undefined;
  let t: TestApp | undefined;
  let factory: LimiterFactory;
  // Another node's factory with nowhere to report to: an outage and the way back must not trip it up.
  let quiet: LimiterFactory | undefined;
  const warnings: string[] = [];
  const backAgain: { downSeconds?: number }[] = [];
  let stoppedAt = 0;

  before(async () => {
    redis = await startPrivateRedis();
    db = await openTestDb('sqlite');
    t = await startTestApp(db, { REDIS_URL: redis.url });
    factory = t.rt.accounts.limits.factory;
    factory.reportTo({ warn: (_o, msg) => warnings.push(msg), info: (o) => backAgain.push(o) });
    await eventually('connected to Redis', () => factory.redisUp === true);
    quiet = new LimiterFactory(null as never, redis.url);
    await quiet.connected(600_000);
  });

  after(async () => {
    try {
      // A test that failed while Redis was frozen must not leave it so: closing the app would wait on it.
      redis?.resume();
      await quiet?.close();
      await t?.close();
      await t?.rt.close();
    } finally {
      await redis?.destroy();
    }
  });

  const readyz = async () => {
    const r = await t!.app.inject({ url: '/readyz' });
    return { status: r.statusCode, body: r.json() };
  };

  it('counts in Redis while it answers', async () => {
    assert.equal(factory.store, 'redis');
    const limiter = factory.make('test-up', { points: 2, durationSeconds: 60 });
    assert.equal(await limiter.consume('k'), 0);
    assert.equal(await limiter.consume('k'), 0);
    assert.ok((await limiter.consume('k')) > 0, 'the third try is over the limit');
    assert.deepEqual(await readyz(), { status: 200, body: { status: 'ready' } });
  });

  it('while Redis is down, sign-in limits still hold (in memory) and nothing fails', async () => {
    stoppedAt = Date.now();
    await redis!.stop();
    await eventually('Redis seen as down', () => factory.redisUp === false);
    const limits = new AccountLimits(factory);
    // The per-IP sign-in limit keeps counting: it does not become unlimited.
    let failures = 0;
    while ((await limits.loginIp.consume('203.0.113.9')) === 0) {
      failures++;
      assert.ok(failures < 100, 'the per-IP sign-in limit never blocked');
    }
    assert.ok(failures >= 10, 'the limit is the configured one, not a tighter emergency one');
    assert.ok((await limits.loginIp.blockedFor('203.0.113.9')) > 0);
    // Per-account locks keep working too.
    await limits.loginLock.block('reader@example.test', 60);
    assert.ok((await limits.loginLock.blockedFor('reader@example.test')) > 0);

    const r = await readyz();
    assert.equal(r.status, 200, 'rate limits alone do not make the node unready');
    assert.deepEqual(r.body.degraded, ['redis']);
    assert.ok(
      warnings.some((w) => /Redis/.test(w)),
      'the outage is logged',
    );
  });

  it('after Redis restarts, counting returns to Redis', async () => {
    await redis!.start();
    await eventually('reconnected to Redis', () => factory.redisUp === true);
    await eventually('the factory without a log reconnected too', () => quiet!.redisUp === true);
    const limiter = factory.make('test-back', { points: 1, durationSeconds: 60 });
    assert.equal(await limiter.consume('k'), 0);
    assert.ok((await limiter.consume('k')) > 0);
    // The count is in Redis: a second limiter object on the same key sees it.
    const again = factory.make('test-back', { points: 1, durationSeconds: 60 });
    assert.equal(await again.spent('k'), 2);
    assert.deepEqual(await readyz(), { status: 200, body: { status: 'ready' } });
    // One warning when the outage started (not one per failed reconnect), one note when it ended, saying
    // for how long, in whole seconds, Redis was away.
    const outageSeconds = (Date.now() - stoppedAt) / 1000;
    assert.equal(warnings.length, 1, warnings.join('; '));
    assert.equal(backAgain.length, 1);
    const down = backAgain[0]!.downSeconds!;
    assert.ok(
      Number.isInteger(down) && down >= 0 && down <= Math.ceil(outageSeconds),
      `${down} of ${outageSeconds}`,
    );
  });

  it('connected() answers at the first ready, and at once when already connected, however long it may wait', {
    timeout: 30_000,
  }, async () => {
    const own = new LimiterFactory(null as never, redis!.url);
    const told: object[] = [];
    own.reportTo({ warn: (o) => told.push(o), info: (o) => told.push(o) });
    try {
      // The first ready ends the wait…
      await own.connected(600_000);
      assert.equal(own.redisUp, true);
      // …and once connected there is nothing left to wait for.
      await own.connected(600_000);
      assert.deepEqual(told, [], 'a first connection is no outage and no recovery');
      // Closing resolves once the connection has ended, not when QUIT is answered.
      await own.close();
      assert.equal(own.redisUp, false);
    } finally {
      await own.close();
    }
  });

  it('a Redis unreachable from the start is not waited for: one warning with the error, and counting in memory', {
    timeout: 30_000,
  }, async () => {
    const own = new LimiterFactory(null as never, `redis://127.0.0.1:${await freePort()}`);
    const warned: object[] = [];
    own.reportTo({ warn: (o) => warned.push(o), info: () => {} });
    try {
      // The refused connection ends the wait; no later event would.
      await own.connected(600_000);
      assert.equal(own.redisUp, false);
      const limiter = own.make('test-unreachable', { points: 1, durationSeconds: 60 });
      assert.equal(await limiter.consume('k'), 0);
      assert.ok((await limiter.consume('k')) > 0, 'the limit holds in memory');
      assert.equal(warned.length, 1);
      assert.ok('err' in warned[0]!, 'the warning carries the connection error');
    } finally {
      await own.close();
    }
  });

  it('a Redis that drops every connection gets one warning however many reconnects fail, and a factory without a log lives through them', {
    timeout: 30_000,
  }, async () => {
    // A server that accepts each connection and closes it at once: every reconnect attempt fails.
    const dropping = async () => {
      const server = createServer((s) => {
        accepted.set(server, (accepted.get(server) ?? 0) + 1);
        s.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    };
    const accepted = new Map<object, number>();
    const [told, untold] = [await dropping(), await dropping()];
    const urlOf = (server: typeof told) => `redis://127.0.0.1:${(server.address() as { port: number }).port}`;
    const own = new LimiterFactory(null as never, urlOf(told));
    const quietOwn = new LimiterFactory(null as never, urlOf(untold));
    const warned: object[] = [];
    own.reportTo({ warn: (o) => warned.push(o), info: () => {} });
    try {
      await eventually('three failed connections each', () =>
        [told, untold].every((server) => (accepted.get(server) ?? 0) >= 3),
      );
      assert.equal(warned.length, 1);
      assert.equal(own.redisUp, false);
      assert.equal(quietOwn.redisUp, false);
    } finally {
      await Promise.all([own.close(), quietOwn.close()]);
      told.close();
      untold.close();
    }
  });

  it('closing a factory that is still connecting ends its connection and any wait for it', {
    timeout: 30_000,
  }, async () => {
    // A server that accepts connections and never answers: the client stays short of ready.
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const own = new LimiterFactory(null as never, `redis://127.0.0.1:${port}`);
    try {
      const waiting = own.connected(600_000);
      await eventually('connected to the silent server', () => sockets.length > 0);
      assert.equal(own.redisUp, false);
      await own.close();
      // Closing ended the connection, so the wait for its first ready ends too.
      await waiting;
      assert.equal(own.redisUp, false);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  // A Redis that stops answering without closing (a stalled host, a cut network) never replies to QUIT:
  // closing must still end the connection, or the process never exits.
  it('closing a factory whose Redis stopped answering ends its connection', { timeout: 60_000 }, async () => {
    const own = new LimiterFactory(null as never, redis!.url);
    await own.connected();
    assert.equal(own.redisUp, true);
    redis!.pause();
    try {
      // Before closing was bounded, this waited for QUIT's answer for as long as Redis stayed frozen.
      await own.close();
      assert.equal(own.redisUp, false);
    } finally {
      redis!.resume();
    }
  });
});
