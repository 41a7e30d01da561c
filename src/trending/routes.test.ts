import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { READ_SCRIPT_PATH } from './assets.ts';

const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

describeEachDialect('trending block, most read and the read beacon', (ctx) => {
  // Nested so the app closes before the dialect's own after() drops the database.
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    const ids: Record<string, { article: number; placement: number }> = {};
    const get = (url: string, host = s.host, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'GET',
        url,
        headers: { host: `${host}:3000`, 'user-agent': CHROME, ...headers },
      });
    const beacon = (placement: number, ip: string, ua = CHROME, host = s.host) =>
      t.app.inject({
        method: 'POST',
        url: '/api/beacon',
        remoteAddress: ip,
        headers: { host: `${host}:3000`, 'content-type': 'text/plain;charset=UTF-8', 'user-agent': ua },
        payload: `p=${placement}`,
      });

    before(async () => {
      t = await startTestApp(ctx.db);
      s = await newsSite(t.rt);
      const add = async (key: string, siteId: number, sectionId: number, headline: string) => {
        const { article, placements } = await t.rt.articles.create(
          { siteId, sectionId, headline, bodyHtml: '<p>x</p>' },
          'test',
        );
        ids[key] = { article: article.id, placement: placements[0]!.id };
      };
      const life = await t.rt.sites.create({
        slug: 'life',
        name: 'The Weekend Magazine',
        hosts: ['life.localhost'],
      });
      const food = await t.rt.sections.create(life.id, { slug: 'food', name: 'Food & Drink' });
      const travel = await t.rt.sites.create({
        slug: 'travel',
        name: 'Far & Near',
        hosts: ['travel.localhost'],
      });
      const guides = await t.rt.sections.create(travel.id, { slug: 'guides', name: 'Travel' });
      await t.rt.directory.load();
      await add('news', s.site.id, s.world.id, 'Summit opens');
      await add('news2', s.site.id, s.world.id, 'Markets rally');
      await add('ramen', life.id, food.id, 'Ramen <worth> queueing for');
      await add('kyoto', travel.id, guides.id, 'Kyoto in autumn');
      await t.rt.trending.refresh();
    });
    after(async () => {
      await t.close();
      // A PostgreSQL notification that arrived just before closing may still be reading the event log.
      await t.rt.tail.catchUp();
    });

    test('article pages show stories of the other sites with category, title, link and site name', async () => {
      const res = await get('/world/summit-opens');
      assert.equal(res.statusCode, 200);
      const block = /<section class="trending"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
      assert.match(block, /Trending on our other sites/);
      assert.match(
        block,
        /<span class="trending__category">Food &amp; Drink<\/span><a class="trending__title" href="http:\/\/life\.localhost:3000\/food\/ramen-worth-queueing-for">Ramen &lt;worth> queueing for<\/a><span class="trending__site">The Weekend Magazine<\/span>/,
      );
      assert.match(
        block,
        /href="http:\/\/travel\.localhost:3000\/guides\/kyoto-in-autumn">Kyoto in autumn<\/a><span class="trending__site">Far &amp; Near</,
      );
      assert.doesNotMatch(block, /Markets rally/, 'never the site’s own stories');
    });

    test('the page carries the beacon: same-origin script, no inline code, no-script pixel', async () => {
      const html = (await get('/world/summit-opens')).body;
      assert.match(html, new RegExp(`<div hidden data-dl-read="${ids.news!.placement}"></div>`));
      assert.match(html, new RegExp(`<script src="${READ_SCRIPT_PATH}" defer></script>`));
      assert.match(
        html,
        new RegExp(`<noscript><img class="read-pixel" src="/b.gif\\?p=${ids.news!.placement}"`),
      );
      for (const m of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
        assert.ok(
          /src=|application\/ld\+json/.test(m[1]!),
          `no inline executable script: ${m[0].slice(0, 80)}`,
        );
      }
      const js = await get(READ_SCRIPT_PATH);
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['content-type']), /javascript/);
      assert.match(String(js.headers['cache-control']), /immutable/);
      assert.match(js.body, /sendBeacon/);
      // The block's rules are in the page's one stylesheet.
      const sheet = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? '';
      const css = await get(sheet);
      assert.match(String(css.headers['content-type']), /text\/css/);
      assert.match(css.body, /\.trending__title\{/);
    });

    test('the beacon counts readers behind the page cache, without cookies, bots or repeats', async () => {
      const page = ids.ramen!;
      const first = await beacon(page.placement, '198.51.100.7');
      assert.equal(first.statusCode, 204);
      assert.equal(first.headers['set-cookie'], undefined);
      assert.equal(first.headers['cache-control'], 'no-store');
      await beacon(page.placement, '198.51.100.7'); // same reader again
      await beacon(page.placement, '198.51.100.8');
      await beacon(page.placement, '198.51.100.9', 'Googlebot/2.1 (+http://www.google.com/bot.html)');
      await beacon(page.placement, '198.51.100.10', CHROME, 'evil.example');
      const pixel = await t.app.inject({
        method: 'GET',
        url: `/b.gif?p=${page.placement}`,
        remoteAddress: '198.51.100.11',
        headers: { host: 'life.localhost:3000', 'user-agent': CHROME },
      });
      assert.equal(pixel.statusCode, 200);
      assert.equal(pixel.headers['content-type'], 'image/gif');
      assert.equal(pixel.headers['set-cookie'], undefined);
      for (const bad of ['p=abc', '', 'p=-1', 'x'.repeat(200)]) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/beacon',
          headers: { host: 'life.localhost:3000', 'content-type': 'text/plain', 'user-agent': CHROME },
          payload: bad,
        });
        assert.equal(r.statusCode, 204, bad);
      }
      assert.equal(t.rt.reads.pendingReads, 3);
      await t.rt.reads.flush();
      const [row] = await ctx.db.kysely
        .selectFrom('article_reads')
        .selectAll()
        .where('article_id', '=', page.article)
        .execute();
      assert.equal(Number(row?.reads), 3);
    });

    test('a ranking change drops the cached pages that show it; an unchanged one does not', async () => {
      await t.rt.trending.refresh(); // takes in the reads of the previous test
      const warm = await get('/world/summit-opens');
      const etag = String(warm.headers.etag);
      assert.deepEqual(await t.rt.trending.refresh(), [], 'nothing changed');
      assert.equal(String((await get('/world/summit-opens')).headers.etag), etag, 'still the cached page');
      // Travel's story gets many readers: the mix now leads with it.
      for (let i = 0; i < 5; i++) await beacon(ids.kyoto!.placement, `203.0.113.${i}`);
      await t.rt.reads.flush();
      const changed = await t.rt.trending.refresh();
      assert.ok(changed.includes(s.site.id));
      const after = await get('/world/summit-opens');
      assert.notEqual(String(after.headers.etag), etag, 're-rendered');
      const block = /<section class="trending"[\s\S]*?<\/section>/.exec(after.body)?.[0] ?? '';
      assert.ok(block.indexOf('Kyoto in autumn') < block.indexOf('Ramen'), 'the hotter story first');
    });

    test('most read on the site and per section', async () => {
      for (let i = 0; i < 3; i++) await beacon(ids.news2!.placement, `192.0.2.${i}`);
      await beacon(ids.news!.placement, '192.0.2.50');
      await t.rt.reads.flush();
      await t.rt.trending.refresh();
      const article = (await get('/world/summit-opens')).body;
      const list = /<section class="most-read"[\s\S]*?<\/section>/.exec(article)?.[0] ?? '';
      assert.match(list, /Most read on Example Times/);
      assert.ok(list.indexOf('Markets rally') < list.indexOf('Summit opens'));
      const section = (await get('/world')).body;
      assert.match(section, /Most read in World/);
      assert.equal(t.rt.trending.mostRead(s.site.id, s.business.id).length, 0);
    });

    test('a taken-down story leaves the block on the very next request', async () => {
      assert.match((await get('/world/summit-opens')).body, /Kyoto in autumn/);
      await t.rt.articles.takeDown(ids.kyoto!.article, 'legal', 'editor');
      assert.doesNotMatch((await get('/world/summit-opens')).body, /Kyoto in autumn/);
      assert.doesNotMatch((await get('/world/markets-rally')).body, /Kyoto in autumn/);
    });
  });
});
