import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { agencySetup, Clock, ingestJson, liveCount, liveHeadlines, ninjs, wireHarness } from './testing.ts';

describeEachDialect('Wire review queue', (ctx) => {
  test('lists incoming stories newest first, with the editors-only terms and note', async () => {
    const clock = new Clock();
    const h = await wireHarness(ctx.db, { clock });
    const { site, agency } = await agencySetup(h, { review: true });
    await ingestJson(
      h,
      agency,
      ninjs('urn:q:1', { usageterms: 'Subscribers only', ednote: 'Check the figures' }),
    );
    clock.advance(60_000);
    const s = await ingestJson(h, agency, ninjs('urn:q:2'));
    assert.equal(s.counts.held, 1);
    assert.equal(s.outcomes[0]!.code, null);
    assert.equal(await liveCount(h, site.id), 0);
    const list = await h.wire.queue.list({ agencyId: agency.id });
    assert.deepEqual(
      list.map((e) => e.story.uri),
      ['urn:q:2', 'urn:q:1'],
    );
    assert.equal(list[1]!.story.usageTerms, 'Subscribers only');
    assert.equal(list[1]!.story.edNote, 'Check the figures');
    assert.deepEqual(list[0]!.suggestion, { site: site.slug, section: 'world' });
    // A newer version moves the entry back to the top.
    clock.advance(60_000);
    await ingestJson(h, agency, ninjs('urn:q:1', { version: '2' }));
    assert.equal((await h.wire.queue.list({ agencyId: agency.id }))[0]!.story.uri, 'urn:q:1');
  });

  test('publishes to the suggested site and section, or another licensed one', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h, { review: true });
    await ingestJson(h, agency, ninjs('urn:q:p1'), ninjs('urn:q:p2'));
    const [second, first] = await h.wire.queue.list({ agencyId: agency.id });
    const r = await h.wire.queue.publish(first!.id, {}, 'editor');
    assert.equal(r.site, site.slug);
    assert.match(r.path, /^\/world\//);
    const r2 = await h.wire.queue.publish(second!.id, { site: site.slug, section: 'business' }, 'editor');
    assert.match(r2.path, /^\/business\//);
    assert.equal(await liveCount(h, site.id), 2);
    assert.equal((await h.wire.queue.list({ agencyId: agency.id })).length, 0);
    await assert.rejects(h.wire.queue.publish(first!.id, {}, 'editor'), (e) =>
      isDatelineError(e, 'WIRE_QUEUE_DECIDED'),
    );
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'wire.queue_published')
      .execute();
    assert.equal(audit.length, 2);
  });

  test('never publishes to a site the agency is not licensed for', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h, { review: true });
    const other = await h.sites.create({ slug: `q-other-${ctx.db.dialect}`, name: 'Other' });
    await h.sections.create(other.id, { slug: 'world', name: 'World' });
    await ingestJson(h, agency, ninjs('urn:q:l1'));
    const [entry] = await h.wire.queue.list({ agencyId: agency.id });
    await assert.rejects(
      h.wire.queue.publish(entry!.id, { site: other.slug, section: 'world' }, 'editor'),
      (e) => isDatelineError(e, 'WIRE_NOT_LICENSED'),
    );
    assert.equal(await liveCount(h, other.id), 0);
  });

  test('edit before publishing; a later agency version then waits for an editor instead of overwriting', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h, { review: true });
    await ingestJson(h, agency, ninjs('urn:q:e1'));
    const [entry] = await h.wire.queue.list({ agencyId: agency.id });
    await h.wire.queue.edit(entry!.id, { headline: 'Sharper headline' });
    await assert.rejects(h.wire.queue.edit(entry!.id, { headline: '' }), (e) =>
      isDatelineError(e, 'ARTICLE_INVALID'),
    );
    await assert.rejects(h.wire.queue.edit(entry!.id, { slug: 'x' }), (e) =>
      isDatelineError(e, 'BAD_REQUEST'),
    );
    await h.wire.queue.publish(entry!.id, { edits: { dek: 'A dek of our own' } }, 'editor');
    assert.deepEqual(await liveHeadlines(h, site.id), ['Sharper headline']);
    const s = await ingestJson(
      h,
      agency,
      ninjs('urn:q:e1', { version: '2', headlines: [{ role: 'main', value: 'Agency v2' }] }),
    );
    assert.equal(s.counts.updated, 1);
    assert.deepEqual(await liveHeadlines(h, site.id), ['Sharper headline']);
    const [again] = await h.wire.queue.list({ agencyId: agency.id });
    assert.match(again!.reason, /editor changed the story/);
    await h.wire.queue.publish(again!.id, {}, 'editor');
    assert.deepEqual(await liveHeadlines(h, site.id), ['Agency v2']);
  });

  test('discard removes the entry; a killed story leaves the queue and cannot be published', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h, { review: true });
    await ingestJson(h, agency, ninjs('urn:q:d1'), ninjs('urn:q:k1'));
    const entries = await h.wire.queue.list({ agencyId: agency.id });
    const d = entries.find((e) => e.story.uri === 'urn:q:d1')!;
    await h.wire.queue.discard(d.id, 'editor');
    const k = entries.find((e) => e.story.uri === 'urn:q:k1')!;
    await ingestJson(h, agency, ninjs('urn:q:k1', { version: '2', pubstatus: 'canceled' }));
    assert.equal((await h.wire.queue.list({ agencyId: agency.id })).length, 0);
    await assert.rejects(h.wire.queue.publish(k.id, {}, 'editor'), (e) =>
      isDatelineError(e, 'WIRE_QUEUE_DECIDED'),
    );
    await assert.rejects(h.wire.queue.publish(999_999, {}, 'editor'), (e) =>
      isDatelineError(e, 'WIRE_QUEUE_NOT_FOUND'),
    );
    assert.equal(await liveCount(h, site.id), 0);
  });

  test('an embargoed story published from the queue still waits for its embargo', async () => {
    const clock = new Clock(new Date('2025-11-01T00:00:00Z'));
    const h = await wireHarness(ctx.db, { clock });
    const { site, agency } = await agencySetup(h, { review: true });
    await ingestJson(h, agency, ninjs('urn:q:emb', { embargoed: '2025-11-02T00:00:00Z' }));
    const [entry] = await h.wire.queue.list({ agencyId: agency.id });
    await h.wire.queue.publish(entry!.id, {}, 'editor');
    assert.equal(await liveCount(h, site.id), 0);
    clock.advance(86_400_000);
    await h.articles.publishDue();
    assert.equal(await liveCount(h, site.id), 1);
  });
});
