// The server survives losing PostgreSQL: terminated backends, and the whole server stopped and started
// again. It keeps serving cached pages, refuses the rest 503 with Retry-After, reports itself not ready,
// and after the event-log listener reconnects it drops the page cache and serves fresh pages again.
// Runs against a private PostgreSQL the test starts on a free port and removes, never the shared one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { newsSite } from '../../test/app.ts';
import { DIALECTS } from '../../test/dialects.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../../test/private-servers.ts';
import { loadConfig } from '../config/config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { buildServer } from '../web/server.tsx';
import { openDatabase } from './connection.ts';

/** Polls until `check` holds; the deadline is generous because it only guards against a hang. */
async function eventually(
  what: string,
  check: () => Promise<boolean> | boolean,
  seconds = 60,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`still waiting for: ${what}`);
    await sleep(50);
  }
}

const describePostgres = DIALECTS.includes('postgres') ? describe : describe.skip;

describePostgres('losing the PostgreSQL connection [private postgres]', () => {
  let pg: PrivatePostgres | undefined;
  let rt: Runtime | undefined;
  let app: FastifyInstance | undefined;
  let host = '';
  const dir = mkdtempSync(join(tmpdir(), 'dateline-pgloss-'));
  const warnings: string[] = [];

  before(async () => {
    pg = await startPrivatePostgres();
    const config = loadConfig(
      { DATABASE_URL: pg.url, DATELINE_DATA_DIR: dir, DATELINE_DEMO: 'false', LOG_LEVEL: 'silent' },
      dir,
    );
    rt = await openRuntime(config, {
      error: () => {},
      warn: (_obj: object, msg: string) => warnings.push(msg),
      info: () => {},
    } as never);
    const s = await newsSite(rt);
    host = s.host;
    await rt.articles.create(
      { siteId: s.site.id, sectionId: s.world.id, headline: 'Harbour reopens', bodyHtml: '<p>x</p>' },
      't',
    );
    app = await buildServer(rt, { logger: false });
    // Listening starts the background work (jobs, wire polling), which must survive the outage as well.
    await app.listen({ port: 0, host: '127.0.0.1' });
  });

  after(async () => {
    try {
      await app?.close();
      await rt?.close();
    } finally {
      pg?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const get = (url: string) => app!.inject({ url, headers: { host, accept: 'application/json' } });
  const ready = async () => (await get('/readyz')).statusCode === 200;

  it('survives pg_terminate_backend of its connections, and serves fresh pages again', async () => {
    assert.equal((await get('/')).statusCode, 200);
    assert.ok(app!.pageCache!.size > 0);
    assert.ok((await pg!.terminateBackends()) > 0, 'the app had connections to terminate');
    // The listener was one of them: it reconnects and drops every cached page.
    await eventually(
      'the page cache dropped after the listener reconnected',
      () => app!.pageCache!.size === 0,
    );
    await eventually('ready again', ready);
    assert.equal((await get('/world/harbour-reopens')).statusCode, 200);
    assert.equal((await get('/')).statusCode, 200);
    assert.ok(warnings.some((w) => /listener lost its connection/.test(w)));
  });

  it('while PostgreSQL is stopped: cached pages 200, others 503 with Retry-After, /readyz 503', async () => {
    assert.equal((await get('/')).statusCode, 200);
    pg!.stop();

    const cached = await get('/');
    assert.equal(cached.statusCode, 200, 'a cached page is still served');

    const uncached = await get('/business/');
    assert.equal(uncached.statusCode, 503);
    assert.equal(uncached.json().error.code, 'DATELINE_ERR_DATABASE_UNAVAILABLE');
    assert.match(String(uncached.headers['retry-after']), /^\d+$/);

    const readyz = await get('/readyz');
    assert.equal(readyz.statusCode, 503);
    assert.ok(readyz.json().down.includes('database'));
    assert.match(String(readyz.headers['retry-after']), /^\d+$/);
    await eventually('the listener reported away', async () =>
      (await get('/readyz')).json().down.includes('event-listener'),
    );
    assert.equal((await get('/healthz')).statusCode, 200, 'the process is alive');
  });

  it('after PostgreSQL starts again: ready, page cache dropped, pages served', async () => {
    assert.ok(app!.pageCache!.size > 0, 'the cached page survived the outage');
    pg!.start();
    await eventually('ready again', ready);
    // Ready means the listener is back, and it dropped the cache when it came back.
    assert.equal(app!.pageCache!.size, 0);
    assert.equal((await get('/business/')).statusCode, 200);
    assert.equal((await get('/world/harbour-reopens')).statusCode, 200);
    assert.equal((await get('/')).statusCode, 200);
    assert.equal((await get('/readyz')).json().status, 'ready');
  });

  // On a busy event loop a probe refused while the server was away can be read after the server is back and
  // a query has been answered: the query is the newer evidence. Here the loop is held by pg_ctl start.
  it('a probe refused just before PostgreSQL came back does not mark it down once a later query is answered', async () => {
    const logged: string[] = [];
    const note = (_obj: object, msg: string) => logged.push(msg);
    const db = await openDatabase({ url: pg!.url, log: { warn: note, info: note } });
    try {
      pg!.stop();
      // A turn of the event loop reads the idle pooled connection's loss, which starts a probe; the probe's
      // connection is refused at once, but the refusal is read only on the next turn...
      const lost = 'a database connection was lost; checking the server';
      for (let turn = 0; !logged.includes(lost); turn++) {
        assert.ok(turn < 100_000, 'the lost idle connection was never noticed');
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.ok(!logged.some((m) => /does not answer/.test(m)), 'its refusal is not read yet');
      // ...after the server is back: pg_ctl holds this thread until PostgreSQL accepts connections.
      pg!.start();
      await sql`select 1`.execute(db.kysely);
      assert.ok(
        logged.some((m) => /does not answer/.test(m)),
        'the stale refusal was read before the query was answered',
      );
      assert.equal(db.availability.isUp, true);
      assert.deepEqual((await sql<{ one: number }>`select 1 as one`.execute(db.kysely)).rows, [{ one: 1 }]);
    } finally {
      await db.close();
    }
  });
});
