// biome-ignore-all lint/suspicious/noExplicitAny: tests walk parsed JSON and XML documents of known shape.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newsSite, startTestApp, type TestApp, testJpeg } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { copyrightHolderName, jsonLdText } from './json-ld.ts';

/** Every JSON-LD block of a page, parsed (a block may hold an array). */
function jsonLd(html: string): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
    const v = JSON.parse(m[1]!);
    out.push(...(Array.isArray(v) ? v : [v]));
  }
  return out;
}

function meta(html: string, key: string): string | undefined {
  const m = new RegExp(`<meta (?:property|name)="${key.replace(/[:.]/g, '\\$&')}" content="([^"]*)"`).exec(
    html,
  );
  return m?.[1];
}

test('JSON-LD text cannot end its script element', () => {
  const text = jsonLdText({ headline: '</script><script>alert(1)</script> & <!-- \u2028' });
  assert.ok(!/[<>&\u2028]/.test(text));
  assert.deepEqual(JSON.parse(text), { headline: '</script><script>alert(1)</script> & <!-- \u2028' });
});

test('copyright holder names come from agency lines', () => {
  assert.equal(copyrightHolderName('© Example Wire 2025'), 'Example Wire');
  assert.equal(
    copyrightHolderName('Copyright 2025 Nordic Press Agency. All rights reserved.'),
    'Nordic Press Agency',
  );
  assert.equal(copyrightHolderName('(c) Agence Exemple'), 'Agence Exemple');
  assert.equal(copyrightHolderName('2025'), '2025');
});

describeEachDialect('structured data and sharing tags', (ctx) => {
  // Nested so the app closes before the dialect's own after() drops the database.
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    const get = (url: string, host = s.host) =>
      t.app.inject({ method: 'GET', url, headers: { host: `${host}:3000` } });

    before(async () => {
      t = await startTestApp(ctx.db);
      s = await newsSite(t.rt);
      const logo = await t.rt.media.addImage(await testJpeg(800, 200), { alt: 'Example Times' });
      await t.rt.sites.update('news', { logoMediaId: logo.id });
      const pic = await t.rt.media.addImage(await testJpeg(), {
        caption: 'Leaders',
        credit: 'Wire',
        alt: 'Leaders at a table',
      });
      const { article } = await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: s.world.id,
          headline: 'Leaders meet </script><script>alert(1)</script>',
          dek: 'They met on Thursday.',
          byline: 'Hana Sato',
          bodyHtml: '<p>Text.</p>',
          sourceCopyright: '© Example Wire 2025',
          leadMediaId: pic.id,
          publishedAt: new Date('2025-10-09T09:00:00Z'),
        },
        'test',
      );
      await t.rt.articles.update(article.id, { bodyHtml: '<p>Text, updated.</p>' }, 'editor');
      await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.business.id, headline: 'House story', bodyHtml: '<p>x</p>' },
        'test',
      );
      // A Japanese sister site republishes the story: hreflang then links the two languages.
      const ja = await t.rt.sites.create({
        slug: 'ja',
        name: 'Example Shimbun',
        language: 'ja',
        hosts: ['ja.localhost'],
      });
      const jaWorld = await t.rt.sections.create(ja.id, { slug: 'world', name: '国際' });
      await t.rt.directory.load();
      await t.rt.articles.republish(article.id, ja.id, jaWorld.id, 'editor', 'leaders-meet');
    });
    after(async () => {
      await t.close();
      // A PostgreSQL notification that arrived just before closing may still be reading the event log.
      await t.rt.tail.catchUp();
    });

    test('article pages carry a complete NewsArticle and a BreadcrumbList', async () => {
      const res = await get('/world/leaders-meet-script-script-alert-1-script');
      assert.equal(res.statusCode, 200);
      assert.equal(
        (res.body.match(/<script>alert/g) ?? []).length,
        0,
        'the headline never breaks out as markup',
      );
      const [article, crumbs] = jsonLd(res.body);
      assert.equal(article?.['@type'], 'NewsArticle');
      assert.equal(article['@context'], 'https://schema.org');
      assert.equal(article.headline, 'Leaders meet </script><script>alert(1)</script>');
      assert.equal(article.url, 'http://news.localhost:3000/world/leaders-meet-script-script-alert-1-script');
      assert.match(article.image[0].url, /^http:\/\/news\.localhost:3000\/media\/\d+\/1200\.jpg$/);
      assert.equal(article.datePublished, '2025-10-09T09:00:00.000Z');
      assert.ok(Date.parse(article.dateModified) > Date.parse(article.datePublished));
      assert.deepEqual(article.author, [{ '@type': 'Person', name: 'Hana Sato' }]);
      assert.equal(article.publisher.name, 'Example Times');
      assert.match(article.publisher.logo.url, /\/media\/\d+\/600\.jpg$/);
      assert.equal(article.publisher.logo.width, 600);
      assert.equal(article.isAccessibleForFree, true);
      assert.deepEqual(article.copyrightHolder, { '@type': 'Organization', name: 'Example Wire' });
      assert.equal(article.description, 'They met on Thursday.');
      assert.equal(article.articleSection, 'World');
      assert.equal(crumbs?.['@type'], 'BreadcrumbList');
      assert.deepEqual(
        crumbs.itemListElement.map((i: any) => [i.position, i.name, i.item]),
        [
          [1, 'Example Times', 'http://news.localhost:3000/'],
          [2, 'World', 'http://news.localhost:3000/world'],
          [3, article.headline, article.url],
        ],
      );
    });

    test('in-house copy is the publisher’s own', async () => {
      const [article] = jsonLd((await get('/business/house-story')).body);
      assert.equal(article?.copyrightHolder.name, 'Example Times');
      assert.deepEqual(article?.author, [
        { '@type': 'Organization', name: 'Example Times', url: 'http://news.localhost:3000/' },
      ]);
      assert.equal(article?.image, undefined);
    });

    test('OpenGraph and Twitter card tags', async () => {
      const html = (await get('/world/leaders-meet-script-script-alert-1-script')).body;
      assert.equal(meta(html, 'og:type'), 'article');
      assert.equal(meta(html, 'og:site_name'), 'Example Times');
      assert.equal(
        meta(html, 'og:url'),
        'http://news.localhost:3000/world/leaders-meet-script-script-alert-1-script',
      );
      assert.match(meta(html, 'og:image') ?? '', /\/1200\.jpg$/);
      assert.equal(meta(html, 'og:image:width'), '1200');
      assert.equal(meta(html, 'og:image:alt'), 'Leaders at a table');
      assert.equal(meta(html, 'og:description'), 'They met on Thursday.');
      assert.equal(meta(html, 'article:published_time'), '2025-10-09T09:00:00.000Z');
      assert.equal(meta(html, 'twitter:card'), 'summary_large_image');
      assert.ok(meta(html, 'twitter:title')?.startsWith('Leaders meet &lt;/script>'));
    });

    test('a republication in another language: canonical to the original, hreflang both ways', async () => {
      const ja = (await get('/world/leaders-meet', 'ja.localhost')).body;
      assert.match(
        ja,
        /<link rel="canonical" href="http:\/\/news\.localhost:3000\/world\/leaders-meet-script/,
      );
      assert.match(
        ja,
        /<link rel="alternate" hreflang="en" href="http:\/\/news\.localhost:3000\/world\/leaders-meet-script[^"]*"\/>/,
      );
      assert.match(
        ja,
        /<link rel="alternate" hreflang="ja" href="http:\/\/ja\.localhost:3000\/world\/leaders-meet"\/>/,
      );
      const [article] = jsonLd(ja);
      assert.equal(
        article?.url,
        'http://news.localhost:3000/world/leaders-meet-script-script-alert-1-script',
        'points at the original',
      );
      const en = (await get('/world/leaders-meet-script-script-alert-1-script')).body;
      assert.match(en, /hreflang="ja"/);
    });

    test('section pages carry breadcrumbs and their own feeds', async () => {
      const html = (await get('/world')).body;
      const [crumbs] = jsonLd(html);
      assert.equal(crumbs?.['@type'], 'BreadcrumbList');
      assert.equal(crumbs.itemListElement.length, 2);
      assert.equal(crumbs.itemListElement[1].item, 'http://news.localhost:3000/world');
      assert.match(
        html,
        /<link rel="alternate" type="application\/rss\+xml" title="World \| Example Times \(RSS\)" href="\/feeds\/world\/rss.xml"\/>/,
      );
      assert.match(
        html,
        /<link rel="alternate" type="application\/atom\+xml" title="Example Times \(Atom\)" href="\/feeds\/atom.xml"\/>/,
      );
    });
  });
});
