// biome-ignore-all lint/suspicious/noExplicitAny: tests walk parsed JSON of known shape.
// The content API's comments on both databases: a story's published comments with authors, tallies and
// parents, cursor pages both ways, one comment by id (404 hidden, 410 deleted), the key required, killed
// stories gone, and both paths in the OpenAPI document.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { importComments } from '../comments/import/importer.ts';
import { readExport } from '../comments/import/read-export.ts';

const DISQUS = readFileSync(
  new URL('../comments/import/fixtures/disqus-sample.xml', import.meta.url),
  'utf8',
);

describeEachDialect('content API: comments', (ctx) => {
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    let key: string;
    let ferry: number;
    let market: number;
    const ids = new Map<string, number>();
    const api = (url: string, host = s.host, auth = true) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1${url}`,
        headers: { host: `${host}:3000`, ...(auth ? { authorization: `Bearer ${key}` } : {}) },
      });

    before(async () => {
      t = await startTestApp(ctx.db);
      s = await newsSite(t.rt);
      await newsSite(t.rt, 'sister');
      key = (await t.rt.apiKeys.create('Comments reader')).key;
      const mk = async (sectionId: number, slug: string) =>
        (
          await t.rt.articles.create(
            {
              siteId: s.site.id,
              sectionId,
              slug,
              headline: slug,
              bodyHtml: '<p>x</p>',
              publishedAt: new Date('2024-03-01T00:00:00Z'),
            },
            'test',
          )
        ).article.id;
      ferry = await mk(s.world.id, 'harbour-ferry-timetable-changes');
      market = await mk(s.business.id, 'old-market-hall-slug');
      await importComments(t.rt, readExport(DISQUS), { siteId: s.site.id });
      for (const r of await t.rt.db.kysely.selectFrom('comments').select(['id', 'import_key']).execute())
        ids.set(r.import_key!, r.id);
      await t.rt.db.kysely
        .updateTable('comments')
        .set({ up_count: 37, down_count: 40, moderator_note: 'Moderator: off-topic part removed' })
        .where('id', '=', ids.get('70002')!)
        .execute();
      // Rosa hides her member page: her name stays, the link goes.
      const rosa = await t.rt.db.kysely
        .selectFrom('comments')
        .select('author_id')
        .where('id', '=', ids.get('70003')!)
        .executeTakeFirstOrThrow();
      await t.rt.db.kysely
        .insertInto('member_settings')
        .values({ user_id: rosa.author_id, page_hidden: 1 })
        .execute();
    });
    after(async () => {
      await t.close();
      await t.rt.tail.catchUp();
    });

    test('a story’s published comments: authors, profile links, tallies in the reference style, parents', async () => {
      const res = await api(`/articles/${ferry}/comments`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.total, 4);
      assert.equal(body.next_cursor, null);
      assert.deepEqual(
        body.data.map((c: any) => c.id),
        ['70001', '70002', '70003', '70006'].map((k) => ids.get(k)),
      );
      const [top, reply, deep, orphan] = body.data;
      assert.equal(top.parent_id, null);
      assert.equal(top.depth, 0);
      assert.equal(reply.parent_id, top.id);
      assert.equal(deep.root_id, top.id);
      assert.equal(deep.depth, 2);
      // Its parent was deleted: named, but not listed.
      assert.equal(orphan.parent_id, ids.get('70005'));
      assert.equal(top.author.display_name, 'Sam Okafor');
      assert.match(top.author.profile_url, /^http:\/\/news\.localhost:3000\/members\/sam-okafor$/);
      assert.equal(deep.author.profile_url, null);
      assert.equal(deep.author.display_name, 'Rosa Lindqvist');
      assert.deepEqual(reply.votes, { up: 37, down: 40, net: -3, display: '-3 ( +37 / -40 )' });
      assert.equal(reply.moderator_note, 'Moderator: off-topic part removed');
      assert.equal(top.reply_count, 1);
      assert.match(top.body_html, /<p>/);
      assert.match(top.body_html, /rel="ugc nofollow/);
      assert.match(top.url, new RegExp(`/comments/${top.id}$`));
    });

    test('cursor pages, oldest and newest first, without overlap; a bad cursor is refused', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await api(`/articles/${ferry}/comments?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        const body = res.json();
        seen.push(...body.data.map((c: any) => c.id));
        cursor = body.next_cursor;
      } while (cursor);
      assert.equal(seen.length, 4);
      assert.equal(new Set(seen).size, 4);
      const newest = (await api(`/articles/${ferry}/comments?sort=newest&limit=1`)).json();
      assert.equal(newest.data[0].id, ids.get('70006'));
      const next = (
        await api(`/articles/${ferry}/comments?sort=newest&limit=1&cursor=${newest.next_cursor}`)
      ).json();
      assert.equal(next.data[0].id, ids.get('70003'));
      const bad = await api(`/articles/${ferry}/comments?cursor=nonsense`);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'DATELINE_ERR_API_CURSOR_INVALID');
    });

    test('one comment: published 200, spam 404, deleted 410, another site 404, no key 401', async () => {
      const one = await api(`/comments/${ids.get('70007')}`);
      assert.equal(one.statusCode, 200);
      assert.equal(one.json().data.article_id, market);
      const spam = await api(`/comments/${ids.get('70004')}`);
      assert.equal(spam.statusCode, 404);
      assert.equal(spam.json().error.code, 'DATELINE_ERR_COMMENT_NOT_FOUND');
      const gone = await api(`/comments/${ids.get('70005')}`);
      assert.equal(gone.statusCode, 410);
      assert.equal(gone.json().error.code, 'DATELINE_ERR_COMMENT_GONE');
      const elsewhere = await api(`/comments/${ids.get('70007')}`, 'sister.localhost');
      assert.equal(elsewhere.statusCode, 404);
      const none = await api(`/comments/${ids.get('70007')}`, s.host, false);
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'DATELINE_ERR_API_KEY_MISSING');
      const noStory = await api('/articles/999999/comments');
      assert.equal(noStory.json().error.code, 'DATELINE_ERR_ARTICLE_NOT_FOUND');
    });

    test('a killed story’s comments are gone with it', async () => {
      await t.rt.articles.takeDown(market, 'legal', 'editor');
      const list = await api(`/articles/${market}/comments`);
      assert.equal(list.statusCode, 410);
      assert.equal(list.json().error.code, 'DATELINE_ERR_ARTICLE_GONE');
      assert.equal((await api(`/comments/${ids.get('70007')}`)).statusCode, 410);
    });

    test('both paths are in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ url: '/api/v1/openapi.json', headers: { host: s.host } })).json();
      assert.ok(doc.paths['/api/v1/articles/{id}/comments'].get);
      assert.ok(doc.paths['/api/v1/comments/{id}'].get);
      assert.ok(
        doc.paths['/api/v1/articles/{id}/comments'].get.parameters.some((p: any) => p.name === 'cursor'),
      );
    });
  });
});
