import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { JobQueue } from './queue.ts';

describeEachDialect('JobQueue', (ctx) => {
  test('a key is enqueued once, runs once, and is marked done', async () => {
    const q = new JobQueue(ctx.db);
    const seen: unknown[] = [];
    q.register<{ n: number }>('t1', async (p) => {
      seen.push(p.n);
    });
    assert.equal(await q.enqueue('t1', 'k1', { n: 1 }), true);
    assert.equal(await q.enqueue('t1', 'k1', { n: 2 }), false);
    assert.equal(await q.drain(), 1);
    assert.deepEqual(seen, [1]);
    assert.equal((await q.get('k1'))?.state, 'done');
  });

  test('drain() also waits for a job the background worker claimed just before', async () => {
    const q = new JobQueue(ctx.db);
    let release: (() => void) | undefined;
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    q.register('slow', async () => {
      started();
      await new Promise<void>((r) => {
        release = r;
      });
    });
    await q.enqueue('slow', 'k-slow', {});
    // The worker's timer is unref'd (it never keeps a process alive), so the test keeps the loop running.
    const keepAlive = setInterval(() => {}, 1000);
    q.start(5);
    try {
      await running;
      let drained = false;
      const drain = q.drain().then(() => {
        drained = true;
      });
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(drained, false, 'the worker still holds the job');
      release?.();
      await drain;
      assert.equal((await q.get('k-slow'))?.state, 'done');
    } finally {
      // Let the handler end, so stop() returns even when an assertion above failed.
      release?.();
      await q.stop();
      clearInterval(keepAlive);
    }
  });

  test('failures retry with back-off and give up after max attempts', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const q = new JobQueue(ctx.db, { now: () => now, backoffMs: 1000 });
    let calls = 0;
    q.register(
      't2',
      async () => {
        calls++;
        throw new Error('smtp down');
      },
      { maxAttempts: 2 },
    );
    await q.enqueue('t2', 'k2', {});
    assert.equal(await q.drain(), 1);
    assert.equal((await q.get('k2'))?.state, 'queued');
    assert.equal(await q.drain(), 0, 'not due yet');
    now = new Date(now.getTime() + 1001);
    assert.equal(await q.drain(), 1);
    const rec = await q.get('k2');
    assert.equal(rec?.state, 'failed');
    assert.equal(rec?.lastError, 'smtp down');
    assert.equal(calls, 2);
  });

  test('a job whose worker died is taken over when its lease runs out', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const q = new JobQueue(ctx.db, { now: () => now, leaseMs: 10_000 });
    q.register('t3', async () => {});
    await q.enqueue('t3', 'k3', {});
    const first = await q.claim();
    assert.ok(first);
    assert.equal(await q.claim(), null, 'leased');
    now = new Date(now.getTime() + 10_001);
    const again = await q.claim();
    assert.equal(again?.id, first.id);
    assert.equal(again?.attempts, 2);
  });

  test('two workers never claim the same job', async () => {
    const a = new JobQueue(ctx.db);
    const b = new JobQueue(ctx.db);
    for (const w of [a, b]) w.register('t4', async () => {});
    for (let i = 0; i < 20; i++) await a.enqueue('t4', `k4-${i}`, { i });
    const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).claim(['t4'])));
    const ids = claims.filter((c) => c !== null).map((c) => c.id);
    assert.equal(ids.length, 20);
    assert.equal(new Set(ids).size, 20);
  });
});
