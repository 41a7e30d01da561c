// The Host header cannot change what is cached: absolute URLs (canonical link, og:url, JSON-LD, feeds) come
// from the configured public origin, and a Host that is not a known host on the public port is answered as
// an unknown site, outside the page cache.
// biome-ignore-all lint/suspicious/noExplicitAny: tests walk parsed JSON-LD of known shape.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';

function canonical(html: string): string | undefined {
  return /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1];
}

function ogUrl(html: string): string | undefined {
  return /<meta property="og:url" content="([^"]*)"/.exec(html)?.[1];
}

/** Every absolute URL in the page's JSON-LD blocks. */
function jsonLdUrls(html: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && /^https?:\/\//.test(v) && !v.startsWith('https://schema.org')) out.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g))
    walk(JSON.parse(m[1]!));
  return out;
}

/** Every absolute URL a page shows a crawler, which must all start with `origin`. */
function absoluteUrls(html: string): string[] {
  return [canonical(html), ogUrl(html), ...jsonLdUrls(html)].filter((u): u is string => u !== undefined);
}

async function network(t: TestApp, slug: string, host: string) {
  const site = await t.rt.sites.create({ slug, name: 'Example Times', hosts: [host] });
  const world = await t.rt.sections.create(site.id, { slug: 'world', name: 'World' });
  await t.rt.articles.create(
    {
      siteId: site.id,
      sectionId: world.id,
      headline: 'Leaders meet',
      bodyHtml: '<p>Text.</p>',
      publishedAt: new Date('2025-10-09T09:00:00Z'),
    },
    'test',
  );
  await t.rt.directory.load();
}

const PAGES = ['/', '/world', '/world/leaders-meet'];

describeEachDialect('the Host header cannot poison cached pages', (ctx) => {
  describe('in production, behind a proxy on the https default port', () => {
    let t: TestApp;
    const get = (url: string, host: string) => t.app.inject({ url, headers: { host } });

    before(async () => {
      t = await startTestApp(ctx.db, { NODE_ENV: 'production' });
      await network(t, 'prod', 'news.example.test');
    });
    after(() => t?.close());

    test('a foreign port is answered as an unknown site and leaves the cache alone', async () => {
      const unknown = await get('/', 'evil.example');
      assert.equal(unknown.statusCode, 404);
      for (const url of [...PAGES, '/feeds/rss.xml', '/sitemap.xml']) {
        const before = t.app.pageCache!.size;
        const res = await get(url, 'news.example.test:6666');
        assert.equal(res.statusCode, 404, url);
        assert.equal(res.body, unknown.body, url);
        assert.equal(res.headers['cache-control'], 'no-store', url);
        assert.doesNotMatch(res.body, /6666/, url);
        assert.equal(t.app.pageCache!.size, before, url);
      }
    });

    test('later readers get the configured origin in canonical, og:url and JSON-LD', async () => {
      for (const url of PAGES) {
        const res = await get(url, 'news.example.test');
        assert.equal(res.statusCode, 200, url);
        const urls = absoluteUrls(res.body);
        assert.ok(urls.length >= 1, url);
        for (const u of urls) assert.ok(u.startsWith('https://news.example.test/'), `${url}: ${u}`);
        assert.equal(canonical(res.body), `https://news.example.test${url}`);
      }
      const feed = await get('/feeds/rss.xml', 'news.example.test');
      assert.match(feed.body, /<link>https:\/\/news\.example\.test\/world\/leaders-meet<\/link>/);
      assert.doesNotMatch(feed.body, /6666|http:\/\/news/);
    });

    test('the page is served from the cache, and a later foreign port still cannot reach it', async () => {
      const first = await get('/world/leaders-meet', 'news.example.test');
      const size = t.app.pageCache!.size;
      const foreign = await get('/world/leaders-meet', 'news.example.test:6666');
      assert.equal(foreign.statusCode, 404);
      const again = await get('/world/leaders-meet', 'news.example.test');
      assert.equal(again.body, first.body);
      assert.equal(t.app.pageCache!.size, size);
      // The explicit default port names the same origin.
      assert.equal((await get('/world/leaders-meet', 'news.example.test:443')).body, first.body);
    });

    test('X-Forwarded-Host is ignored unless a proxy is trusted', async () => {
      const res = await t.app.inject({
        url: '/',
        headers: { host: 'news.example.test', 'x-forwarded-host': 'evil.example' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(canonical(res.body), 'https://news.example.test/');
    });
  });

  describe('X-Forwarded-Proto from a proxy that is not trusted', () => {
    let t: TestApp;
    before(async () => {
      // inject() connects from 127.0.0.1, which this list does not trust.
      t = await startTestApp(ctx.db, { NODE_ENV: 'production', DATELINE_TRUST_PROXY: '10.0.0.1' });
      await network(t, 'untrusted', 'untrusted.example.test');
    });
    after(() => t?.close());

    test('is ignored: no redirect, no loop, URLs still https', async () => {
      for (const proto of ['https', 'http']) {
        const res = await t.app.inject({
          url: '/',
          headers: { host: 'untrusted.example.test', 'x-forwarded-proto': proto },
        });
        if (proto === 'https') assert.equal(res.statusCode, 200);
        // A client claiming plain http is only sent to the https page, which is where it belongs.
        else assert.equal(res.headers.location, 'https://untrusted.example.test/');
        if (res.statusCode === 200) assert.equal(canonical(res.body), 'https://untrusted.example.test/');
      }
    });
  });

  describe('in development, on the port the server is told', () => {
    let t: TestApp;
    const get = (url: string, host: string) => t.app.inject({ url, headers: { host } });

    before(async () => {
      t = await startTestApp(ctx.db, { PORT: '3000' });
      await network(t, 'dev', 'news.localhost');
    });
    after(() => t?.close());

    test('another port is unknown; the configured port is in every URL', async () => {
      const unknown = await get('/', 'evil.example');
      for (const url of PAGES) {
        const res = await get(url, 'news.localhost:6666');
        assert.equal(res.statusCode, 404, url);
        assert.equal(res.body, unknown.body, url);
      }
      assert.equal(t.app.pageCache!.size, 0);
      for (const host of ['news.localhost:3000', 'news.localhost']) {
        for (const url of PAGES) {
          const res = await get(url, host);
          assert.equal(res.statusCode, 200, `${host}${url}`);
          for (const u of absoluteUrls(res.body))
            assert.ok(u.startsWith('http://news.localhost:3000/'), `${host}${url}: ${u}`);
        }
      }
    });

    test('junk Host values get the unknown-site page and are never cached', async () => {
      await get('/', 'news.localhost:3000');
      const size = t.app.pageCache!.size;
      const unknown = await get('/', 'evil.example');
      for (const host of [
        'news.localhost:3000:6666',
        'news.localhost:abc',
        'news.localhost:',
        'news.localhost:99999',
        'news.localhost@evil.example:3000',
        'news.localhost%2f:3000',
        'news.localhost.:3000',
        'news.localhost:3000 ',
      ]) {
        const res = await get('/', host);
        assert.equal(res.statusCode, 404, JSON.stringify(host));
        assert.equal(res.body, unknown.body, JSON.stringify(host));
        assert.equal(res.headers['cache-control'], 'no-store', JSON.stringify(host));
      }
      assert.equal(t.app.pageCache!.size, size);
    });

    test('the API answers another port as no such site, and its URLs carry the configured port', async () => {
      const { key } = await t.rt.apiKeys.create('Test');
      const api = (host: string) =>
        t.app.inject({ url: '/api/v1/sites', headers: { host, authorization: `Bearer ${key}` } });
      const foreign = await api('news.localhost:6666');
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.json().error.code, 'DATELINE_ERR_SITE_NOT_FOUND');
      const sites = (await api('news.localhost')).json();
      assert.equal(sites.data.find((x: any) => x.slug === 'dev').url, 'http://news.localhost:3000/');
    });
  });
});
