import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDatelineError } from '../errors/catalogue.ts';
import { instantOfWallTime, wallTimeOf, zoneLabel } from './schedule-time.ts';

test('a wall-clock time names the instant in the site zone, not the server one', () => {
  assert.equal(instantOfWallTime('2026-03-01T09:00', 'Asia/Tokyo').toISOString(), '2026-03-01T00:00:00.000Z');
  assert.equal(
    instantOfWallTime('2026-07-01 09:00', 'Europe/London').toISOString(),
    '2026-07-01T08:00:00.000Z',
  );
  assert.equal(
    instantOfWallTime('2026-01-15T09:00', 'Europe/London').toISOString(),
    '2026-01-15T09:00:00.000Z',
  );
  assert.equal(
    instantOfWallTime('2026-01-15T09:00', 'America/New_York').toISOString(),
    '2026-01-15T14:00:00.000Z',
  );
  assert.equal(instantOfWallTime('2026-01-15T09:00', 'UTC').toISOString(), '2026-01-15T09:00:00.000Z');
});

test('a time the clocks skip is refused; a time that happens twice is the first of the two', () => {
  // Europe/London goes from 01:00 to 02:00 on 29 March 2026 and back from 02:00 to 01:00 on 25 October.
  assert.throws(
    () => instantOfWallTime('2026-03-29T01:30', 'Europe/London'),
    (e) => isDatelineError(e, 'ARTICLE_INVALID'),
  );
  assert.equal(
    instantOfWallTime('2026-10-25T01:30', 'Europe/London').toISOString(),
    '2026-10-25T00:30:00.000Z',
  );
  assert.equal(
    instantOfWallTime('2026-03-29T02:00', 'Europe/London').toISOString(),
    '2026-03-29T01:00:00.000Z',
  );
});

test('what is not a real date and time is refused', () => {
  for (const bad of [
    '',
    'tomorrow',
    '2026-02-30T09:00',
    '2026-13-01T09:00',
    '2026-01-01T24:00',
    '2026-01-01',
  ]) {
    assert.throws(
      () => instantOfWallTime(bad, 'UTC'),
      (e) => isDatelineError(e, 'ARTICLE_INVALID') && e.where?.field === 'publishAt',
      bad,
    );
  }
});

test('an instant reads back as the form value on the site clock, and the zone is named with its offset', () => {
  const at = new Date('2026-07-01T08:00:00Z');
  assert.equal(wallTimeOf(at, 'Europe/London'), '2026-07-01T09:00');
  assert.equal(wallTimeOf(at, 'Asia/Tokyo'), '2026-07-01T17:00');
  assert.equal(
    instantOfWallTime(wallTimeOf(at, 'America/New_York'), 'America/New_York').getTime(),
    at.getTime(),
  );
  assert.equal(zoneLabel('Europe/London', at), 'British Summer Time (Europe/London, GMT+01:00)');
  assert.equal(
    zoneLabel('Europe/London', new Date('2026-01-01T00:00:00Z')),
    'Greenwich Mean Time (Europe/London, GMT+00:00)',
  );
  assert.equal(zoneLabel('Asia/Tokyo', at), 'Japan Standard Time (Asia/Tokyo, GMT+09:00)');
  assert.equal(zoneLabel('Asia/Kolkata', at), 'India Standard Time (Asia/Kolkata, GMT+05:30)');
});
