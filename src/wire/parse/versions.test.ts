// Tests for ordering versions of the same wire item.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions } from './versions.ts';

const v = (version: string | null, versionCreated: string | null = null) => ({
  version,
  versionCreated: versionCreated === null ? null : new Date(versionCreated),
});

describe('compareVersions', () => {
  it('compares integer versions numerically, not as text', () => {
    assert.equal(compareVersions(v('9'), v('10')), -1);
    assert.equal(compareVersions(v('10'), v('9')), 1);
    assert.equal(compareVersions(v('002'), v('2')), 0);
    assert.equal(compareVersions(v('123456789012345678901'), v('123456789012345678902')), -1);
  });

  it('ignores versionCreated when both versions are integers', () => {
    assert.equal(compareVersions(v('3', '2025-01-01T00:00:00Z'), v('2', '2025-06-01T00:00:00Z')), 1);
  });

  it('falls back to versionCreated when a version is not an integer', () => {
    assert.equal(compareVersions(v('2.1', '2025-10-09T10:00:00Z'), v('2.0', '2025-10-09T11:00:00Z')), -1);
    assert.equal(compareVersions(v(null, '2025-10-09T12:00:00Z'), v('1', '2025-10-09T11:00:00Z')), 1);
  });

  it('falls back to string comparison when times are missing or equal', () => {
    assert.equal(compareVersions(v('b'), v('a')), 1);
    assert.equal(compareVersions(v('a', '2025-10-09T10:00:00Z'), v('b', '2025-10-09T10:00:00Z')), -1);
    assert.equal(compareVersions(v(null), v('1.0')), -1);
    assert.equal(compareVersions(v(null), v(null)), 0);
  });
});
