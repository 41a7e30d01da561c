// biome-ignore-all lint/suspicious/noExplicitAny: tests walk parsed JSON-LD and XML documents of known shape.
// The reader's event pages over HTTP (fastify.inject), on both databases: the listing (upcoming soonest
// first, the link to past events, the category filter, refused and unknown filters), the event page (the
// reference-style time inside <time datetime>, venue and map link, JSON-LD Event), 404 for unknown and
// unpublished slugs, an edit dropping the cached page, an event leaving "upcoming" when it ends by the clock
// alone, the iCalendar and RSS feeds, the events sitemap in the sitemap index, and the "Your time" script.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { instantAt, isoInZone } from './event-times.ts';
import type { LiveEvent } from './repository.ts';
import { type LiveEventInput, LiveEventService } from './service.ts';
import { unfoldLines } from './testing.ts';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
function parseXml(xml: string): any {
  assert.equal(XMLValidator.validate(xml), true);
  return parser.parse(xml);
}

const DAY = 86_400_000;

describeEachDialect('event pages, feeds and data', (d) => {
  let t: TestApp;
  let host: string;
  let siteId: number;
  let service: LiveEventService;
  let webinar: LiveEvent;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { host: `${host}:3000` } });
  const html = (url: string) => get(url).then((r) => ({ status: r.statusCode, body: r.body, res: r }));
  const jsonLd = (body: string) =>
    [...body.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
  // A day in Tokyo some days from now, so the events are upcoming whenever the test runs.
  const tokyoDay = (days: number) => isoInZone(new Date(Date.now() + days * DAY), 'Asia/Tokyo').slice(0, 10);
  const base = (over: Partial<LiveEventInput>): LiveEventInput => ({
    slug: 'x',
    title: 'x',
    kind: 'online',
    language: 'en',
    timeZone: 'Asia/Tokyo',
    startsAt: instantAt(tokyoDay(10), '18:00', 'Asia/Tokyo'),
    endsAt: instantAt(tokyoDay(10), '19:00', 'Asia/Tokyo'),
    published: true,
    ...over,
  });

  before(async () => {
    t = await startTestApp(d.db);
    const s = await newsSite(t.rt);
    host = s.host;
    siteId = s.site.id;
    service = new LiveEventService(t.rt.events);
    webinar = await service.create(
      siteId,
      base({
        slug: 'how-to-buy-a-home-in-japan',
        title: 'How to Buy a Home in Japan as a Foreigner',
        summary: 'Market trends; buying procedures, and financing.',
        bodyHtml: '<p>Learn how.</p>',
        onlineUrl: 'https://meet.example.com/home',
        category: 'webinars',
      }),
    );
    await service.create(
      siteId,
      base({
        slug: 'osaka-walk',
        title: 'Osaka Street Food Walk',
        kind: 'in_person',
        venueName: 'Kuromon Market',
        venueAddress: '2-4-1 Nipponbashi, Chuo-ku, Osaka',
        free: false,
        priceText: '¥4,500',
        category: 'walks',
        status: 'rescheduled',
        startsAt: instantAt(tokyoDay(3), '10:30', 'Asia/Tokyo'),
        endsAt: instantAt(tokyoDay(3), '13:30', 'Asia/Tokyo'),
      }),
    );
    await service.create(
      siteId,
      base({
        slug: 'last-year',
        title: 'Last Year’s Review',
        category: 'webinars',
        startsAt: new Date(Date.now() - 30 * DAY),
        endsAt: new Date(Date.now() - 30 * DAY + 3_600_000),
      }),
    );
    await service.create(siteId, base({ slug: 'draft', title: 'Not yet', published: false }));
  });
  after(() => t.close());

  test('the listing: upcoming soonest first, a link to past events, categories', async () => {
    const { status, body, res } = await html('/events');
    assert.equal(status, 200);
    assert.match(String(res.headers['cache-control']), /s-maxage/);
    const walk = body.indexOf('Osaka Street Food Walk');
    const home = body.indexOf('How to Buy a Home in Japan as a Foreigner');
    assert.ok(walk > 0 && home > walk, 'soonest first');
    assert.ok(!body.includes('Last Year’s Review') && !body.includes('Not yet'));
    assert.match(body, /href="\/events\/past"/);
    assert.match(body, /href="\/events\?category=walks"/);
    assert.match(body, /from 6PM to 7PM <span class="time__zone">\(Japan Standard Time\)<\/span>/);
    const past = await html('/events/past');
    assert.equal(past.status, 200);
    assert.ok(past.body.includes('Last Year’s Review'));
    assert.ok(!past.body.includes('Osaka Street Food Walk'));
  });

  test('the category filter, and refused or unknown filters', async () => {
    const walks = await html('/events?category=walks');
    assert.equal(walks.status, 200);
    assert.ok(walks.body.includes('Osaka Street Food Walk'));
    assert.ok(!walks.body.includes('How to Buy a Home'));
    assert.match(walks.body, /<a href="\/events\?category=walks" aria-current="page">/);
    assert.equal((await html('/events?category=%3Cscript%3E')).status, 400);
    assert.equal((await html('/events?category=Walks')).status, 400);
    assert.equal((await html('/events?page=abc')).status, 400);
    assert.equal((await html('/events?page=0')).status, 400);
    assert.equal((await html('/events?category=nothing-here')).status, 404);
    assert.equal((await html('/events?page=9')).status, 404);
  });

  test('the event page: time in the reference style inside <time datetime>, facts and body', async () => {
    const { status, body } = await html('/events/how-to-buy-a-home-in-japan');
    assert.equal(status, 200);
    const start = isoInZone(webinar.startsAt, 'Asia/Tokyo');
    assert.match(start, /T18:00:00\+09:00$/);
    const time = new RegExp(
      `<time class="event-when" datetime="${start.replace('+', '\\+')}"[^>]*>[A-Z][a-z]+ \\d{1,2}, \\d{4}, from 6PM to 7PM <span class="time__zone">\\(Japan Standard Time\\)</span></time>`,
    );
    assert.match(body, time);
    assert.match(body, /data-starts="[^"]+Z" data-ends="[^"]+Z" data-zone="Asia\/Tokyo"/);
    assert.match(body, /<span class="event-your-time" data-your-time(="")? hidden/);
    assert.match(body, /<script type="module" src="\/assets\/live-events\/[0-9a-f]{10}\/your-time\.js">/);
    assert.match(body, /Online \(webinar\)/);
    assert.match(body, /<dd>Free<\/dd>/);
    assert.match(body, /<p>Learn how.<\/p>/);
    const walk = await html('/events/osaka-walk');
    assert.match(walk.body, /Kuromon Market/);
    assert.match(walk.body, /Rescheduled/);
    assert.match(walk.body, /<dd>¥4,500<\/dd>/);
    assert.match(
      walk.body,
      /href="https:\/\/www\.openstreetmap\.org\/search\?query=Kuromon%20Market%2C%202-4-1%20Nipponbashi%2C%20Chuo-ku%2C%20Osaka"/,
    );
  });

  test('JSON-LD Event with attendance mode, location, status and offers', async () => {
    const [online] = jsonLd((await html('/events/how-to-buy-a-home-in-japan')).body);
    assert.equal(online['@type'], 'Event');
    assert.equal(online.name, 'How to Buy a Home in Japan as a Foreigner');
    assert.equal(online.startDate, isoInZone(webinar.startsAt, 'Asia/Tokyo'));
    assert.equal(online.eventAttendanceMode, 'https://schema.org/OnlineEventAttendanceMode');
    // The join link is for registrants only: the data names the event page.
    assert.deepEqual(online.location, {
      '@type': 'VirtualLocation',
      url: `http://${host}:3000/events/how-to-buy-a-home-in-japan`,
    });
    assert.equal(online.eventStatus, 'https://schema.org/EventScheduled');
    assert.equal(online.offers.price, '0');
    assert.equal(online.url, `http://${host}:3000/events/how-to-buy-a-home-in-japan`);
    const [walk] = jsonLd((await html('/events/osaka-walk')).body);
    assert.equal(walk.eventAttendanceMode, 'https://schema.org/OfflineEventAttendanceMode');
    assert.equal(walk.location['@type'], 'Place');
    assert.equal(walk.location.address.streetAddress, '2-4-1 Nipponbashi, Chuo-ku, Osaka');
    assert.equal(walk.eventStatus, 'https://schema.org/EventRescheduled');
    assert.deepEqual([walk.offers.price, walk.offers.priceCurrency], ['4500', 'JPY']);
  });

  test('404 for an unknown or unpublished slug', async () => {
    assert.equal((await html('/events/no-such-event')).status, 404);
    assert.equal((await html('/events/draft')).status, 404);
    assert.equal((await html('/events/Bad%20Slug')).status, 404);
  });

  test('an edit drops the cached page and listing', async () => {
    assert.ok((await html('/events/osaka-walk')).body.includes('Osaka Street Food Walk'));
    const walk = (await service.bySlug(siteId, 'osaka-walk'))!;
    await service.update(siteId, walk.id, {
      ...walk,
      title: 'Osaka Street Food Walk, Extended',
      venueAddress: walk.venueAddress,
    });
    assert.ok((await html('/events/osaka-walk')).body.includes('Osaka Street Food Walk, Extended'));
    assert.ok((await html('/events')).body.includes('Osaka Street Food Walk, Extended'));
  });

  test('an event leaves "upcoming" when it ends, by the clock alone', async () => {
    await service.create(
      siteId,
      base({
        slug: 'ending-now',
        title: 'Ends In A Moment',
        startsAt: new Date(Date.now() - 60_000),
        endsAt: new Date(Date.now() + 1500),
      }),
    );
    assert.ok((await html('/events')).body.includes('Ends In A Moment'));
    // Served from the cache while it runs.
    assert.ok((await html('/events')).body.includes('Ends In A Moment'));
    await new Promise((r) => setTimeout(r, 1700));
    assert.ok(!(await html('/events')).body.includes('Ends In A Moment'));
    assert.ok((await html('/events/past')).body.includes('Ends In A Moment'));
  });

  test('the iCalendar feed of upcoming events', async () => {
    const res = await get('/events.ics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar/);
    assert.ok(res.body.endsWith('\r\n'));
    for (const line of res.body.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    const lines = unfoldLines(res.body);
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 2);
    assert.ok(lines.includes(`UID:event-${webinar.id}@${host}`));
    assert.ok(lines.includes('SUMMARY:How to Buy a Home in Japan as a Foreigner'));
    assert.ok(lines.includes(`DTSTART:${webinar.startsAt.toISOString().replace(/[-:]|\.\d{3}/g, '')}`));
    assert.ok(
      lines.some((l) => l.startsWith('DESCRIPTION:Market trends\\; buying procedures\\, and financing.')),
    );
    assert.ok(lines.includes('SEQUENCE:1'), 'the walk was edited once');
    assert.ok(!res.body.includes('Last Year'));
  });

  test('the RSS feed of upcoming events', async () => {
    const res = await get('/events/feed.xml');
    assert.equal(res.statusCode, 200);
    const items = parseXml(res.body).rss.channel.item;
    const titles = (Array.isArray(items) ? items : [items]).map((i: any) => i.title);
    assert.deepEqual(titles, [
      'Osaka Street Food Walk, Extended',
      'How to Buy a Home in Japan as a Foreigner',
    ]);
    assert.match(res.body, /from 6PM to 7PM \(Japan Standard Time\)/);
  });

  test('event URLs in the sitemap, named in the sitemap index with lastmod', async () => {
    const index = parseXml((await get('/sitemap.xml')).body).sitemapindex.sitemap;
    const entry = index.find((s: any) => s.loc === `http://${host}:3000/sitemaps/events.xml`);
    assert.ok(entry?.lastmod, 'listed with lastmod');
    const urls = parseXml((await get('/sitemaps/events.xml')).body).urlset.url;
    const locs = urls.map((u: any) => u.loc);
    assert.ok(locs.includes(`http://${host}:3000/events/how-to-buy-a-home-in-japan`));
    assert.ok(!locs.some((l: string) => l.endsWith('/draft')));
    assert.ok(urls.every((u: any) => /^\d{4}-\d{2}-\d{2}T/.test(u.lastmod)));
  });

  test('the "Your time" script is served as JavaScript from our own origin', async () => {
    const page = (await html('/events')).body;
    const src = /src="(\/assets\/live-events\/[^"]+)"/.exec(page)![1]!;
    const res = await get(src);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/javascript/);
    assert.match(res.body, /Your time: /);
    assert.ok(res.body.length < 8000, `${res.body.length} bytes`);
  });
});
