import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { newsSite, startTestApp } from '../../../test/app.ts';
import { DIALECTS, dropTestDb, openTestDb, withSchemaLock } from '../../../test/dialects.ts';
import { loadConfig } from '../../config/config.ts';
import { openDatabase } from '../../db/connection.ts';
import { openRuntime } from '../../runtime.ts';

// Another process (the CLI, or a second app node) edits a story: the serving process must show the change
// on its next request, although its page cache already holds the old page.
// Every clean-up is registered before the first assertion, so a broken invalidation fails the test instead
// of leaving a server and a database open, which would hang the run.
test('an edit made by another process shows on the next request [sqlite file]', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-xproc-'));
  const url = join(dir, 'dateline.db');
  const server = await startTestApp(await openDatabase({ url }));
  t.after(async () => {
    await server.close();
    await server.rt.db.close();
  });
  const s = await newsSite(server.rt);
  const { article } = await server.rt.articles.create(
    { siteId: s.site.id, sectionId: s.world.id, headline: 'Before', bodyHtml: '<p>x</p>' },
    't',
  );
  const get = () => server.app.inject({ url: '/world/before', headers: { host: s.host } });
  assert.match((await get()).body, /<h1>Before<\/h1>/);

  const cli = await openRuntime(
    loadConfig({ DATELINE_DATA_DIR: dir, LOG_LEVEL: 'silent' }, dir),
    { error: () => {} },
    {
      db: await openDatabase({ url }),
    },
  );
  await cli.articles.update(article.id, { headline: 'After' }, 'cli');
  await cli.sites.update('news', { name: 'Renamed Times' });
  await cli.close();

  const res = await get();
  assert.match(res.body, /<h1>After<\/h1>/);
  assert.match(res.body, /Renamed Times/);
});

// Only where the run includes PostgreSQL (DIALECTS, see test/dialects.ts).
const postgresTest = DIALECTS.includes('postgres') ? test : () => {};

postgresTest('an edit made on another node shows once its notification arrives [postgres]', async (t) => {
  const db = await openTestDb('postgres');
  const server = await startTestApp(db);
  t.after(async () => {
    await server.close();
    await dropTestDb(db);
  });
  const s = await newsSite(server.rt);
  const { article } = await server.rt.articles.create(
    { siteId: s.site.id, sectionId: s.world.id, headline: 'Before', bodyHtml: '<p>x</p>' },
    't',
  );
  const get = () => server.app.inject({ url: '/world/before', headers: { host: s.host } });
  assert.match((await get()).body, /<h1>Before<\/h1>/);

  // Opening a runtime migrates, which must take its turn with other test processes' schema changes.
  const node2 = await withSchemaLock(async () =>
    openRuntime(
      loadConfig({ LOG_LEVEL: 'silent' }),
      { error: () => {} },
      {
        db: await openDatabase({ url: db.url, pgSchema: db.pgSchema! }),
      },
    ),
  );
  await node2.articles.update(article.id, { headline: 'After' }, 'node2');
  await node2.close();

  let body = '';
  for (let i = 0; i < 50; i++) {
    body = (await get()).body;
    if (body.includes('<h1>After</h1>')) break;
    await sleep(20);
  }
  assert.match(body, /<h1>After<\/h1>/);
});
