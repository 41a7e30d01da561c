// The demo events on both databases: five on the news and travel sites, the reference webinar at 6PM to
// 7PM Tokyo time taking registrations (100 places, one question), upcoming whenever seeded, the London
// evening crossing midnight, and a second run adding nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { seedDemoEvents } from './demo.ts';
import { formatEventTime } from './event-times.ts';
import { LiveEventService } from './service.ts';

describeEachDialect('demo events', (d) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(d.db);
    await newsSite(t.rt, 'news');
    await newsSite(t.rt, 'travel');
  });
  after(() => t.close());

  test('seeded once, upcoming, in the reference style', async () => {
    const now = new Date();
    assert.equal(await seedDemoEvents(t.rt, now), 5);
    assert.equal(await seedDemoEvents(t.rt, now), 0);
    const service = new LiveEventService(t.rt.events);
    const news = t.rt.directory.all().find((c) => c.site.slug === 'news')!.site.id;
    const travel = t.rt.directory.all().find((c) => c.site.slug === 'travel')!.site.id;
    const webinar = await service.published(news, 'how-to-buy-a-home-in-japan');
    assert.equal(webinar.kind, 'online');
    assert.ok(webinar.startsAt > now);
    assert.match(
      formatEventTime(webinar),
      /^[A-Z][a-z]+ \d{1,2}, \d{4}, from 6PM to 7PM \(Japan Standard Time\)$/,
    );
    // The webinar takes registrations: 100 places and one question.
    const setup = await t.rt.eventRegistration.settings(webinar.id);
    assert.equal(setup?.enabled, true);
    assert.equal(setup?.capacity, 100);
    assert.deepEqual(
      setup?.questions.map((q) => [q.id, q.kind, q.required]),
      [['buying', 'choice', true]],
    );
    assert.equal((await service.list(news, 'upcoming')).events.length, 2);
    assert.equal((await service.list(news, 'past')).events.length, 1);
    const evening = await service.published(travel, 'night-photography-in-london');
    assert.match(formatEventTime(evening), /, 9PM to .+, 12:30AM \((Greenwich Mean|British Summer) Time\)$/);
  });
});
