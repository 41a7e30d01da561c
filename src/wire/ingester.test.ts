import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { listRevisions } from '../articles/repository.ts';
import { CORRECTION_NOTE, orderByVersion } from './ingester.ts';
import {
  agencySetup,
  Clock,
  ingestJson,
  liveCount,
  liveHeadlines,
  ninjs,
  sharedFixture,
  wireHarness,
} from './testing.ts';

const STORY = 'urn:newsml:wire.example.net:20251009:EXW7Q1A';

describeEachDialect('Wire ingest: the shared fixtures', (ctx) => {
  test('a run over the whole fixture folder does what its README says for every file', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const summary = await h.wire.ingestPaths(agency, [sharedFixture()]);
    const by = (uri: string) => summary.outcomes.filter((o) => o.item === uri).map((o) => o.kind);

    // v1, v2 and the kill of the same story are applied in version order: created, updated, killed.
    assert.deepEqual(by(STORY), ['created', 'updated', 'killed']);
    assert.deepEqual(by('urn:newsml:wire.example.net:20251009:EXW9D4E'), ['created']);
    assert.deepEqual(by('urn:newsml:otherwire.example.org:2025:OW-5521'), ['created']);
    assert.deepEqual(by('urn:newsml:wire.example.net:20251010:EXW8B2C'), ['created']);
    assert.deepEqual(by('rw-asia-10021'), ['created']);
    assert.deepEqual(by('rw-asia-10022'), ['created']);
    // Every hostile file is rejected with its file named, and the run went on past it.
    const rejected = summary.outcomes.filter((o) => o.kind === 'rejected');
    for (const name of [
      'entity-expansion.xml',
      'missing-uri.json',
      'script-injection.json',
      'truncated.json',
      'wrong-types.json',
      'xxe.xml',
    ]) {
      const r = rejected.find((o) => o.file.endsWith(`bad/${name}`));
      assert.ok(r, `${name} is rejected`);
      assert.ok(r.reason.includes(name), `the reason for ${name} names the file`);
      assert.match(r.code ?? '', /^DATELINE_ERR_WIRE_/);
    }
    assert.equal(rejected.find((o) => o.file.endsWith('missing-uri.json'))?.field, 'uri');
    assert.match(rejected.find((o) => o.file.endsWith('wrong-types.json'))?.field ?? '', /headlines/);
    assert.equal(rejected.find((o) => o.file.endsWith('xxe.xml'))?.code, 'DATELINE_ERR_WIRE_XML_ENTITIES');
    const xss = rejected.find((o) => o.file.endsWith('script-injection.json'))!;
    assert.equal(xss.code, 'DATELINE_ERR_WIRE_UNSAFE_MARKUP');
    assert.equal(xss.item, 'urn:newsml:wire.example.net:20251011:EXWXSS1');
    assert.match(xss.field ?? '', /headlines\[0\]\.value/);
    assert.deepEqual(summary.counts, {
      created: 6,
      updated: 1,
      unchanged: 0,
      killed: 1,
      held: 0,
      rejected: 6,
    });

    // What readers see: the four live stories, not the killed one, not the embargoed one, nothing hostile.
    const live = await liveHeadlines(h, site.id);
    assert.equal(live.length, 4);
    assert.ok(!live.some((t) => /Dushanbe|embargoed|Markets steady/.test(t)));

    const killed = await h.wire.story(agency.id, STORY);
    assert.equal(killed?.state, 'killed');
    const [link] = await h.wire.storyArticles(killed!.id);
    const article = (await h.articles.get(link!.articleId))!.article;
    assert.equal(article.status, 'taken_down');
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'in', ['wire.killed', 'article.taken_down'])
      .execute();
    assert.ok(audit.some((a) => a.action === 'wire.killed' && a.subject_id === String(killed!.id)));
    assert.ok(audit.some((a) => a.action === 'article.taken_down' && a.subject_id === String(article.id)));

    // NewsML correction: marked corrected, with a visible note; the ednote is kept for editors only.
    const corrected = (await h.wire.story(agency.id, 'urn:newsml:wire.example.net:20251009:EXW9D4E'))!;
    assert.equal(corrected.corrected, true);
    assert.equal(corrected.edNote, "Corrects spelling of minister's name in paragraph 2.");
    const cArticle = (await h.articles.get((await h.wire.storyArticles(corrected.id))[0]!.articleId))!
      .article;
    assert.ok(cArticle.bodyHtml.endsWith(CORRECTION_NOTE));
    assert.ok(
      !cArticle.bodyHtml.includes('minister&#39;s name') && !cArticle.bodyHtml.includes('Corrects spelling'),
    );
    assert.equal(cArticle.dateline, 'ALMATY');

    // ninjs 1.x ingests like 2.x: dateline and picture with its caption and credit exactly as given.
    const ow = (await h.wire.story(agency.id, 'urn:newsml:otherwire.example.org:2025:OW-5521'))!;
    const owArticle = (await h.articles.get((await h.wire.storyArticles(ow.id))[0]!.articleId))!.article;
    assert.equal(owArticle.dateline, 'NAHA, Japan');
    assert.equal(owArticle.sourceCopyright, '© Otherwire 2025');
    const owPicture = await h.media.get(owArticle.leadMediaId!);
    assert.equal(
      owPicture.caption,
      'Waves hit the sea wall in Naha, Okinawa prefecture, Japan, October 8, 2025. Otherwire/Photographer',
    );
    assert.equal(owPicture.credit, 'Photographer');

    // RSS: both items, the first with its Media RSS picture and credit.
    const rss = (await h.wire.story(agency.id, 'rw-asia-10021'))!;
    const rssArticle = (await h.articles.get((await h.wire.storyArticles(rss.id))[0]!.articleId))!.article;
    assert.equal((await h.media.get(rssArticle.leadMediaId!)).credit, 'Regional Wire/Photographer');

    // The embargoed story is scheduled, on no public surface.
    const emb = (await h.wire.story(agency.id, 'urn:newsml:wire.example.net:20251010:EXW8B2C'))!;
    const embArticle = (await h.articles.get((await h.wire.storyArticles(emb.id))[0]!.articleId))!.article;
    assert.equal(embArticle.status, 'scheduled');
    assert.equal(embArticle.publishAt?.toISOString(), '2030-01-15T00:00:00.000Z');

    // Ingesting the same folder again changes nothing.
    const again = await h.wire.ingestPaths(agency, [sharedFixture()]);
    assert.equal(again.counts.created + again.counts.updated + again.counts.killed, 0);
    assert.equal(again.counts.unchanged, 8);
    assert.equal(await liveCount(h, site.id), 4);
  });
});

describeEachDialect('Wire ingest: identity and versions', (ctx) => {
  test('v1 creates the story with dateline, picture caption and credit exactly as supplied, and the copyright line', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const s = await h.wire.ingestPaths(agency, [sharedFixture('ninjs2-story-v1.json')]);
    assert.equal(s.counts.created, 1);
    assert.deepEqual(s.outcomes[0]?.placements?.[0]?.site, site.slug);
    const story = (await h.wire.story(agency.id, STORY))!;
    assert.equal(story.version, '1');
    assert.equal(story.usageTerms, 'For editorial use by subscribers only.');
    const { article, placements } = (await h.articles.get(
      (
        await h.wire.storyArticles(story.id)
      )[0]!.articleId,
    ))!;
    assert.equal(article.status, 'published');
    assert.equal(article.dateline, 'DUSHANBE');
    assert.equal(article.sourceCopyright, '© Example Wire 2025');
    assert.equal(article.byline, 'Example Wire staff');
    assert.equal(placements[0]?.slug, 'regional-leaders-pledge-new-freight-corridors-at-dushanbe-summit');
    const picture = await h.media.get(article.leadMediaId!);
    assert.equal(
      picture.caption,
      'Leaders pose for a family photo during the summit at a government residence in Dushanbe, Tajikistan October 9, 2025. Agency/Pool Photographer/Pool via EXAMPLE WIRE ATTENTION EDITORS - THIS IMAGE WAS PROVIDED BY A THIRD PARTY.',
    );
    assert.equal(picture.credit, 'Example Wire/Pool Photographer');
    assert.ok(!JSON.stringify(article).includes('For editorial use'), 'usage terms never reach the article');
  });

  test('a newer version updates in place: same URL, first-published kept, updated time set, revision recorded', async () => {
    const clock = new Clock();
    const h = await wireHarness(ctx.db, { clock });
    const { agency } = await agencySetup(h);
    await h.wire.ingestPaths(agency, [sharedFixture('ninjs2-story-v1.json')]);
    const story = (await h.wire.story(agency.id, STORY))!;
    const articleId = (await h.wire.storyArticles(story.id))[0]!.articleId;
    const before = (await h.articles.get(articleId))!;
    clock.advance(3 * 3600_000);
    const s = await h.wire.ingestPaths(agency, [sharedFixture('ninjs2-story-v2.json')]);
    assert.equal(s.counts.updated, 1);
    const after = (await h.articles.get(articleId))!;
    assert.equal(after.placements[0]?.slug, before.placements[0]?.slug);
    assert.equal(after.article.publishedAt?.toISOString(), before.article.publishedAt?.toISOString());
    assert.equal(after.article.contentUpdatedAt?.toISOString(), clock.at.toISOString());
    assert.match(after.article.headline, /^UPDATE 1-/);
    assert.ok(after.article.bodyHtml.includes('payment and settlement'));
    assert.ok(!after.article.bodyHtml.includes('Not for publication'), 'the ednote is never printed');
    assert.equal(
      after.article.leadMediaId,
      before.article.leadMediaId,
      'the same picture version is not fetched again',
    );
    const revs = await listRevisions(ctx.db.kysely, articleId);
    assert.equal(revs.length, 2);
    assert.ok(revs[1]!.changedFields.includes('headline'));
    assert.equal(
      (await h.wire.story(agency.id, STORY))!.edNote,
      'Adds payment systems in paragraph 2. Not for publication.',
    );
  });

  test('an older or the same version changes nothing; the same file ten times gives one story', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    for (let i = 0; i < 10; i++) await h.wire.ingestPaths(agency, [sharedFixture('ninjs2-story-v2.json')]);
    const s = await h.wire.ingestPaths(agency, [sharedFixture('ninjs2-story-v1.json')]);
    assert.equal(s.counts.unchanged, 1);
    assert.match(s.outcomes[0]!.reason, /older/);
    assert.equal(await liveCount(h, site.id), 1);
    const story = (await h.wire.story(agency.id, STORY))!;
    assert.equal(story.version, '2');
    const count = await ctx.db.kysely
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('site_id', '=', site.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  test('a feed item edited in place without any version is updated; unchanged content is not', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const item = { ...ninjs('rss-1'), version: undefined, versioncreated: '2025-10-09T03:00:00Z' };
    await ingestJson(h, agency, item);
    assert.equal((await ingestJson(h, agency, item)).counts.unchanged, 1);
    const edited = { ...item, headlines: [{ role: 'main', value: 'Fixed headline' }] };
    assert.equal((await ingestJson(h, agency, edited)).counts.updated, 1);
    assert.deepEqual(await liveHeadlines(h, site.id), ['Fixed headline']);
  });

  test('within one delivery, versions of a story are applied oldest first', () => {
    const mk = (uri: string, version: string) => ({
      item: { uri, version, versionCreated: null } as never,
      tag: `${uri}@${version}`,
    });
    const out = orderByVersion([mk('a', '3'), mk('b', '1'), mk('a', '1'), mk('a', '2')]);
    assert.deepEqual(
      out.map((e) => e.tag),
      ['a@1', 'b@1', 'a@2', 'a@3'],
    );
  });
});

describeEachDialect('Wire ingest: kills', (ctx) => {
  test('a kill takes the story down on every site it appeared on and is audit-logged', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    // A second licensed site with its own rule: the story appears on both.
    const other = await h.sites.create({ slug: `other${Date.now()}`, name: 'Other', timeZone: 'UTC' });
    const sec = await h.sections.create(other.id, { slug: 'world', name: 'World' });
    await h.wire.setup.editAgency(agency.slug, { sites: [site.slug, other.slug] });
    await h.wire.setup.addRoute({ agency: agency.slug, site: other.slug, section: 'world' });
    const fresh = (await h.wire.setup.getAgency(agency.slug))!;
    const created = await h.wire.ingestPaths(fresh, [sharedFixture('ninjs2-story-v1.json')]);
    assert.equal(created.outcomes[0]?.placements?.length, 2);
    assert.equal(await liveCount(h, other.id), 1);
    // The other site's route put the story in that site's World section.
    const onOther = await ctx.db.kysely
      .selectFrom('placements')
      .select('section_id')
      .where('site_id', '=', other.id)
      .where('live', '=', 1)
      .execute();
    assert.deepEqual(
      onOther.map((p) => p.section_id),
      [sec.id],
    );
    h.seen.length = 0;
    const s = await h.wire.ingestPaths(fresh, [sharedFixture('ninjs2-story-kill.json')]);
    assert.equal(s.counts.killed, 1);
    assert.equal(await liveCount(h, site.id), 0);
    assert.equal(await liveCount(h, other.id), 0);
    // The events that drop cached pages, lists, feeds and search entries went out for both articles.
    assert.equal(h.seen.filter((e) => e.type === 'article.taken_down').length, 2);
    // The suite's database holds other tests' kills: read the row for this story.
    const storyId = s.outcomes[0]!.storyId!;
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'wire.killed')
      .where('subject_id', '=', String(storyId))
      .execute();
    assert.equal(audit.length, 1);
    const detail = JSON.parse(audit[0]!.detail) as {
      ednote: string;
      articles: number[];
      before_story: boolean;
    };
    assert.equal(detail.articles.length, 2);
    assert.equal(detail.before_story, false);
    assert.match(detail.ednote, /withdrawn/);
  });

  test('a kill that arrives before its story still holds: older versions arriving later never publish', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const k = await h.wire.ingestPaths(agency, [sharedFixture('ninjs2-story-kill.json')]);
    assert.equal(k.counts.killed, 1);
    assert.match(k.outcomes[0]!.reason, /remembered/);
    const later = await h.wire.ingestPaths(agency, [sharedFixture('ninjs2-story-v1.json')]);
    const later2 = await h.wire.ingestPaths(agency, [sharedFixture('ninjs2-story-v2.json')]);
    assert.equal(later.counts.unchanged, 1);
    assert.equal(later.outcomes[0]!.code, 'DATELINE_ERR_WIRE_STORY_KILLED');
    assert.equal(later2.counts.unchanged, 1);
    assert.equal(await liveCount(h, site.id), 0);
    const articles = await ctx.db.kysely
      .selectFrom('articles')
      .select('id')
      .where('site_id', '=', site.id)
      .execute();
    assert.equal(articles.length, 0);
    // The early kill is in the audit log under the tombstone it left, marked as arriving before the story.
    const tombstone = k.outcomes[0]!.storyId!;
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .select(['subject_id', 'detail'])
      .where('action', '=', 'wire.killed')
      .where('subject_id', '=', String(tombstone))
      .execute();
    assert.equal(audit.length, 1);
    const detail = JSON.parse(audit[0]!.detail) as { uri: string; before_story: boolean; articles: number[] };
    assert.deepEqual(
      { uri: detail.uri, before_story: detail.before_story, articles: detail.articles },
      { uri: STORY, before_story: true, articles: [] },
    );
  });

  test('a withheld story is treated as a kill', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    await ingestJson(h, agency, ninjs('urn:x:w1'));
    const s = await ingestJson(h, agency, ninjs('urn:x:w1', { version: '2', pubstatus: 'withheld' }));
    assert.equal(s.counts.killed, 1);
    assert.equal(await liveCount(h, site.id), 0);
  });
});

describeEachDialect('Wire ingest: embargo and expiry', (ctx) => {
  test('a future embargo is on no public surface until it passes, then publishes with no one acting', async () => {
    const clock = new Clock(new Date('2025-11-01T00:00:00Z'));
    const h = await wireHarness(ctx.db, { clock });
    const { site, agency } = await agencySetup(h);
    const s = await ingestJson(h, agency, ninjs('urn:x:e1', { embargoed: '2025-11-01T06:00:00Z' }));
    assert.equal(s.counts.created, 1);
    assert.equal(s.outcomes[0]!.placements![0]!.scheduledFor, '2025-11-01T06:00:00Z');
    assert.equal(await liveCount(h, site.id), 0);
    clock.advance(5 * 3600_000);
    await h.articles.publishDue();
    assert.equal(await liveCount(h, site.id), 0);
    clock.advance(3600_000);
    await h.articles.publishDue();
    assert.deepEqual(await liveHeadlines(h, site.id), ['Story e1']);
  });

  test('a moved embargo moves the schedule; a lifted one publishes now', async () => {
    const clock = new Clock(new Date('2025-11-01T00:00:00Z'));
    const h = await wireHarness(ctx.db, { clock });
    const { site, agency } = await agencySetup(h);
    await ingestJson(h, agency, ninjs('urn:x:e2', { embargoed: '2025-11-02T00:00:00Z' }));
    await ingestJson(h, agency, ninjs('urn:x:e2', { version: '2', embargoed: '2025-11-03T00:00:00Z' }));
    const story = (await h.wire.story(agency.id, 'urn:x:e2'))!;
    const id = (await h.wire.storyArticles(story.id))[0]!.articleId;
    assert.equal((await h.articles.get(id))!.article.publishAt?.toISOString(), '2025-11-03T00:00:00.000Z');
    await ingestJson(h, agency, ninjs('urn:x:e2', { version: '3' }));
    assert.equal((await h.articles.get(id))!.article.status, 'published');
    assert.equal(await liveCount(h, site.id), 1);
  });

  test('an unreadable embargo holds the story for an editor, saying why', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const s = await ingestJson(h, agency, ninjs('urn:x:e3', { embargoed: 'after the minister speaks' }));
    assert.equal(s.counts.held, 1);
    assert.equal(s.outcomes[0]!.code, 'DATELINE_ERR_WIRE_EMBARGO_UNREADABLE');
    assert.equal(s.outcomes[0]!.field, 'embargoed');
    assert.equal(await liveCount(h, site.id), 0);
    const [entry] = await h.wire.queue.list({ agencyId: agency.id });
    assert.equal(entry?.story.uri, 'urn:x:e3');
    assert.match(entry!.reason, /after the minister speaks/);
  });

  test('a new version with an unreadable embargo is not applied to the published story; it waits for an editor', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    await ingestJson(h, agency, ninjs('urn:x:e4'));
    const s = await ingestJson(
      h,
      agency,
      ninjs('urn:x:e4', {
        version: '2',
        embargoed: 'tbc',
        headlines: [{ role: 'main', value: 'Embargoed news' }],
      }),
    );
    assert.equal(s.counts.held, 1);
    assert.deepEqual(await liveHeadlines(h, site.id), ['Story e4']);
    const [entry] = await h.wire.queue.list({ agencyId: agency.id });
    assert.equal(entry?.story.headline, 'Embargoed news');
    await h.wire.queue.publish(entry!.id, {}, 'editor');
    assert.deepEqual(await liveHeadlines(h, site.id), ['Embargoed news']);
  });

  test('expires takes the story down when it falls due, and so does the agency retention period', async () => {
    const clock = new Clock(new Date('2025-11-01T00:00:00Z'));
    const h = await wireHarness(ctx.db, { clock });
    const { site, agency } = await agencySetup(h, { retentionDays: 2 });
    await ingestJson(h, agency, ninjs('urn:x:x1', { expires: '2025-11-01T12:00:00Z' }), ninjs('urn:x:x2'));
    assert.equal(await liveCount(h, site.id), 2);
    assert.equal(await h.wire.expireDue(), 0);
    clock.advance(13 * 3600_000);
    assert.equal(await h.wire.expireDue(), 1);
    assert.deepEqual(await liveHeadlines(h, site.id), ['Story x2']);
    clock.advance(2 * 86_400_000);
    assert.equal(await h.wire.expireDue(), 1);
    assert.equal(await liveCount(h, site.id), 0);
    // A later version of an expired story does not bring it back.
    const s = await ingestJson(h, agency, ninjs('urn:x:x2', { version: '2' }));
    assert.equal(s.counts.unchanged, 1);
    assert.equal(await liveCount(h, site.id), 0);
    // An item that expired before it arrived is not published.
    const late = await ingestJson(h, agency, ninjs('urn:x:x3', { expires: '2025-10-01T00:00:00Z' }));
    assert.equal(late.counts.rejected, 1);
    assert.equal(late.outcomes[0]!.code, 'DATELINE_ERR_WIRE_EXPIRED');
  });
});
