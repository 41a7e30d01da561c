// Which stories use a picture, on both dialects: the body addresses that count, and the index catching up
// with stories saved by any path (drafts that emit no event, other processes, edits and deletions).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { MediaRepository } from './repository.ts';
import { MediaUsageIndex, mediaIdsInBody } from './usage.ts';

describe('mediaIdsInBody', () => {
  it('reads our rendition addresses from pictures, whole or cropped, once each in order', () => {
    const html =
      '<p>Intro</p><figure><img src="/media/7/800.webp" alt="" /><figcaption>x</figcaption></figure>' +
      '<p><img src="/media/12/16x9-v3/480.jpg" alt="crop"></p><img src=" /media/7/1600.jpg ">' +
      "<IMG SRC='/media/30/480.webp'>";
    assert.deepEqual(mediaIdsInBody(html), [7, 12, 30]);
  });

  it('ignores other sites’ pictures, links and addresses that are not ours', () => {
    const html =
      '<img src="https://agency.example/media/5/800.jpg"><a href="/media/6/800.webp">link</a>' +
      '<img src="/media/0/800.webp"><img src="/media/08/800.webp"><img src="/media/99999999999/800.webp">' +
      '<img src="/media/9"><img src="/mediafiles/10/1.jpg"><img alt="no src"><p>/media/11/800.webp</p>';
    assert.deepEqual(mediaIdsInBody(html), []);
  });
});

describeEachDialect('MediaUsageIndex', (ctx) => {
  let s: ReturnType<typeof services>;
  let site: Awaited<ReturnType<typeof siteWithSections>>;
  let ids: number[];

  before(async () => {
    s = services(ctx.db);
    site = await siteWithSections(s);
    const repo = new MediaRepository(ctx.db);
    ids = [];
    for (let i = 0; i < 4; i++) {
      const m = await repo.insert({
        storageKey: `originals/u${i}.jpg`,
        sha256: `u${i}`,
        mime: 'image/jpeg',
        width: 100,
        height: 100,
        bytes: 10,
        caption: '',
        credit: '',
        alt: '',
      });
      ids.push(m.id);
    }
  });

  function story(
    headline: string,
    leadMediaId: number | null,
    bodyHtml: string,
    status?: 'draft' | 'published',
  ) {
    return s.articles.create(
      { siteId: site.site.id, sectionId: site.world.id, headline, bodyHtml, leadMediaId, status },
      'test',
    );
  }

  it('finds lead and body uses, drafts included, on the first look', async () => {
    const [a, b] = ids as [number, number];
    const draft = await story(
      'Draft with a picture',
      null,
      `<p><img src="/media/${a}/800.webp" alt=""></p>`,
      'draft',
    );
    const both = await story('Lead and body', a, `<p>x</p><img src="/media/${a}/480.jpg" alt="">`);
    const lead = await story('Lead only', b, '<p>No pictures in the text.</p>');
    const index = new MediaUsageIndex(ctx.db);
    await index.catchUp();

    const usesOfA = await index.usesOf(a);
    assert.deepEqual(
      usesOfA.map((u) => [u.articleId, u.headline, u.status, [...u.kinds].sort()]).sort(),
      [
        [both.article.id, 'Lead and body', 'published', ['body', 'lead']],
        [draft.article.id, 'Draft with a picture', 'draft', ['body']],
      ].sort(),
    );
    assert.ok(usesOfA.every((u) => u.siteId === site.site.id && u.modifiedAt instanceof Date));
    assert.deepEqual(
      (await index.usesOf(b)).map((u) => [u.articleId, u.kinds]),
      [[lead.article.id, ['lead']]],
    );
    const counts = await index.countsOf([a, b, ids[2] as number, 987_654]);
    assert.deepEqual([...counts.entries()].sort(), [
      [a, 2],
      [b, 1],
    ]);
  });

  it('follows later edits, including those saved by another process', async () => {
    const [, , c, d] = ids as [number, number, number, number];
    const mine = new MediaUsageIndex(ctx.db);
    const theirs = new MediaUsageIndex(ctx.db);
    const { article } = await story('Changing pictures', c, '<p>Text.</p>');
    await mine.catchUp();
    await theirs.catchUp();
    assert.deepEqual(
      (await mine.usesOf(c)).map((u) => u.articleId),
      [article.id],
    );

    // Saved through the other process's services: this index hears no event of it.
    await s.articles.update(
      article.id,
      { leadMediaId: null, bodyHtml: `<img src="/media/${d}/800.webp" alt="">` },
      'test',
    );
    await mine.catchUp();
    assert.deepEqual(await mine.usesOf(c), []);
    assert.deepEqual(
      (await mine.usesOf(d)).map((u) => [u.articleId, u.kinds]),
      [[article.id, ['body']]],
    );

    // A deleted story uses nothing.
    await ctx.db.kysely.deleteFrom('placements').where('article_id', '=', article.id).execute();
    await ctx.db.kysely.deleteFrom('article_revisions').where('article_id', '=', article.id).execute();
    await ctx.db.kysely.deleteFrom('articles').where('id', '=', article.id).execute();
    await theirs.catchUp();
    assert.deepEqual(await theirs.usesOf(d), []);
  });

  it('looks only at recent changes after the first look; a new process compares everything again', async () => {
    const [a] = ids as [number];
    const longAgo = new Date(Date.now() - 3 * 3600_000);
    const old = services(ctx.db, () => longAgo);
    const { article } = await old.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.world.id,
        headline: 'Old story',
        bodyHtml: '<p>x</p>',
        leadMediaId: a,
      },
      'test',
    );
    const index = new MediaUsageIndex(ctx.db);
    await index.catchUp();
    assert.ok((await index.usesOf(a)).some((u) => u.articleId === article.id));

    // Rows out of step for a story changed hours ago (a write that bypassed modified_at, say): later looks
    // reach back minutes, not hours, so they leave it; a fresh process compares every story and mends it.
    await ctx.db.kysely.deleteFrom('media_usage').where('article_id', '=', article.id).execute();
    await ctx.db.kysely
      .updateTable('media_usage_scans')
      .set({ article_modified_at: ctx.db.dialect === 'postgres' ? new Date(0) : new Date(0).toISOString() })
      .where('article_id', '=', article.id)
      .execute();
    await index.catchUp();
    assert.ok(!(await index.usesOf(a)).some((u) => u.articleId === article.id));
    const fresh = new MediaUsageIndex(ctx.db);
    await fresh.catchUp();
    assert.ok((await fresh.usesOf(a)).some((u) => u.articleId === article.id));
  });

  it('reads stories in batches and answers concurrent callers with one run', async () => {
    const [, b] = ids as [number, number];
    for (let i = 0; i < 450; i++) await story(`Batch ${i}`, b, '<p>x</p>', 'draft');
    const index = new MediaUsageIndex(ctx.db);
    const [one, two] = [index.catchUp(), index.catchUp()];
    assert.equal(one, two);
    await Promise.all([one, two]);
    assert.ok((await index.countsOf([b])).get(b)! >= 451);
  });
});
