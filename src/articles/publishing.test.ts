import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { StoryEditing } from './editing.ts';
import { StoryPublishing } from './publishing.ts';
import { countLive, listLive } from './repository.ts';
import { auditOf, staffUser } from './story-testing.ts';

describeEachDialect('StoryPublishing', (ctx) => {
  async function setup() {
    let clock = new Date('2026-03-01T08:00:00Z');
    const now = () => clock;
    const s = services(ctx.db, now);
    const { site, world } = await siteWithSections(s);
    const sister = await siteWithSections(s);
    const editing = new StoryEditing(ctx.db, s.articles, now);
    const publishing = new StoryPublishing(ctx.db, s.articles, now);
    const ana = await staffUser(ctx.db, 'Ana Publisher');
    const { story } = await editing.createDraft(
      {
        siteId: site.id,
        sectionId: world.id,
        fields: { headline: 'Port reopens', body_html: '<p>Ships are back.</p>' },
      },
      { userId: ana },
    );
    const advance = (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    };
    return { s, site, world, sister, editing, publishing, ana, id: story.article.id, advance, now };
  }

  test('publish now puts it on the site, as a revision with an audit entry and an event', async () => {
    const { s, site, publishing, ana, id, editing } = await setup();
    const story = await publishing.publishNow(id, { userId: ana });
    assert.equal(story.article.status, 'published');
    assert.equal(story.article.publishedAt?.toISOString(), '2026-03-01T08:00:00.000Z');
    assert.equal(story.revision, 2);
    assert.equal((await listLive(ctx.db.kysely, { siteId: site.id, limit: 5 }))[0]?.articleId, id);
    assert.ok(s.seen.some((e) => e.type === 'article.published' && e.articleId === id));
    const snap = await editing.snapshot(id, 2);
    assert.equal(snap.status, 'published');
    assert.equal(snap.slug, 'port-reopens');
    const audit = await auditOf(ctx.db, id);
    assert.equal(audit.at(-1)?.action, 'story.published');
    assert.deepEqual(audit.at(-1)?.detail.before, { status: 'draft', publishAt: null });
    // Publishing a published story changes nothing.
    assert.equal((await publishing.publishNow(id, { userId: ana })).revision, 2);
  });

  test('a draft with no text cannot be published', async () => {
    const { s, site, world, editing, publishing, ana } = await setup();
    const { story } = await editing.createDraft(
      { siteId: site.id, sectionId: world.id, fields: { headline: 'Empty' } },
      { userId: ana },
    );
    await assert.rejects(publishing.publishNow(story.article.id, { userId: ana }), (e) =>
      isDatelineError(e, 'ARTICLE_INVALID'),
    );
    assert.equal((await s.articles.require(story.article.id)).article.status, 'draft');
  });

  test('scheduling holds it until its time, then the scheduler publishes it', async () => {
    const { s, site, publishing, ana, id, advance } = await setup();
    const at = new Date('2026-03-01T09:30:00Z');
    const story = await publishing.schedule(id, at, { userId: ana });
    assert.equal(story.article.status, 'scheduled');
    assert.equal(story.article.publishAt?.toISOString(), at.toISOString());
    assert.equal(await countLive(ctx.db.kysely, site.id), 0);
    advance(90 * 60_000);
    assert.deepEqual(await s.articles.publishDue(), [id]);
    assert.equal(await countLive(ctx.db.kysely, site.id), 1);
    const audit = await auditOf(ctx.db, id);
    assert.equal(audit.at(-1)?.action, 'story.scheduled');
    assert.deepEqual(audit.at(-1)?.detail.after, { status: 'scheduled', publishAt: at.toISOString() });
  });

  test('a time that has passed, or a published story, cannot be scheduled', async () => {
    const { publishing, ana, id } = await setup();
    await assert.rejects(publishing.schedule(id, new Date('2026-03-01T07:59:00Z'), { userId: ana }), (e) =>
      isDatelineError(e, 'ARTICLE_INVALID'),
    );
    await publishing.publishNow(id, { userId: ana });
    await assert.rejects(publishing.schedule(id, new Date('2026-03-02T00:00:00Z'), { userId: ana }), (e) =>
      isDatelineError(e, 'ARTICLE_INVALID'),
    );
  });

  test('unpublish takes it off the site and back to a draft; a scheduled one is kept back', async () => {
    const { s, site, publishing, ana, id, advance } = await setup();
    await publishing.publishNow(id, { userId: ana });
    const back = await publishing.unpublish(id, { userId: ana });
    assert.equal(back.article.status, 'draft');
    assert.equal(await countLive(ctx.db.kysely, site.id), 0);
    assert.equal((await auditOf(ctx.db, id)).at(-1)?.action, 'story.unpublished');
    await publishing.schedule(id, new Date('2026-03-01T10:00:00Z'), { userId: ana });
    await publishing.unpublish(id, { userId: ana });
    advance(3 * 3600_000);
    assert.deepEqual(await s.articles.publishDue(), []);
    assert.equal((await s.articles.require(id)).article.status, 'draft');
  });

  test('take down needs a reason, is audit-logged with it, and blocks further edits', async () => {
    const { publishing, editing, ana, id } = await setup();
    await publishing.publishNow(id, { userId: ana });
    await assert.rejects(publishing.takeDown(id, '  ', { userId: ana }), (e) =>
      isDatelineError(e, 'ARTICLE_INVALID'),
    );
    const gone = await publishing.takeDown(id, 'Court order', { userId: ana });
    assert.equal(gone.article.status, 'taken_down');
    assert.equal(gone.article.takedownReason, 'Court order');
    const audit = await auditOf(ctx.db, id);
    assert.equal(audit.at(-1)?.action, 'article.taken_down');
    assert.equal(audit.at(-1)?.actor, `user:${ana}`);
    await assert.rejects(
      editing.save(id, { dek: 'x' }, { expectedRevision: gone.revision, actor: { userId: ana } }),
      (e) => isDatelineError(e, 'ARTICLE_GONE'),
    );
    await assert.rejects(publishing.publishNow(id, { userId: ana }), (e) =>
      isDatelineError(e, 'ARTICLE_GONE'),
    );
  });

  test('circulate places it on a sister site with the original as canonical, in one audited change', async () => {
    const { sister, site, publishing, ana, id } = await setup();
    await publishing.publishNow(id, { userId: ana });
    const story = await publishing.circulate(
      id,
      { siteId: sister.site.id, sectionId: sister.business.id },
      { userId: ana },
    );
    assert.equal(story.article.siteId, site.id);
    const live = await listLive(ctx.db.kysely, { siteId: sister.site.id, limit: 5 });
    assert.equal(live[0]?.articleId, id);
    const audit = await auditOf(ctx.db, id);
    assert.equal(audit.at(-1)?.action, 'story.circulated');
    assert.deepEqual(
      [audit.at(-1)?.detail.site, audit.at(-1)?.detail.section],
      [sister.site.id, sister.business.id],
    );
    await assert.rejects(
      publishing.circulate(id, { siteId: sister.site.id, sectionId: sister.world.id }, { userId: ana }),
      (e) => isDatelineError(e, 'SLUG_TAKEN'),
    );
    await assert.rejects(
      publishing.circulate(id, { siteId: site.id, sectionId: sister.world.id }, { userId: ana }),
      (e) => isDatelineError(e, 'ARTICLE_INVALID'),
    );
    // A refused circulation leaves no audit entry behind.
    assert.equal((await auditOf(ctx.db, id)).length, audit.length);
  });
});
