import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { hashSecret } from '../accounts/secrets.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { PreviewLinks, previewPath } from './previews.ts';
import { auditOf, staffUser } from './story-testing.ts';

describeEachDialect('PreviewLinks', (ctx) => {
  async function setup() {
    const s = services(ctx.db);
    const { site, world } = await siteWithSections(s);
    const { article } = await s.articles.create(
      { siteId: site.id, sectionId: world.id, headline: 'Embargoed', bodyHtml: '<p>x</p>', status: 'draft' },
      't',
    );
    const ana = await staffUser(ctx.db, 'Ana Preview');
    return { s, site, id: article.id, ana, previews: new PreviewLinks(ctx.db) };
  }

  test('a link resolves to its story; only the token hash is stored; creating is audit-logged', async () => {
    const { previews, id, ana, site } = await setup();
    const { token, link } = await previews.create(id, ana);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(previewPath(token), `/preview/${token}`);
    assert.equal(link.createdByName, 'Ana Preview');
    assert.deepEqual(await previews.resolve(token), { articleId: id, siteId: site.id });
    const rows = await ctx.db.kysely
      .selectFrom('story_preview_links')
      .selectAll()
      .where('article_id', '=', id)
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.token_hash, hashSecret(token));
    assert.ok(!JSON.stringify(rows).includes(token));
    const audit = await auditOf(ctx.db, id);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['story.preview_link_created'],
    );
  });

  test('a revoked link stops working; revoking twice is harmless; another story cannot revoke it', async () => {
    const { previews, id, ana } = await setup();
    const { token, link } = await previews.create(id, ana);
    const other = await previews.create(id, ana);
    await assert.rejects(previews.revoke(id + 1000, link.id, ana), (e) => isDatelineError(e, 'NOT_FOUND'));
    assert.notEqual(await previews.resolve(token), null);
    await previews.revoke(id, link.id, ana);
    await previews.revoke(id, link.id, ana);
    assert.equal(await previews.resolve(token), null);
    assert.notEqual(await previews.resolve(other.token), null);
    const listed = await previews.list(id);
    assert.deepEqual(
      listed.map((l) => [l.id, l.revokedAt !== null]),
      [
        [other.link.id, false],
        [link.id, true],
      ],
    );
    const audit = await auditOf(ctx.db, id);
    assert.deepEqual(
      audit.map((a) => a.action),
      ['story.preview_link_created', 'story.preview_link_created', 'story.preview_link_revoked'],
    );
  });

  test('unknown, malformed and taken-down links resolve to nothing', async () => {
    const { s, previews, id, ana } = await setup();
    const { token } = await previews.create(id, ana);
    assert.equal(await previews.resolve('x'.repeat(43)), null);
    assert.equal(await previews.resolve(`${token}'--`), null);
    assert.equal(await previews.resolve(''), null);
    await s.articles.takeDown(id, 'legal', 't');
    assert.equal(await previews.resolve(token), null);
    await assert.rejects(previews.create(id, ana), (e) => isDatelineError(e, 'ARTICLE_GONE'));
  });
});
