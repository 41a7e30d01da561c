// The dashboard over HTTP on both dialects: today's stories per site in the site's own day, what is
// scheduled next, the wire queue's length for the sites one reviews (and only for those who review), and
// the most read stories now.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { addReads, hourStart } from '../../trending/repository.ts';
import { ninjs } from '../../wire/testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { type DeskFixture, deskFixture } from '../wire/testing.ts';
import { startOfToday } from './dashboard-data.ts';

describeEachDialect('the dashboard', (ctx) => {
  let t: TestApp;
  let f: DeskFixture;
  let harbour = 0;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    f = await deskFixture(t);
    const news = f.news;
    const make = (headline: string, extra: Record<string, unknown> = {}) =>
      t.rt.articles.create(
        { siteId: news.site.id, sectionId: news.world.id, headline, bodyHtml: '<p>a</p>', ...extra },
        'test',
      );
    harbour = (await make('Harbour reopens')).article.id;
    await make('Ferry timetable changes');
    await make('Yesterday’s story', {
      publishedAt: new Date(startOfToday(new Date(), 'Asia/Tokyo').getTime() - 3600_000),
    });
    await make('Budget day', { publishAt: new Date(Date.now() + 2 * 86_400_000) });
    await make('Election night', { publishAt: new Date(Date.now() + 86_400_000) });
    await make('A draft', { status: 'draft' });
    await f.deliver([ninjs('urn:dash:1'), ninjs('urn:dash:2')]);
    await f.deliver([ninjs('urn:dash:3')], f.sisterAgency);
    await addReads(t.rt.db, [
      {
        articleId: harbour,
        siteId: news.site.id,
        sectionId: news.world.id,
        hour: hourStart(new Date()),
        reads: 7,
      },
    ]);
    await t.rt.trending.refresh();
  });
  after(async () => {
    await t.close();
  });

  test('an editor sees today’s stories, what is next, the wire queue and the most read', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const r = await editor.client.get(`${ADMIN}/`);
    assert.equal(r.status, 200);
    const today = /<tbody>[\s\S]*?<\/tbody>/.exec(r.body)![0];
    assert.match(
      today,
      new RegExp(
        `${f.news.site.name}</th><td class="adm-num">2</td><td class="adm-num">2</td><td class="adm-num">1</td>`,
      ),
    );
    assert.match(r.body, /Harbour reopens/);
    assert.doesNotMatch(r.body, /Yesterday’s story/, 'yesterday in the site’s zone is not today');
    const next = /id="next"[\s\S]*?<\/section>/.exec(r.body)![0];
    assert.ok(next.indexOf('Election night') < next.indexOf('Budget day'), 'soonest first');
    assert.match(r.body, /class="adm-big-number">2<\/a> stories wait/);
    const read = /id="most-read"[\s\S]*?<\/section>/.exec(r.body)![0];
    assert.match(
      read,
      new RegExp(`href="/stories/${harbour}">Harbour reopens</a> <span class="adm-muted adm-small">7 reads`),
    );
  });

  test('the wire count follows the sites one reviews; without the role there is none', async () => {
    const sister = await signedInStaff(t, [{ role: 'editor', siteId: f.sister.site.id }]);
    assert.match((await sister.client.get(`${ADMIN}/`)).body, /class="adm-big-number">1<\/a> story waits/);
    const network = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const all = await network.client.get(`${ADMIN}/`);
    assert.match(all.body, /class="adm-big-number">3<\/a> stories wait/);
    // Choosing one site narrows it.
    await network.client.post(`${ADMIN}/site`, {
      csrf: network.csrf,
      site: String(f.sister.site.id),
      next: '/',
    });
    assert.match((await network.client.get(`${ADMIN}/`)).body, /class="adm-big-number">1<\/a> story waits/);
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: f.news.site.id }]);
    const c = await contributor.client.get(`${ADMIN}/`);
    assert.equal(c.status, 200);
    assert.doesNotMatch(c.body, /Wire queue/);
    assert.match(c.body, /Harbour reopens/);
  });
});
