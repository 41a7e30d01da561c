import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { SiteDirectory } from '../sites/directory.ts';
import { isBot } from './bots.ts';
import { ReadCounter } from './reads.ts';
import { TrendingService } from './service.ts';

const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; rv:133.0) Gecko/20100101 Firefox/133.0';

test('obvious bots are recognised, browsers are not', () => {
  for (const ua of [
    undefined,
    '',
    'Googlebot/2.1 (+http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0)',
    'curl/8.5.0',
    'python-requests/2.32',
    'facebookexternalhit/1.1',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36',
    'Slackbot-LinkExpanding 1.0',
  ]) {
    assert.equal(isBot(ua), true, String(ua));
  }
  assert.equal(isBot(CHROME), false);
  assert.equal(isBot(FIREFOX), false);
});

describeEachDialect('read counting and trending', (ctx) => {
  let s: ReturnType<typeof services>;
  let news: Awaited<ReturnType<typeof siteWithSections>>;
  let life: Awaited<ReturnType<typeof siteWithSections>>;
  let travel: Awaited<ReturnType<typeof siteWithSections>>;
  let directory: SiteDirectory;
  let now = new Date('2025-10-10T12:00:00Z');
  const clock = () => now;
  let counter: ReadCounter;
  let trending: TrendingService;
  const story: Record<string, { articleId: number; placementId: number }> = {};

  const add = async (key: string, site: typeof news, minutesAgo: number, sectionId = site.world.id) => {
    const { article, placements } = await s.articles.create(
      {
        siteId: site.site.id,
        sectionId,
        headline: `Story ${key}`,
        bodyHtml: '<p>x</p>',
        publishedAt: new Date(now.getTime() - minutesAgo * 60_000),
      },
      'test',
    );
    story[key] = { articleId: article.id, placementId: placements[0]!.id };
  };
  const read = (key: string, times: number, ip = '203.0.113.') => {
    for (let i = 0; i < times; i++) counter.count(story[key]!.placementId, `${ip}${i}`, CHROME);
  };

  before(async () => {
    s = services(ctx.db);
    news = await siteWithSections(s, 'news');
    life = await siteWithSections(s, 'life');
    travel = await siteWithSections(s, 'travel');
    directory = new SiteDirectory(ctx.db);
    await directory.load();
    counter = new ReadCounter(ctx.db, { dedupeMs: 30 * 60_000, now: clock });
    await counter.prepare();
    trending = new TrendingService(ctx.db, directory, {
      halfLifeHours: 4,
      now: clock,
      blockSize: 4,
      listSize: 5,
    });
    trending.follow(s.bus);
    await add('n1', news, 60);
    await add('n2', news, 50);
    await add('l1', life, 300);
    await add('l2', life, 200);
    await add('l3', life, 100, life.business.id);
    await add('t1', travel, 400);
    await add('t2', travel, 30);
  });

  test('counts readers once per window, never bots, and only live stories', async () => {
    const p = story.n1!.placementId;
    assert.equal(counter.count(p, '198.51.100.1', CHROME), 'counted');
    assert.equal(counter.count(p, '198.51.100.1', CHROME), 'duplicate');
    assert.equal(counter.count(p, '198.51.100.1', FIREFOX), 'counted', 'another browser is another reader');
    assert.equal(counter.count(p, '198.51.100.2', CHROME), 'counted');
    assert.equal(counter.count(p, '198.51.100.3', 'Googlebot/2.1'), 'bot');
    assert.equal(counter.count(-1, '198.51.100.3', CHROME), 'invalid');
    assert.equal(
      counter.count(99_999_999, '198.51.100.3', CHROME),
      'counted',
      'unknown ids wait for the flush',
    );
    now = new Date(now.getTime() + 31 * 60_000);
    assert.equal(counter.count(p, '198.51.100.1', CHROME), 'counted', 'again after the window');
    assert.equal(counter.pendingReads, 5);
    await counter.flush();
    assert.equal(counter.pendingReads, 0);
    const rows = await ctx.db.kysely.selectFrom('article_reads').selectAll().execute();
    assert.equal(rows.length, 1, 'the unknown placement was dropped');
    assert.equal(Number(rows[0]!.reads), 4);
    assert.equal(rows[0]!.article_id, story.n1!.articleId);
    const salts = await ctx.db.kysely.selectFrom('read_salts').selectAll().execute();
    assert.equal(salts.length, 1);
    const stored = JSON.stringify(await ctx.db.kysely.selectFrom('article_reads').selectAll().execute());
    assert.ok(!stored.includes('198.51.100'), 'no IP is stored');
    await ctx.db.kysely.deleteFrom('article_reads').execute();
  });

  test('the block mixes the other sites, hottest first; decay lets fresh reads beat old ones', async () => {
    // Life: l1 read a lot 10 hours ago, l2 a little just now. Travel: t1 read a fair amount now.
    const earlier = now;
    now = new Date(earlier.getTime() - 10 * 3_600_000);
    read('l1', 40, '192.0.2.');
    await counter.flush();
    now = earlier;
    read('l2', 8, '192.0.2.');
    read('t1', 12, '198.18.0.');
    read('n2', 3, '198.18.1.');
    await counter.flush();
    const changed = await trending.refresh();
    assert.ok(changed.includes(news.site.id));

    // 40 reads at 10 hours (2.5 half-lives) ≈ 7 now; 8 fresh reads beat it.
    assert.deepEqual(
      trending
        .trending(life.site.id)
        .slice(0, 2)
        .map((i) => i.headline),
      ['Story l2', 'Story l1'],
    );
    const block = trending.block(news.site.id);
    assert.deepEqual(
      block.map((i) => i.headline),
      ['Story t1', 'Story l2', 'Story t2', 'Story l1'],
      'travel is hottest, then turns between sites; then stories nobody read yet, newest first',
    );
    assert.ok(block.every((i) => i.siteId !== news.site.id));
    const first = block[0]!;
    assert.equal(first.siteName, 'Site travel');
    assert.equal(first.category, 'World');
    assert.equal(first.path, '/world/story-t1');
    assert.equal(trending.mostRead(news.site.id)[0]?.headline, 'Story n2');
    assert.equal(trending.mostRead(life.site.id, life.world.id)[0]?.headline, 'Story l1');
    assert.deepEqual(trending.mostRead(life.site.id, life.business.id), []);
    assert.deepEqual(await trending.refresh(), [], 'nothing changed, so no page is dropped');
  });

  test('a taken-down story leaves every list at once and listeners hear it', async () => {
    const heard: number[][] = [];
    const off = trending.onChange((ids) => heard.push(ids));
    await s.articles.takeDown(story.t1!.articleId, 'legal', 'editor');
    off();
    assert.ok(!trending.block(news.site.id).some((i) => i.articleId === story.t1!.articleId));
    assert.ok(!trending.trending(travel.site.id).some((i) => i.articleId === story.t1!.articleId));
    assert.ok(heard.some((ids) => ids.includes(news.site.id)));
    await trending.refresh();
    assert.ok(
      !trending.block(news.site.id).some((i) => i.articleId === story.t1!.articleId),
      'and stays out',
    );
  });

  test('an edited headline shows after the refresh it triggers', async () => {
    await s.articles.update(story.l2!.articleId, { headline: 'Story l2 revised' }, 'editor');
    await trending.refresh();
    assert.ok(trending.block(news.site.id).some((i) => i.headline === 'Story l2 revised'));
  });

  test('operators pin and exclude stories and choose the source sites', async () => {
    await trending.pin(news.site.id, story.l3!.articleId);
    assert.equal(trending.block(news.site.id)[0]?.headline, 'Story l3');
    await trending.exclude(news.site.id, story.l1!.articleId);
    assert.ok(!trending.block(news.site.id).some((i) => i.articleId === story.l1!.articleId));
    await trending.clearOverride(news.site.id, story.l1!.articleId);
    await trending.clearOverride(news.site.id, story.l3!.articleId);
    await trending.setSources(news.site.id, [travel.site.id]);
    assert.ok(trending.block(news.site.id).every((i) => i.siteId === travel.site.id));
    await trending.setSources(news.site.id, []);
    assert.deepEqual(trending.block(news.site.id), [], 'no sources: no block');
    await trending.setSources(news.site.id, null);
    assert.ok(
      trending.block(news.site.id).some((i) => i.siteId === life.site.id),
      'back to every other site',
    );
  });
});
