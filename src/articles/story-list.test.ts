import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { SearchIndexer } from '../search/indexer.ts';
import { SiteDirectory } from '../sites/directory.ts';
import { StoryEditing } from './editing.ts';
import { StoryPublishing } from './publishing.ts';
import { listStories, type StoryListQuery, storyAuthors } from './story-list.ts';
import { staffUser } from './story-testing.ts';

describeEachDialect('listStories', (ctx) => {
  let clock = new Date('2026-04-01T08:00:00Z');
  const ids: Record<string, number> = {};
  let siteA: Awaited<ReturnType<typeof siteWithSections>>;
  let siteB: Awaited<ReturnType<typeof siteWithSections>>;
  let ana: number;
  let ben: number;

  before(async () => {
    const now = () => clock;
    const s = services(ctx.db, now);
    siteA = await siteWithSections(s);
    siteB = await siteWithSections(s);
    const editing = new StoryEditing(ctx.db, s.articles, now);
    const publishing = new StoryPublishing(ctx.db, s.articles, now);
    ana = await staffUser(ctx.db, 'Ana Lister');
    ben = await staffUser(ctx.db, 'Ben Lister');
    const tick = () => {
      clock = new Date(clock.getTime() + 60_000);
    };
    const draft = async (
      key: string,
      by: number,
      site: typeof siteA,
      sectionId: number,
      headline: string,
      body = '<p>Text of the story.</p>',
    ) => {
      tick();
      const { story } = await editing.createDraft(
        { siteId: site.site.id, sectionId, fields: { headline, body_html: body } },
        { userId: by },
      );
      ids[key] = story.article.id;
      return story.article.id;
    };
    await draft('harbourDraft', ana, siteA, siteA.world.id, 'Harbour plan drafted');
    const markets = await draft(
      'markets',
      ben,
      siteA,
      siteA.business.id,
      'Markets rally on harbour news',
      '<p>Shipping companies led the gains.</p>',
    );
    tick();
    await publishing.publishNow(markets, { userId: ben });
    const later = await draft('scheduled', ana, siteA, siteA.world.id, 'Election night coverage');
    tick();
    await publishing.schedule(later, new Date('2026-05-01T18:00:00Z'), { userId: ana });
    const gone = await draft('gone', ben, siteA, siteA.world.id, 'Retracted report');
    tick();
    await publishing.publishNow(gone, { userId: ben });
    tick();
    await publishing.takeDown(gone, 'Retracted', { userId: ben });
    // A wire story: created by the wire (no staff author) and linked to its wire item.
    tick();
    const { article: wire } = await s.articles.create(
      {
        siteId: siteA.site.id,
        sectionId: siteA.world.id,
        headline: 'Agency: harbour strike ends',
        bodyHtml: '<p>Dockworkers returned.</p>',
      },
      'wire:example',
    );
    ids.wire = wire.id;
    const agency = await ctx.db.kysely
      .insertInto('wire_agencies')
      .values({ slug: `ag${wire.id}`, name: 'Example Wire', credit: '', updated_at: clock.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = await ctx.db.kysely
      .insertInto('wire_stories')
      .values({
        agency_id: agency.id,
        uri: `urn:test:${wire.id}`,
        state: 'active',
        headline: 'Agency: harbour strike ends',
        item: '{}',
        content_hash: 'h',
        corrected: 0,
        source: 'test',
        first_seen_at: clock.toISOString(),
        updated_at: clock.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.db.kysely
      .insertInto('wire_story_articles')
      .values({ story_id: item.id, site_id: siteA.site.id, article_id: wire.id, follow_updates: 1 })
      .execute();
    await draft('elsewhere', ana, siteB, siteB.world.id, 'Harbour news from the sister site');

    const directory = new SiteDirectory(ctx.db);
    await directory.load();
    await new SearchIndexer(ctx.db, s.articles, directory).syncAll();
  });

  const list = async (q: Partial<StoryListQuery>) =>
    (await listStories(ctx.db, { siteIds: [siteA.site.id], ...q })).items.map((i) => i.id);

  test('all stories of a site, newest change first, with status, section, author and origin', async () => {
    const page = await listStories(ctx.db, { siteIds: [siteA.site.id] });
    assert.deepEqual(
      page.items.map((i) => i.id),
      [ids.wire, ids.gone, ids.scheduled, ids.markets, ids.harbourDraft],
    );
    const byId = new Map(page.items.map((i) => [i.id, i]));
    assert.equal(byId.get(ids.markets!)?.status, 'published');
    assert.equal(byId.get(ids.markets!)?.sectionId, siteA.business.id);
    assert.equal(byId.get(ids.markets!)?.authorName, 'Ben Lister');
    assert.equal(byId.get(ids.markets!)?.origin, 'staff');
    assert.equal(byId.get(ids.wire!)?.origin, 'wire');
    assert.equal(byId.get(ids.wire!)?.authorId, null);
    assert.equal(byId.get(ids.scheduled!)?.publishAt?.toISOString(), '2026-05-01T18:00:00.000Z');
    assert.equal(byId.get(ids.harbourDraft!)?.slug, 'harbour-plan-drafted');
    assert.equal(page.next, null);
  });

  test('filters: status, section, author, origin and the time of the last change', async () => {
    assert.deepEqual(await list({ status: 'draft' }), [ids.harbourDraft]);
    assert.deepEqual(await list({ status: 'scheduled' }), [ids.scheduled]);
    assert.deepEqual(await list({ status: 'published' }), [ids.wire, ids.markets]);
    assert.deepEqual(await list({ status: 'taken_down' }), [ids.gone]);
    assert.deepEqual(await list({ sectionId: siteA.business.id }), [ids.markets]);
    assert.deepEqual(await list({ authorId: ana }), [ids.scheduled, ids.harbourDraft]);
    assert.deepEqual(await list({ origin: 'wire' }), [ids.wire]);
    assert.deepEqual(await list({ origin: 'staff', status: 'published' }), [ids.markets]);
    const markets = (await listStories(ctx.db, { siteIds: [siteA.site.id], status: 'published' })).items[1]!;
    assert.deepEqual(
      await list({ updatedFrom: markets.modifiedAt, updatedTo: new Date(markets.modifiedAt.getTime() + 1) }),
      [ids.markets],
    );
  });

  test('sites: one, several or the whole network; none gives nothing', async () => {
    assert.ok(!(await list({})).includes(ids.elsewhere!));
    const both = await list({ siteIds: [siteA.site.id, siteB.site.id] });
    assert.equal(both[0], ids.elsewhere);
    assert.equal(both.length, 6);
    assert.ok((await list({ siteIds: 'all' })).includes(ids.elsewhere!));
    assert.deepEqual(await list({ siteIds: [] }), []);
    // With a status or a query, each site is listed on its own and the pages merged, newest first.
    assert.deepEqual(await list({ siteIds: 'all', status: 'draft' }), [ids.elsewhere, ids.harbourDraft]);
    assert.deepEqual(await list({ siteIds: [siteA.site.id, siteB.site.id], q: 'harbour' }), [
      ids.elsewhere,
      ids.wire,
      ids.markets,
      ids.harbourDraft,
    ]);
    const paged = await listStories(ctx.db, { siteIds: 'all', status: 'draft', limit: 1 });
    assert.deepEqual(
      paged.items.map((i) => i.id),
      [ids.elsewhere],
    );
    const rest = await listStories(ctx.db, { siteIds: 'all', status: 'draft', limit: 1, after: paged.next! });
    assert.deepEqual(
      rest.items.map((i) => i.id),
      [ids.harbourDraft],
    );
  });

  test('full text: published stories through the search index, others by their titles', async () => {
    // "shipping" is only in the published story's body; "harbour" in titles of all kinds.
    assert.deepEqual(await list({ q: 'shipping' }), [ids.markets]);
    assert.deepEqual(await list({ q: 'harbour' }), [ids.wire, ids.markets, ids.harbourDraft]);
    assert.deepEqual(await list({ q: 'harbour -strike' }), [ids.markets, ids.harbourDraft]);
    assert.deepEqual(await list({ q: '"plan drafted"' }), [ids.harbourDraft]);
    assert.deepEqual(await list({ q: 'harbour', status: 'draft' }), [ids.harbourDraft]);
    assert.deepEqual(await list({ q: 'nothingmatcheszz' }), []);
    // However many matches a word has (few: read by id; many: the site's stories checked against the
    // list; most: each story checked against the index), the answers are the same.
    for (const limits of [{ fewMatches: 0 }, { fewMatches: 0, commonMatches: 1 }]) {
      const listAs = async (q: string, siteIds: number[] | 'all' = [siteA.site.id]) =>
        (await listStories(ctx.db, { siteIds, q }, limits)).items.map((i) => i.id);
      assert.deepEqual(await listAs('harbour'), [ids.wire, ids.markets, ids.harbourDraft]);
      assert.deepEqual(await listAs('harbour -strike'), [ids.markets, ids.harbourDraft]);
      assert.deepEqual(await listAs('shipping'), [ids.markets]);
      assert.deepEqual(await listAs('harbour', 'all'), [
        ids.elsewhere,
        ids.wire,
        ids.markets,
        ids.harbourDraft,
      ]);
    }
    const odd = await listStories(ctx.db, { siteIds: [siteA.site.id], q: '"*" -- ()' });
    assert.equal(odd.problem, 'no_terms');
    assert.deepEqual(odd.items, []);
  });

  test('pages follow each other without gaps or repeats; a broken cursor is a bad request', async () => {
    const seen: number[] = [];
    let after: string | undefined;
    for (let n = 0; n < 5; n++) {
      const page = await listStories(ctx.db, { siteIds: [siteA.site.id], limit: 2, after });
      seen.push(...page.items.map((i) => i.id));
      if (!page.next) break;
      after = page.next;
    }
    assert.deepEqual(seen, await list({}));
    await assert.rejects(listStories(ctx.db, { siteIds: 'all', after: 'not-a-cursor' }), (e) =>
      isDatelineError(e, 'BAD_REQUEST'),
    );
  });

  test('the author filter offers the staff who wrote on the sites', async () => {
    assert.deepEqual(await storyAuthors(ctx.db, [siteB.site.id]), [{ id: ana, name: 'Ana Lister' }]);
    assert.deepEqual(
      (await storyAuthors(ctx.db, [siteA.site.id])).map((a) => a.id),
      [ana, ben],
    );
    assert.deepEqual(await storyAuthors(ctx.db, []), []);
  });
});
