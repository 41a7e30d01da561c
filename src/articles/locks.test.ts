import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { LOCK_STALE_MS, StoryLocks } from './locks.ts';
import { auditOf, staffUser } from './story-testing.ts';

describeEachDialect('StoryLocks', (ctx) => {
  async function setup() {
    let clock = new Date('2026-02-01T09:00:00Z');
    const s = services(ctx.db);
    const { site, world } = await siteWithSections(s);
    const { article } = await s.articles.create(
      { siteId: site.id, sectionId: world.id, headline: 'Locked', bodyHtml: '<p>x</p>', status: 'draft' },
      't',
    );
    const locks = new StoryLocks(ctx.db, () => clock);
    const ana = await staffUser(ctx.db, 'Ana Lock');
    const ben = await staffUser(ctx.db, 'Ben Lock');
    const advance = (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    };
    return { locks, id: article.id, ana, ben, advance };
  }

  test('the first editor gets the lock; the second is told who has it and since when', async () => {
    const { locks, id, ana, ben, advance } = await setup();
    const first = await locks.acquire(id, ana);
    assert.equal(first.held, true);
    advance(30_000);
    const second = await locks.acquire(id, ben);
    assert.equal(second.held, false);
    if (second.held) return;
    assert.deepEqual(second.by, { userId: ana, name: 'Ana Lock' });
    assert.equal(second.since.toISOString(), '2026-02-01T09:00:00.000Z');
    assert.equal(second.takenOver, false);
    // The holder's heartbeat renews it and keeps the time they opened it.
    const renewed = await locks.acquire(id, ana);
    assert.deepEqual(renewed, { held: true, since: new Date('2026-02-01T09:00:00.000Z') });
    assert.equal((await locks.holder(id))?.name, 'Ana Lock');
  });

  test('a lock without a heartbeat for two minutes is free', async () => {
    const { locks, id, ana, ben, advance } = await setup();
    await locks.acquire(id, ana);
    advance(LOCK_STALE_MS - 1000);
    assert.equal((await locks.acquire(id, ben)).held, false);
    advance(2000);
    assert.equal(await locks.holder(id), null);
    const taken = await locks.acquire(id, ben);
    assert.equal(taken.held, true);
    // A stale lock starts over: Ben's since is now, not Ana's.
    if (taken.held) assert.equal(taken.since.toISOString(), '2026-02-01T09:02:01.000Z');
  });

  test('taking over displaces the holder, whose next heartbeat says so; it is audit-logged', async () => {
    const { locks, id, ana, ben, advance } = await setup();
    await locks.acquire(id, ana);
    advance(10_000);
    const over = await locks.takeOver(id, ben);
    assert.equal(over.held, true);
    const told = await locks.acquire(id, ana);
    assert.equal(told.held, false);
    if (!told.held) {
      assert.equal(told.takenOver, true);
      assert.equal(told.by.name, 'Ben Lock');
      assert.equal(told.since.toISOString(), '2026-02-01T09:00:10.000Z');
    }
    const audit = await auditOf(ctx.db, id);
    assert.deepEqual(
      audit.map((a) => [a.actor, a.action, a.detail.before, a.detail.after]),
      [[`user:${ben}`, 'story.lock_taken_over', { lockedBy: `user:${ana}` }, { lockedBy: `user:${ben}` }]],
    );
  });

  test('release frees the lock only for its holder', async () => {
    const { locks, id, ana, ben } = await setup();
    await locks.acquire(id, ana);
    await locks.release(id, ben);
    assert.equal((await locks.holder(id))?.userId, ana);
    await locks.release(id, ana);
    assert.equal(await locks.holder(id), null);
    assert.equal((await locks.acquire(id, ben)).held, true);
  });

  test('two editors asking at once: exactly one gets it', async () => {
    const { locks, id, ana, ben } = await setup();
    const [a, b] = await Promise.all([locks.acquire(id, ana), locks.acquire(id, ben)]);
    assert.equal([a.held, b.held].filter(Boolean).length, 1);
  });

  test('a lock on a story that does not exist is refused', async () => {
    const { locks, ana } = await setup();
    await assert.rejects(locks.acquire(987_654, ana), (e) => isDatelineError(e, 'ARTICLE_NOT_FOUND'));
    await assert.rejects(locks.takeOver(987_654, ana), (e) => isDatelineError(e, 'ARTICLE_NOT_FOUND'));
  });
});
