// The home page's lead and top stories come from an editor's arrangement when the composition root gives
// the reader one (HomePicks, from src/front-page in the app; a fake here), and fall back to the newest
// stories for whatever it leaves open: no arrangement, a lead or top story taken down, fewer than five.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../test/app.ts';
import { describeEachDialect } from '../../test/dialects.ts';
import { HOME_BLOCK, HOME_TOP, type HomePicks } from './reader.ts';

describeEachDialect('home page picks', (d) => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof newsSite>>;
  const ids: number[] = [];

  before(async () => {
    t = await startTestApp(d.db);
    s = await newsSite(t.rt);
    // Story 0 is the oldest, story 11 the newest; even ones in World, odd ones in Business.
    for (let i = 0; i < 12; i++) {
      const { article } = await t.rt.articles.create(
        {
          siteId: s.site.id,
          sectionId: i % 2 === 0 ? s.world.id : s.business.id,
          headline: `Story ${i}`,
          bodyHtml: '<p>x</p>',
          publishedAt: new Date(Date.UTC(2026, 0, 1 + i)),
        },
        'test',
      );
      ids.push(article.id);
    }
  });
  after(() => t.close());

  const ctx = () => t.rt.directory.byIdOrUndefined(s.site.id)!;
  const picks = (leadArticleId: number | null, topArticleIds: number[]): HomePicks => ({
    arrangement: async (siteId) => {
      assert.equal(siteId, s.site.id);
      return { leadArticleId, topArticleIds };
    },
  });
  const headlines = (list: { headline: string }[]) => list.map((x) => x.headline);

  test('without picks, or with no arrangement, the newest five lead', async () => {
    const newest = ['Story 11', 'Story 10', 'Story 9', 'Story 8', 'Story 7'];
    assert.deepEqual(headlines((await t.rt.reader.home(ctx())).top), newest);
    const none: HomePicks = { arrangement: async () => null };
    assert.deepEqual(headlines((await t.rt.reader.home(ctx(), none)).top), newest);
  });

  test("the editor's lead and top stories, in their order, then the newest to make five", async () => {
    const home = await t.rt.reader.home(ctx(), picks(ids[2]!, [ids[0]!, ids[5]!]));
    assert.deepEqual(headlines(home.top), ['Story 2', 'Story 0', 'Story 5', 'Story 11', 'Story 10']);
    assert.equal(home.top.length, HOME_TOP);
    // Section blocks leave out what is at the top, and hold a lead and three more.
    const world = home.sections.find((b) => b.section.id === s.world.id)!;
    assert.deepEqual(headlines(world.teasers), ['Story 8', 'Story 6', 'Story 4']);
    const business = home.sections.find((b) => b.section.id === s.business.id)!;
    assert.equal(business.teasers.length, HOME_BLOCK);
    assert.ok(!headlines(business.teasers).includes('Story 5'));
  });

  test('a story taken down since drops out; a lost lead is replaced by the newest', async () => {
    await t.rt.articles.takeDown(ids[2]!, 'legal', 'test');
    await t.rt.articles.takeDown(ids[0]!, 'legal', 'test');
    const home = await t.rt.reader.home(ctx(), picks(ids[2]!, [ids[0]!, ids[5]!, ids[3]!]));
    assert.deepEqual(headlines(home.top), ['Story 11', 'Story 5', 'Story 3', 'Story 10', 'Story 9']);
    // A story of another site is not shown here even if it is named.
    const other = await newsSite(t.rt, 'other');
    const { article } = await t.rt.articles.create(
      { siteId: other.site.id, sectionId: other.world.id, headline: 'Elsewhere', bodyHtml: '<p>x</p>' },
      'test',
    );
    const mixed = await t.rt.reader.home(ctx(), picks(article.id, [ids[7]!]));
    assert.deepEqual(headlines(mixed.top), ['Story 11', 'Story 7', 'Story 10', 'Story 9', 'Story 8']);
  });

  test('the home page renders the arrangement through the routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/', headers: { host: `${s.host}:3000` } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /aria-label="Top stories"/);
    assert.match(res.body, /class="lead-list lead-list--top" data-rest="4"/);
    assert.match(res.body, /class="home-block"/);
  });
});
