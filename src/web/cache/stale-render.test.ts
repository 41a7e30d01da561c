// A page render that is still running when a change drops its pages must not be stored: it read the story
// before the change, so keeping it would serve the old version until the next change. The render is held
// after it has read the story (the reader's answer waits on a gate the test opens) while the story is
// edited, so the order of events is fixed and nothing depends on timing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';

describeEachDialect('renders in flight during a change', (ctx) => {
  let t: TestApp;
  let host: string;
  let harbour: number;
  let rates: number;

  before(async () => {
    t = await startTestApp(ctx.db);
    const s = await newsSite(t.rt, 'news');
    host = s.host;
    const a = await t.rt.articles.create(
      { siteId: s.site.id, sectionId: s.world.id, headline: 'Harbour reopens', bodyHtml: '<p>a</p>' },
      't',
    );
    harbour = a.article.id;
    const b = await t.rt.articles.create(
      { siteId: s.site.id, sectionId: s.business.id, headline: 'Rates held', bodyHtml: '<p>b</p>' },
      't',
    );
    rates = b.article.id;
  });
  after(async () => {
    await t?.close();
  });

  const get = (url: string) => t.app.inject({ url, headers: { host } });

  /**
   * Requests `url` with its story read held until `whileHeld` has run, and returns the response. The reader
   * is the runtime's own, so the hold sits between reading the story and building the page.
   */
  async function renderedAround(url: string, whileHeld: () => Promise<void>) {
    const reader = t.rt.reader;
    const original = reader.article;
    let reached!: () => void;
    const read = new Promise<void>((r) => {
      reached = r;
    });
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    reader.article = async (...args) => {
      const found = await original.apply(reader, args);
      reader.article = original;
      reached();
      await gate;
      return found;
    };
    try {
      const response = get(url);
      await read;
      await whileHeld();
      open();
      return await response;
    } finally {
      reader.article = original;
    }
  }

  test('a story page rendering while the story is edited is not kept', async () => {
    t.app.pageCache!.clear();
    const held = await renderedAround('/world/harbour-reopens', async () => {
      await t.rt.articles.update(harbour, { bodyHtml: '<p>Reopened at dawn.</p>' }, 't');
    });
    assert.equal(held.statusCode, 200);
    assert.doesNotMatch(held.body, /Reopened at dawn/, 'the held render read the story before the edit');
    const next = await get('/world/harbour-reopens');
    assert.equal(next.statusCode, 200);
    assert.match(next.body, /Reopened at dawn/, 'the render from before the edit must not have been stored');
  });

  test('a render is still kept when the change drops none of its pages', async () => {
    t.app.pageCache!.clear();
    const siteId = t.rt.directory.forHost(host)!.site.id;
    // Another story, in another section: the page being rendered shows nothing of it.
    await renderedAround('/world/harbour-reopens', async () => {
      await t.rt.articles.update(rates, { bodyHtml: '<p>Rates held again.</p>' }, 't');
    });
    assert.ok(t.app.pageCache!.get(`${siteId}|/world/harbour-reopens`), 'the page must have been stored');
  });
});
