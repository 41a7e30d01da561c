// The web push delivery loop against the local push endpoint (test/push-endpoint.ts), on both databases:
// what arrives decrypts to the payload with the right Topic, Urgency and VAPID signature; 404 and 410 remove
// the subscription; 429/5xx are retried later and then sent; cancelling leaves what was not sent unsent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../../test/dialects.ts';
import { services, siteWithSections } from '../../../test/fixtures.ts';
import { type PushEndpoint, startPushEndpoint } from '../../../test/push-endpoint.ts';
import { OutboundClient } from '../../outbound/client.ts';
import { loadVapidKeys, vapidSubject } from './keys.ts';
import { alertTopic, type PushMessage, PushSender } from './sender.ts';
import { PushSubscriptions, parseSubscription } from './subscriptions.ts';

const loopback = new OutboundClient({ allow: ['127.0.0.1'] });

describeEachDialect('web push sending', (ctx) => {
  let endpoint: PushEndpoint;
  before(async () => {
    endpoint = await startPushEndpoint();
  });
  after(() => endpoint.close());

  // The sender's clock: retries wait for it, never for real time.
  const clock = { now: new Date('2026-12-02T10:00:00Z') };

  async function setup(count: number) {
    const s = services(ctx.db);
    const { site } = await siteWithSections(s);
    const list = await ctx.db.kysely
      .insertInto('newsletters')
      .values({
        site_id: site.id,
        slug: 'alerts',
        name: 'Breaking news',
        kind: 'alerts',
        sender_name: 'News',
        sender_email: 'news@example.com',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const issue = await ctx.db.kysely
      .insertInto('newsletter_issues')
      .values({
        newsletter_id: list.id,
        site_id: site.id,
        kind: 'alert',
        status: 'sending',
        subject: 'Quake',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const repo = new PushSubscriptions(ctx.db.kysely);
    const subs = [];
    for (let i = 0; i < count; i++) {
      const sub = endpoint.newSubscription();
      subs.push({
        ...sub,
        rowId: await repo.save(site.id, parseSubscription(sub, { allowHttpLoopback: true }), null),
      });
    }
    const keys = await loadVapidKeys(ctx.db);
    const sender = new PushSender(ctx.db, loopback, keys, {
      subject: vapidSubject('The Times <news@example.com>'),
      concurrency: 8,
      ttlSeconds: 600,
      batchSize: 3,
      now: () => clock.now,
    });
    const message: PushMessage = {
      payload: {
        title: 'Quake hits coast',
        body: 'A strong quake.',
        url: 'http://news.localhost/world/quake',
        tag: alertTopic(7),
        issueId: issue.id,
      },
      topic: alertTopic(7),
    };
    return { site, issueId: issue.id, subs, sender, repo, keys, message };
  }

  test('every subscription gets the payload, encrypted for it and signed with the VAPID key', async () => {
    const { site, issueId, subs, sender, keys, message } = await setup(5);
    assert.equal(await sender.freeze(issueId, site.id), 5);
    assert.equal(await sender.freeze(issueId, site.id), 0, 'freezing again adds nobody');
    const before = endpoint.received.length;
    const r = await sender.run(issueId, message);
    assert.deepEqual({ sent: r.sent, more: r.more }, { sent: 5, more: false });
    const got = endpoint.received.slice(before);
    assert.deepEqual(got.map((g) => g.id).sort(), subs.map((s) => s.id).sort());
    for (const g of got) {
      assert.deepEqual(g.payload, message.payload);
      assert.equal(g.topic, 'article-7');
      assert.equal(g.urgency, 'high');
      assert.equal(g.ttl, 600);
      assert.equal(g.vapidKey, keys.publicKey);
      assert.equal(g.subject, 'mailto:news@example.com');
    }
    assert.deepEqual(await sender.counts(issueId), { sent: 5 });
    // Sending again sends nothing: every delivery is recorded.
    assert.equal((await sender.run(issueId, message)).sent, 0);
  });

  test('404 and 410 remove the subscription; 429 and 500 are retried; other 4xx fail', async () => {
    const { site, issueId, subs, sender, repo, message } = await setup(5);
    endpoint.answer(subs[0]!.id, 404);
    endpoint.answer(subs[1]!.id, 410);
    endpoint.answer(subs[2]!.id, 429);
    endpoint.answer(subs[3]!.id, 500);
    endpoint.answer(subs[4]!.id, 403);
    await sender.freeze(issueId, site.id);
    const first = await sender.run(issueId, message);
    assert.deepEqual(
      { gone: first.gone, retried: first.retried, failed: first.failed, more: first.more },
      { gone: 2, retried: 2, failed: 1, more: true },
    );
    assert.equal(await repo.find(subs[0]!.endpoint), null);
    assert.equal(await repo.find(subs[1]!.endpoint), null);
    assert.ok(await repo.find(subs[4]!.endpoint), 'a refusal other than 404/410 keeps the subscription');
    endpoint.answer(subs[2]!.id, null);
    endpoint.answer(subs[3]!.id, null);
    assert.equal((await sender.run(issueId, message)).sent, 0, 'a retry waits for its back-off');
    clock.now = new Date(clock.now.getTime() + 3_600_000);
    const second = await sender.run(issueId, message);
    assert.equal(second.sent, 2);
    assert.deepEqual(await sender.counts(issueId), { sent: 2, failed: 1 });
    const failed = await ctx.db.kysely
      .selectFrom('push_subscriptions')
      .select('failure_count')
      .where('id', '=', subs[4]!.rowId)
      .executeTakeFirstOrThrow();
    assert.equal(failed.failure_count, 1);
  });

  test('cancelling leaves what was not yet sent unsent', async () => {
    const { site, issueId, sender, message } = await setup(4);
    await sender.freeze(issueId, site.id);
    assert.equal(await sender.cancelUndelivered(issueId), 4);
    const r = await sender.run(issueId, message);
    assert.equal(r.sent, 0);
    assert.deepEqual(await sender.counts(issueId), { cancelled: 4 });
  });

  test('the VAPID key pair is made once and read back by every node', async () => {
    const a = await loadVapidKeys(ctx.db);
    const b = await loadVapidKeys(ctx.db);
    assert.deepEqual(a, b);
    assert.equal(Buffer.from(a.publicKey, 'base64url').length, 65);
  });
});

test('a subscription is checked at the edge: https endpoint, keys of the right length and curve', () => {
  const good = {
    endpoint: 'https://push.example.com/x',
    keys: {
      p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
      auth: 'tBHItJI5svbpez7KI4CCXg',
    },
  };
  const strict = { allowHttpLoopback: false };
  assert.equal(parseSubscription(good, strict).endpoint, 'https://push.example.com/x');
  const bad = (body: unknown, o = strict) =>
    assert.throws(() => parseSubscription(body, o), { code: 'DATELINE_ERR_PUSH_SUBSCRIPTION_INVALID' });
  bad({ ...good, endpoint: 'http://push.example.com/x' });
  bad({ ...good, endpoint: 'http://127.0.0.1:9/x' });
  bad({ ...good, endpoint: 'http://10.0.0.1/x' }, { allowHttpLoopback: true });
  bad({ ...good, endpoint: 'https://user:pw@push.example.com/x' });
  bad({ ...good, endpoint: `https://push.example.com/${'x'.repeat(1100)}` });
  bad({ ...good, keys: { ...good.keys, auth: 'short' } });
  bad({ ...good, keys: { ...good.keys, p256dh: Buffer.alloc(65, 4).toString('base64url') } });
  bad({ ...good, keys: { ...good.keys, p256dh: 'not base64!' } });
  bad({ endpoint: good.endpoint });
  bad(null);
  assert.ok(parseSubscription({ ...good, endpoint: 'http://127.0.0.1:9/x' }, { allowHttpLoopback: true }));
});
