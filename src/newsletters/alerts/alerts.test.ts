// Breaking alerts end to end on both databases, through the whole runtime: publishing an urgent story queues
// one alert per site it is on (by email through the send engine, into the outbox here, and by push to the
// local push endpoint), once however often the events arrive; a kill within the window cancels what is not
// yet sent; a correction sends the updated alert by push under the same Topic, which replaces the waiting one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { type PushEndpoint, startPushEndpoint } from '../../../test/push-endpoint.ts';
import { parseSubscription } from '../push/subscriptions.ts';

describeEachDialect('breaking alerts', (ctx) => {
  let t: TestApp;
  let endpoint: PushEndpoint;
  let n = 0;
  before(async () => {
    t = await startTestApp(ctx.db, { DATELINE_PUSH_ALLOW_HTTP_LOOPBACK: 'true', NODE_ENV: 'test' });
    endpoint = await startPushEndpoint();
  });
  after(async () => {
    await t.close();
    await endpoint.close();
  });

  /** A site with an alerts list, `readers` subscribed by email and `browsers` push subscriptions. */
  async function site(readers: number, browsers: number) {
    const rt = t.rt;
    const slug = `alerts${++n}`;
    const s = await rt.sites.create({ slug, name: `Times ${n}`, hosts: [`${slug}.localhost`] });
    const world = await rt.sections.create(s.id, { slug: 'world', name: 'World' });
    await rt.directory.load();
    const list = await ctx.db.kysely
      .insertInto('newsletters')
      .values({
        site_id: s.id,
        slug: 'alerts',
        name: 'Breaking news',
        kind: 'alerts',
        sender_name: 'The Times',
        sender_email: 'news@example.com',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < readers; i++) {
      const sub = await ctx.db.kysely
        .insertInto('newsletter_subscribers')
        .values({ email: `reader${i}@${slug}.example` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await ctx.db.kysely
        .insertInto('newsletter_subscriptions')
        .values({ subscriber_id: sub.id, newsletter_id: list.id, status: 'active', consent_source: 'form' })
        .execute();
    }
    const devices = [];
    for (let i = 0; i < browsers; i++) {
      const d = endpoint.newSubscription();
      await rt.alerts.subscriptions.save(s.id, parseSubscription(d, { allowHttpLoopback: true }), null);
      devices.push(d);
    }
    return { site: s, world, listId: list.id, devices };
  }

  async function urgentStory(siteId: number, sectionId: number, headline = 'Quake hits the coast') {
    const rt = t.rt;
    const { article } = await rt.articles.create(
      {
        siteId,
        sectionId,
        headline,
        dek: 'Buildings swayed in the capital.',
        bodyHtml: '<p>Text.</p>',
        status: 'draft',
      },
      'editor',
    );
    await ctx.db.kysely.updateTable('articles').set({ urgent: 1 }).where('id', '=', article.id).execute();
    await rt.articles.update(article.id, { status: 'published' }, 'editor');
    return article.id;
  }

  const alertIssues = (articleId: number) =>
    ctx.db.kysely
      .selectFrom('newsletter_issues')
      .selectAll()
      .where('article_id', '=', articleId)
      .where('kind', '=', 'alert')
      .orderBy('id')
      .execute();

  /** Runs jobs until the listener's job has come and gone (the listener enqueues after an async read). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await t.rt.jobs.drain();
    }
  }

  const pushesFor = (devices: { id: string }[], since: number) => {
    const ids = new Set(devices.map((d) => d.id));
    return endpoint.received.slice(since).filter((r) => ids.has(r.id));
  };

  test('an urgent story goes out once per site, by email and push, however often it is published', async () => {
    const a = await site(3, 2);
    const b = await site(1, 1);
    const before = endpoint.received.length;
    const id = await urgentStory(a.site.id, a.world.id);
    await settle();
    let issues = await alertIssues(id);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.site_id, a.site.id);
    assert.equal(issues[0]!.subject, 'Quake hits the coast');
    const pushes = pushesFor(a.devices, before);
    assert.equal(pushes.length, 2);
    for (const p of pushes) {
      assert.equal(p.topic, `article-${id}`);
      assert.equal(p.urgency, 'high');
      const payload = p.payload as { title: string; body: string; url: string; tag: string };
      assert.equal(payload.title, 'Quake hits the coast');
      assert.equal(payload.body, 'Buildings swayed in the capital.');
      assert.match(payload.url, new RegExp(`^http://${a.site.slug}\\.localhost(:\\d+)?/world/`));
      assert.equal(payload.tag, `article-${id}`);
    }
    const mails = await ctx.db.kysely
      .selectFrom('newsletter_deliveries')
      .select(['status', 'email'])
      .where('issue_id', '=', issues[0]!.id)
      .execute();
    assert.deepEqual(
      mails.map((m) => m.status),
      ['sent', 'sent', 'sent'],
    );
    const outbox = await ctx.db.kysely
      .selectFrom('mail_messages')
      .select(['subject'])
      .where('to_address', '=', `reader0@${a.site.slug}.example`)
      .execute();
    assert.equal(outbox.length, 1);

    // The same events again, and the story shown on a second site: one alert on each, never a second.
    await t.rt.alerts.service.handle(id, 'published');
    await t.rt.articles.republish(id, b.site.id, b.world.id, 'editor');
    await settle();
    issues = await alertIssues(id);
    assert.deepEqual(
      issues.map((i) => i.site_id),
      [a.site.id, b.site.id],
    );
    assert.equal(pushesFor(a.devices, before).length, 2, 'nobody on the first site got it twice');
    assert.equal(pushesFor(b.devices, before).length, 1);
  });

  test('a story that is not urgent sends no alert', async () => {
    const a = await site(1, 1);
    const { article } = await t.rt.articles.create(
      { siteId: a.site.id, sectionId: a.world.id, headline: 'Calm day', bodyHtml: '<p>x</p>' },
      'editor',
    );
    await settle();
    assert.equal((await alertIssues(article.id)).length, 0);
  });

  test('a kill within the window cancels every delivery not yet sent', async () => {
    const a = await site(4, 3);
    const id = await urgentStory(a.site.id, a.world.id);
    // Taken straight to the point where the alert is queued, not yet sent.
    await t.rt.alerts.service.handle(id, 'published');
    const [issue] = await alertIssues(id);
    await t.rt.articles.takeDown(id, 'wrong story', 'editor');
    await t.rt.alerts.service.handle(id, 'taken_down');
    const before = endpoint.received.length;
    await settle();
    assert.equal(pushesFor(a.devices, before).length, 0);
    assert.deepEqual(await t.rt.alerts.push.counts(issue!.id), { cancelled: 3 });
    const mails = await ctx.db.kysely
      .selectFrom('newsletter_deliveries')
      .select('status')
      .where('issue_id', '=', issue!.id)
      .execute();
    assert.deepEqual(
      mails.map((m) => m.status),
      ['cancelled', 'cancelled', 'cancelled', 'cancelled'],
    );
    assert.equal((await alertIssues(id)).length, 1, 'a kill sends no correction');
  });

  test('a correction sends the updated alert under the same Topic, replacing the one not yet shown', async () => {
    const a = await site(0, 2);
    const offline = a.devices[1]!;
    endpoint.setOffline(offline.id, true);
    const id = await urgentStory(a.site.id, a.world.id, 'Quake hits the cost');
    await settle();
    const before = endpoint.received.length;
    await t.rt.articles.update(id, { headline: 'Quake hits the coast' }, 'editor');
    await settle();
    const issues = await alertIssues(id);
    assert.equal(issues.length, 2);
    assert.equal(issues[1]!.subject, 'Quake hits the coast');
    assert.equal(issues[1]!.status, 'sent');
    const again = pushesFor(a.devices, before);
    assert.equal(again.length, 2);
    for (const p of again) {
      assert.equal(p.topic, `article-${id}`);
      assert.equal((p.payload as { title: string }).title, 'Quake hits the coast');
    }
    const waiting = endpoint.waiting(offline.id);
    assert.equal(waiting.length, 1, 'the offline device holds one alert for the story');
    assert.equal((waiting[0]!.payload as { title: string }).title, 'Quake hits the coast');
    endpoint.setOffline(offline.id, false);
  });

  test('a correction after the window changes nothing', async () => {
    const a = await site(0, 1);
    const id = await urgentStory(a.site.id, a.world.id);
    await settle();
    const old = new Date(Date.now() - 11 * 60_000).toISOString();
    await ctx.db.kysely
      .updateTable('newsletter_issues')
      .set({ created_at: old })
      .where('article_id', '=', id)
      .execute();
    const before = endpoint.received.length;
    await t.rt.articles.update(id, { dek: 'Later: no damage reported.' }, 'editor');
    await settle();
    assert.equal((await alertIssues(id)).length, 1);
    assert.equal(pushesFor(a.devices, before).length, 0);
  });
});
