// The Front page screen over HTTP on both databases: an editor arranges a site's lead and top stories with
// links that change nothing until Save (works without JavaScript), searches the site's published stories,
// saves (audited, one front_page.changed event), is refused with the error's code for a story not on the
// site, a malformed address or a save someone else overtook, and clears; stories taken down since are
// named. Per role: contributors, authors, moderators and editors of another site get 403 and nothing
// changes; admins and owners may. Session, then CSRF, then permission.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp, testJpeg } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import type { DomainEvent } from '../../events/bus.ts';
import { FrontPageReader } from '../../front-page/reader.ts';
import { auditCount, auditEntries, postFields } from '../sites/network-testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';

type Staff = Awaited<ReturnType<typeof signedInStaff>>;

describeEachDialect('the Front page screen', (ctx) => {
  let t: TestApp;
  let news: Awaited<ReturnType<typeof newsSite>>;
  let life: Awaited<ReturnType<typeof newsSite>>;
  let editor: Staff;
  let reader: FrontPageReader;
  const story: Record<string, number> = {};
  const seen: DomainEvent[] = [];

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    news = await newsSite(t.rt, 'news');
    life = await newsSite(t.rt, 'life');
    const picture = await t.rt.media.addImage(await testJpeg(), {
      caption: 'Boats',
      credit: 'Staff',
      alt: 'Boats',
    });
    for (const [site, headline, media] of [
      [news, 'Harbour reopens after the storm', picture.id],
      [news, 'Markets rally on rate hopes', null],
      [news, 'Council approves the new bridge', null],
      [news, 'Rail strike called off', null],
      [life, 'Gardens in bloom', null],
    ] as const) {
      const a = await t.rt.articles.create(
        {
          siteId: site.site.id,
          sectionId: site.world.id,
          headline,
          bodyHtml: '<p>Text.</p>',
          leadMediaId: media,
        },
        'test',
      );
      story[headline.split(' ')[0]!] = a.article.id;
    }
    await t.rt.searchIndexer.idle();
    reader = new FrontPageReader(t.rt.db);
    t.rt.bus.on((e) => seen.push(e));
    editor = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }]);
  });
  after(async () => {
    await t.close();
  });

  const path = () => `/front-page/${news.site.id}`;
  const open = (who: Staff, query = '') => who.client.get(`${ADMIN}${path()}${query}`);
  /** The href of the move link with this aria-label, unescaped. */
  const linkFor = (html: string, label: string) => {
    const m = new RegExp(`href="([^"]+)" aria-label="${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).exec(
      html,
    );
    assert.ok(m, `a link "${label}" on the page`);
    return m[1]!.replace(/&amp;/g, '&').replace(/#.*$/, '');
  };
  /** The fields of the page's Save form. */
  const saveFields = (html: string): [string, string][] => {
    const form = /<form method="post" action="\/front-page\/\d+" [^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
    assert.ok(form, 'a save form');
    return [...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [
      m[1]!,
      m[2]!,
    ]);
  };
  const follow = async (who: Staff, href: string) => {
    const r = await who.client.get(`${ADMIN}${href}`);
    assert.equal(r.status, 200, r.body.slice(0, 300));
    return r.body;
  };
  const leadSection = (html: string) => /Lead story<\/h3>([\s\S]*?)<h3/.exec(html)?.[1] ?? '';
  const topSection = (html: string) =>
    /Top stories <span[\s\S]*?<\/h3>([\s\S]*?)<div class="fp-actions">/.exec(html)?.[1] ?? '';

  test('an editor of one site lands on its front page: not arranged, the newest stories to pick from', async () => {
    const r = await editor.client.get(`${ADMIN}/front-page`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, path());
    const p = await open(editor);
    assert.equal(p.status, 200);
    assert.match(p.body, /Not arranged yet/);
    assert.match(p.body, /aria-current="page"[^>]*>Front page</);
    assert.match(p.body, /Newest published stories/);
    assert.match(p.body, /Rail strike called off/);
    assert.doesNotMatch(p.body, /Gardens in bloom/, 'only this site’s stories');
    // The picture's thumbnail is a crop of the lead picture, served by the admin host.
    const thumb = /<img class="fp-thumb" src="([^"]+)"/.exec(p.body)?.[1];
    assert.ok(thumb);
    assert.equal((await editor.client.get(`${ADMIN}${thumb}`)).status, 200);
  });

  test('moves change nothing until Save; Save writes it, audited, with one event', async () => {
    const audits = await auditCount(t);
    let html = (await open(editor)).body;
    html = await follow(editor, linkFor(html, 'Make lead: Harbour reopens after the storm'));
    assert.match(leadSection(html), /Harbour reopens/);
    assert.match(html, /Not saved yet/);
    html = await follow(editor, linkFor(html, 'Add to top: Markets rally on rate hopes'));
    html = await follow(editor, linkFor(html, 'Add to top: Council approves the new bridge'));
    html = await follow(editor, linkFor(html, 'Add to top: Rail strike called off'));
    html = await follow(editor, linkFor(html, 'Up: Rail strike called off'));
    html = await follow(editor, linkFor(html, 'Remove: Markets rally on rate hopes'));
    assert.match(topSection(html), /Rail strike[\s\S]*Council approves/);
    assert.doesNotMatch(topSection(html), /Markets rally/);
    assert.equal(await reader.arrangement(news.site.id), null, 'nothing saved by moving');
    assert.equal(await auditCount(t), audits);

    const before = seen.length;
    const saved = await postFields(t, editor.client, path(), saveFields(html));
    assert.equal(saved.status, 303, saved.body.slice(0, 300));
    assert.equal(saved.headers.location, `${path()}?done=front-page-saved`);
    assert.deepEqual(await reader.arrangement(news.site.id), {
      leadArticleId: story.Harbour,
      topArticleIds: [story.Rail, story.Council],
    });
    assert.deepEqual(
      seen.slice(before).filter((e) => e.type === 'front_page.changed'),
      [{ type: 'front_page.changed', siteId: news.site.id }],
    );
    const [entry] = (await auditEntries(t, 'front_page.saved', { type: 'site', id: news.site.id })).slice(-1);
    assert.equal(entry?.actor, `user:${editor.userId}`);
    assert.deepEqual(entry?.detail.after, { lead: story.Harbour, top: [story.Rail, story.Council] });
    const after = await editor.client.get(`${ADMIN}${saved.headers.location}`);
    assert.match(after.body, /Front page saved/);
    assert.match(after.body, /Saved [^<]* by Staff Member/);
    assert.doesNotMatch(after.body, /Not saved yet/);
  });

  test('search finds the site’s published stories and keeps the unsaved arrangement', async () => {
    let html = (await open(editor)).body;
    html = await follow(editor, linkFor(html, 'Remove: Council approves the new bridge'));
    const fields = new URLSearchParams(saveFields(html).filter(([k]) => k !== 'csrf'));
    fields.set('q', 'markets');
    html = await follow(editor, `${path()}?${fields}`);
    assert.match(html, /Stories matching “markets”/);
    const results = /<ul class="fp-list fp-results">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    assert.match(results, /Markets rally/);
    assert.doesNotMatch(results, /Rail strike/);
    assert.doesNotMatch(topSection(html), /Council approves/, 'the removal is kept across the search');
    fields.set('q', 'gardens');
    html = await follow(editor, `${path()}?${fields}`);
    assert.match(html, /No published story matches/, 'another site’s story is not found');
  });

  test('refused saves answer with their code and change nothing', async () => {
    const was = await reader.arrangement(news.site.id);
    const audits = await auditCount(t);
    const fields = saveFields((await open(editor)).body);
    const withField = (name: string, value: string) =>
      fields.map(([k, v]): [string, string] => [k, k === name ? value : v]);

    const elsewhere = await postFields(t, editor.client, path(), withField('lead', String(story.Gardens)));
    assert.equal(elsewhere.status, 404);
    assert.match(elsewhere.body, /DATELINE_ERR_ARTICLE_NOT_FOUND/);
    const malformed = await postFields(t, editor.client, path(), withField('top', '1,,x'));
    assert.equal(malformed.status, 400);
    assert.match(malformed.body, /DATELINE_ERR_BAD_REQUEST/);
    const twice = await postFields(t, editor.client, path(), withField('top', `${story.Harbour}`));
    assert.equal(twice.status, 400);
    assert.match(twice.body, /DATELINE_ERR_BAD_REQUEST/);
    assert.deepEqual(await reader.arrangement(news.site.id), was);
    assert.equal(await auditCount(t), audits);
  });

  test('a save overtaken by someone else’s is refused, theirs is shown, and saving again replaces it', async () => {
    const other = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }]);
    const mine = saveFields((await open(editor)).body);
    let theirs = (await open(other)).body;
    theirs = await follow(other, linkFor(theirs, 'Make lead: Markets rally on rate hopes'));
    assert.equal((await postFields(t, other.client, path(), saveFields(theirs))).status, 303);
    const refused = await postFields(
      t,
      editor.client,
      path(),
      mine.map(([k, v]): [string, string] => [k, k === 'top' ? `${story.Council}` : v]),
    );
    assert.equal(refused.status, 409);
    assert.match(refused.body, /DATELINE_ERR_EDIT_CONFLICT/);
    assert.match(refused.body, /Saved meanwhile: lead “Markets rally on rate hopes”/);
    assert.equal((await reader.arrangement(news.site.id))?.leadArticleId, story.Markets, 'theirs stays');
    const again = await postFields(t, editor.client, path(), saveFields(refused.body));
    assert.equal(again.status, 303);
    assert.deepEqual(await reader.arrangement(news.site.id), {
      leadArticleId: story.Harbour,
      topArticleIds: [story.Council],
    });
  });

  test('a story taken down since leaves the front page and is named on the screen', async () => {
    await t.rt.articles.takeDown(story.Council!, 'legal', 'test');
    assert.deepEqual(await reader.arrangement(news.site.id), {
      leadArticleId: story.Harbour,
      topArticleIds: [],
    });
    const p = await open(editor);
    assert.match(
      p.body,
      /No longer on the front page, since they are not published any more: “Council approves/,
    );
    assert.doesNotMatch(topSection(p.body), /Council approves/);
  });

  test('Back to newest first clears the arrangement, audited', async () => {
    const r = await postFields(t, editor.client, `${path()}/clear`, [['csrf', editor.csrf]]);
    assert.equal(r.status, 303);
    assert.equal(await reader.arrangement(news.site.id), null);
    assert.equal((await auditEntries(t, 'front_page.cleared', { type: 'site', id: news.site.id })).length, 1);
    assert.match((await open(editor)).body, /Not arranged yet/);
  });

  test('contributors, authors, moderators and other sites’ editors get 403 and change nothing', async () => {
    const save: [string, string][] = [
      ['lead', String(story.Rail)],
      ['top', ''],
      ['base', '0'],
    ];
    const frontPageAudits = async () =>
      (await auditEntries(t, 'front_page.saved')).length +
      (await auditEntries(t, 'front_page.cleared')).length;
    const audits = await frontPageAudits();
    for (const grant of [
      { role: 'contributor', siteId: news.site.id },
      { role: 'author', siteId: news.site.id },
      { role: 'moderator', siteId: news.site.id },
      { role: 'editor', siteId: life.site.id },
    ] as const) {
      const who = await signedInStaff(t, [grant]);
      const label = `${grant.role} of site ${grant.siteId}`;
      const page = await open(who);
      assert.equal(page.status, 403, label);
      assert.match(page.body, /DATELINE_ERR_FORBIDDEN/, label);
      for (const [p, fields] of [
        [path(), [['csrf', who.csrf], ...save]],
        [`${path()}/clear`, [['csrf', who.csrf]]],
      ] as [string, [string, string][]][]) {
        const r = await postFields(t, who.client, p, fields);
        assert.equal(r.status, 403, `${label} POST ${p}`);
        assert.match(r.body, /DATELINE_ERR_FORBIDDEN/, label);
      }
      const menu = (await who.client.get(`${ADMIN}/`)).body;
      if (grant.role !== 'editor')
        assert.doesNotMatch(menu, /href="\/front-page"/, `${label} has no menu entry`);
    }
    assert.equal(await reader.arrangement(news.site.id), null);
    assert.equal(await frontPageAudits(), audits, 'no front page change was audited');
  });

  test('admins of the site and owners may arrange it', async () => {
    for (const grant of [
      { role: 'admin', siteId: news.site.id },
      { role: 'owner', siteId: null },
    ] as const) {
      const who = await signedInStaff(t, [grant]);
      let html = (await open(who)).body;
      html = await follow(who, linkFor(html, 'Make lead: Rail strike called off'));
      const r = await postFields(t, who.client, path(), saveFields(html));
      assert.equal(r.status, 303, `${grant.role}: ${r.body.slice(0, 300)}`);
      assert.equal((await reader.arrangement(news.site.id))?.leadArticleId, story.Rail);
      await postFields(t, who.client, `${path()}/clear`, [['csrf', who.csrf]]);
    }
  });

  test('session first, then CSRF, then permission', async () => {
    const fields: [string, string][] = [
      ['lead', String(story.Rail)],
      ['top', ''],
      ['base', '0'],
    ];
    const signedOut = await t.app.inject({
      method: 'POST',
      url: path(),
      headers: {
        host: 'admin.localhost:3000',
        origin: ADMIN,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams(fields).toString(),
    });
    assert.equal(signedOut.statusCode, 401);
    assert.match(signedOut.body, /DATELINE_ERR_STAFF_SIGN_IN_REQUIRED/);
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: news.site.id }]);
    const noToken = await postFields(t, contributor.client, path(), fields);
    assert.equal(noToken.status, 403);
    assert.match(noToken.body, /DATELINE_ERR_CSRF_REJECTED/, 'the token is checked before the role');
    const noTokenEditor = await postFields(t, editor.client, path(), fields);
    assert.match(noTokenEditor.body, /DATELINE_ERR_CSRF_REJECTED/);
    assert.equal(await reader.arrangement(news.site.id), null);
  });
});
