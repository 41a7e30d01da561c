import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { JobQueue } from '../jobs/queue.ts';
import { OutboundClient } from '../outbound/client.ts';
import { agencySetup, Clock, liveHeadlines, ninjs, wireHarness } from './testing.ts';

/** A feed server on loopback whose answer each test sets, recording the headers of every request. */
const feed = {
  status: 200,
  body: '',
  etag: '"v1"',
  lastModified: 'Thu, 09 Oct 2025 04:30:00 GMT',
  requests: [] as IncomingHttpHeaders[],
};
let server: ReturnType<typeof createServer>;
let url = '';
before(async () => {
  server = createServer((req, res) => {
    feed.requests.push(req.headers);
    if (feed.status !== 200) {
      res.writeHead(feed.status);
      res.end('down');
      return;
    }
    if (req.headers['if-none-match'] === feed.etag) {
      res.writeHead(304, { etag: feed.etag });
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/rss+xml',
      etag: feed.etag,
      'last-modified': feed.lastModified,
    });
    res.end(feed.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
});
after(() => server.close());

/** The feed server is on loopback, which only an explicit allow-list opens. */
const loopback = new OutboundClient({ allow: ['127.0.0.1'] });

function rss(items: { guid: string; title: string; date: string }[]): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Regional Wire</title><link>https://regional-wire.example.org/</link>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title><guid isPermaLink="false">${i.guid}</guid><pubDate>${i.date}</pubDate><description>${i.title}, the body.</description></item>`,
    )
    .join('')}</channel></rss>`;
}

describeEachDialect('Wire pollers', (ctx) => {
  test('a feed is fetched with conditional GET; only changes are ingested; the high-water mark skips old entries', async () => {
    const h = await wireHarness(ctx.db, { outbound: loopback });
    const { site, agency } = await agencySetup(h);
    const poller = await h.wire.setup.addPoller({ agency: agency.slug, url, everySeconds: 60 });
    feed.status = 200;
    feed.etag = `"a-${ctx.db.dialect}"`;
    feed.body = rss([
      { guid: 'rw-1', title: 'First item', date: 'Thu, 09 Oct 2025 03:00:00 GMT' },
      { guid: 'rw-2', title: 'Second item', date: 'Thu, 09 Oct 2025 04:30:00 GMT' },
    ]);
    feed.requests = [];
    const first = await h.wire.pollers.pollNow(poller.id);
    assert.equal(first.status, 'ok');
    assert.equal(first.summary.counts.created, 2);
    assert.equal(feed.requests[0]!['if-none-match'], undefined);

    const second = await h.wire.pollers.pollNow(poller.id);
    assert.equal(second.status, 'not_modified');
    assert.equal(feed.requests[1]!['if-none-match'], feed.etag);
    assert.equal(feed.requests[1]!['if-modified-since'], feed.lastModified);

    feed.etag = `"b-${ctx.db.dialect}"`;
    feed.body = rss([
      { guid: 'rw-1', title: 'First item', date: 'Thu, 09 Oct 2025 03:00:00 GMT' },
      { guid: 'rw-2', title: 'Second item', date: 'Thu, 09 Oct 2025 04:30:00 GMT' },
      { guid: 'rw-3', title: 'Third item', date: 'Thu, 09 Oct 2025 06:00:00 GMT' },
    ]);
    const third = await h.wire.pollers.pollNow(poller.id);
    assert.equal(third.summary.counts.created, 1);
    assert.match(third.summary.outcomes.find((o) => o.item === 'rw-1')!.reason, /high-water/);
    assert.deepEqual((await liveHeadlines(h, site.id)).sort(), ['First item', 'Second item', 'Third item']);
    const stored = await h.wire.setup.requirePoller(poller.id);
    assert.equal(stored.highWater, '2025-10-09T06:00:00.000Z');
    assert.equal(stored.etag, feed.etag);
  });

  test('a failing feed backs off exponentially, tells editors, and recovers', async () => {
    const clock = new Clock();
    const h = await wireHarness(ctx.db, { clock, outbound: loopback });
    const { agency } = await agencySetup(h);
    const poller = await h.wire.setup.addPoller({
      agency: agency.slug,
      url: `${url}?fail=${ctx.db.dialect}`,
      everySeconds: 10,
    });
    feed.status = 500;
    const r1 = await h.wire.pollers.pollNow(poller.id);
    assert.equal(r1.status, 'failed');
    assert.equal(r1.nextRunAt.getTime() - clock.at.getTime(), 20_000);
    const r2 = await h.wire.pollers.pollNow(poller.id);
    assert.equal(r2.nextRunAt.getTime() - clock.at.getTime(), 40_000);
    assert.match((await h.wire.setup.requirePoller(poller.id)).lastError ?? '', /HTTP 500/);
    assert.ok((await h.wire.problems()).some((p) => p.code === 'DATELINE_ERR_WIRE_FEED_FAILED'));
    feed.status = 200;
    feed.body = rss([]);
    const r3 = await h.wire.pollers.pollNow(poller.id);
    assert.equal(r3.status, 'ok');
    assert.equal(r3.nextRunAt.getTime() - clock.at.getTime(), 10_000);
    assert.equal((await h.wire.setup.requirePoller(poller.id)).failures, 0);
    // A server that is not there at all is a failure too, not a crash.
    const gone = await h.wire.setup.addPoller({ agency: agency.slug, url: 'http://127.0.0.1:9/feed.xml' });
    assert.equal((await h.wire.pollers.pollNow(gone.id)).status, 'failed');
  });

  test('a watched folder: new files are ingested once, a changed file is read again', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const dir = mkdtempSync(join(tmpdir(), 'dateline-wire-drop-'));
    const poller = await h.wire.setup.addPoller({ agency: agency.slug, folder: dir, everySeconds: 5 });
    // File times tick coarsely (a few ms); the rewrite below must not share the first write's time and
    // size, which no real drop folder does once files settle, so each write gets a time of its own.
    const age = (name: string, seconds: number) => {
      const at = new Date(Date.now() - seconds * 1000);
      utimesSync(join(dir, name), at, at);
    };
    writeFileSync(join(dir, 'a.json'), JSON.stringify(ninjs('urn:f:a')));
    age('a.json', 10);
    writeFileSync(join(dir, 'notes.txt'), 'not a wire document');
    const r1 = await h.wire.pollers.pollNow(poller.id);
    assert.equal(r1.files, 1);
    assert.equal(r1.summary.counts.created, 1);
    assert.equal((await h.wire.pollers.pollNow(poller.id)).files, 0);
    writeFileSync(
      join(dir, 'a.json'),
      JSON.stringify(ninjs('urn:f:a', { version: '2', headlines: [{ role: 'main', value: 'Folder v2' }] })),
    );
    age('a.json', 5);
    writeFileSync(join(dir, 'b.json'), '{"uri": "urn:f:b", "trunc');
    const r3 = await h.wire.pollers.pollNow(poller.id);
    assert.equal(r3.summary.counts.updated, 1);
    assert.equal(r3.summary.counts.rejected, 1);
    assert.deepEqual(await liveHeadlines(h, site.id), ['Folder v2']);
    await assert.rejects(h.wire.setup.addPoller({ agency: agency.slug, folder: join(dir, 'missing') }));
    await assert.rejects(h.wire.setup.addPoller({ agency: agency.slug, url: 'ftp://example.org/feed' }));
  });

  test('polls run as durable jobs: one job per due time, surviving a restart, never run twice', async () => {
    const clock = new Clock();
    const h = await wireHarness(ctx.db, { clock });
    const { site, agency } = await agencySetup(h);
    const dir = mkdtempSync(join(tmpdir(), 'dateline-wire-jobs-'));
    writeFileSync(join(dir, 'j.json'), JSON.stringify(ninjs('urn:j:1')));
    const poller = await h.wire.setup.addPoller({ agency: agency.slug, folder: dir, everySeconds: 30 });
    // Only this test's poller is due in this test's clock world: disable the others.
    for (const p of await h.wire.setup.listPollers())
      if (p.id !== poller.id) await h.wire.setup.setPollerEnabled(p.id, false);
    const jobs = new JobQueue(ctx.db, { now: clock.now });
    h.wire.registerJobs(jobs);
    await h.wire.tick(jobs);
    await h.wire.tick(jobs);
    const key = `wire.poll:${poller.id}:${clock.at.toISOString()}`;
    assert.equal((await jobs.get(key))?.state, 'queued');
    // "Restart": another process with its own queue and services picks the job up.
    const h2 = await wireHarness(ctx.db, { clock });
    const jobs2 = new JobQueue(ctx.db, { now: clock.now });
    h2.wire.registerJobs(jobs2);
    assert.equal(await jobs2.drain(), 1);
    assert.equal(await jobs2.drain(), 0);
    assert.equal((await jobs.get(key))?.state, 'done');
    assert.deepEqual(await liveHeadlines(h, site.id), ['Story 1']);
    // Not due again until the interval has passed.
    await h.wire.tick(jobs);
    assert.equal(await jobs.drain(), 0);
    clock.advance(30_000);
    await h.wire.tick(jobs);
    assert.equal(await jobs.drain(), 1);
  });

  test('problems and finished deliveries are kept for thirty days, then dropped', async () => {
    const clock = new Clock(new Date('2030-01-01T00:00:00Z'));
    const h = await wireHarness(ctx.db, { clock });
    const { agency } = await agencySetup(h);
    await h.wire.ingester.ingestDocuments(agency, [
      { source: `old-${ctx.db.dialect}.json`, content: '{"uri": "x', allowFiles: false },
    ]);
    const mine = async () =>
      (await h.wire.problems({ limit: 1000 })).filter((p) => p.source === `old-${ctx.db.dialect}.json`);
    assert.equal((await mine()).length, 1);
    await h.wire.tick(null);
    assert.equal((await mine()).length, 1);
    const later = await wireHarness(ctx.db, { clock: new Clock(new Date('2030-02-15T00:00:00Z')) });
    await later.wire.tick(null);
    assert.equal((await mine()).length, 0);
  });
});
