// The event log on both databases: an event this process recorded reaches its own listeners exactly once,
// whether the tail reads the committed row before or after the service publishes it (on PostgreSQL the
// commit's NOTIFY can wake the tail first), and another process's events are replayed exactly once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { type DomainEvent, EventBus } from './bus.ts';
import { EventLogTail, Events, recordEvent } from './log.ts';

describeEachDialect('event log', (ctx) => {
  const bus = new EventBus();
  const seen: DomainEvent[] = [];
  let tail: EventLogTail;
  let events: Events;

  before(async () => {
    tail = new EventLogTail(ctx.db, bus);
    await tail.start();
    events = new Events(ctx.db, bus, tail);
    bus.on((e) => seen.push(e));
  });
  after(() => tail.stop());

  const mediaEvents = (mediaId: number) =>
    seen.filter((e) => e.type === 'media.changed' && e.mediaId === mediaId).length;

  test('an own event read by the tail before it is published is emitted once, by the publisher', async () => {
    const event: DomainEvent = { type: 'media.changed', mediaId: 101 };
    const id = await ctx.db.kysely.transaction().execute((trx) => events.record(trx, event));
    // The notification wins the race: the tail reads the committed row first.
    await tail.catchUp();
    assert.equal(mediaEvents(101), 0);
    events.published(event, id);
    await tail.catchUp();
    assert.equal(mediaEvents(101), 1);
  });

  test('an own event published before the tail reads it is emitted once', async () => {
    const event: DomainEvent = { type: 'media.changed', mediaId: 102 };
    const id = await ctx.db.kysely.transaction().execute((trx) => events.record(trx, event));
    events.published(event, id);
    await tail.catchUp();
    await tail.catchUp();
    assert.equal(mediaEvents(102), 1);
  });

  test("another process's event is replayed once; a rolled-back one never", async () => {
    await ctx.db.kysely
      .transaction()
      .execute((trx) => recordEvent(trx, ctx.db.dialect, { type: 'media.changed', mediaId: 103 }));
    await assert.rejects(
      ctx.db.kysely.transaction().execute(async (trx) => {
        await events.record(trx, { type: 'media.changed', mediaId: 104 });
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await tail.catchUp();
    await tail.catchUp();
    assert.equal(mediaEvents(103), 1);
    assert.equal(mediaEvents(104), 0);
  });
});
