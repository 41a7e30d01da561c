// The event time wording: the reference style in English, multi-day and midnight-crossing events, a
// summer-time change during an event, other languages through Intl, machine values and "Your time".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatEventTime,
  instantAt,
  isKnownTimeZone,
  isoInZone,
  readerTime,
  zoneName,
} from './event-times.ts';

const at = (iso: string) => new Date(iso);
const tokyo = (start: string, end: string) => ({
  startsAt: at(start),
  endsAt: at(end),
  timeZone: 'Asia/Tokyo',
});
// The reference webinar: 6PM to 7PM in Tokyo is 09:00 to 10:00 UTC.
const webinar = tokyo('2025-11-11T09:00:00Z', '2025-11-11T10:00:00Z');

test('the reference style, exactly', () => {
  assert.equal(formatEventTime(webinar), 'November 11, 2025, from 6PM to 7PM (Japan Standard Time)');
});

test('minutes show only when not :00; midnight is 12AM and noon 12PM', () => {
  assert.equal(
    formatEventTime(tokyo('2025-11-11T09:30:00Z', '2025-11-11T10:05:00Z')),
    'November 11, 2025, from 6:30PM to 7:05PM (Japan Standard Time)',
  );
  assert.equal(
    formatEventTime(tokyo('2025-11-10T15:00:00Z', '2025-11-11T03:00:00Z')),
    'November 11, 2025, from 12AM to 12PM (Japan Standard Time)',
  );
});

test('multi-day events name both dates', () => {
  assert.equal(
    formatEventTime(tokyo('2025-11-11T09:00:00Z', '2025-11-12T17:00:00Z')),
    'November 11, 2025, 6PM to November 13, 2025, 2AM (Japan Standard Time)',
  );
});

test('an event crossing midnight reads with both dates, never as ending before it starts', () => {
  assert.equal(
    formatEventTime(tokyo('2025-11-11T14:00:00Z', '2025-11-11T16:30:00Z')),
    'November 11, 2025, 11PM to November 12, 2025, 1:30AM (Japan Standard Time)',
  );
});

test("a summer-time change during the event names each end's zone", () => {
  // New York moved its clocks on March 8, 2026 at 2AM: 1AM EST is 06:00 UTC, 4AM EDT is 08:00 UTC.
  const when = {
    startsAt: at('2026-03-08T06:00:00Z'),
    endsAt: at('2026-03-08T08:00:00Z'),
    timeZone: 'America/New_York',
  };
  assert.equal(
    formatEventTime(when),
    'March 8, 2026, from 1AM (Eastern Standard Time) to 4AM (Eastern Daylight Time)',
  );
  // London over its autumn change, across two days.
  const london = {
    startsAt: at('2026-10-24T20:00:00Z'),
    endsAt: at('2026-10-25T12:00:00Z'),
    timeZone: 'Europe/London',
  };
  assert.equal(
    formatEventTime(london),
    'October 24, 2026, 9PM (British Summer Time) to October 25, 2026, 12PM (Greenwich Mean Time)',
  );
});

test('other languages use Intl range patterns and the zone name in that language', () => {
  assert.equal(formatEventTime(webinar, 'en-GB'), '11 November 2025, 18:00–19:00 (Japan Standard Time)');
  const ja = formatEventTime(webinar, 'ja');
  assert.match(ja, /2025/);
  assert.match(ja, /18\D{0,2}00\D{0,3}19\D{0,2}00/);
  assert.ok(ja.endsWith('(日本標準時)'), ja);
  assert.equal(zoneName(webinar.startsAt, 'Asia/Tokyo', 'ja'), '日本標準時');
  const when = {
    startsAt: at('2026-03-08T06:00:00Z'),
    endsAt: at('2026-03-08T08:00:00Z'),
    timeZone: 'America/New_York',
  };
  const gb = formatEventTime(when, 'en-GB');
  assert.match(gb, /\(Eastern Standard Time\) – .*\(Eastern Daylight Time\)$/);
});

test('machine values are the local wall clock with its offset', () => {
  assert.equal(isoInZone(webinar.startsAt, 'Asia/Tokyo'), '2025-11-11T18:00:00+09:00');
  assert.equal(isoInZone(webinar.startsAt, 'UTC'), '2025-11-11T09:00:00+00:00');
  assert.equal(isoInZone(at('2026-07-01T12:00:00Z'), 'America/St_Johns'), '2026-07-01T09:30:00-02:30');
  assert.equal(new Date(isoInZone(webinar.endsAt, 'Asia/Kolkata')).getTime(), webinar.endsAt.getTime());
});

test('"Your time" in the reader\'s zone, or nothing when it reads the same', () => {
  assert.equal(readerTime(webinar, 'Europe/Berlin'), '10AM to 11AM (Central European Standard Time)');
  assert.equal(readerTime(webinar, 'Asia/Tokyo'), null);
  // Same clock, another name: nothing to add.
  assert.equal(readerTime(webinar, 'Asia/Seoul'), null);
  const london = {
    startsAt: at('2026-12-19T21:00:00Z'),
    endsAt: at('2026-12-20T00:30:00Z'),
    timeZone: 'Europe/London',
  };
  assert.equal(readerTime(london, 'UTC'), null);
  assert.equal(
    readerTime(london, 'Europe/Paris'),
    'December 19, 2026, 10PM to December 20, 2026, 1:30AM (Central European Standard Time)',
  );
  // The reader's day differs from the event's (Tokyo 8AM on the 11th is 3PM on the 10th in Los Angeles).
  const morning = tokyo('2025-11-10T23:00:00Z', '2025-11-11T00:00:00Z');
  assert.equal(
    readerTime(morning, 'America/Los_Angeles'),
    'November 10, 2025, from 3PM to 4PM (Pacific Standard Time)',
  );
  assert.equal(readerTime(webinar, 'Not/AZone'), null);
  assert.equal(isKnownTimeZone('Asia/Tokyo'), true);
  assert.equal(isKnownTimeZone('Mars/Olympus'), false);
});

test('a wall time in a zone becomes its instant, by ICU offsets', () => {
  assert.equal(instantAt('2025-11-11', '18:00', 'Asia/Tokyo').toISOString(), '2025-11-11T09:00:00.000Z');
  assert.equal(instantAt('2026-07-01', '09:30', 'Europe/London').toISOString(), '2026-07-01T08:30:00.000Z');
  assert.equal(instantAt('2026-01-15', '09:30', 'Europe/London').toISOString(), '2026-01-15T09:30:00.000Z');
  assert.equal(
    instantAt('2026-03-08', '04:00', 'America/New_York').toISOString(),
    '2026-03-08T08:00:00.000Z',
  );
});
