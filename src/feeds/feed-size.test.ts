// biome-ignore-all lint/suspicious/noExplicitAny: tests walk parsed XML documents of known shape.
// A story far larger than a feed should carry: its body is cut between whole elements, stays sanitised
// HTML with a link to the story, and keeps every feed of the site small and well formed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { sanitizeArticleHtml } from '../articles/body-html.ts';
import { feedBody } from './truncate.ts';

const LIMIT = 8 * 1024;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

/** Well-formed XML, as a feed reader checks first. */
function parse(xml: string): Record<string, unknown> {
  assert.equal(XMLValidator.validate(xml), true);
  return parser.parse(xml);
}

/**
 * What precedes the "read more" paragraph is sanitised HTML: sanitising it again changes nothing, so its
 * markup is balanced and allowed. Returns it.
 */
function assertSanitisedBeforeLink(html: string, storyUrl: string): string {
  const link = `<p><a href="${storyUrl}">Read the full story</a></p>`;
  assert.ok(html.endsWith(link), html.slice(-200));
  const kept = html.slice(0, -link.length);
  assert.equal(sanitizeArticleHtml(kept), kept);
  return kept;
}

describe('feedBody', () => {
  const url = 'https://news.example.test/world/%E6%9D%B1%E4%BA%AC';

  test('a body within the limit is untouched', () => {
    const html = '<p>Short.</p>';
    assert.deepEqual(feedBody(html, LIMIT, url), { html, truncated: false });
  });

  test('a long body is cut after the last whole element that fits, then links to the story', () => {
    const para = (i: number) =>
      `<p>Paragraph ${i} with <a href="https://example.com/?a=1&amp;b=2">a link</a> and <em>東京</em>.</p>`;
    const html = sanitizeArticleHtml(
      `<h2>Lead</h2>${Array.from({ length: 2000 }, (_, i) => para(i)).join('')}<ul><li>x</li></ul>`,
    );
    const out = feedBody(html, LIMIT, url);
    assert.equal(out.truncated, true);
    assert.ok(Buffer.byteLength(out.html) <= LIMIT, `${Buffer.byteLength(out.html)} bytes`);
    assert.ok(Buffer.byteLength(out.html) > LIMIT - 400, 'fills the limit to the last paragraph');
    assert.ok(out.html.startsWith('<h2>Lead</h2><p>Paragraph 0 '));
    assert.match(
      out.html,
      /\.<\/p><p><a href="https:\/\/news\.example\.test\/world\/%E6%9D%B1%E4%BA%AC">Read the full story<\/a><\/p>$/,
    );
    assertSanitisedBeforeLink(out.html, url);
  });

  test('nested elements are never split', () => {
    const cell = '<tr><td>cell ünïcödé</td></tr>';
    const html = `<p>Intro.</p><table><tbody>${cell.repeat(2000)}</tbody></table><p>After.</p>`;
    const out = feedBody(html, LIMIT, url);
    assert.ok(out.html.startsWith('<p>Intro.</p><p><a '), 'the table is left out whole');
    assertSanitisedBeforeLink(out.html, url);
  });

  test('a first paragraph larger than the limit becomes the start of its text', () => {
    const html = `<p>${'Word &amp; <strong>more</strong> 東京 '.repeat(5000)}</p>`;
    const out = feedBody(html, LIMIT, url);
    assert.ok(Buffer.byteLength(out.html) <= LIMIT);
    assert.match(out.html, /^<p>Word &amp; more 東京 Word/);
    assert.match(out.html, /…<\/p><p><a href=/);
    assertSanitisedBeforeLink(out.html, url);
  });
});

describeEachDialect('feeds with a huge story', (ctx) => {
  describe('on a running app', () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof newsSite>>;
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { host: `${s.host}:3000` } });
    // About 1.3 MB of paragraphs: large enough that an uncut feed would be megabytes.
    const huge = Array.from(
      { length: 12_000 },
      (_, i) => `<p>Paragraph ${i} of a very long report on the harbour &amp; its ships.</p>`,
    ).join('');

    before(async () => {
      t = await startTestApp(ctx.db, { DATELINE_FEED_MAX_BODY_BYTES: String(LIMIT) });
      s = await newsSite(t.rt);
      await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.world.id, headline: 'Small story', bodyHtml: '<p>Small body.</p>' },
        'test',
      );
      await t.rt.articles.create(
        { siteId: s.site.id, sectionId: s.world.id, headline: '港の長い報告', bodyHtml: huge },
        'test',
      );
    });
    after(async () => {
      await t.close();
      await t.rt.tail.catchUp();
    });

    test('RSS and Atom stay valid and bounded, the body cut with a link to the story', async () => {
      const storyUrl = `http://news.localhost:3000/world/${encodeURIComponent('港の長い報告')}`;
      for (const path of [
        '/feeds/rss.xml',
        '/feeds/atom.xml',
        '/feeds/world/rss.xml',
        '/feeds/world/atom.xml',
      ]) {
        const res = await get(path);
        assert.equal(res.statusCode, 200, path);
        assert.ok(res.body.length < 3 * LIMIT, `${path} is ${res.body.length} bytes`);
        const doc = parse(res.body) as any;
        const entries = path.endsWith('rss.xml') ? doc.rss.channel.item : doc.feed.entry;
        const big = entries.find((e: any) => (e.title['#text'] ?? e.title) === '港の長い報告');
        const body: string = path.endsWith('rss.xml') ? big['content:encoded'] : big.content['#text'];
        assert.ok(Buffer.byteLength(body) <= LIMIT, `${path}: ${Buffer.byteLength(body)}`);
        assert.ok(body.endsWith(`<p><a href="${storyUrl}">Read the full story</a></p>`), path);
        assertSanitisedBeforeLink(body, storyUrl);
        const small = entries.find((e: any) => (e.title['#text'] ?? e.title) === 'Small story');
        const smallBody = path.endsWith('rss.xml') ? small['content:encoded'] : small.content['#text'];
        assert.equal(smallBody, '<p>Small body.</p>');
      }
    });
  });
});
