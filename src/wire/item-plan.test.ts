// Planning a wire item, decided without a database: version verdicts against the stored story (a kill
// wins over the same version, a killed or expired story stays down), expiry before arrival to the
// millisecond, retention, embargoes (future, past, unreadable), corrections, licence warnings, and the
// ordering of one story's versions within a delivery. ingester.test.ts carries the plans out end to end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INGEST_CODE } from './ingest-outcomes.ts';
import type { ItemEntry, Run } from './ingest-run.ts';
import { contentHash, isPictureItem, orderByVersion, planItem, versionVerdict } from './item-plan.ts';
import type { Route } from './model.ts';
import type { WireItem } from './parse/types.ts';
import type { StoryHead } from './repository.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const ms = (offset: number) => new Date(NOW.getTime() + offset);
const DAY = 86_400_000;

function item(over: Partial<WireItem> = {}): WireItem {
  return {
    format: 'ninjs2',
    uri: 'urn:agency:story-1',
    version: '2',
    versionCreated: null,
    firstCreated: null,
    pubstatus: 'usable',
    embargoed: null,
    expires: null,
    headline: 'Headline',
    slugline: null,
    dek: null,
    bodyHtml: '<p>Body</p>',
    byline: null,
    located: null,
    copyrightnotice: null,
    usageterms: null,
    ednote: null,
    urgency: null,
    subjects: [],
    keywords: [],
    altids: [],
    signals: [],
    pictures: [],
    link: null,
    ...over,
  };
}

function head(over: Partial<StoryHead> = {}): StoryHead {
  return {
    id: 1,
    version: '2',
    versionCreated: null,
    state: 'active',
    contentHash: '',
    corrected: false,
    leadPictureId: null,
    firstSeenAt: ms(-DAY),
    ...over,
  };
}

function run(over: { retentionDays?: number | null; routes?: Route[]; siteIds?: number[] } = {}): Run {
  return {
    agency: {
      id: 5,
      slug: 'wire',
      name: 'Wire',
      credit: 'Wire',
      retentionDays: over.retentionDays ?? null,
      hasToken: false,
      siteIds: over.siteIds ?? [1],
    },
    routes: over.routes ?? [],
    actor: 'test',
    siteSlugs: new Map([[2, 'other-site']]),
    sectionSlugs: new Map(),
    warnings: [],
    problems: [],
  };
}

const entry = (i: WireItem): ItemEntry => ({ item: i, source: 'feed.json' });
const plan = (r: Run, i: WireItem, h: StoryHead | null = null) => {
  const d = planItem(r, entry(i), h, null, NOW);
  assert.equal(d.action, 'write', JSON.stringify(d));
  return (d as Extract<typeof d, { action: 'write' }>).plan;
};
const outcome = (r: Run, i: WireItem, h: StoryHead | null = null) => {
  const d = planItem(r, entry(i), h, null, NOW);
  assert.equal(d.action, 'report', JSON.stringify(d));
  return (d as Extract<typeof d, { action: 'report' }>).outcome;
};

describe('wire item plan', () => {
  it('fingerprints only unversioned items, by their content and not their version time', () => {
    assert.equal(contentHash(item()), '');
    const a = contentHash(item({ version: null, versionCreated: ms(0) }));
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.equal(contentHash(item({ version: null, versionCreated: ms(1000) })), a);
    assert.notEqual(contentHash(item({ version: null, headline: 'Changed' })), a);
  });

  it('applies one story’s versions oldest first within a delivery, leaving other stories in place', () => {
    const e = (uri: string, version: string) => ({ item: item({ uri, version }), tag: `${uri}@${version}` });
    const ordered = orderByVersion([e('a', '3'), e('b', '1'), e('a', '1'), e('c', '9'), e('a', '2')]);
    assert.deepEqual(
      ordered.map((x) => x.tag),
      ['a@1', 'b@1', 'a@2', 'c@9', 'a@3'],
    );
  });

  it('recognises a picture item: its first picture is itself and it has no body', () => {
    const picture = { uri: 'urn:agency:story-1' } as WireItem['pictures'][number];
    assert.equal(isPictureItem(item({ pictures: [picture], bodyHtml: '  ' })), true);
    assert.equal(isPictureItem(item({ pictures: [picture] })), false, 'has a body');
    assert.equal(isPictureItem(item({ pictures: [{ ...picture, uri: 'other' }], bodyHtml: '' })), false);
    assert.equal(isPictureItem(item({ bodyHtml: '' })), false, 'no pictures');
  });

  it('a killed story stays killed, an expired one is not republished but may still be killed', () => {
    assert.equal(
      versionVerdict(item({ version: '9' }), head({ state: 'killed' }), '')?.code,
      INGEST_CODE.killed,
    );
    assert.equal(
      versionVerdict(item({ version: '9', pubstatus: 'canceled' }), head({ state: 'killed' }), '')?.code,
      INGEST_CODE.killed,
    );
    assert.equal(
      versionVerdict(item({ version: '9' }), head({ state: 'expired' }), '')?.code,
      INGEST_CODE.expired,
    );
    assert.equal(versionVerdict(item({ pubstatus: 'canceled' }), head({ state: 'expired' }), ''), null);
  });

  it('an older or the same version changes nothing, unless it is a kill or an edit in place', () => {
    const older = versionVerdict(item({ version: '1' }), head(), '');
    assert.equal(older?.kind, 'unchanged');
    assert.equal(older?.code, null);
    assert.equal(versionVerdict(item(), head(), '')?.kind, 'unchanged');
    assert.equal(versionVerdict(item({ version: '3' }), head(), ''), null, 'newer');
    assert.equal(
      versionVerdict(item({ pubstatus: 'withheld' }), head(), ''),
      null,
      'kill of the same version',
    );
    assert.equal(
      versionVerdict(item({ version: '1', pubstatus: 'canceled' }), head(), '')?.kind,
      'unchanged',
    );
    const unversioned = item({ version: null });
    const applied = head({ version: null, contentHash: 'abc' });
    assert.equal(versionVerdict(unversioned, applied, 'abc')?.kind, 'unchanged', 'same content');
    assert.equal(versionVerdict(unversioned, applied, 'def'), null, 'edited in place');
    assert.equal(
      versionVerdict(item({ version: '2' }), head({ contentHash: 'abc' }), 'def')?.kind,
      'unchanged',
      'a versioned item is never an edit in place',
    );
  });

  it('plans a kill, and reports a story the agency sent without a body', () => {
    assert.deepEqual(planItem(run(), entry(item({ pubstatus: 'canceled' })), null, null, NOW), {
      action: 'kill',
      hash: '',
    });
    const noBody = outcome(run(), item({ bodyHtml: ' \n ' }));
    assert.equal(noBody.kind, 'rejected');
    assert.equal(noBody.code, INGEST_CODE.missing);
    assert.equal(noBody.field, 'body');
    const same = outcome(run(), item(), head());
    assert.equal(same.kind, 'unchanged');
    assert.equal(same.file, 'feed.json');
  });

  it('refuses a new story that expired before it arrived, to the millisecond', () => {
    const expired = outcome(run(), item({ expires: NOW }));
    assert.equal(expired.kind, 'rejected');
    assert.equal(expired.code, INGEST_CODE.expired);
    assert.equal(expired.field, 'expires');
    assert.equal(plan(run(), item({ expires: ms(1) })).expiresAt?.getTime(), ms(1).getTime());
    // A story already stored is updated even past its expiry: the expiry job takes it down.
    assert.equal(
      plan(run(), item({ version: '3', expires: ms(-1) }), head()).expiresAt?.getTime(),
      ms(-1).getTime(),
    );
  });

  it('expires a story at the earlier of its own expiry and the agency’s retention from first sight', () => {
    const r = run({ retentionDays: 2 });
    assert.equal(plan(r, item()).expiresAt?.getTime(), ms(2 * DAY).getTime());
    assert.equal(plan(r, item({ version: '3' }), head()).expiresAt?.getTime(), ms(DAY).getTime());
    assert.equal(plan(r, item({ expires: ms(DAY) })).expiresAt?.getTime(), ms(DAY).getTime());
    assert.equal(plan(r, item({ expires: ms(3 * DAY) })).expiresAt?.getTime(), ms(2 * DAY).getTime());
  });

  it('schedules an embargoed story, publishes one whose embargo passed, and holds an unreadable one', () => {
    const future = plan(run(), item({ embargoed: { at: ms(60_000) } }));
    assert.equal(future.publishAt?.getTime(), ms(60_000).getTime());
    assert.equal(future.embargoUntil?.getTime(), ms(60_000).getTime());
    assert.equal(future.hold, null);
    for (const at of [NOW, ms(-60_000)]) {
      const passed = plan(run(), item({ embargoed: { at } }));
      assert.equal(passed.publishAt, null);
      assert.equal(passed.embargoUntil?.getTime(), at.getTime());
    }
    const unreadable = plan(run(), item({ embargoed: { unparseable: 'next tuesday-ish' } }));
    assert.equal(unreadable.hold?.code, INGEST_CODE.embargo);
    assert.equal(unreadable.hold?.field, 'embargoed');
    assert.equal(unreadable.publishAt, null);
    assert.equal(unreadable.embargoUntil, null);
    const none = plan(run(), item());
    assert.deepEqual([none.publishAt, none.embargoUntil, none.hold], [null, null, null]);
  });

  it('marks a correction from the item’s signal or the stored story', () => {
    assert.equal(plan(run(), item()).corrected, false);
    assert.equal(plan(run(), item({ signals: ['correction'] })).corrected, true);
    assert.equal(plan(run(), item({ version: '3' }), head({ corrected: true })).corrected, true);
    assert.equal(plan(run(), item({ version: '3' }), head()).corrected, false);
  });

  it('routes to licensed sites and warns about rules that point at unlicensed ones', () => {
    const rule = (id: number, siteId: number): Route => ({
      id,
      agencyId: null,
      subjectCode: null,
      sluglinePrefix: null,
      keyword: null,
      maxUrgency: null,
      siteId,
      sectionId: 10 + siteId,
      action: 'publish',
      position: id,
    });
    const r = run({ routes: [rule(1, 1), rule(2, 2)], siteIds: [1] });
    const p = plan(r, item());
    assert.deepEqual(
      p.routing.targets.map((t) => t.siteId),
      [1],
    );
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]?.code, INGEST_CODE.licence);
    assert.equal(r.warnings[0]?.item, 'urn:agency:story-1');
    assert.equal(r.warnings[0]?.file, 'feed.json');
    assert.equal(run().warnings.length, 0);
  });
});
