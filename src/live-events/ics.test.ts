// iCalendar text: TEXT escaping, folding at 75 octets without cutting a UTF-8 character, UTC times, and a
// calendar read back line by line to what was written (stable UID, SEQUENCE, STATUS from the status).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeText, foldLine, icsCalendar, icsTime } from './ics.ts';
import type { LiveEvent } from './repository.ts';
import { unescapeText, unfoldLines } from './testing.ts';

const event = (over: Partial<LiveEvent> = {}): LiveEvent => ({
  id: 7,
  siteId: 1,
  slug: 'home-in-japan',
  title: 'How to Buy a Home in Japan as a Foreigner',
  summary: 'Trends; procedures, financing\\and more.\nSecond line.',
  bodyHtml: '',
  pictureMediaId: null,
  pictureCaption: '',
  pictureCredit: '',
  kind: 'online',
  venueName: '',
  venueAddress: '',
  onlineUrl: null,
  organiser: 'Example Times',
  free: true,
  priceText: '',
  language: 'en',
  startsAt: new Date('2025-11-11T09:00:00Z'),
  endsAt: new Date('2025-11-11T10:00:00Z'),
  timeZone: 'Asia/Tokyo',
  status: 'scheduled',
  category: 'webinars',
  published: true,
  sequence: 3,
  createdAt: new Date('2025-10-01T00:00:00Z'),
  updatedAt: new Date('2025-10-02T03:04:05.678Z'),
  ...over,
});

const info = {
  name: 'Example Times events',
  host: 'news.example',
  urlOf: (e: LiveEvent) => `https://news.example/events/${e.slug}`,
};

test('TEXT values escape backslash, semicolon, comma and newlines, and read back', () => {
  const raw = 'a\\b; c, d\ne\r\nf';
  assert.equal(escapeText(raw), 'a\\\\b\\; c\\, d\\ne\\nf');
  assert.equal(unescapeText(escapeText(raw)), 'a\\b; c, d\ne\nf');
});

test('lines fold at 75 octets, never inside a UTF-8 character', () => {
  const long = `SUMMARY:${'日本の家を買う方法'.repeat(10)}`;
  const folded = foldLine(long);
  const parts = folded.split('\r\n');
  assert.ok(parts.length > 1);
  for (const p of parts) assert.ok(Buffer.byteLength(p) <= 75, `${Buffer.byteLength(p)} octets`);
  for (const p of parts.slice(1)) assert.ok(p.startsWith(' '));
  assert.equal(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join(''), long);
  assert.ok(!folded.includes('\uFFFD'));
  assert.equal(foldLine('SHORT:x'), 'SHORT:x');
});

test('times are UTC basic format', () => {
  assert.equal(icsTime(new Date('2025-11-11T09:00:00.000Z')), '20251111T090000Z');
});

test('a calendar reads back to what was written', () => {
  const text = icsCalendar(
    [
      event(),
      event({
        id: 8,
        slug: 'walk',
        kind: 'in_person',
        venueName: 'Kuromon Market',
        venueAddress: '2-4-1 Nipponbashi, Osaka',
        status: 'cancelled',
        title: 'Walk'.padEnd(120, '!'),
      }),
    ],
    info,
  );
  assert.ok(text.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(text), 'CRLF only');
  const lines = unfoldLines(text);
  assert.deepEqual(lines.slice(0, 6), [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Dateline//Events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:Example Times events',
  ]);
  assert.equal(lines.at(-1), 'END:VCALENDAR');
  const first = lines.slice(lines.indexOf('BEGIN:VEVENT'), lines.indexOf('END:VEVENT') + 1);
  const prop = (name: string, from = first) =>
    from.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1);
  assert.equal(prop('UID'), 'event-7@news.example');
  assert.equal(prop('DTSTAMP'), '20251002T030405Z');
  assert.equal(prop('DTSTART'), '20251111T090000Z');
  assert.equal(prop('DTEND'), '20251111T100000Z');
  assert.equal(prop('SEQUENCE'), '3');
  assert.equal(prop('STATUS'), 'CONFIRMED');
  assert.equal(prop('LOCATION'), 'Online');
  assert.equal(prop('URL'), 'https://news.example/events/home-in-japan');
  assert.equal(
    unescapeText(prop('DESCRIPTION')!),
    'Trends; procedures, financing\\and more.\nSecond line.\n\nOrganised by Example Times.\n\nhttps://news.example/events/home-in-japan',
  );
  const second = lines.slice(lines.lastIndexOf('BEGIN:VEVENT'));
  assert.equal(prop('STATUS', second), 'CANCELLED');
  assert.equal(unescapeText(prop('LOCATION', second)!), 'Kuromon Market, 2-4-1 Nipponbashi, Osaka');
  assert.equal(prop('SUMMARY', second), 'Walk'.padEnd(120, '!'));
});
