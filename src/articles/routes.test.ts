import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp, testJpeg } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';

const CAPTION =
  'Leaders pose for a photo at the summit in Dushanbe, Tajikistan, October 9, 2025. Example Wire/Pool Photographer via EXAMPLE WIRE ATTENTION EDITORS - THIS IMAGE WAS PROVIDED BY A THIRD PARTY';
const CREDIT = 'Image: Example Wire/Pool Photographer';

describeEachDialect('public pages', (ctx) => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof newsSite>>;
  let articleId: number;
  const get = (url: string, headers: Record<string, string> = {}, host = s.host) =>
    t.app.inject({ method: 'GET', url, headers: { host: `${host}:3000`, ...headers } });

  before(async () => {
    t = await startTestApp(ctx.db);
    s = await newsSite(t.rt);
    const pic = await t.rt.media.addImage(await testJpeg(), {
      caption: CAPTION,
      credit: CREDIT,
      alt: 'Leaders at the summit',
    });
    const created = await t.rt.articles.create(
      {
        siteId: s.site.id,
        sectionId: s.world.id,
        headline: 'Leaders urge closer ties at summit in Dushanbe',
        dek: 'Regional leaders met on Thursday.',
        byline: 'Example Wire staff',
        dateline: 'MOSCOW',
        bodyHtml: '<p>First paragraph.</p><p>Second paragraph.</p>',
        sourceCopyright: '© Example Wire 2025',
        leadMediaId: pic.id,
        publishedAt: new Date('2025-10-09T09:00:00Z'),
      },
      'test',
    );
    articleId = created.article.id;
    for (let i = 0; i < 25; i++) {
      await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.business.id, headline: `Market story ${i}`, bodyHtml: '<p>x</p>' },
        'test',
      );
    }
  });
  after(() => t.close());

  test('article page shows everything the reference page shows', async () => {
    const res = await get('/world/leaders-urge-closer-ties-at-summit-in-dushanbe');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<h1>Leaders urge closer ties at summit in Dushanbe<\/h1>/);
    assert.ok(html.includes(CAPTION), 'caption printed exactly');
    assert.ok(html.includes(CREDIT), 'credit printed exactly');
    assert.match(html, /class="article__dateline">MOSCOW</);
    assert.match(html, /class="article__section" href="\/world">World</);
    assert.match(html, /Example Wire staff/);
    assert.match(html, /© Example Wire 2025/);
    assert.match(html, /©2025 Publisher Inc\./);
    assert.match(
      html,
      /<time datetime="2025-10-09T09:00:00.000Z">October 9, 2025 at 6:00\sPM<span class="time__zone"> Japan Standard Time<\/span><\/time>/,
    );
    assert.match(html, /<link rel="canonical" href="http:\/\/news\.localhost:3000\/world\/leaders-urge/);
    assert.match(html, /srcset="[^"]*480\.webp 480w[^"]*1600\.webp 1600w/);
    assert.equal((html.match(/<h1[ >]/g) ?? []).length, 1);
    assert.match(html, /<main id="main"/);
    assert.match(html, /<nav class="sections" aria-label="Sections">/);
  });

  test('responses carry ETag, CDN cache headers, compression and security headers; 304 on match', async () => {
    const res = await get('/world/leaders-urge-closer-ties-at-summit-in-dushanbe', {
      'accept-encoding': 'gzip, br',
    });
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(String(res.headers['cache-control']), /s-maxage=\d+, stale-while-revalidate=\d+/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const etag = String(res.headers.etag);
    const again = await get('/world/leaders-urge-closer-ties-at-summit-in-dushanbe', {
      'if-none-match': etag,
    });
    assert.equal(again.statusCode, 304);
    const gz = await get('/world/leaders-urge-closer-ties-at-summit-in-dushanbe', {
      'accept-encoding': 'gzip',
    });
    assert.equal(gz.headers['content-encoding'], 'gzip');
  });

  test('an edit shows on the very next request', async () => {
    const url = '/world/leaders-urge-closer-ties-at-summit-in-dushanbe';
    await get(url);
    await get('/');
    await t.rt.articles.update(articleId, { headline: 'Leaders agree closer ties in Dushanbe' }, 'editor');
    const res = await get(url);
    assert.match(res.body, /<h1>Leaders agree closer ties in Dushanbe<\/h1>/);
    assert.match(res.body, /Updated <time/);
    assert.match((await get('/')).body, /Leaders agree closer ties in Dushanbe/);
    await t.rt.sites.update('news', { footerText: '©2026 Publisher Inc.' });
    assert.match((await get(url)).body, /©2026 Publisher Inc\./);
  });

  test('a changed slug answers 301 at the old path', async () => {
    const { article } = await t.rt.articles.create(
      { siteId: s.site.id, sectionId: s.world.id, headline: 'First title', bodyHtml: '<p>x</p>' },
      'test',
    );
    assert.equal((await get('/world/first-title')).statusCode, 200);
    await t.rt.articles.update(article.id, { slug: 'better-title' }, 'editor');
    const res = await get('/world/first-title');
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, '/world/better-title');
    const wrongSection = await get('/business/better-title');
    assert.equal(wrongSection.statusCode, 301);
    assert.equal(wrongSection.headers.location, '/world/better-title');
  });

  test('a taken-down story answers 410 and leaves the lists', async () => {
    const { article } = await t.rt.articles.create(
      { siteId: s.site.id, sectionId: s.world.id, headline: 'Story to kill', bodyHtml: '<p>x</p>' },
      'test',
    );
    assert.match((await get('/world')).body, /Story to kill/);
    await t.rt.articles.takeDown(article.id, 'legal', 'editor');
    const res = await get('/world/story-to-kill');
    assert.equal(res.statusCode, 410);
    assert.doesNotMatch((await get('/world')).body, /Story to kill/);
    assert.doesNotMatch((await get('/')).body, /Story to kill/);
  });

  test('section pages paginate; out-of-range pages are 404, malformed ones 400', async () => {
    const p1 = await get('/business');
    assert.equal(p1.statusCode, 200);
    assert.match(p1.body, /Page 1 of 2/);
    assert.match(p1.body, /href="\/business\?page=2" rel="next"/);
    assert.equal((await get('/business?page=2')).statusCode, 200);
    assert.equal((await get('/business?page=3')).statusCode, 404);
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999', '%00']) {
      assert.equal((await get(`/business?page=${bad}`)).statusCode, 400, bad);
    }
    assert.equal((await get('/business?page=1&page=2')).statusCode, 400);
  });

  test('home page has top stories and a block per section', async () => {
    const res = await get('/');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /aria-label="Top stories"/);
    assert.match(res.body, /<a href="\/business">Business<\/a><\/h2>/);
  });

  test('unknown hosts, unknown paths and malformed slugs get clear 4xx pages, never 500', async () => {
    const other = await get('/', {}, 'evil.example');
    assert.equal(other.statusCode, 404);
    assert.match(other.body, /No such site/);
    assert.doesNotMatch(other.body, /Example Times/);
    for (const url of [
      '/nope',
      '/world/nope',
      '/world/UPPER',
      '/world/a%00b',
      '/world/..%2f..%2fetc',
      '/a/b/c/d',
      `/${'x'.repeat(300)}`,
    ]) {
      const res = await get(url);
      assert.ok([400, 404, 414].includes(res.statusCode), `${url} gave ${res.statusCode}`);
    }
    assert.match((await get('/nope')).body, /Page not found/);
  });

  test('a scheduled story is invisible until published', async () => {
    const { article } = await t.rt.articles.create(
      {
        siteId: s.site.id,
        sectionId: s.world.id,
        headline: 'Embargoed plan',
        bodyHtml: '<p>x</p>',
        publishAt: new Date(Date.now() + 3600_000),
      },
      'test',
    );
    assert.equal((await get('/world/embargoed-plan')).statusCode, 404);
    assert.doesNotMatch((await get('/world')).body, /Embargoed plan/);
    await t.rt.articles.update(
      article.id,
      { publishAt: new Date(Date.now() - 1000), status: 'published' },
      'editor',
    );
    assert.equal((await get('/world/embargoed-plan')).statusCode, 200);
  });

  test('a story republished on a sister site links to the original as canonical', async () => {
    const sister = await newsSite(t.rt, 'sister');
    // The sister's address comes from the story's headline at the time, whatever earlier tests made it.
    const { placements } = await t.rt.articles.republish(
      articleId,
      sister.site.id,
      sister.world.id,
      'editor',
    );
    const onSister = placements.find((p) => p.siteId === sister.site.id);
    assert.ok(onSister);
    assert.equal(onSister.canonical, false);
    const res = await get(`/world/${onSister.slug}`, {}, 'sister.localhost');
    assert.equal(res.statusCode, 200, res.body.slice(0, 200));
    assert.match(
      res.body,
      /<link rel="canonical" href="http:\/\/news\.localhost:3000\/world\/leaders-urge-closer-ties/,
    );
  });

  test('health and readiness', async () => {
    assert.equal((await get('/healthz')).statusCode, 200);
    assert.equal((await get('/readyz')).statusCode, 200);
  });
});
