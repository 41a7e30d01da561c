// Tests for strict wire date parsing and embargo handling.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEmbargo, parseWireDate } from './dates.ts';

const iso = (value: string) => parseWireDate(value)?.toISOString() ?? null;

describe('parseWireDate', () => {
  it('reads ISO 8601 extended and basic forms with offsets', () => {
    assert.equal(iso('2025-10-09T09:02:00Z'), '2025-10-09T09:02:00.000Z');
    assert.equal(iso('2025-10-08T22:15:00+09:00'), '2025-10-08T13:15:00.000Z');
    assert.equal(iso('2025-10-12T08:15:30.250+02:00'), '2025-10-12T06:15:30.250Z');
    assert.equal(iso('2025-10-12T08:15:30,5-0130'), '2025-10-12T09:45:30.500Z');
    assert.equal(iso('2025-10-12 08:15'), '2025-10-12T08:15:00.000Z');
    assert.equal(iso('2025-10-12'), '2025-10-12T00:00:00.000Z');
    assert.equal(iso('20251013T070000Z'), '2025-10-13T07:00:00.000Z');
    assert.equal(iso('20251013T0700+0200'), '2025-10-13T05:00:00.000Z');
    assert.equal(iso('2025-10-12T24:00:00Z'), '2025-10-13T00:00:00.000Z');
  });

  it('treats an ISO time without zone as UTC', () => {
    assert.equal(iso('2025-10-09T09:02:00'), '2025-10-09T09:02:00.000Z');
  });

  it('reads RFC 822 / 2822 dates as used in RSS', () => {
    assert.equal(iso('Thu, 09 Oct 2025 03:00:00 GMT'), '2025-10-09T03:00:00.000Z');
    assert.equal(iso('Fri, 10 Oct 2025 09:30:00 +0900'), '2025-10-10T00:30:00.000Z');
    assert.equal(iso('10 Oct 2025 09:30 EST'), '2025-10-10T14:30:00.000Z');
    assert.equal(iso('Friday, 10 October 25 09:30:00 pdt'), '2025-10-10T16:30:00.000Z');
    assert.equal(iso('10 Oct 99 09:30:00 Z'), '1999-10-10T09:30:00.000Z');
    assert.equal(iso('Thu,  9 Oct 2025 03:00:00'), '2025-10-09T03:00:00.000Z');
  });

  it('returns null for anything else instead of guessing', () => {
    for (const value of [
      'yesterday',
      '1',
      '2025',
      '2025-13-01',
      '2025-02-30T00:00:00Z',
      '2025-10-09T25:00:00Z',
      '2025-10-09T09:61:00Z',
      '2025-10-09T09:00:00+25:00',
      '32 Oct 2025 09:00:00 GMT',
      '10 Foo 2025 09:00:00 GMT',
      '10 Oct 2025 09:00:00 XYZW',
      '',
      '   ',
      'x'.repeat(10_000),
    ]) {
      assert.equal(parseWireDate(value), null, value.slice(0, 40));
    }
    for (const value of [undefined, null, 1_700_000_000_000, {}, ['2025-10-09'], true]) {
      assert.equal(parseWireDate(value), null);
    }
  });
});

describe('parseEmbargo', () => {
  it('is null when absent and { at } when readable', () => {
    assert.equal(parseEmbargo(undefined), null);
    assert.equal(parseEmbargo(null), null);
    assert.deepEqual(parseEmbargo('2030-01-15T00:00:00Z'), { at: new Date('2030-01-15T00:00:00Z') });
  });

  it('keeps unreadable values (including empty and non-text) as { unparseable } so the story is held', () => {
    assert.deepEqual(parseEmbargo('next Tuesday'), { unparseable: 'next Tuesday' });
    assert.deepEqual(parseEmbargo(''), { unparseable: '' });
    assert.deepEqual(parseEmbargo(1_900_000_000), { unparseable: '1900000000' });
    assert.deepEqual(parseEmbargo({ until: 'x' }), { unparseable: '{"until":"x"}' });
  });
});
