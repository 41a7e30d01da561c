// The front page arrangement on both databases: saved and read back in order, stories that are taken down,
// unpublished or not on the site are skipped when read and refused when saved, each change is one
// transaction with its audit entry and one front_page.changed event (none when nothing changed), the event
// drops the site's home page tag, and the demo arrangement.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { tag, tagsFor } from '../web/cache/invalidation.ts';
import { arrangeDemoFrontPage } from './demo.ts';
import { FrontPageReader } from './reader.ts';
import { FrontPageService, MAX_TOP_STORIES, versionOf } from './service.ts';

const actor = { label: 'user:7', userId: null };

const refusedWith = (code: string) => (e: unknown) => {
  assert.ok(isDatelineError(e), String(e));
  assert.equal(e.code, code);
  return true;
};

describeEachDialect('the front page arrangement', (ctx) => {
  let s: ReturnType<typeof services>;
  let site: Awaited<ReturnType<typeof siteWithSections>>;
  let other: Awaited<ReturnType<typeof siteWithSections>>;
  let reader: FrontPageReader;
  let service: FrontPageService;
  const ids: number[] = [];

  before(async () => {
    s = services(ctx.db);
    site = await siteWithSections(s);
    other = await siteWithSections(s);
    for (let i = 0; i < 14; i++) {
      const a = await s.articles.create(
        {
          siteId: site.site.id,
          sectionId: i % 2 ? site.world.id : site.business.id,
          headline: `Story ${i}`,
          bodyHtml: '<p>Text.</p>',
        },
        'test',
      );
      ids.push(a.article.id);
    }
    reader = new FrontPageReader(ctx.db);
    service = new FrontPageService(s.events);
  });

  const auditOf = async (action: string) =>
    (
      await ctx.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', action)
        .where('subject_id', '=', String(site.site.id))
        .orderBy('id')
        .execute()
    ).map((r) => ({ actor: r.actor, detail: JSON.parse(r.detail) }));
  const changes = () => s.seen.filter((e) => e.type === 'front_page.changed');

  test('a site without an arrangement reads as none', async () => {
    assert.equal(await reader.arrangement(site.site.id), null);
    const saved = await service.saved(site.site.id);
    assert.deepEqual(saved.arrangement, { leadArticleId: null, topArticleIds: [] });
    assert.equal(saved.savedAt, null);
  });

  test('an arrangement is saved and read back in its order, audited, with one event', async () => {
    const before = changes().length;
    await service.save(
      site.site.id,
      { leadArticleId: ids[3]!, topArticleIds: [ids[0]!, ids[5]!, ids[1]!] },
      actor,
    );
    assert.deepEqual(await reader.arrangement(site.site.id), {
      leadArticleId: ids[3],
      topArticleIds: [ids[0], ids[5], ids[1]],
    });
    assert.equal(await reader.arrangement(other.site.id), null, 'another site is not arranged');
    assert.deepEqual(changes().slice(before), [{ type: 'front_page.changed', siteId: site.site.id }]);
    const [entry] = (await auditOf('front_page.saved')).slice(-1);
    assert.equal(entry?.actor, 'user:7');
    assert.deepEqual(entry?.detail.before, { lead: null, top: [] });
    assert.deepEqual(entry?.detail.after, { lead: ids[3], top: [ids[0], ids[5], ids[1]] });
    const logged = await ctx.db.kysely
      .selectFrom('event_log')
      .select('event')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(logged.event), { type: 'front_page.changed', siteId: site.site.id });
  });

  test('saving the same arrangement again writes nothing', async () => {
    const before = changes().length;
    const audits = (await auditOf('front_page.saved')).length;
    await service.save(
      site.site.id,
      { leadArticleId: ids[3]!, topArticleIds: [ids[0]!, ids[5]!, ids[1]!] },
      actor,
    );
    assert.equal(changes().length, before);
    assert.equal((await auditOf('front_page.saved')).length, audits);
  });

  test('reordering replaces the order; a front page may have top stories and no lead', async () => {
    await service.save(site.site.id, { leadArticleId: null, topArticleIds: [ids[1]!, ids[0]!] }, actor);
    assert.deepEqual(await reader.arrangement(site.site.id), {
      leadArticleId: null,
      topArticleIds: [ids[1], ids[0]],
    });
  });

  test('refused arrangements change nothing: too many, a story twice, a story not on the site', async () => {
    const was = await reader.arrangement(site.site.id);
    const before = changes().length;
    await assert.rejects(
      service.save(
        site.site.id,
        { leadArticleId: null, topArticleIds: ids.slice(0, MAX_TOP_STORIES + 1) },
        actor,
      ),
      refusedWith('DATELINE_ERR_BAD_REQUEST'),
    );
    await assert.rejects(
      service.save(site.site.id, { leadArticleId: ids[2]!, topArticleIds: [ids[4]!, ids[2]!] }, actor),
      refusedWith('DATELINE_ERR_BAD_REQUEST'),
    );
    const elsewhere = await s.articles.create(
      { siteId: other.site.id, sectionId: other.world.id, headline: 'Elsewhere', bodyHtml: '<p>x</p>' },
      'test',
    );
    await assert.rejects(
      service.save(site.site.id, { leadArticleId: elsewhere.article.id, topArticleIds: [] }, actor),
      refusedWith('DATELINE_ERR_ARTICLE_NOT_FOUND'),
    );
    const draft = await s.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.world.id,
        headline: 'Not yet',
        bodyHtml: '<p>x</p>',
        status: 'draft',
      },
      'test',
    );
    await assert.rejects(
      service.save(site.site.id, { leadArticleId: null, topArticleIds: [ids[0]!, draft.article.id] }, actor),
      refusedWith('DATELINE_ERR_ARTICLE_NOT_FOUND'),
    );
    assert.deepEqual(await reader.arrangement(site.site.id), was);
    assert.equal(changes().length, before);
  });

  test('a save expecting an older version is refused with EDIT_CONFLICT', async () => {
    const saved = await service.saved(site.site.id);
    const version = versionOf(saved.savedAt);
    await assert.rejects(
      service.save(site.site.id, { leadArticleId: ids[9]!, topArticleIds: [] }, actor, {
        expectVersion: String(Number(version) - 1),
      }),
      refusedWith('DATELINE_ERR_EDIT_CONFLICT'),
    );
    assert.deepEqual((await service.saved(site.site.id)).arrangement, saved.arrangement);
    await service.save(site.site.id, saved.arrangement, actor, { expectVersion: version });
  });

  test('a story republished from a sister site can be placed on this site', async () => {
    const sister = await s.articles.create(
      { siteId: other.site.id, sectionId: other.world.id, headline: 'Shared', bodyHtml: '<p>x</p>' },
      'test',
    );
    await s.articles.republish(sister.article.id, site.site.id, site.world.id, 'test');
    await service.save(site.site.id, { leadArticleId: sister.article.id, topArticleIds: [ids[0]!] }, actor);
    assert.equal((await reader.arrangement(site.site.id))?.leadArticleId, sister.article.id);
    assert.equal(await reader.arrangement(other.site.id), null);
  });

  test('taken-down and unpublished stories drop out when read, and are named to the admin', async () => {
    await service.save(
      site.site.id,
      { leadArticleId: ids[6]!, topArticleIds: [ids[7]!, ids[8]!, ids[9]!] },
      actor,
    );
    await s.articles.takeDown(ids[8]!, 'legal', 'test');
    assert.deepEqual(await reader.arrangement(site.site.id), {
      leadArticleId: ids[6],
      topArticleIds: [ids[7], ids[9]],
    });
    await s.articles.update(ids[6]!, { status: 'draft' }, 'test');
    assert.deepEqual(await reader.arrangement(site.site.id), {
      leadArticleId: null,
      topArticleIds: [ids[7], ids[9]],
    });
    const saved = await service.saved(site.site.id);
    assert.deepEqual(saved.arrangement, { leadArticleId: null, topArticleIds: [ids[7], ids[9]] });
    assert.deepEqual(
      saved.dropped.map((c) => [c.articleId, c.live]),
      [
        [ids[6], false],
        [ids[8], false],
      ],
    );
    // Back to published: it is on the front page again where the editor put it.
    await s.articles.update(ids[6]!, { status: 'published' }, 'test');
    assert.equal((await reader.arrangement(site.site.id))?.leadArticleId, ids[6]);
    await s.articles.update(ids[7]!, { status: 'draft' }, 'test');
    await s.articles.update(ids[9]!, { status: 'draft' }, 'test');
    await s.articles.update(ids[6]!, { status: 'draft' }, 'test');
    assert.equal(await reader.arrangement(site.site.id), null, 'nothing live left: as if none were set');
  });

  test('clearing goes back to newest first, audited as cleared', async () => {
    await service.save(site.site.id, { leadArticleId: ids[10]!, topArticleIds: [] }, actor);
    await service.clear(site.site.id, actor);
    assert.equal(await reader.arrangement(site.site.id), null);
    const [entry] = (await auditOf('front_page.cleared')).slice(-1);
    assert.deepEqual(entry?.detail.after, { lead: null, top: [] });
  });

  test('front_page.changed drops the site’s home page', () => {
    assert.deepEqual(tagsFor({ type: 'front_page.changed', siteId: 42 }), [tag.home(42)]);
  });

  test('the demo arrangement: a lead with a picture when there is one, top stories from different sections', async () => {
    await arrangeDemoFrontPage({ events: s.events }, site.site.id);
    const a = await reader.arrangement(site.site.id);
    assert.ok(a?.leadArticleId);
    assert.equal(a.topArticleIds.length, 4);
    assert.ok(!a.topArticleIds.includes(a.leadArticleId));
    const cards = await service.cards(site.site.id, [a.leadArticleId, ...a.topArticleIds]);
    const [lead, first] = [a.leadArticleId, a.topArticleIds[0]!].map((id) => cards.get(id)?.sectionName);
    assert.notEqual(first, lead, 'the first top story is from another section than the lead');
  });
});
