// biome-ignore-all lint/suspicious/noExplicitAny: tests walk parsed JSON and XML documents of known shape.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { newsSite, startTestApp, type TestApp, testJpeg } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { NS } from './formats.ts';
import { FeedService, parseSitemapFile } from './service.ts';

const LISTS = new Set([
  'rss.channel.item',
  'feed.entry',
  'feed.link',
  'feed.entry.link',
  'urlset.url',
  'sitemapindex.sitemap',
  'urlset.url.image:image',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, jpath) => LISTS.has(String(jpath)),
});

/** Parses after checking well-formedness, as a feed reader would. */
function parse(xml: string): Record<string, any> {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, JSON.stringify(valid));
  return parser.parse(xml);
}

const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

test('sitemap file names', () => {
  assert.deepEqual(parseSitemapFile('2025-10.xml'), { month: '2025-10', part: 1 });
  assert.deepEqual(parseSitemapFile('2025-10-3.xml'), { month: '2025-10', part: 3 });
  for (const bad of ['2025-13.xml', '2025-10-1.xml', '2025-10-0.xml', 'x.xml', '2025-10.xml.gz', '../etc']) {
    assert.equal(parseSitemapFile(bad), null, bad);
  }
});

describeEachDialect('feeds, sitemaps and robots.txt', (ctx) => {
  // Nested so the app closes before the dialect's own after() drops the database.
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    let leadId: number;
    const get = (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url, headers: { host: `${s.host}:3000`, ...headers } });

    before(async () => {
      t = await startTestApp(ctx.db);
      s = await newsSite(t.rt);
      const pic = await t.rt.media.addImage(await testJpeg(), {
        caption: 'Leaders at the summit & "friends"',
        credit: 'Example Wire/Pool',
        alt: 'Leaders',
      });
      const { article } = await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: s.world.id,
          headline: 'Leaders meet <again> & agree',
          dek: 'They met on Thursday.',
          byline: 'Example Wire staff',
          bodyHtml: '<p>First paragraph.</p><p>Second \u0001 paragraph.</p>',
          sourceCopyright: '© Example Wire 2025',
          leadMediaId: pic.id,
        },
        'test',
      );
      leadId = article.id;
      await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.business.id, headline: 'Yen slips', bodyHtml: '<p>Money.</p>' },
        'test',
      );
      await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: s.business.id,
          headline: 'Old trade story',
          bodyHtml: '<p>Old.</p>',
          publishedAt: new Date(Date.now() - 3 * 86_400_000),
        },
        'test',
      );
    });
    after(async () => {
      await t.close();
      // A PostgreSQL notification that arrived just before closing may still be reading the event log.
      await t.rt.tail.catchUp();
    });

    test('RSS 2.0 has the required channel and item elements, Media RSS and full content', async () => {
      const res = await get('/feeds/rss.xml');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/rss\+xml/);
      assert.ok(res.headers.etag && res.headers['last-modified']);
      const doc = parse(res.body);
      const rss = doc.rss;
      assert.equal(rss['@version'], '2.0');
      assert.equal(rss['@xmlns:media'], NS.media);
      assert.equal(rss['@xmlns:content'], NS.content);
      assert.equal(rss['@xmlns:atom'], NS.atom);
      const ch = rss.channel;
      for (const k of ['title', 'link', 'description']) assert.ok(ch[k], `channel ${k}`);
      assert.equal(ch['atom:link']['@rel'], 'self');
      assert.equal(ch['atom:link']['@href'], 'http://news.localhost:3000/feeds/rss.xml');
      assert.match(ch.lastBuildDate, RFC822);
      assert.equal(ch.item.length, 3);
      const item = ch.item.find((i: any) => i.title === 'Leaders meet <again> & agree');
      assert.ok(item, 'markup characters escaped and read back intact');
      assert.equal(item.link, 'http://news.localhost:3000/world/leaders-meet-again-agree');
      assert.equal(item.guid['#text'], `urn:dateline:news:article:${leadId}`);
      assert.equal(item.guid['@isPermaLink'], 'false');
      assert.match(item.pubDate, RFC822);
      assert.equal(item.description, 'They met on Thursday.');
      assert.equal(item['dc:creator'], 'Example Wire staff');
      assert.match(item['content:encoded'], /<p>First paragraph.<\/p>/);
      assert.ok(!item['content:encoded'].includes('\u0001'), 'control characters removed');
      const media = item['media:content'];
      assert.equal(media['@medium'], 'image');
      assert.equal(media['@type'], 'image/jpeg');
      assert.match(media['@url'], /^http:\/\/news\.localhost:3000\/media\/\d+\/1200\.jpg$/);
      assert.equal(media['@width'], '1200');
      assert.equal(media['@height'], '750');
      assert.equal(media['media:credit'], 'Example Wire/Pool');
      assert.equal(media['media:description']['#text'], 'Leaders at the summit & "friends"');
      assert.equal(item.enclosure['@url'], media['@url']);
      assert.equal(item.enclosure['@length'], '0');
    });

    test('Atom 1.0 has id, title, updated, self link and per-entry author and content', async () => {
      const res = await get('/feeds/atom.xml');
      assert.match(String(res.headers['content-type']), /^application\/atom\+xml/);
      const feed = parse(res.body).feed;
      assert.equal(feed['@xmlns'], NS.atom);
      assert.ok(feed.id);
      assert.match(feed.updated, ISO);
      assert.ok(feed.link.some((l: any) => l['@rel'] === 'self' && l['@href'].endsWith('/feeds/atom.xml')));
      assert.equal(feed.entry.length, 3);
      for (const e of feed.entry) {
        assert.ok(e.id && e.title['#text'] && e.author.name, 'id, title, author');
        assert.match(e.updated, ISO);
        assert.ok(e.link.some((l: any) => l['@rel'] === 'alternate'));
        assert.equal(e.content['@type'], 'html');
      }
      const lead = feed.entry.find((e: any) => e.title['#text'] === 'Leaders meet <again> & agree');
      assert.ok(lead.link.some((l: any) => l['@rel'] === 'enclosure' && l['@type'] === 'image/jpeg'));
      assert.equal(lead.rights, '© Example Wire 2025');
    });

    test('section feeds hold only their section; unknown sections are 404; old addresses redirect', async () => {
      const feed = parse((await get('/feeds/business/rss.xml')).body).rss.channel;
      assert.deepEqual(
        feed.item.map((i: any) => i.title),
        ['Yen slips', 'Old trade story'],
      );
      assert.equal(parse((await get('/feeds/world/atom.xml')).body).feed.entry.length, 1);
      assert.equal((await get('/feeds/nope/rss.xml')).statusCode, 404);
      const r = await get('/feed');
      assert.equal(r.statusCode, 301);
      assert.equal(r.headers.location, '/feeds/rss.xml');
    });

    test('summaries only, when configured', async () => {
      const feeds = new FeedService(ctx.db, t.rt.media, { content: 'summary' });
      const site = t.rt.directory.forHost('news.localhost')!;
      const doc = await feeds.feed(site, { scheme: 'http' as const, port: null }, 'rss');
      const items = parse(doc.body).rss.channel.item;
      assert.ok(items.every((i: any) => i['content:encoded'] === undefined));
      assert.equal(items.find((i: any) => i.title === 'Yen slips').description, 'Money.');
    });

    test('conditional GET: ETag and If-Modified-Since answer 304', async () => {
      const first = await get('/feeds/rss.xml');
      const etag = String(first.headers.etag);
      const lastModified = String(first.headers['last-modified']);
      assert.equal((await get('/feeds/rss.xml', { 'if-none-match': etag })).statusCode, 304);
      const ims = await get('/feeds/rss.xml', { 'if-modified-since': lastModified });
      assert.equal(ims.statusCode, 304);
      assert.equal(ims.headers.etag, etag);
      const older = new Date(Date.parse(lastModified) - 60_000).toUTCString();
      assert.equal((await get('/feeds/rss.xml', { 'if-modified-since': older })).statusCode, 200);
      assert.equal(
        (await get('/feeds/rss.xml', { 'if-none-match': '"other"', 'if-modified-since': lastModified }))
          .statusCode,
        200,
      );
      const gz = await get('/feeds/atom.xml', { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip');
    });

    test('sitemap index, monthly sitemaps with images, pages sitemap', async () => {
      const index = parse((await get('/sitemap.xml')).body).sitemapindex;
      assert.equal(index['@xmlns'], NS.sitemap);
      const locs: string[] = index.sitemap.map((x: any) => x.loc);
      assert.ok(locs.includes('http://news.localhost:3000/sitemaps/news.xml'));
      assert.ok(locs.includes('http://news.localhost:3000/sitemaps/pages.xml'));
      const monthly = locs.filter((l) => /\/sitemaps\/\d{4}-\d{2}\.xml$/.test(l));
      assert.ok(monthly.length >= 1);
      let urls: any[] = [];
      for (const loc of monthly) {
        const set = parse((await get(new URL(loc).pathname)).body).urlset;
        assert.equal(set['@xmlns'], NS.sitemap);
        assert.equal(set['@xmlns:image'], NS.image);
        urls = urls.concat(set.url);
      }
      assert.equal(urls.length, 3);
      for (const u of urls) {
        assert.match(u.loc, /^http:\/\/news\.localhost:3000\/(world|business)\//);
        assert.match(u.lastmod, ISO);
      }
      const withImage = urls.find((u) => u.loc.endsWith('/leaders-meet-again-agree'));
      assert.match(withImage['image:image'][0]['image:loc'], /\/media\/\d+\/1200\.jpg$/);
      const pages = parse((await get('/sitemaps/pages.xml')).body).urlset.url.map((u: any) => u.loc);
      assert.deepEqual(pages, [
        'http://news.localhost:3000/',
        'http://news.localhost:3000/world',
        'http://news.localhost:3000/business',
      ]);
      assert.equal((await get('/sitemaps/1999-01.xml')).statusCode, 404);
      assert.equal((await get('/sitemaps/nope.xml')).statusCode, 404);
    });

    test('a month past the URL limit is split into several sitemaps', async () => {
      const feeds = new FeedService(ctx.db, t.rt.media, { content: 'full', sitemapMaxUrls: 2 });
      const site = t.rt.directory.forHost('news.localhost')!;
      const u = { scheme: 'http' as const, port: null };
      const index = parse((await feeds.sitemapIndex(site, u)).body).sitemapindex.sitemap.map(
        (x: any) => x.loc as string,
      );
      const month = new Date().toISOString().slice(0, 7);
      assert.ok(index.includes(`http://news.localhost/sitemaps/${month}.xml`));
      const parts = index.filter((l: string) => l.includes(`/sitemaps/${month}`));
      const total = await Promise.all(
        parts.map(async (loc: string) => {
          const file = parseSitemapFile(loc.split('/').pop()!)!;
          const doc = await feeds.sitemap(site, u, file.month, file.part);
          return parse(doc!.body).urlset.url.length as number;
        }),
      );
      assert.ok(total.every((n) => n <= 2));
      assert.equal(await feeds.sitemap(site, u, month, 99), null);
    });

    test('the Google News sitemap lists only the last two days', async () => {
      const set = parse((await get('/sitemaps/news.xml')).body).urlset;
      assert.equal(set['@xmlns:news'], NS.news);
      const titles = set.url.map((u: any) => u['news:news']['news:title']);
      assert.deepEqual(titles.sort(), ['Leaders meet <again> & agree', 'Yen slips']);
      const n = set.url[0]['news:news'];
      assert.equal(n['news:publication']['news:name'], 'Example Times');
      assert.equal(n['news:publication']['news:language'], 'en');
      assert.match(n['news:publication_date'], ISO);
    });

    test('robots.txt points at the sitemaps', async () => {
      const res = await get('/robots.txt');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /^User-agent: \*$/m);
      assert.match(res.body, /^Sitemap: http:\/\/news\.localhost:3000\/sitemap\.xml$/m);
      assert.match(res.body, /^Disallow: \/search$/m);
    });

    test('feeds and sitemaps follow content: published, taken down, embargo passing', async () => {
      const urls = ['/feeds/rss.xml', '/feeds/atom.xml', '/feeds/world/rss.xml', '/sitemaps/news.xml'];
      const month = new Date().toISOString().slice(0, 7);
      const all = [...urls, `/sitemaps/${month}.xml`];
      for (const u of all) await get(u); // warm the cache
      const { article } = await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.world.id, headline: 'Volcano erupts', bodyHtml: '<p>Ash.</p>' },
        'test',
      );
      for (const u of all) assert.match((await get(u)).body, /Volcano erupts|volcano-erupts/, u);
      await t.rt.articles.takeDown(article.id, 'legal', 'editor');
      for (const u of all) assert.doesNotMatch((await get(u)).body, /Volcano erupts|volcano-erupts/, u);

      const embargoed = await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: s.world.id,
          headline: 'Budget under embargo',
          bodyHtml: '<p>Numbers.</p>',
          publishAt: new Date(Date.now() + 3_600_000),
        },
        'test',
      );
      for (const u of all)
        assert.doesNotMatch((await get(u)).body, /Budget under embargo|budget-under-embargo/, u);
      await t.rt.articles.update(
        embargoed.article.id,
        { publishAt: new Date(Date.now() - 1000), status: 'published' },
        'editor',
      );
      for (const u of all) assert.match((await get(u)).body, /Budget under embargo|budget-under-embargo/, u);
    });

    test('feeds on an unknown host get the no-such-site answer', async () => {
      const res = await t.app.inject({ url: '/feeds/rss.xml', headers: { host: 'evil.example' } });
      assert.equal(res.statusCode, 404);
    });
  });
});
