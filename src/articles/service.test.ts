import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { countLive, findRedirect, listLive } from './repository.ts';

describeEachDialect('ArticleService', (ctx) => {
  test('creates a published article with a slug from its headline and a first revision', async () => {
    const s = services(ctx.db);
    const { site, world } = await siteWithSections(s);
    const { article, placements } = await s.articles.create(
      {
        siteId: site.id,
        sectionId: world.id,
        headline: 'Leaders meet at summit in Dushanbe',
        bodyHtml: '<p>Text</p><script>alert(1)</script><p onclick="x()">More</p>',
        dateline: 'DUSHANBE',
        sourceCopyright: '© Example Wire 2025',
      },
      'tester',
    );
    assert.equal(article.status, 'published');
    assert.ok(article.publishedAt instanceof Date);
    assert.equal(placements[0]?.slug, 'leaders-meet-at-summit-in-dushanbe');
    assert.equal(placements[0]?.live, true);
    assert.equal(article.bodyHtml, '<p>Text</p><p>More</p>');
    const revs = await s.articles.revisions(article.id);
    assert.equal(revs.length, 1);
    assert.equal(revs[0]?.actor, 'tester');
    assert.equal(s.seen.filter((e) => e.type === 'article.published').length, 1);
  });

  test('second article with the same headline gets a numbered slug', async () => {
    const s = services(ctx.db);
    const { site, world } = await siteWithSections(s);
    const input = { siteId: site.id, sectionId: world.id, headline: 'Same', bodyHtml: '<p>x</p>' };
    await s.articles.create(input, 't');
    const second = await s.articles.create(input, 't');
    assert.equal(second.placements[0]?.slug, 'same-2');
  });

  test('an explicit slug that is taken is refused, and nothing is left behind', async () => {
    const s = services(ctx.db);
    const { site, world } = await siteWithSections(s);
    await s.articles.create(
      { siteId: site.id, sectionId: world.id, headline: 'A', slug: 'taken', bodyHtml: '<p>x</p>' },
      't',
    );
    const before = await countLive(ctx.db.kysely, site.id);
    await assert.rejects(
      s.articles.create(
        { siteId: site.id, sectionId: world.id, headline: 'B', slug: 'taken', bodyHtml: '<p>x</p>' },
        't',
      ),
      (e) => isDatelineError(e, 'SLUG_TAKEN'),
    );
    assert.equal(await countLive(ctx.db.kysely, site.id), before);
    const revs = await ctx.db.kysely
      .selectFrom('articles')
      .select('id')
      .where('headline', '=', 'B')
      .execute();
    assert.equal(revs.length, 0);
  });

  test('editing a published article records a revision, sets the updated time, keeps first-published time', async () => {
    let clock = new Date('2025-11-01T00:00:00Z');
    const s = services(ctx.db, () => clock);
    const { site, world } = await siteWithSections(s);
    const created = await s.articles.create(
      { siteId: site.id, sectionId: world.id, headline: 'A', bodyHtml: '<p>x</p>' },
      'ed1',
    );
    clock = new Date('2025-11-01T05:00:00Z');
    const { article } = await s.articles.update(
      created.article.id,
      { headline: 'B', bodyHtml: '<p>y</p>' },
      'ed2',
    );
    assert.equal(article.publishedAt?.toISOString(), '2025-11-01T00:00:00.000Z');
    assert.equal(article.contentUpdatedAt?.toISOString(), '2025-11-01T05:00:00.000Z');
    const revs = await s.articles.revisions(article.id);
    assert.deepEqual(
      revs.map((r) => r.actor),
      ['ed1', 'ed2'],
    );
    assert.deepEqual(revs[1]?.changedFields, ['headline', 'bodyHtml']);
    assert.equal(s.seen.at(-1)?.type, 'article.updated');
  });

  test('a slug change leaves a redirect from the old path', async () => {
    const s = services(ctx.db);
    const { site, world, business } = await siteWithSections(s);
    const { article, placements } = await s.articles.create(
      { siteId: site.id, sectionId: world.id, headline: 'Old name', bodyHtml: '<p>x</p>' },
      't',
    );
    await s.articles.update(article.id, { slug: 'new-name' }, 't');
    assert.equal(await findRedirect(ctx.db.kysely, site.id, '/world/old-name'), placements[0]?.id);
    await s.articles.update(article.id, { sectionId: business.id }, 't');
    assert.equal(await findRedirect(ctx.db.kysely, site.id, '/world/new-name'), placements[0]?.id);
  });

  test('future publish_at schedules; publishDue publishes once the time comes', async () => {
    let clock = new Date('2025-11-01T00:00:00Z');
    const s = services(ctx.db, () => clock);
    const { site, world } = await siteWithSections(s);
    const { article } = await s.articles.create(
      {
        siteId: site.id,
        sectionId: world.id,
        headline: 'Later',
        bodyHtml: '<p>x</p>',
        publishAt: new Date('2025-11-02T00:00:00Z'),
      },
      't',
    );
    assert.equal(article.status, 'scheduled');
    assert.equal(await countLive(ctx.db.kysely, site.id), 0);
    assert.deepEqual(await s.articles.publishDue(), []);
    clock = new Date('2025-11-02T00:00:01Z');
    assert.deepEqual(await s.articles.publishDue(), [article.id]);
    assert.deepEqual(await s.articles.publishDue(), []);
    const after = await s.articles.require(article.id);
    assert.equal(after.article.status, 'published');
    assert.equal(after.article.publishedAt?.toISOString(), '2025-11-02T00:00:00.000Z');
    assert.equal(await countLive(ctx.db.kysely, site.id), 1);
  });

  test('take down removes it from lists, audits it, and blocks edits', async () => {
    const s = services(ctx.db);
    const { site, world } = await siteWithSections(s);
    const { article } = await s.articles.create(
      { siteId: site.id, sectionId: world.id, headline: 'Gone', bodyHtml: '<p>x</p>' },
      't',
    );
    await s.articles.takeDown(article.id, 'legal', 'editor');
    assert.equal((await listLive(ctx.db.kysely, { siteId: site.id, limit: 10 })).length, 0);
    const audit = await ctx.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', String(article.id))
      .execute();
    assert.equal(audit.length, 1);
    await assert.rejects(s.articles.update(article.id, { headline: 'back' }, 't'), (e) =>
      isDatelineError(e, 'ARTICLE_GONE'),
    );
  });

  test('republishing on a sister site adds a non-canonical placement in its lists', async () => {
    const s = services(ctx.db);
    const a = await siteWithSections(s);
    const b = await siteWithSections(s);
    const { article } = await s.articles.create(
      { siteId: a.site.id, sectionId: a.world.id, headline: 'Shared', bodyHtml: '<p>x</p>' },
      't',
    );
    const { placements } = await s.articles.republish(article.id, b.site.id, b.business.id, 't');
    assert.equal(placements.length, 2);
    assert.equal(placements.find((p) => p.siteId === b.site.id)?.canonical, false);
    const list = await listLive(ctx.db.kysely, { siteId: b.site.id, limit: 10 });
    assert.equal(list[0]?.articleId, article.id);
  });

  test('bad input is refused with a code naming the field', async () => {
    const s = services(ctx.db);
    const { site, world, business } = await siteWithSections(s);
    await assert.rejects(
      s.articles.create({ siteId: site.id, sectionId: world.id, headline: '  ', bodyHtml: '<p>x</p>' }, 't'),
      (e) => isDatelineError(e, 'ARTICLE_INVALID') && e.where?.field === 'headline',
    );
    const other = await siteWithSections(s);
    await assert.rejects(
      s.articles.create(
        { siteId: site.id, sectionId: other.world.id, headline: 'x', bodyHtml: '<p>x</p>' },
        't',
      ),
      (e) => isDatelineError(e, 'SECTION_NOT_FOUND'),
    );
    void business;
  });

  test('a unit of work publishes events only after the whole transaction commits', async () => {
    const s = services(ctx.db);
    const { site, world } = await siteWithSections(s);
    const before = s.seen.length;
    await assert.rejects(
      s.articles.inTransaction(async (unit) => {
        await s.articles.create(
          { siteId: site.id, sectionId: world.id, headline: 'One', bodyHtml: '<p>x</p>' },
          't',
          unit,
        );
        await s.articles.create(
          { siteId: site.id, sectionId: world.id, headline: '', bodyHtml: '<p>x</p>' },
          't',
          unit,
        );
      }),
    );
    assert.equal(s.seen.length, before);
    assert.equal(await countLive(ctx.db.kysely, site.id), 0);
  });
});
