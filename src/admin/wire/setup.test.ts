// The wire set-up screens over HTTP on both dialects: agencies (with their one-time API token and licences),
// routing rules and pollers added, changed and removed as on the command line, problems shown beside their
// fields, every change in the audit log, and per role and per site that a forbidden change answers 403 and
// changes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import { hashToken } from '../../wire/setup.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { auditCount, type DeskFixture, deskFixture, postPairs } from './testing.ts';

describeEachDialect('the wire set-up in the admin', (ctx) => {
  let t: TestApp;
  let f: DeskFixture;
  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    f = await deskFixture(t);
  });
  after(async () => {
    await t.close();
  });

  test('an agency is added with its licences; its token is shown once and only its hash is kept', async () => {
    const chief = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const before = await auditCount(t, 'wire.agency_added');
    const r = await postPairs(t, chief.client, '/wire/agencies', [
      ['csrf', chief.csrf],
      ['slug', 'harbour-wire'],
      ['name', 'Harbour Wire'],
      ['credit', ''],
      ['retention', '30'],
      ['sites', f.news.site.slug],
      ['sites', f.sister.site.slug],
    ]);
    assert.equal(r.status, 200, r.body.slice(0, 400));
    const token = /class="wire-token-value">(dlw_[^<]+)</.exec(r.body)?.[1];
    assert.ok(token, 'the token is on the answer');
    const agency = await t.rt.wire.setup.requireAgency('harbour-wire');
    assert.deepEqual(agency.siteIds.sort(), [f.news.site.id, f.sister.site.id].sort());
    assert.equal(agency.credit, 'Harbour Wire');
    assert.equal(agency.retentionDays, 30);
    const row = await t.rt.db.kysely
      .selectFrom('wire_agencies')
      .select('token_hash')
      .where('slug', '=', 'harbour-wire')
      .executeTakeFirstOrThrow();
    assert.equal(row.token_hash, hashToken(token!));
    assert.equal((await t.rt.wire.setup.agencyForToken(token!))?.slug, 'harbour-wire');
    assert.equal(await auditCount(t, 'wire.agency_added'), before + 1);
    // Shown once: the agency's page does not carry it.
    const page = await chief.client.get(`${ADMIN}/wire/agencies/harbour-wire`);
    assert.ok(!page.body.includes(token!));
  });

  test('problems appear beside their fields and nothing is added', async () => {
    const chief = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const before = await auditCount(t);
    const badSlug = await postPairs(t, chief.client, '/wire/agencies', [
      ['csrf', chief.csrf],
      ['slug', 'Bad Slug!'],
      ['name', 'Bad'],
      ['sites', f.news.site.slug],
    ]);
    assert.equal(badSlug.status, 400);
    assert.match(badSlug.body, /id="na-slug-problem"/);
    assert.match(badSlug.body, /aria-invalid="true"/);
    const taken = await postPairs(t, chief.client, '/wire/agencies', [
      ['csrf', chief.csrf],
      ['slug', f.agency.slug],
      ['name', 'Again'],
      ['sites', f.news.site.slug],
    ]);
    assert.equal(taken.status, 409);
    assert.match(taken.body, /id="na-slug-problem"/);
    const urgency = await chief.client.post(`${ADMIN}/wire/routes`, {
      csrf: chief.csrf,
      target: `${f.news.site.slug}/world`,
      urgency: '12',
    });
    assert.equal(urgency.status, 400);
    assert.match(urgency.body, /id="nr-urgency-problem"/);
    const unlicensed = await chief.client.post(`${ADMIN}/wire/routes`, {
      csrf: chief.csrf,
      agency: f.agency.slug,
      target: `${f.sister.site.slug}/world`,
    });
    assert.equal(unlicensed.status, 403);
    assert.match(unlicensed.body, /id="nr-target-problem"/);
    const interval = await chief.client.post(`${ADMIN}/wire/pollers`, {
      csrf: chief.csrf,
      agency: f.agency.slug,
      kind: 'feed',
      location: 'ftp://wire.example.net/feed',
    });
    assert.equal(interval.status, 400);
    assert.match(interval.body, /id="np-location-problem"/);
    assert.equal(await auditCount(t), before);
  });

  test('licences are edited site by site; a withdrawn licence is audited with before and after', async () => {
    const chief = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const { agency } = await t.rt.wire.setup.addAgency('licence-wire', {
      name: 'Licence Wire',
      sites: [f.news.site.slug],
    });
    const r = await postPairs(t, chief.client, `/wire/agencies/${agency.slug}`, [
      ['csrf', chief.csrf],
      ['name', 'Licence Wire'],
      ['credit', 'Licence Wire'],
      ['retention', ''],
      ['sites', f.sister.site.slug],
    ]);
    assert.equal(r.status, 303, r.body.slice(0, 400));
    assert.deepEqual((await t.rt.wire.setup.requireAgency(agency.slug)).siteIds, [f.sister.site.id]);
    const entry = await t.rt.db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'wire.agency_changed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(entry.actor, `user:${chief.userId}`);
    const detail = JSON.parse(entry.detail!) as { before: { sites: number[] }; after: { sites: number[] } };
    assert.deepEqual(detail.before.sites, [f.news.site.id]);
    assert.deepEqual(detail.after.sites, [f.sister.site.id]);
    // A site editor changes only their own site's licence; the other stays, and the agency's name is not theirs.
    const newsEditor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const own = await postPairs(t, newsEditor.client, `/wire/agencies/${agency.slug}`, [
      ['csrf', newsEditor.csrf],
      ['sites', f.news.site.slug],
    ]);
    assert.equal(own.status, 303, own.body.slice(0, 400));
    assert.deepEqual(
      (await t.rt.wire.setup.requireAgency(agency.slug)).siteIds.sort(),
      [f.news.site.id, f.sister.site.id].sort(),
    );
    const before = await auditCount(t);
    const rename = await postPairs(t, newsEditor.client, `/wire/agencies/${agency.slug}`, [
      ['csrf', newsEditor.csrf],
      ['name', 'Renamed by one desk'],
      ['credit', ''],
      ['retention', ''],
      ['sites', f.news.site.slug],
    ]);
    assert.equal(rename.status, 403);
    const withdraw = await postPairs(t, newsEditor.client, `/wire/agencies/${agency.slug}`, [
      ['csrf', newsEditor.csrf],
      ['sites', f.sister.site.slug],
    ]);
    assert.equal(withdraw.status, 403);
    const after = await t.rt.wire.setup.requireAgency(agency.slug);
    assert.equal(after.name, 'Licence Wire');
    assert.deepEqual(after.siteIds.sort(), [f.news.site.id, f.sister.site.id].sort());
    assert.equal(await auditCount(t), before);
  });

  test('a new API token replaces the old one, is shown once and audited', async () => {
    const chief = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const { agency, token: old } = await t.rt.wire.setup.addAgency('token-wire', {
      name: 'Token Wire',
      sites: [f.news.site.slug],
    });
    const r = await chief.client.post(`${ADMIN}/wire/agencies/${agency.slug}/token`, { csrf: chief.csrf });
    assert.equal(r.status, 200);
    const fresh = /class="wire-token-value">(dlw_[^<]+)</.exec(r.body)?.[1];
    assert.ok(fresh);
    assert.equal(await t.rt.wire.setup.agencyForToken(old), null);
    assert.equal((await t.rt.wire.setup.agencyForToken(fresh!))?.slug, agency.slug);
    assert.equal(await auditCount(t, 'wire.agency_token_replaced'), 1);
  });

  test('routing rules are added, edited and removed, each audited', async () => {
    const editor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const added = await editor.client.post(`${ADMIN}/wire/routes`, {
      csrf: editor.csrf,
      agency: f.agency.slug,
      target: `${f.news.site.slug}/business`,
      action: 'publish',
      subject: 'medtop:04000000',
      urgency: '3',
      position: '5',
    });
    assert.equal(added.status, 303, added.body.slice(0, 400));
    const routes = await t.rt.wire.setup.listRoutes();
    const rule = routes.find((r) => r.subjectCode === 'medtop:04000000')!;
    assert.equal(rule.maxUrgency, 3);
    assert.equal(rule.position, 5);
    assert.equal(rule.action, 'publish');
    const page = await editor.client.get(`${ADMIN}/wire/routes/${rule.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /value="medtop:04000000"/);
    const edited = await editor.client.post(`${ADMIN}/wire/routes/${rule.id}`, {
      csrf: editor.csrf,
      agency: f.agency.slug,
      target: `${f.news.site.slug}/world`,
      action: 'review',
      subject: 'medtop:04000000',
      position: '5',
    });
    assert.equal(edited.status, 303, edited.body.slice(0, 400));
    const now = (await t.rt.wire.setup.listRoutes()).filter((r) => r.subjectCode === 'medtop:04000000');
    assert.equal(now.length, 1);
    assert.equal(now[0]!.action, 'review');
    assert.equal(now[0]!.sectionId, f.news.world.id);
    assert.equal(now[0]!.maxUrgency, null);
    const removed = await editor.client.post(`${ADMIN}/wire/routes/${now[0]!.id}/remove`, {
      csrf: editor.csrf,
    });
    assert.equal(removed.status, 303);
    assert.ok(!(await t.rt.wire.setup.listRoutes()).some((r) => r.subjectCode === 'medtop:04000000'));
    for (const action of ['wire.route_added', 'wire.route_changed', 'wire.route_removed'])
      assert.equal(await auditCount(t, action), 1, action);
  });

  test('pollers are added, slowed, disabled, enabled and removed; a folder takes a network-wide role', async () => {
    const chief = await signedInStaff(t, [{ role: 'editor', siteId: null }]);
    const added = await chief.client.post(`${ADMIN}/wire/pollers`, {
      csrf: chief.csrf,
      agency: f.agency.slug,
      kind: 'feed',
      location: 'https://wire.example.net/harbour.rss',
      every: '120',
    });
    assert.equal(added.status, 303, added.body.slice(0, 400));
    const poller = (await t.rt.wire.setup.listPollers()).find(
      (p) => p.location === 'https://wire.example.net/harbour.rss',
    )!;
    assert.equal(poller.intervalSeconds, 120);
    const slower = await chief.client.post(`${ADMIN}/wire/pollers/${poller.id}`, {
      csrf: chief.csrf,
      every: '600',
    });
    assert.equal(slower.status, 303);
    assert.equal((await t.rt.wire.setup.requirePoller(poller.id)).intervalSeconds, 600);
    const bad = await chief.client.post(`${ADMIN}/wire/pollers/${poller.id}`, {
      csrf: chief.csrf,
      every: '0',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /id="ep-every-problem"/);
    assert.equal(
      (await chief.client.post(`${ADMIN}/wire/pollers/${poller.id}/disable`, { csrf: chief.csrf })).status,
      303,
    );
    assert.equal((await t.rt.wire.setup.requirePoller(poller.id)).enabled, false);
    assert.equal(
      (await chief.client.post(`${ADMIN}/wire/pollers/${poller.id}/enable`, { csrf: chief.csrf })).status,
      303,
    );
    assert.equal((await t.rt.wire.setup.requirePoller(poller.id)).enabled, true);
    assert.equal(
      (await chief.client.post(`${ADMIN}/wire/pollers/${poller.id}/remove`, { csrf: chief.csrf })).status,
      303,
    );
    assert.ok(!(await t.rt.wire.setup.listPollers()).some((p) => p.id === poller.id));
    for (const action of [
      'wire.poller_added',
      'wire.poller_changed',
      'wire.poller_disabled',
      'wire.poller_enabled',
      'wire.poller_removed',
    ])
      assert.equal(await auditCount(t, action), 1, action);
    // A folder on the server's disk: a site editor is refused, a network-wide editor may.
    const folder = mkdtempSync(join(tmpdir(), 'dateline-desk-drop-'));
    const newsEditor = await signedInStaff(t, [{ role: 'editor', siteId: f.news.site.id }]);
    const before = (await t.rt.wire.setup.listPollers()).length;
    const refused = await newsEditor.client.post(`${ADMIN}/wire/pollers`, {
      csrf: newsEditor.csrf,
      agency: f.agency.slug,
      kind: 'folder',
      location: folder,
    });
    assert.equal(refused.status, 403);
    assert.equal((await t.rt.wire.setup.listPollers()).length, before);
    const made = await chief.client.post(`${ADMIN}/wire/pollers`, {
      csrf: chief.csrf,
      agency: f.agency.slug,
      kind: 'folder',
      location: folder,
    });
    assert.equal(made.status, 303, made.body.slice(0, 300));
  });

  test('per role and per site, forbidden set-up changes answer 403 and change nothing', async () => {
    const contributor = await signedInStaff(t, [{ role: 'contributor', siteId: null }]);
    const moderator = await signedInStaff(t, [{ role: 'moderator', siteId: null }]);
    const sisterEditor = await signedInStaff(t, [{ role: 'editor', siteId: f.sister.site.id }]);
    const rule = (await t.rt.wire.setup.listRoutes()).find((r) => r.siteId === f.news.site.id)!;
    const { agency } = await t.rt.wire.setup.addAgency('guarded-wire', {
      name: 'Guarded Wire',
      sites: [f.news.site.slug],
    });
    const poller = await t.rt.wire.setup.addPoller({
      agency: agency.slug,
      url: 'https://wire.example.net/guarded.rss',
    });
    const before = {
      audit: await auditCount(t),
      agencies: (await t.rt.wire.setup.listAgencies()).length,
      routes: JSON.stringify(await t.rt.wire.setup.listRoutes()),
      pollers: JSON.stringify(await t.rt.wire.setup.listPollers()),
      agency: JSON.stringify(await t.rt.wire.setup.requireAgency(agency.slug)),
    };
    const attempts: [string, Record<string, string>][] = [
      ['/wire/agencies', { slug: 'sneaky-wire', name: 'Sneaky', sites: f.news.site.slug }],
      [`/wire/agencies/${agency.slug}`, { name: 'Renamed', sites: f.news.site.slug }],
      [`/wire/agencies/${agency.slug}/token`, {}],
      ['/wire/routes', { target: `${f.news.site.slug}/world` }],
      [`/wire/routes/${rule.id}`, { target: `${f.news.site.slug}/business` }],
      [`/wire/routes/${rule.id}/remove`, {}],
      ['/wire/pollers', { agency: agency.slug, kind: 'feed', location: 'https://wire.example.net/x.rss' }],
      [`/wire/pollers/${poller.id}`, { every: '900' }],
      [`/wire/pollers/${poller.id}/disable`, {}],
      [`/wire/pollers/${poller.id}/remove`, {}],
    ];
    for (const who of [contributor, moderator, sisterEditor]) {
      for (const [path, form] of attempts) {
        const r = await who.client.post(`${ADMIN}${path}`, { csrf: who.csrf, ...form });
        assert.equal(r.status, 403, `${path}: ${r.body.slice(0, 200)}`);
        assert.match(r.body, /DATELINE_ERR_FORBIDDEN/, path);
      }
    }
    assert.equal(await auditCount(t), before.audit);
    assert.equal((await t.rt.wire.setup.listAgencies()).length, before.agencies);
    assert.equal(JSON.stringify(await t.rt.wire.setup.listRoutes()), before.routes);
    assert.equal(JSON.stringify(await t.rt.wire.setup.listPollers()), before.pollers);
    assert.equal(JSON.stringify(await t.rt.wire.setup.requireAgency(agency.slug)), before.agency);
    // The overview shows a site editor only their sites' rules.
    const overview = await sisterEditor.client.get(`${ADMIN}/wire/setup`);
    assert.equal(overview.status, 200);
    assert.ok(!overview.body.includes(`/wire/routes/${rule.id}"`));
  });
});
