// The session store on its own, with a clock the test moves: when a session stops being accepted (idle
// period, absolute maximum, another site), how long a lookup is answered from memory, when the last-seen
// time is written back, what a malformed cookie costs, rotation, listing, ending and pruning.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services } from '../../test/fixtures.ts';
import type { Db } from '../db/connection.ts';
import { fromDbTime } from '../db/values.ts';
import { hashSecret } from './secrets.ts';
import { SessionStore } from './sessions.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.parse('2026-03-01T09:00:00Z');

let users = 0;
async function newUser(db: Db): Promise<number> {
  users += 1;
  const row = await db.kysely
    .insertInto('users')
    .values({
      email: `sessions-${users}@example.com`,
      email_verified_at: null,
      display_name: `Reader ${users}`,
      profile_slug: `sessions-reader-${users}`,
      avatar_media_id: null,
      password_hash: null,
      status: 'active',
      news_alerts_invited_at: null,
      news_alerts_confirmed_at: null,
      deleted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describeEachDialect('session store', (ctx) => {
  let clock = T0;
  const now = () => new Date(clock);
  // 14 days idle, 60 days at most: last-seen is written back every 5 minutes (the cap), not every 0.7 days.
  const policy = { idleMs: 14 * DAY, maxMs: 60 * DAY, cacheMs: 5000 };
  let store: SessionStore;
  let userId: number;

  beforeEach(async () => {
    clock = T0;
    store = new SessionStore(ctx.db, policy, now);
    userId = await newUser(ctx.db);
  });

  const open = (over: { siteId?: number | null; loginId?: string } = {}) =>
    store.create(ctx.db.kysely, {
      userId,
      siteId: over.siteId ?? null,
      loginId: over.loginId,
      userAgent: 'test-agent',
      ip: '192.0.2.1',
      privilegeEpoch: 0,
    });
  const lastSeenInDb = async (token: string) => {
    const r = await ctx.db.kysely
      .selectFrom('sessions')
      .select('last_seen_at')
      .where('token_hash', '=', hashSecret(token))
      .executeTakeFirstOrThrow();
    return fromDbTime(r.last_seen_at).getTime();
  };
  const rows = async () =>
    (await ctx.db.kysely.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).length;

  test('without a clock of its own the store uses the real time', async () => {
    const real = new SessionStore(ctx.db, policy);
    const s = await real.create(ctx.db.kysely, {
      userId,
      siteId: null,
      userAgent: 'ua',
      ip: 'ip',
      privilegeEpoch: 0,
    });
    const info = await real.lookup(s.token, null);
    assert.ok(info);
    assert.ok(Math.abs(info.createdAt.getTime() - Date.now()) < DAY);
  });

  test('the user agent and address are stored cut to 300 and 64 characters', async () => {
    await store.create(ctx.db.kysely, {
      userId,
      siteId: null,
      userAgent: 'u'.repeat(500),
      ip: 'f'.repeat(200),
      privilegeEpoch: 0,
    });
    const [listed] = await store.list(userId);
    assert.equal(listed?.userAgent, 'u'.repeat(300));
    assert.equal(listed?.ip, 'f'.repeat(64));
  });

  test('a malformed cookie is refused without being remembered', async () => {
    const s = await open();
    for (const bad of [`!${s.token}`, `${s.token}!`, 'short', 'x'.repeat(101)]) {
      assert.equal(await store.lookup(bad, null), null, bad);
      assert.equal(store.peek(bad, null), undefined, `${bad} was cached`);
    }
  });

  test('a lookup is answered from memory for cacheMs, then from the database', async () => {
    const s = await open();
    assert.ok(await store.lookup(s.token, null));
    await ctx.db.kysely.deleteFrom('sessions').where('token_hash', '=', hashSecret(s.token)).execute();
    clock += 4999;
    assert.ok(await store.lookup(s.token, null), 'still cached');
    assert.ok(store.peek(s.token, null), 'peek answers from memory too');
    clock += 1; // exactly cacheMs after the lookup that cached it
    assert.equal(store.peek(s.token, null), undefined, 'peek: cached too long ago');
    assert.equal(await store.lookup(s.token, null), null, 'read afresh: the session is gone');
  });

  test('forgetCached drops every remembered lookup', async () => {
    const s = await open();
    await store.lookup(s.token, null);
    assert.ok(store.peek(s.token, null));
    store.forgetCached();
    assert.equal(store.peek(s.token, null), undefined);
  });

  test('several sessions are remembered side by side', async () => {
    const a = await open();
    const b = await open();
    await store.lookup(a.token, null);
    await store.lookup(b.token, null);
    assert.ok(store.peek(a.token, null));
    assert.ok(store.peek(b.token, null));
  });

  test('last-seen is written back once 5 minutes have passed, not on every view', async () => {
    const s = await open();
    clock += 5 * MIN; // exactly the interval: not yet
    assert.ok(await store.lookup(s.token, null, { fresh: true }));
    assert.equal(await lastSeenInDb(s.token), T0);
    clock += 1;
    assert.ok(await store.lookup(s.token, null, { fresh: true }));
    assert.equal(await lastSeenInDb(s.token), clock);
  });

  test('with a short idle period, last-seen is written back every twentieth of it', async () => {
    const short = new SessionStore(ctx.db, { ...policy, idleMs: 20 * MIN }, now);
    const s = await short.create(ctx.db.kysely, {
      userId,
      siteId: null,
      userAgent: '',
      ip: '',
      privilegeEpoch: 0,
    });
    clock += MIN + 1;
    assert.ok(await short.lookup(s.token, null, { fresh: true }));
    assert.equal(await lastSeenInDb(s.token), clock);
  });

  test('peek answers null from memory for a session that is gone, not undefined', async () => {
    const s = await open();
    await ctx.db.kysely.updateTable('users').set({ status: 'disabled' }).where('id', '=', userId).execute();
    assert.equal(await store.lookup(s.token, null), null);
    assert.equal(store.peek(s.token, null), null);
  });

  test('ending a sign-in ends its sessions on every host, and only those', async () => {
    const first = await open();
    const sameLogin = await open({ loginId: first.loginId });
    const other = await open();
    await store.lookup(first.token, null);
    await store.endLogin(ctx.db.kysely, first.loginId);
    assert.equal(store.peek(first.token, null), undefined, 'the cache is dropped');
    assert.equal(await store.lookup(first.token, null), null);
    assert.equal(await store.lookup(sameLogin.token, null), null);
    assert.ok(await store.lookup(other.token, null));
  });

  test('peek leaves a session due for its last-seen update to lookup', async () => {
    const long = new SessionStore(ctx.db, { ...policy, cacheMs: 10 * MIN }, now);
    const s = await long.create(ctx.db.kysely, {
      userId,
      siteId: null,
      userAgent: '',
      ip: '',
      privilegeEpoch: 0,
    });
    await long.lookup(s.token, null);
    clock += 5 * MIN;
    assert.ok(long.peek(s.token, null), 'exactly the interval: not yet due');
    clock += 1;
    assert.equal(long.peek(s.token, null), undefined);
  });

  test('a session ends exactly at the idle period and at the absolute maximum', async () => {
    const idle = await open();
    clock = T0 + 14 * DAY - 1;
    assert.ok(await store.lookup(idle.token, null, { fresh: true }), 'one millisecond before');
    const other = await open();
    clock = T0 + 14 * DAY - 1 + 14 * DAY;
    assert.equal(await store.lookup(other.token, null, { fresh: true }), null, 'idle for exactly 14 days');

    clock = T0;
    const used = await open();
    for (let day = 10; day < 60; day += 10) {
      clock = T0 + day * DAY;
      assert.ok(await store.lookup(used.token, null, { fresh: true }), `day ${day}`);
    }
    clock = T0 + 60 * DAY;
    assert.equal(await store.lookup(used.token, null, { fresh: true }), null, 'exactly 60 days');
  });

  test('a session of one site is refused on another; a network-wide one is accepted on any', async () => {
    const s = services(ctx.db);
    const one = await s.sites.create({ slug: `ss${users}a`, name: 'A', timeZone: 'UTC', footerText: '' });
    const two = await s.sites.create({ slug: `ss${users}b`, name: 'B', timeZone: 'UTC', footerText: '' });
    const onSite = await open({ siteId: one.id });
    assert.ok(await store.lookup(onSite.token, one.id));
    assert.ok(await store.lookup(onSite.token, null));
    assert.equal(await store.lookup(onSite.token, two.id), null);
    const anywhere = await open();
    assert.ok(await store.lookup(anywhere.token, one.id));
    assert.ok(await store.lookup(anywhere.token, two.id));
  });

  test('rotating gives a new secret with current privileges, and the old one stops working', async () => {
    const s = await open();
    await ctx.db.kysely.updateTable('users').set({ privilege_epoch: 3 }).where('id', '=', userId).execute();
    const stale = await store.lookup(s.token, null, { fresh: true });
    assert.equal(stale?.stalePrivileges, true);
    const rotated = await store.rotate(stale!);
    assert.notEqual(rotated.token, s.token);
    assert.equal(rotated.info.tokenHash, hashSecret(rotated.token));
    assert.equal(rotated.info.stalePrivileges, false);
    assert.equal(rotated.info.userId, userId);
    assert.equal(rotated.info.loginId, s.loginId);
    assert.equal(await store.lookup(s.token, null), null);
    assert.equal((await store.lookup(rotated.token, null, { fresh: true }))?.stalePrivileges, false);
  });

  test('the listing leaves out sessions idle for the whole idle period', async () => {
    const old = await open();
    clock = T0 + 7 * DAY;
    const recent = await open();
    clock = T0 + 14 * DAY - 1;
    assert.deepEqual(
      (await store.list(userId)).map((l) => l.loginId),
      [recent.loginId, old.loginId],
    );
    clock = T0 + 14 * DAY;
    assert.deepEqual(
      (await store.list(userId)).map((l) => l.loginId),
      [recent.loginId],
    );
  });

  test('ending every session can keep one sign-in, on every host it reached', async () => {
    const kept = await open();
    const keptElsewhere = await open({ loginId: kept.loginId });
    const ended = await open();
    await store.endAll(ctx.db.kysely, userId, kept.loginId);
    assert.ok(await store.lookup(kept.token, null, { fresh: true }));
    assert.ok(await store.lookup(keptElsewhere.token, null, { fresh: true }));
    assert.equal(await store.lookup(ended.token, null, { fresh: true }), null);
    await store.endAll(ctx.db.kysely, userId);
    assert.equal(await rows(), 0);
  });

  test('pruning deletes sessions past the idle period or the maximum, and keeps the rest', async () => {
    const expired = await open();
    for (let day = 10; day < 60; day += 10) {
      clock = T0 + day * DAY;
      await store.lookup(expired.token, null, { fresh: true });
    }
    clock = T0 + 40 * DAY;
    await open(); // never used again: idle from day 54
    clock = T0 + 50 * DAY;
    const live = await open();
    clock = T0 + 59 * DAY;
    assert.ok(await store.lookup(expired.token, null, { fresh: true }), 'seen on day 59, expires on day 60');
    clock = T0 + 64 * DAY - 1;
    await store.prune();
    const left = await ctx.db.kysely
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', userId)
      .execute();
    assert.deepEqual(
      left.map((r) => r.token_hash),
      [hashSecret(live.token)],
    );
    // Last seen on day 50: idle for exactly the idle period on day 64, so that prune takes it.
    clock = T0 + 64 * DAY;
    await store.prune();
    assert.equal(await rows(), 0);
  });
});
