// A digest's next send time in its site's zone: weekdays, the wall clock across summer-time changes (both
// directions, both hemispheres), a skipped time, and the words the admin shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSchedule, nextIssueAt, zonedInstant } from './schedule.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

test('the next weekday at the time, in the site zone', () => {
  const weekdays = { days: [1, 2, 3, 4, 5], time: '07:00' };
  // Wednesday 2 December 2026, 10:00 in Tokyo (01:00 UTC): today's 07:00 has passed, so Thursday's.
  assert.equal(
    iso(nextIssueAt(weekdays, 'Asia/Tokyo', new Date('2026-12-02T01:00:00Z'))),
    '2026-12-02T22:00:00.000Z',
  );
  // Friday after the send: Monday.
  assert.equal(
    iso(nextIssueAt(weekdays, 'Asia/Tokyo', new Date('2026-12-03T22:00:00Z'))),
    '2026-12-06T22:00:00.000Z',
  );
  // Strictly after: at the very instant, the next one.
  assert.equal(
    iso(nextIssueAt(weekdays, 'UTC', new Date('2026-12-02T07:00:00Z'))),
    '2026-12-03T07:00:00.000Z',
  );
  assert.equal(
    iso(nextIssueAt({ days: [6], time: '09:00' }, 'UTC', new Date('2026-12-05T09:00:00Z'))),
    '2026-12-12T09:00:00.000Z',
  );
});

test('07:00 stays 07:00 on the clock across the changes to and from summer time', () => {
  const daily = { days: [1, 2, 3, 4, 5, 6, 7], time: '07:00' };
  // Europe/London springs forward on Sunday 28 March 2027: 07:00 GMT on the 27th, 07:00 BST (06:00 UTC) on the 28th.
  assert.equal(
    iso(nextIssueAt(daily, 'Europe/London', new Date('2027-03-26T08:00:00Z'))),
    '2027-03-27T07:00:00.000Z',
  );
  assert.equal(
    iso(nextIssueAt(daily, 'Europe/London', new Date('2027-03-27T08:00:00Z'))),
    '2027-03-28T06:00:00.000Z',
  );
  // And back on Sunday 31 October 2027.
  assert.equal(
    iso(nextIssueAt(daily, 'Europe/London', new Date('2027-10-30T08:00:00Z'))),
    '2027-10-31T07:00:00.000Z',
  );
  // New York, 14 March 2027: 07:00 EDT is 11:00 UTC.
  assert.equal(
    iso(nextIssueAt(daily, 'America/New_York', new Date('2027-03-13T13:00:00Z'))),
    '2027-03-14T11:00:00.000Z',
  );
  // Sydney leaves summer time on 4 April 2027: 07:00 AEST is 21:00 UTC the day before.
  assert.equal(
    iso(nextIssueAt(daily, 'Australia/Sydney', new Date('2027-04-03T00:00:00Z'))),
    '2027-04-03T21:00:00.000Z',
  );
});

test('a time the clock skips goes out as far past the jump; a time it passes twice, the first time', () => {
  // Berlin jumps from 02:00 to 03:00 on 28 March 2027: 02:30 does not exist; 03:30 CEST is 01:30 UTC.
  assert.equal(zonedInstant('Europe/Berlin', 2027, 3, 28, 2, 30).toISOString(), '2027-03-28T01:30:00.000Z');
  // It passes 02:30 twice on 31 October 2027: the first is 00:30 UTC (CEST).
  assert.equal(zonedInstant('Europe/Berlin', 2027, 10, 31, 2, 30).toISOString(), '2027-10-31T00:30:00.000Z');
  // A zone at +05:45, no summer time.
  assert.equal(zonedInstant('Asia/Kathmandu', 2026, 12, 2, 7, 0).toISOString(), '2026-12-02T01:15:00.000Z');
});

test('no days, no next issue; the schedule in words', () => {
  assert.equal(nextIssueAt({ days: [], time: '07:00' }, 'UTC', new Date()), null);
  assert.equal(describeSchedule({ days: [1, 2, 3, 4, 5], time: '07:00' }), 'Weekdays at 07:00');
  assert.equal(describeSchedule({ days: [6], time: '09:00' }), 'Saturday at 09:00');
  assert.equal(describeSchedule({ days: [1, 3, 5], time: '18:30' }), 'Monday, Wednesday and Friday at 18:30');
  assert.equal(describeSchedule({ days: [1, 2, 3, 4, 5, 6, 7], time: '06:15' }), 'Every day at 06:15');
});
