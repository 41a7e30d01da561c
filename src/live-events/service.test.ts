// Events and webinars on both databases: created and read back as given (times as instants, body cleaned),
// refused field by field with EVENT_INVALID, one slug per site, updates raising the calendar SEQUENCE, the
// upcoming and past listings by the service's clock, by category and a page at a time, unpublished events
// kept from readers, and each write recording one event that drops the site's cached pages.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { tag, tagsFor } from '../web/cache/invalidation.ts';
import { type LiveEventInput, LiveEventService } from './service.ts';

const refusedWith = (code: string, field?: string) => (e: unknown) => {
  assert.ok(isDatelineError(e), String(e));
  assert.equal(e.code, `DATELINE_ERR_${code}`);
  if (field) assert.equal(e.where?.field, field);
  return true;
};

const NOW = new Date('2025-11-01T00:00:00Z');
const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

export const webinarInput = (over: Partial<LiveEventInput> = {}): LiveEventInput => ({
  slug: 'buy-a-home-in-japan',
  title: 'How to Buy a Home in Japan as a Foreigner',
  summary: 'Market trends, property buying procedures, and financing.',
  bodyHtml: '<p>Learn how.</p><script>alert(1)</script>',
  kind: 'online',
  onlineUrl: 'https://meet.example.com/home-in-japan',
  organiser: 'Example Times',
  language: 'en',
  startsAt: new Date('2025-11-11T09:00:00Z'),
  endsAt: new Date('2025-11-11T10:00:00Z'),
  timeZone: 'Asia/Tokyo',
  category: 'webinars',
  published: true,
  ...over,
});

describeEachDialect('events and webinars', (ctx) => {
  let s: ReturnType<typeof services>;
  let siteId: number;
  let otherSiteId: number;
  let clock = NOW;
  let service: LiveEventService;

  before(async () => {
    s = services(ctx.db);
    siteId = (await siteWithSections(s)).site.id;
    otherSiteId = (await siteWithSections(s)).site.id;
    service = new LiveEventService(s.events, () => clock);
  });

  test('created and read back as given, the body cleaned, one site.changed event', async () => {
    s.seen.length = 0;
    const e = await service.create(siteId, webinarInput());
    assert.equal(e.title, 'How to Buy a Home in Japan as a Foreigner');
    assert.equal(e.bodyHtml, '<p>Learn how.</p>');
    assert.equal(e.startsAt.toISOString(), '2025-11-11T09:00:00.000Z');
    assert.equal(e.endsAt.toISOString(), '2025-11-11T10:00:00.000Z');
    assert.equal(e.free, true);
    assert.equal(e.sequence, 0);
    assert.equal(e.status, 'scheduled');
    assert.deepEqual(s.seen, [{ type: 'site.changed', siteId }]);
    assert.ok(tagsFor(s.seen[0]!).includes(tag.site(siteId)));
    const back = await service.published(siteId, 'buy-a-home-in-japan');
    assert.deepEqual(back, e);
  });

  test('one slug per site; the same slug on another site is fine', async () => {
    await assert.rejects(service.create(siteId, webinarInput()), refusedWith('EVENT_SLUG_TAKEN', 'slug'));
    const there = await service.create(otherSiteId, webinarInput());
    assert.equal(there.siteId, otherSiteId);
  });

  test('bad fields are refused, each named', async () => {
    const cases: [Partial<LiveEventInput>, string][] = [
      [{ slug: 'Not A Slug' }, 'slug'],
      [{ slug: 'past' }, 'slug'],
      [{ title: '  ' }, 'title'],
      [{ kind: 'party' as never }, 'kind'],
      [{ kind: 'in_person', venueName: '', venueAddress: '' }, 'venueName'],
      [{ onlineUrl: 'javascript:alert(1)' }, 'onlineUrl'],
      [{ endsAt: new Date('2025-11-11T09:00:00Z') }, 'endsAt'],
      [{ endsAt: new Date('2026-11-11T09:00:00Z') }, 'endsAt'],
      [{ startsAt: new Date('nope') }, 'startsAt'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ timeZone: 'JST' }, 'timeZone'],
      [{ language: 'not a tag' }, 'language'],
      [{ free: false, priceText: '' }, 'priceText'],
      [{ status: 'maybe' as never }, 'status'],
      [{ category: 'Web Inars' }, 'category'],
      [{ pictureMediaId: 999_999 }, 'pictureMediaId'],
      [{ title: 'x'.repeat(201) }, 'title'],
    ];
    for (const [over, field] of cases)
      await assert.rejects(
        service.create(siteId, webinarInput({ slug: 'bad', ...over })),
        refusedWith('EVENT_INVALID', field),
        field,
      );
    assert.equal(await service.bySlug(siteId, 'bad'), undefined);
  });

  test('an update replaces the fields and raises the calendar SEQUENCE', async () => {
    const e = await service.published(siteId, 'buy-a-home-in-japan');
    const next = await service.update(
      siteId,
      e.id,
      webinarInput({ status: 'postponed', free: false, priceText: '¥2,000' }),
    );
    assert.equal(next.sequence, 1);
    assert.equal(next.status, 'postponed');
    assert.equal(next.priceText, '¥2,000');
    assert.equal(next.free, false);
    await assert.rejects(service.update(otherSiteId, e.id, webinarInput()), refusedWith('EVENT_NOT_FOUND'));
    await service.create(siteId, webinarInput({ slug: 'second' }));
    await assert.rejects(
      service.update(siteId, e.id, webinarInput({ slug: 'second' })),
      refusedWith('EVENT_SLUG_TAKEN'),
    );
  });

  test('upcoming soonest first, past latest first, by category, a page at a time', async () => {
    const site = (await siteWithSections(s)).site.id;
    const at = (slug: string, start: number, category = 'talks', published = true) =>
      service.create(
        site,
        webinarInput({ slug, startsAt: hours(start), endsAt: hours(start + 2), category, published }),
      );
    await at('later', 48);
    await at('soon', 24, 'walks');
    await at('ongoing', -1);
    await at('done', -30);
    await at('older', -60, 'walks');
    await at('hidden', 10, 'talks', false);
    const slugs = (p: { events: { slug: string }[] }) => p.events.map((e) => e.slug);
    assert.deepEqual(slugs(await service.list(site, 'upcoming')), ['ongoing', 'soon', 'later']);
    assert.deepEqual(slugs(await service.list(site, 'past')), ['done', 'older']);
    assert.deepEqual(slugs(await service.list(site, 'upcoming', { category: 'walks' })), ['soon']);
    const first = await service.list(site, 'upcoming', { perPage: 2 });
    assert.deepEqual([slugs(first), first.more], [['ongoing', 'soon'], true]);
    const second = await service.list(site, 'upcoming', { perPage: 2, page: 2 });
    assert.deepEqual([slugs(second), second.more], [['later'], false]);
    assert.deepEqual(await service.categories(site), ['talks', 'walks']);
    assert.equal(await service.hasPast(site), true);
    assert.equal(await service.hasPast(site, 'nothing'), false);
    assert.equal((await service.nextEnd(site))?.toISOString(), hours(1).toISOString());
    await assert.rejects(service.published(site, 'hidden'), refusedWith('EVENT_NOT_FOUND'));
    await assert.rejects(
      service.list(site, 'upcoming', { page: 0 }),
      refusedWith('EVENT_FILTER_INVALID', 'page'),
    );
    await assert.rejects(
      service.list(site, 'upcoming', { category: '<b>' }),
      refusedWith('EVENT_FILTER_INVALID', 'category'),
    );
    // By the clock alone: two hours later the ongoing event is past.
    clock = hours(2);
    assert.deepEqual(slugs(await service.list(site, 'upcoming')), ['soon', 'later']);
    assert.deepEqual(slugs(await service.list(site, 'past')), ['ongoing', 'done', 'older']);
    clock = NOW;
    const rows = await service.sitemapRows(site);
    assert.deepEqual(rows.map((r) => r.slug).sort(), ['done', 'later', 'older', 'ongoing', 'soon']);
  });
});
