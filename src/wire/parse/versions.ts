// Ordering of two versions of the same wire item, so the ingester can ignore a late-arriving older
// version. Agencies send versions as strings ("2", "10", sometimes "2.1" or opaque tokens), and "10" must
// sort after "9", so plain string comparison is only the last resort.

import type { WireItem } from './types.ts';

const INTEGER = /^\s*\d+\s*$/;

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Negative when `a` is older than `b`, positive when newer, 0 when they cannot be told apart.
 * Numeric when both versions are integers; otherwise by versionCreated when both have one; otherwise by
 * plain string comparison of the versions (a missing version sorts first).
 */
export function compareVersions(
  a: Pick<WireItem, 'version' | 'versionCreated'>,
  b: Pick<WireItem, 'version' | 'versionCreated'>,
): -1 | 0 | 1 {
  if (a.version !== null && b.version !== null && INTEGER.test(a.version) && INTEGER.test(b.version)) {
    // BigInt so a 20-digit timestamp-style version still compares exactly.
    const x = BigInt(a.version.trim());
    const y = BigInt(b.version.trim());
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.versionCreated !== null && b.versionCreated !== null) {
    const diff = sign(a.versionCreated.getTime() - b.versionCreated.getTime());
    // Equal times fall through to the string tie-break below.
    if (diff !== 0) return diff;
  }
  const x = a.version ?? '';
  const y = b.version ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
