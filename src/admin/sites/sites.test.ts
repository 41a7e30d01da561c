// The Sites screens over HTTP on both dialects: settings (with the contrast rule and the time-zone list),
// the logo upload through the media checks, a new site, and sections (add, rename, move, hide); each change
// audited with before and after, and per role a forbidden change answers 403 and changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp, testJpeg } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { staffActor } from '../../audit/log.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { auditCount, auditEntries, postMultipart } from './network-testing.ts';

describeEachDialect('the Sites screens', (ctx) => {
  let t: TestApp;
  let news: Awaited<ReturnType<typeof newsSite>>;
  let life: Awaited<ReturnType<typeof newsSite>>;
  let owner: Awaited<ReturnType<typeof signedInStaff>>;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    news = await newsSite(t.rt, 'news');
    life = await newsSite(t.rt, 'life');
    owner = await signedInStaff(t, [{ role: 'admin', siteId: null }]);
  });
  after(async () => {
    await t.close();
  });

  const settings = (over: Record<string, string> = {}) => ({
    csrf: owner.csrf,
    name: 'The Example Times',
    hosts: 'news.localhost\nwww.news.localhost',
    language: 'en-GB',
    timeZone: 'Europe/London',
    tagline: 'News of the harbour',
    footerText: '©2025 Example Inc.',
    primaryColor: '#1a3d6d',
    accentColor: '#b3261e',
    ...over,
  });
  const stored = () => t.rt.sites.require('news');

  test('the list shows each site with links to its settings and sections', async () => {
    const r = await owner.client.get(`${ADMIN}/sites`);
    assert.equal(r.status, 200);
    assert.match(r.body, new RegExp(`href="/sites/${news.site.id}"`));
    assert.match(r.body, new RegExp(`href="/sites/${life.site.id}/sections"`));
    assert.match(r.body, /href="\/sites\/new"/);
    assert.match(r.body, /aria-current="page"[^>]*>Sites</);
  });

  test('saving settings changes the site, the reader pages follow, and the log has before and after', async () => {
    const r = await owner.client.post(`${ADMIN}/sites/${news.site.id}`, settings());
    assert.equal(r.status, 303, r.body.slice(0, 800));
    assert.equal(r.headers.location, `/sites/${news.site.id}?done=site-saved`);
    const s = await stored();
    assert.equal(s.name, 'The Example Times');
    assert.deepEqual(s.hosts, ['news.localhost', 'www.news.localhost']);
    assert.equal(s.timeZone, 'Europe/London');
    assert.equal(s.language, 'en-GB');
    assert.equal(s.tagline, 'News of the harbour');
    assert.equal(s.footerText, '©2025 Example Inc.');
    const [entry] = await auditEntries(t, 'site.updated', { type: 'site', id: news.site.id });
    assert.ok(entry);
    assert.equal(entry.actor, staffActor(owner.userId));
    assert.equal(entry.detail.before?.name, 'Example Times');
    assert.equal(entry.detail.after?.name, 'The Example Times');
    assert.equal(entry.detail.before?.timeZone, 'Asia/Tokyo');
    assert.equal(entry.detail.after?.timeZone, 'Europe/London');
    assert.equal(entry.detail.before?.primaryColor, undefined, 'unchanged fields are left out');
    const home = await t.app.inject({ url: '/', headers: { host: 'www.news.localhost:3000' } });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /News of the harbour/);
    assert.match(home.body, /©2025 Example Inc\./);
  });

  test('a colour under AA against the page is refused on the server, and nothing changes', async () => {
    const before = await stored();
    const entries = await auditCount(t);
    const r = await owner.client.post(
      `${ADMIN}/sites/${news.site.id}`,
      settings({ primaryColor: '#7fa7d9', name: 'Renamed while refused' }),
    );
    assert.equal(r.status, 400);
    assert.match(r.body, /DATELINE_ERR_BRAND_CONTRAST_LOW/);
    assert.match(r.body, /2\.\d\d:1/);
    // The form keeps what was typed.
    assert.match(r.body, /value="Renamed while refused"/);
    const after = await stored();
    assert.equal(after.primaryColor, before.primaryColor);
    assert.equal(after.name, before.name);
    assert.equal(await auditCount(t), entries);
    // The accent too; a dark one passes.
    const accent = await owner.client.post(
      `${ADMIN}/sites/${news.site.id}`,
      settings({ accentColor: '#ff6f61' }),
    );
    assert.equal(accent.status, 400);
    assert.match(accent.body, /DATELINE_ERR_BRAND_CONTRAST_LOW/);
    const dark = await owner.client.post(
      `${ADMIN}/sites/${news.site.id}`,
      settings({ primaryColor: '#0B3D2E' }),
    );
    assert.equal(dark.status, 303);
    assert.equal((await stored()).primaryColor, '#0b3d2e');
  });

  test('the settings page shows the live contrast figures and loads the brand script', async () => {
    const r = await owner.client.get(`${ADMIN}/sites/${news.site.id}`);
    assert.equal(r.status, 200);
    assert.match(r.body, /data-contrast-for="primaryColor"/);
    assert.match(r.body, /\d+\.\d\d:1/);
    assert.match(r.body, /<script type="module" src="\/admin-assets\/[0-9a-f]+\/site-brand\.js"/);
    assert.match(r.body, /<option value="Europe\/London" selected/);
    const js = /src="(\/admin-assets\/[0-9a-f]+\/site-brand\.js)"/.exec(r.body)![1]!;
    const script = await owner.client.get(`${ADMIN}${js}`);
    assert.equal(script.status, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
  });

  test('time zones come from the IANA list; hosts must be free and not the admin’s', async () => {
    const before = await stored();
    const zone = await owner.client.post(
      `${ADMIN}/sites/${news.site.id}`,
      settings({ timeZone: 'Mars/Olympus_Mons' }),
    );
    assert.equal(zone.status, 400);
    assert.match(zone.body, /f-timeZone-problem/);
    const taken = await owner.client.post(
      `${ADMIN}/sites/${news.site.id}`,
      settings({ hosts: 'life.localhost' }),
    );
    assert.equal(taken.status, 409);
    assert.match(taken.body, /DATELINE_ERR_HOST_TAKEN/);
    const admin = await owner.client.post(
      `${ADMIN}/sites/${news.site.id}`,
      settings({ hosts: 'admin.localhost' }),
    );
    assert.equal(admin.status, 400);
    const lang = await owner.client.post(
      `${ADMIN}/sites/${news.site.id}`,
      settings({ language: 'not a tag!' }),
    );
    assert.equal(lang.status, 400);
    assert.match(lang.body, /DATELINE_ERR_SITE_INVALID/);
    assert.match(lang.body, /f-language-problem/);
    const after = await stored();
    assert.deepEqual(after, before);
  });

  test('per role: changing settings without site.manage on the site answers 403 and changes nothing', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const lifeAdmin = await signedInStaff(t, [{ role: 'admin', siteId: life.site.id }]);
    const before = await stored();
    const entries = await auditCount(t);
    for (const who of [editor, lifeAdmin]) {
      const r = await who.client.post(`${ADMIN}/sites/${news.site.id}`, { ...settings(), csrf: who.csrf });
      assert.equal(r.status, 403);
      assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
      const page = await who.client.get(`${ADMIN}/sites/${news.site.id}`);
      assert.equal(page.status, 403);
    }
    assert.deepEqual(await stored(), before);
    assert.equal(await auditCount(t), entries);
    // Their own site is theirs to change.
    const own = await lifeAdmin.client.post(`${ADMIN}/sites/${life.site.id}`, {
      ...settings({ name: 'Life Weekly', hosts: 'life.localhost' }),
      csrf: lifeAdmin.csrf,
    });
    assert.equal(own.status, 303);
    assert.equal((await t.rt.sites.require('life')).name, 'Life Weekly');
  });

  test('a logo goes through the media checks, is stored and shown; a non-picture is refused', async () => {
    const entries = await auditCount(t);
    const text = await postMultipart(
      t,
      owner.client,
      `/sites/${news.site.id}/logo`,
      { csrf: owner.csrf },
      {
        field: 'logo',
        filename: 'logo.png',
        type: 'image/png',
        bytes: Buffer.from('this is not a picture at all'),
      },
    );
    assert.equal(text.status, 415, text.body.slice(0, 500));
    assert.match(text.body, /DATELINE_ERR_MEDIA_UNSUPPORTED_TYPE/);
    assert.equal((await stored()).logoMediaId, null);
    assert.equal(await auditCount(t), entries);

    const noToken = await postMultipart(
      t,
      owner.client,
      `/sites/${news.site.id}/logo`,
      {},
      {
        field: 'logo',
        filename: 'logo.jpg',
        type: 'image/jpeg',
        bytes: await testJpeg(400, 100),
      },
    );
    assert.equal(noToken.status, 403);
    assert.equal((await stored()).logoMediaId, null);

    const r = await postMultipart(
      t,
      owner.client,
      `/sites/${news.site.id}/logo`,
      { csrf: owner.csrf },
      {
        field: 'logo',
        filename: 'logo.jpg',
        type: 'image/jpeg',
        bytes: await testJpeg(400, 100),
      },
    );
    assert.equal(r.status, 303, r.body.slice(0, 500));
    const logo = (await stored()).logoMediaId;
    assert.ok(logo);
    const [entry] = await auditEntries(t, 'site.logo_changed', { type: 'site', id: news.site.id });
    assert.deepEqual(entry?.detail.before, { logoMediaId: null });
    assert.deepEqual(entry?.detail.after, { logoMediaId: logo });
    const img = await owner.client.get(`${ADMIN}/sites/${news.site.id}/logo.webp`);
    assert.equal(img.status, 200);
    assert.equal(img.headers['content-type'], 'image/webp');
    const home = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000' } });
    assert.match(home.body, new RegExp(`/media/${logo}/480\\.webp`));

    // An editor cannot change it; the owner removes it.
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }]);
    const refused = await editor.client.post(`${ADMIN}/sites/${news.site.id}/logo/remove`, {
      csrf: editor.csrf,
    });
    assert.equal(refused.status, 403);
    assert.equal((await stored()).logoMediaId, logo);
    const removed = await owner.client.post(`${ADMIN}/sites/${news.site.id}/logo/remove`, {
      csrf: owner.csrf,
    });
    assert.equal(removed.status, 303);
    assert.equal((await stored()).logoMediaId, null);
  });

  test('adding a site takes a network-wide admin; a site’s admin is refused and nothing is made', async () => {
    const lifeAdmin = await signedInStaff(t, [{ role: 'admin', siteId: life.site.id }]);
    const entries = await auditCount(t);
    const form = {
      slug: 'travel',
      name: 'Travel Times',
      hosts: 'travel.localhost',
      language: 'en',
      timeZone: 'Asia/Tokyo',
    };
    const refused = await lifeAdmin.client.post(`${ADMIN}/sites/new`, { ...form, csrf: lifeAdmin.csrf });
    assert.equal(refused.status, 403);
    assert.equal(await t.rt.sites.get('travel'), null);
    assert.equal(await auditCount(t), entries);
    assert.doesNotMatch((await lifeAdmin.client.get(`${ADMIN}/sites`)).body, /href="\/sites\/new"/);

    const made = await owner.client.post(`${ADMIN}/sites/new`, { ...form, csrf: owner.csrf });
    assert.equal(made.status, 303, made.body.slice(0, 500));
    const site = await t.rt.sites.require('travel');
    assert.equal(made.headers.location, `/sites/${site.id}?done=site-added`);
    assert.equal(site.timeZone, 'Asia/Tokyo');
    const [entry] = await auditEntries(t, 'site.created', { type: 'site', id: site.id });
    assert.equal(entry?.detail.after?.slug, 'travel');
    const again = await owner.client.post(`${ADMIN}/sites/new`, { ...form, csrf: owner.csrf });
    assert.equal(again.status, 409);
    assert.match(again.body, /DATELINE_ERR_SITE_SLUG_TAKEN/);
  });

  test('sections: add, rename, move up and down, hide and show, each audited', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }]);
    const base = `${ADMIN}/sites/${news.site.id}/sections`;
    const page = await editor.client.get(base);
    assert.equal(page.status, 200);
    const added = await editor.client.post(base, {
      csrf: editor.csrf,
      slug: 'sport',
      name: 'Sport',
      description: '',
    });
    assert.equal(added.status, 303, added.body.slice(0, 500));
    const sport = (await t.rt.sections.find(news.site.id, 'sport'))!;
    assert.ok(sport);
    assert.equal((await auditEntries(t, 'section.created', { type: 'section', id: sport.id })).length, 1);
    const reserved = await editor.client.post(base, {
      csrf: editor.csrf,
      slug: 'admin',
      name: 'Admin',
      description: '',
    });
    assert.equal(reserved.status, 400);
    assert.match(reserved.body, /f-slug-problem/);

    const renamed = await editor.client.post(`${base}/${sport.id}`, { csrf: editor.csrf, name: 'Sports' });
    assert.equal(renamed.status, 303);
    assert.equal((await t.rt.sections.byId(sport.id))!.name, 'Sports');
    const [rename] = await auditEntries(t, 'section.renamed', { type: 'section', id: sport.id });
    assert.deepEqual(rename?.detail.before, { name: 'Sport' });
    assert.deepEqual(rename?.detail.after, { name: 'Sports' });

    const order = async () => (await t.rt.sections.list(news.site.id)).map((s) => s.slug);
    assert.deepEqual(await order(), ['world', 'business', 'sport']);
    assert.equal(
      (await editor.client.post(`${base}/${sport.id}/move`, { csrf: editor.csrf, direction: 'up' })).status,
      303,
    );
    assert.deepEqual(await order(), ['world', 'sport', 'business']);
    const [moved] = await auditEntries(t, 'section.moved', { type: 'section', id: sport.id });
    assert.deepEqual(moved?.detail.before, { order: ['world', 'business', 'sport'] });
    assert.deepEqual(moved?.detail.after, { order: ['world', 'sport', 'business'] });
    await editor.client.post(`${base}/${news.world.id}/move`, { csrf: editor.csrf, direction: 'up' });
    assert.deepEqual(await order(), ['world', 'sport', 'business'], 'the first stays first');
    await editor.client.post(`${base}/${news.world.id}/move`, { csrf: editor.csrf, direction: 'down' });
    assert.deepEqual(await order(), ['sport', 'world', 'business']);

    const hid = await editor.client.post(`${base}/${news.business.id}/visibility`, {
      csrf: editor.csrf,
      hidden: '1',
    });
    assert.equal(hid.status, 303);
    assert.equal((await t.rt.sections.byId(news.business.id))!.hidden, true);
    const [hidden] = await auditEntries(t, 'section.hidden', { type: 'section', id: news.business.id });
    assert.deepEqual(hidden?.detail.before, { hidden: false });
    const home = await t.app.inject({ url: '/', headers: { host: 'news.localhost:3000' } });
    assert.doesNotMatch(home.body, /<a[^>]+href="\/business"/, 'not in the menu');
    assert.match(home.body, /<a[^>]+href="\/sport"/);
    const sectionPage = await t.app.inject({ url: '/business', headers: { host: 'news.localhost:3000' } });
    assert.equal(sectionPage.statusCode, 200, 'its page stays');
    await editor.client.post(`${base}/${news.business.id}/visibility`, { csrf: editor.csrf, hidden: '0' });
    assert.equal((await t.rt.sections.byId(news.business.id))!.hidden, false);
    assert.equal(
      (await auditEntries(t, 'section.shown', { type: 'section', id: news.business.id })).length,
      1,
    );
  });

  test('per role: sections of a site need section.manage there; refused changes leave them as they were', async () => {
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const lifeEditor = await signedInStaff(t, [{ role: 'editor', siteId: life.site.id }]);
    const base = `/sites/${news.site.id}/sections`;
    const before = await t.rt.sections.list(news.site.id);
    const entries = await auditCount(t);
    for (const who of [contributor, lifeEditor]) {
      const tries = [
        [base, { slug: 'opinion', name: 'Opinion', description: '' }],
        [`${base}/${news.world.id}`, { name: 'Planet' }],
        [`${base}/${news.world.id}/move`, { direction: 'down' }],
        [`${base}/${news.world.id}/visibility`, { hidden: '1' }],
      ] as const;
      for (const [path, form] of tries) {
        const r = await who.client.post(`${ADMIN}${path}`, { ...form, csrf: who.csrf });
        assert.equal(r.status, 403, `${path}: ${r.status}`);
      }
    }
    // Another site's section through this site's address is not found, and not changed.
    const elsewhere = await lifeEditor.client.post(
      `${ADMIN}/sites/${life.site.id}/sections/${news.world.id}`,
      {
        csrf: lifeEditor.csrf,
        name: 'Planet',
      },
    );
    assert.equal(elsewhere.status, 404);
    assert.deepEqual(await t.rt.sections.list(news.site.id), before);
    assert.equal(await auditCount(t), entries);
  });
});
