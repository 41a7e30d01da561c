import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import type { Route } from './model.ts';
import type { WireItem } from './parse/types.ts';
import { routeItem, ruleMatches } from './routing.ts';
import { agencySetup, ingestJson, liveCount, liveHeadlines, ninjs, wireHarness } from './testing.ts';

const item = (over: Partial<WireItem> = {}): WireItem =>
  ({
    uri: 'u',
    subjects: [{ code: 'medtop:04000000', name: 'economy' }],
    slugline: 'JAPAN-ECONOMY/GDP',
    keywords: ['Markets', 'Yen'],
    urgency: 3,
    ...over,
  }) as WireItem;

const rule = (over: Partial<Route> = {}): Route => ({
  id: 1,
  agencyId: null,
  subjectCode: null,
  sluglinePrefix: null,
  keyword: null,
  maxUrgency: null,
  siteId: 1,
  sectionId: 10,
  action: 'publish',
  position: 10,
  ...over,
});

test('rules match by agency, subject code, slugline prefix, keyword and urgency; all criteria must hold', () => {
  assert.ok(ruleMatches(rule(), 7, item()));
  assert.ok(ruleMatches(rule({ agencyId: 7 }), 7, item()));
  assert.ok(!ruleMatches(rule({ agencyId: 8 }), 7, item()));
  assert.ok(ruleMatches(rule({ subjectCode: 'MEDTOP:04000000' }), 7, item()));
  assert.ok(!ruleMatches(rule({ subjectCode: 'medtop:15000000' }), 7, item()));
  assert.ok(ruleMatches(rule({ sluglinePrefix: 'japan-' }), 7, item()));
  assert.ok(!ruleMatches(rule({ sluglinePrefix: 'CHINA' }), 7, item({ slugline: null })));
  assert.ok(ruleMatches(rule({ keyword: 'yen' }), 7, item()));
  assert.ok(!ruleMatches(rule({ keyword: 'euro' }), 7, item()));
  assert.ok(ruleMatches(rule({ maxUrgency: 3 }), 7, item()));
  assert.ok(!ruleMatches(rule({ maxUrgency: 2 }), 7, item()));
  assert.ok(!ruleMatches(rule({ maxUrgency: 9 }), 7, item({ urgency: null })));
  assert.ok(!ruleMatches(rule({ keyword: 'yen', subjectCode: 'medtop:15000000' }), 7, item()));
});

test('per site the first matching rule wins; a rule to an unlicensed site never applies', () => {
  const rules = [
    rule({ id: 1, siteId: 1, sectionId: 11, keyword: 'yen', action: 'review' }),
    rule({ id: 2, siteId: 1, sectionId: 12 }),
    rule({ id: 3, siteId: 2, sectionId: 20 }),
    rule({ id: 4, siteId: 3, sectionId: 30 }),
  ];
  const r = routeItem(item(), 7, rules, [1, 3]);
  assert.deepEqual(
    r.targets.map((t) => [t.routeId, t.siteId, t.sectionId, t.action]),
    [
      [1, 1, 11, 'review'],
      [4, 3, 30, 'publish'],
    ],
  );
  assert.deepEqual(
    r.unlicensed.map((u) => u.id),
    [3],
  );
});

describeEachDialect('Wire routing and licensing', (ctx) => {
  test('stories go to the section a rule names; content never appears on a site that is not licensed', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    await h.wire.setup.addRoute({
      agency: agency.slug,
      site: site.slug,
      section: 'business',
      subject: 'medtop:04000000',
      position: 1,
    });
    // A site the agency has no licence for, with a rule for every agency pointing at it.
    const unlicensed = await h.sites.create({ slug: `nolicence${ctx.db.dialect}`, name: 'No licence' });
    await h.sections.create(unlicensed.id, { slug: 'world', name: 'World' });
    await h.wire.setup.addRoute({ site: unlicensed.slug, section: 'world' });
    const s = await ingestJson(
      h,
      agency,
      ninjs('urn:r:1', {
        subjects: [{ uri: 'http://cv.iptc.org/newscodes/mediatopic/04000000', name: 'economy' }],
      }),
      ninjs('urn:r:2'),
    );
    assert.equal(s.counts.created, 2);
    assert.deepEqual(
      s.outcomes.map((o) => o.placements?.map((p) => p.path.split('/')[1])),
      [['business'], ['world']],
    );
    assert.equal(await liveCount(h, unlicensed.id), 0);
    assert.ok(s.warnings.some((w) => w.code === 'DATELINE_ERR_WIRE_NOT_LICENSED'));
  });

  test("withdrawing a licence takes the agency's stories off that site at once", async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    const keep = await h.sites.create({ slug: `keep${ctx.db.dialect}`, name: 'Keep' });
    await h.sections.create(keep.id, { slug: 'world', name: 'World' });
    await h.wire.setup.editAgency(agency.slug, { sites: [site.slug, keep.slug] });
    await h.wire.setup.addRoute({ agency: agency.slug, site: keep.slug, section: 'world' });
    await ingestJson(h, (await h.wire.setup.getAgency(agency.slug))!, ninjs('urn:r:lic'));
    assert.equal(await liveCount(h, site.id), 1);
    assert.equal(await liveCount(h, keep.id), 1);
    await h.wire.setup.editAgency(agency.slug, { sites: [keep.slug] });
    assert.equal(await liveCount(h, site.id), 0);
    assert.equal(await liveCount(h, keep.id), 1);
    // Later versions do not bring it back there.
    await ingestJson(h, (await h.wire.setup.getAgency(agency.slug))!, ninjs('urn:r:lic', { version: '2' }));
    assert.equal(await liveCount(h, site.id), 0);
  });

  test('a rule cannot be added for a site the agency is not licensed for', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const other = await h.sites.create({ slug: `other${ctx.db.dialect}x`, name: 'Other' });
    await h.sections.create(other.id, { slug: 'world', name: 'World' });
    await assert.rejects(
      h.wire.setup.addRoute({ agency: agency.slug, site: other.slug, section: 'world' }),
      (e) => isDatelineError(e, 'WIRE_NOT_LICENSED'),
    );
  });

  test('without a matching rule a story waits in the review queue, saying so', async () => {
    const h = await wireHarness(ctx.db);
    const { site } = await agencySetup(h);
    const { agency } = await h.wire.setup.addAgency(`norules${ctx.db.dialect}`, {
      name: 'No Rules Wire',
      sites: [site.slug],
    });
    const s = await ingestJson(h, agency, ninjs('urn:r:none'));
    assert.equal(s.counts.held, 1);
    assert.equal(s.outcomes[0]!.code, 'DATELINE_ERR_WIRE_NO_ROUTE');
    assert.deepEqual(await liveHeadlines(h, site.id), []);
  });

  test('agency settings are checked, and tokens are stored only as a hash', async () => {
    const h = await wireHarness(ctx.db);
    await assert.rejects(h.wire.setup.addAgency('Bad Slug', { name: 'x' }), (e) =>
      isDatelineError(e, 'WIRE_AGENCY_INVALID'),
    );
    await assert.rejects(h.wire.setup.addAgency('ok-slug', { name: '' }), (e) =>
      isDatelineError(e, 'WIRE_AGENCY_INVALID'),
    );
    await assert.rejects(h.wire.setup.addAgency('ok-slug', { name: 'x', retentionDays: 0 }), (e) =>
      isDatelineError(e, 'WIRE_AGENCY_INVALID'),
    );
    await assert.rejects(h.wire.setup.addAgency('ok-slug', { name: 'x', sites: ['nope'] }), (e) =>
      isDatelineError(e, 'SITE_NOT_FOUND'),
    );
    const { agency, token } = await h.wire.setup.addAgency(`tok${ctx.db.dialect}`, { name: 'Token Wire' });
    await assert.rejects(h.wire.setup.addAgency(agency.slug, { name: 'again' }), (e) =>
      isDatelineError(e, 'WIRE_AGENCY_TAKEN'),
    );
    assert.equal((await h.wire.setup.agencyForToken(token))?.id, agency.id);
    const row = await ctx.db.kysely
      .selectFrom('wire_agencies')
      .select('token_hash')
      .where('id', '=', agency.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(row.token_hash, token);
    assert.ok(!JSON.stringify(row).includes(token));
    const fresh = await h.wire.setup.rotateToken(agency.slug);
    assert.equal(await h.wire.setup.agencyForToken(token), null);
    assert.equal((await h.wire.setup.agencyForToken(fresh))?.id, agency.id);
  });
});
