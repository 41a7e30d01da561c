// A section's address is /<slug>, so a slug that is also the first segment of a reader route would give a
// section nobody can open (the route answers first). Every such segment must be a reserved path, which
// section validation refuses. The routes are read from the server as it is built, so a feature that adds a
// reader route without reserving it fails here (events and newsletters once did). Routes bound to the
// admin host are not reader routes and are left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp } from '../../test/app.ts';
import { dropTestDb, openTestDb } from '../../test/dialects.ts';
import { RESERVED_PATHS } from './section.ts';

test('every first segment of a reader route is a reserved section path', async () => {
  const db = await openTestDb('sqlite');
  const t = await startTestApp(db);
  try {
    // One line per route at the top of the tree: "    ├── newsletters/preferences (GET, HEAD)".
    const firsts = new Set<string>();
    for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
      const m = /^ {4}[├└]── (\S+) \([^)]*\)(.*)$/.exec(line);
      if (!m || m[2]!.includes('adminHost')) continue;
      const segment = m[1]!.split('/')[0]!;
      if (segment === '' || segment.startsWith(':') || segment === '*') continue;
      firsts.add(segment);
    }
    assert.ok(firsts.has('search') && firsts.has('account'), `routes read: ${[...firsts].join(' ')}`);
    assert.deepEqual(
      [...firsts].filter((s) => !RESERVED_PATHS.has(s)),
      [],
    );
  } finally {
    await t.close();
    await dropTestDb(db);
  }
});
