// biome-ignore-all lint/suspicious/noExplicitAny: tests walk parsed JSON and XML documents of known shape.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';

describeEachDialect('content API', (ctx) => {
  // Nested so the app closes before the dialect's own after() drops the database.
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    let key: string;
    let killedId: number;
    let sister: Awaited<ReturnType<typeof newsSite>>;
    const api = (url: string, headers: Record<string, string> = {}, host = s.host) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1${url}`,
        headers: { host: `${host}:3000`, authorization: `Bearer ${key}`, ...headers },
      });

    before(async () => {
      t = await startTestApp(ctx.db, { DATELINE_API_CORS_ORIGINS: 'https://app.example.com' });
      s = await newsSite(t.rt);
      key = (await t.rt.apiKeys.create('Mobile app')).key;
      const base = Date.parse('2025-10-01T00:00:00Z');
      for (let i = 0; i < 25; i++) {
        await t.rt.articles.create(
          {
            siteId: s.site.id,
            sectionId: i % 2 ? s.business.id : s.world.id,
            headline: `Story number ${i}`,
            dek: `Dek ${i}`,
            bodyHtml: `<p>Body of story ${i}, about the harbour.</p>`,
            publishedAt: new Date(base + i * 3_600_000),
          },
          'test',
        );
      }
      const killed = await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.world.id, headline: 'Killed story', bodyHtml: '<p>harbour</p>' },
        'test',
      );
      killedId = killed.article.id;
      await t.rt.articles.takeDown(killedId, 'legal', 'editor');
      await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: s.world.id,
          headline: 'Embargoed story',
          bodyHtml: '<p>harbour</p>',
          publishAt: new Date(Date.now() + 3_600_000),
        },
        'test',
      );
      // A sister site's story: the network trending block lists sister sites' stories, never the site's own.
      sister = await newsSite(t.rt, 'sister');
      await t.rt.articles.create(
        {
          siteId: sister.site.id,
          sectionId: sister.world.id,
          headline: 'Sister site story',
          bodyHtml: '<p>Elsewhere.</p>',
          publishedAt: new Date(base),
        },
        'test',
      );
      await t.rt.searchIndexer.idle();
      await t.rt.trending.refresh();
    });
    after(async () => {
      await t.close();
      // A PostgreSQL notification that arrived just before closing may still be reading the event log.
      await t.rt.tail.catchUp();
    });

    test('keys: missing, wrong, revoked and site-limited keys are refused with stable codes', async () => {
      const none = await t.app.inject({ url: '/api/v1/articles', headers: { host: 'news.localhost' } });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'DATELINE_ERR_API_KEY_MISSING');
      assert.match(String(none.headers['www-authenticate']), /^Bearer/);
      const wrong = await api('/articles', { authorization: 'Bearer dl_not-a-real-key-at-all-000000' });
      assert.equal(wrong.json().error.code, 'DATELINE_ERR_API_KEY_INVALID');
      const viaHeader = await t.app.inject({
        url: '/api/v1/sections',
        headers: { host: 'news.localhost', 'x-api-key': key },
      });
      assert.equal(viaHeader.statusCode, 200);
      const other = await t.rt.sites.create({ slug: 'other', name: 'Other', hosts: ['other.localhost'] });
      await t.rt.directory.load();
      const limited = await t.rt.apiKeys.create('Partner', [other.id]);
      const forbidden = await api('/articles', { authorization: `Bearer ${limited.key}` });
      assert.equal(forbidden.statusCode, 403);
      assert.equal(forbidden.json().error.code, 'DATELINE_ERR_API_KEY_FORBIDDEN');
      const temp = await t.rt.apiKeys.create('Temp');
      assert.equal((await api('/sites', { authorization: `Bearer ${temp.key}` })).statusCode, 200);
      await t.rt.apiKeys.revoke(temp.id);
      assert.equal((await api('/sites', { authorization: `Bearer ${temp.key}` })).statusCode, 401);
      const stored = JSON.stringify(await ctx.db.kysely.selectFrom('api_keys').selectAll().execute());
      assert.ok(!stored.includes(key), 'only hashes are stored');
    });

    test('articles: newest first, cursor pages, filters; killed and embargoed stories never listed', async () => {
      const first = await api('/articles?limit=10');
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers['cache-control'], 'no-store');
      const p1 = first.json();
      assert.equal(p1.data.length, 10);
      assert.equal(p1.data[0].headline, 'Story number 24');
      assert.equal(p1.data[0].url, 'http://news.localhost:3000/world/story-number-24');
      assert.equal(p1.data[0].section.slug, 'world');
      const seen = p1.data.map((a: any) => a.id);
      let cursor = p1.next_cursor;
      while (cursor) {
        const page = (await api(`/articles?limit=10&cursor=${encodeURIComponent(cursor)}`)).json();
        seen.push(...page.data.map((a: any) => a.id));
        cursor = page.next_cursor;
      }
      assert.equal(seen.length, 25);
      assert.equal(new Set(seen).size, 25);
      const world = (await api('/articles?section=world&limit=100')).json();
      assert.equal(world.data.length, 13);
      assert.ok(world.data.every((a: any) => a.section.slug === 'world'));
      const ranged = (await api('/articles?since=2025-10-01T10:00:00Z&until=2025-10-01T12:00:00Z')).json();
      assert.deepEqual(
        ranged.data.map((a: any) => a.headline),
        ['Story number 11', 'Story number 10'],
      );
      const all = JSON.stringify((await api('/articles?limit=100')).json());
      assert.doesNotMatch(all, /Killed story|Embargoed story/);
      for (const bad of [
        '/articles?limit=0',
        '/articles?limit=101',
        '/articles?since=yesterday',
        '/articles?cursor=bm9wZQ',
      ]) {
        const r = await api(bad);
        assert.equal(r.statusCode, 400, bad);
        assert.match(r.json().error.code, /^DATELINE_ERR_/);
      }
      assert.equal((await api('/articles?section=nope')).statusCode, 404);
    });

    test('one article by id or by slug, on separate paths; a killed one is 410, an unknown one 404', async () => {
      const list = (await api('/articles?limit=1')).json();
      const id = list.data[0].id;
      const byId = (await api(`/articles/${id}`)).json().data;
      assert.equal(byId.headline, 'Story number 24');
      assert.match(byId.body_html, /harbour/);
      const bySlug = (await api('/articles/by-slug/story-number-24')).json().data;
      assert.equal(bySlug.id, id);
      const gone = await api(`/articles/${killedId}`);
      assert.equal(gone.statusCode, 410);
      assert.equal(gone.json().error.code, 'DATELINE_ERR_ARTICLE_GONE');
      assert.equal((await api('/articles/by-slug/embargoed-story')).statusCode, 404);
      assert.equal((await api('/articles/by-slug/no-such-story')).statusCode, 404);
      assert.equal((await api('/articles/by-slug/BAD%20REF')).statusCode, 400);
      assert.equal((await api('/articles/story-number-24')).statusCode, 400, 'an id path takes ids only');
      assert.equal((await api(`/articles/by-slug/${id}`)).statusCode, 404, 'a slug path takes slugs only');
    });

    test('sections, sites, trending, most read and search', async () => {
      const sections = (await api('/sections')).json().data;
      assert.deepEqual(
        sections.map((x: any) => x.slug),
        ['world', 'business'],
      );
      assert.equal(sections[0].rss, 'http://news.localhost:3000/feeds/world/rss.xml');
      const sites = (await api('/sites')).json().data;
      assert.ok(sites.some((x: any) => x.slug === 'news' && x.url === 'http://news.localhost:3000/'));
      const trending = (await api('/trending')).json().data;
      assert.ok(trending.length > 0);
      assert.ok(trending.every((x: any) => x.site.id === s.site.id));
      const network = (await api('/trending?scope=network')).json().data;
      assert.deepEqual(
        network.map((x: any) => [x.headline, x.site.id, x.url]),
        [['Sister site story', sister.site.id, 'http://sister.localhost:3000/world/sister-site-story']],
      );
      assert.equal((await api('/trending?scope=galaxy')).statusCode, 400);
      assert.deepEqual((await api('/most-read?section=world')).json().data, []);
      const found = (await api('/search?q=harbour&section=business')).json();
      assert.equal(found.total, 12);
      assert.equal(found.data.length, 10);
      assert.equal(found.pages, 2);
      assert.ok(found.data.every((x: any) => x.section.slug === 'business'));
      assert.ok(found.data[0].highlights.snippet.some((x: any) => x.hit));
      assert.doesNotMatch(found.data[0].snippet, /\uE000/);
      assert.equal((await api('/search?q=%22%2A%28')).statusCode, 200);
      assert.equal((await api('/search')).statusCode, 400, 'q is required');
    });

    test('CORS answers the configured origin only, including preflight', async () => {
      const ok = await api('/sites', { origin: 'https://app.example.com' });
      assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.com');
      const other = await api('/sites', { origin: 'https://evil.example' });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
      const pre = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/articles',
        headers: {
          host: 'news.localhost',
          origin: 'https://app.example.com',
          'access-control-request-method': 'GET',
        },
      });
      assert.equal(pre.statusCode, 204);
      assert.match(String(pre.headers['access-control-allow-headers']), /Authorization/);
    });

    test('the OpenAPI document is generated from the route schemas', async () => {
      const res = await t.app.inject({ url: '/api/v1/openapi.json', headers: { host: 'news.localhost' } });
      assert.equal(res.statusCode, 200);
      const doc = res.json();
      assert.equal(doc.openapi, '3.1.0');
      for (const p of [
        '/api/v1/articles',
        '/api/v1/articles/{id}',
        '/api/v1/articles/by-slug/{slug}',
        '/api/v1/sections',
        '/api/v1/sites',
        '/api/v1/trending',
        '/api/v1/most-read',
        '/api/v1/search',
      ]) {
        assert.ok(doc.paths[p]?.get, p);
      }
      const list = doc.paths['/api/v1/articles'].get;
      assert.ok(list.parameters.some((x: any) => x.name === 'cursor' && x.in === 'query'));
      assert.equal(list.responses['200'].content['application/json'].schema.properties.data.type, 'array');
      const one = doc.paths['/api/v1/articles/{id}'].get;
      assert.deepEqual(
        one.parameters.map((x: any) => [x.name, x.in, x.required]),
        [['id', 'path', true]],
      );
      assert.equal(one.parameters[0].schema.pattern, '^[1-9][0-9]{0,14}$');
      assert.ok(one.responses['410']);
      const bySlug = doc.paths['/api/v1/articles/by-slug/{slug}'].get;
      assert.deepEqual(
        bySlug.parameters.map((x: any) => [x.name, x.in, x.required]),
        [['slug', 'path', true]],
      );
      assert.ok(bySlug.responses['410']);
      assert.notEqual(one.operationId, bySlug.operationId);
      assert.ok(doc.components.securitySchemes.bearer);
    });

    test('a story taken down leaves the API on the next request', async () => {
      const { article } = await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: s.world.id,
          headline: 'Volcano erupts',
          bodyHtml: '<p>Ash and harbour.</p>',
        },
        'test',
      );
      await t.rt.searchIndexer.idle();
      assert.equal((await api('/articles?limit=1')).json().data[0].headline, 'Volcano erupts');
      assert.ok((await api('/search?q=volcano')).json().total === 1);
      await t.rt.articles.takeDown(article.id, 'legal', 'editor');
      assert.notEqual((await api('/articles?limit=1')).json().data[0].headline, 'Volcano erupts');
      assert.equal((await api(`/articles/${article.id}`)).statusCode, 410);
      assert.equal((await api('/search?q=volcano')).json().total, 0);
    });

    test('unknown API paths answer JSON 404', async () => {
      const r = await api('/nope');
      assert.equal(r.statusCode, 404);
      assert.equal(r.json().error.code, 'DATELINE_ERR_NOT_FOUND');
    });
  });
});
