import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { JobQueue } from '../jobs/queue.ts';
import { OutboundClient } from '../outbound/client.ts';
import { SiteDirectory } from '../sites/directory.ts';
import { WebhookService } from './service.ts';
import { signPayload, verifySignature } from './signature.ts';

test('signatures: valid, tampered, stale and malformed', () => {
  const now = new Date('2025-10-10T00:00:00Z');
  const t = Math.floor(now.getTime() / 1000);
  const header = `t=${t},v1=${signPayload('s3cret', t, '{"a":1}')}`;
  assert.equal(verifySignature('s3cret', header, '{"a":1}', { now }), true);
  assert.equal(verifySignature('s3cret', header, '{"a":2}', { now }), false, 'body changed');
  assert.equal(verifySignature('other', header, '{"a":1}', { now }), false, 'wrong secret');
  assert.equal(
    verifySignature('s3cret', header, '{"a":1}', { now: new Date(now.getTime() + 600_000) }),
    false,
    'too old',
  );
  for (const bad of [undefined, '', 't=abc,v1=00', `t=${t}`, 'v1=zz', `t=${t},v1=`]) {
    assert.equal(verifySignature('s3cret', bad, '{"a":1}', { now }), false, String(bad));
  }
});

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describeEachDialect('webhooks', (ctx) => {
  let receiver: Server;
  let url: string;
  const received: Received[] = [];
  /** Status codes the receiver answers with, in turn; 200 once they run out. */
  const script: number[] = [];
  let s: ReturnType<typeof services>;
  let site: Awaited<ReturnType<typeof siteWithSections>>;
  let other: Awaited<ReturnType<typeof siteWithSections>>;
  let directory: SiteDirectory;
  let now = new Date();
  const clock = () => now;
  // The receiver is on loopback over plain http, which only an explicit allow-list opens.
  const loopbackAllowed = new OutboundClient({ allow: ['127.0.0.1'] });
  const open = (outbound = loopbackAllowed) => {
    const queue = new JobQueue(ctx.db, { now: clock, backoffMs: 1000 });
    return {
      queue,
      hooks: new WebhookService(ctx.db, queue, s.articles, directory, {
        now: clock,
        timeoutMs: 5000,
        outbound,
      }),
    };
  };

  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = script.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    s = services(ctx.db);
    site = await siteWithSections(s, 'news');
    other = await siteWithSections(s, 'life');
    directory = new SiteDirectory(ctx.db);
    await directory.load();
  });
  after(async () => {
    await new Promise((r) => receiver.close(r));
  });

  test('endpoint input is checked', async () => {
    const { hooks } = open();
    for (const input of [
      { url: 'not a url' },
      { url: 'ftp://x.example/' },
      { url, events: ['article.deleted'] },
      { url, siteId: 9999 },
    ]) {
      await assert.rejects(hooks.createEndpoint(input), (e) => isDatelineError(e, 'WEBHOOK_INVALID'));
    }
  });

  test('published, updated and taken down reach a real receiver, signed, once each, and are logged', async () => {
    const { queue, hooks } = open();
    const ep = await hooks.createEndpoint({ url, siteId: site.site.id });
    const otherEp = await hooks.createEndpoint({
      url: `${url}?other`,
      siteId: other.site.id,
      events: ['article.published'],
    });
    const { article } = await s.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.world.id,
        headline: 'Summit opens',
        dek: 'Leaders meet.',
        bodyHtml: '<p>x</p>',
      },
      'test',
    );
    await s.articles.update(article.id, { headline: 'Summit opens in Dushanbe' }, 'editor');
    await s.articles.takeDown(article.id, 'legal', 'editor');
    assert.equal(await hooks.dispatch(), 3, 'three events for the news endpoint, none for the other site');
    assert.equal(await hooks.dispatch(), 0, 'dispatching again queues nothing new');
    // A second process replaying the same log (another node, or a restart) queues nothing twice either.
    assert.equal(await open().hooks.dispatch(), 0);
    assert.equal(await queue.drain(), 3);
    assert.equal(received.length, 3);
    const bodies = received.map((r) => JSON.parse(r.body));
    assert.deepEqual(
      bodies.map((b) => b.type),
      ['article.published', 'article.updated', 'article.taken_down'],
    );
    for (const r of received) {
      assert.equal(r.headers['content-type'], 'application/json');
      assert.ok(
        verifySignature(ep.secret, String(r.headers['dateline-signature']), r.body),
        'signature verifies',
      );
      assert.equal(r.headers['dateline-event'], JSON.parse(r.body).type);
      assert.match(String(r.headers['dateline-webhook-id']), /^evt_\d+$/);
    }
    // Delivered after the kill: the story's content is no longer sent, only its id and status.
    assert.deepEqual(bodies[0].data.article, bodies[2].data.article);
    assert.equal(bodies[2].data.article.status, 'taken_down');
    assert.equal(bodies[2].data.article.headline, undefined);
    assert.ok(bodies[2].data.article.taken_down_at);
    const log = await hooks.deliveries(ep.id);
    assert.equal(log.length, 3);
    assert.ok(log.every((d) => d.ok && d.statusCode === 200 && d.attempt === 1));
    assert.deepEqual(await hooks.deliveries(otherEp.id), []);
    await hooks.setActive(ep.id, false);
    await hooks.setActive(otherEp.id, false);
    received.length = 0;
  });

  test('a live story is sent with its headline and URLs', async () => {
    const { queue, hooks } = open();
    const ep = await hooks.createEndpoint({ url, events: ['article.published'] });
    await s.articles.create(
      { siteId: other.site.id, sectionId: other.business.id, headline: 'Cafe opens', bodyHtml: '<p>x</p>' },
      'test',
    );
    await hooks.dispatch();
    await queue.drain();
    const mine = received.filter((r) =>
      verifySignature(ep.secret, String(r.headers['dateline-signature']), r.body),
    );
    assert.equal(mine.length, 1);
    const body = JSON.parse(mine[0]!.body);
    assert.equal(body.data.article.headline, 'Cafe opens');
    assert.equal(body.data.article.placements[0].url, 'http://life.localhost/business/cafe-opens');
    await hooks.setActive(ep.id, false);
    received.length = 0;
  });

  test('failures retry with back-off, survive a restart, and every attempt is logged', async () => {
    let { queue, hooks } = open();
    const ep = await hooks.createEndpoint({ url, siteId: site.site.id, events: ['article.published'] });
    script.push(500, 503);
    await s.articles.create(
      { siteId: site.site.id, sectionId: site.world.id, headline: 'Typhoon nears', bodyHtml: '<p>x</p>' },
      'test',
    );
    await hooks.dispatch();
    assert.equal(await queue.drain(), 1);
    assert.equal(received.length, 1);
    assert.equal(await queue.drain(), 0, 'waits for its back-off');

    // "Restart": new queue and service over the same database; the job is still there.
    ({ queue, hooks } = open());
    now = new Date(now.getTime() + 1001);
    assert.equal(await queue.drain(), 1);
    now = new Date(now.getTime() + 2001);
    assert.equal(await queue.drain(), 1);
    assert.equal(received.length, 3);
    const log = await hooks.deliveries(ep.id);
    assert.deepEqual(log.map((d) => [d.attempt, d.ok, d.statusCode]).reverse(), [
      [1, false, 500],
      [2, false, 503],
      [3, true, 200],
    ]);
    assert.match(log[2]!.error ?? '', /HTTP 500/);
    const ids = new Set(received.map((r) => r.headers['dateline-webhook-id']));
    assert.equal(ids.size, 1, 'the same delivery id every attempt, for receivers to dedupe');
    await hooks.setActive(ep.id, false);
    received.length = 0;
  });

  test('an unreachable endpoint is logged as such', async () => {
    const { queue, hooks } = open();
    const ep = await hooks.createEndpoint({
      url: 'http://127.0.0.1:9/nothing',
      events: ['article.published'],
    });
    await s.articles.create(
      { siteId: site.site.id, sectionId: site.world.id, headline: 'Nobody listens', bodyHtml: '<p>x</p>' },
      'test',
    );
    await hooks.dispatch();
    await queue.drain();
    const [d] = await hooks.deliveries(ep.id);
    assert.equal(d?.ok, false);
    assert.equal(d?.statusCode, null);
    // One code for every way of not getting an answer, so the log cannot be used to map a network.
    assert.match(d?.error ?? '', /^DATELINE_ERR_FETCH_FAILED: /);
    assert.doesNotMatch(d?.error ?? '', /ECONNREFUSED|refused/i);
    await hooks.deleteEndpoint(ep.id);
  });

  test('endpoints on internal addresses, and plain http to hosts not allow-listed, are refused', async () => {
    // Without the allow-list, as in production; `public.test` stands for a public receiver.
    const strict = new OutboundClient({
      resolve: async () => [{ address: '93.184.215.14', family: 4 }],
    });
    const { hooks } = open(strict);
    for (const internal of [
      url,
      'https://127.0.0.1/hooks',
      'https://2130706433/hooks',
      'https://[::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://169.254.169.254/hooks',
      'https://192.168.1.10/hooks',
      'https://[fd00::5]/hooks',
    ]) {
      await assert.rejects(
        hooks.createEndpoint({ url: internal }),
        (e) => isDatelineError(e, 'FETCH_REFUSED'),
        internal,
      );
    }
    await assert.rejects(hooks.createEndpoint({ url: 'http://public.test/hooks' }), (e) =>
      isDatelineError(e, 'WEBHOOK_INVALID'),
    );
    const ok = await hooks.createEndpoint({ url: 'https://public.test/hooks' });
    assert.equal(ok.url, 'https://public.test/hooks');
    await hooks.deleteEndpoint(ok.id);
  });

  test('a delivery to an address no longer allowed is refused at send time, not sent', async () => {
    const ep = await open().hooks.createEndpoint({ url: `${url}?later`, events: ['article.published'] });
    // The same endpoint, delivered by a process without the allow-list (or after its DNS changed).
    const { queue, hooks } = open(new OutboundClient());
    received.length = 0;
    await s.articles.create(
      { siteId: site.site.id, sectionId: site.world.id, headline: 'Nobody may listen', bodyHtml: '<p>x</p>' },
      'test',
    );
    await hooks.dispatch();
    await queue.drain();
    assert.deepEqual(received, [], 'the receiver got nothing');
    const [d] = await hooks.deliveries(ep.id);
    assert.equal(d?.ok, false);
    assert.match(d?.error ?? '', /^DATELINE_ERR_FETCH_REFUSED: /);
    await hooks.deleteEndpoint(ep.id);
  });
});
