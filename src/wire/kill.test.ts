// What a kill leaves in the story row: the story is marked killed and keeps whether it was ever corrected,
// so the record of a corrected-then-killed story stays complete. ingester.test.ts covers the take-down on
// every site, the audit entry and the tombstone of a kill that arrives first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { agencySetup, ingestJson, liveCount, ninjs, wireHarness } from './testing.ts';

describeEachDialect('Wire kill: the story row', (ctx) => {
  test('a killed story keeps its correction mark, and an uncorrected one stays uncorrected', async () => {
    const h = await wireHarness(ctx.db);
    const { site, agency } = await agencySetup(h);
    await ingestJson(h, agency, ninjs('urn:x:k-corrected', { signals: ['correction'] }));
    await ingestJson(h, agency, ninjs('urn:x:k-plain'));
    assert.equal(await liveCount(h, site.id), 2);
    assert.equal((await h.wire.story(agency.id, 'urn:x:k-corrected'))?.corrected, true);
    for (const uri of ['urn:x:k-corrected', 'urn:x:k-plain']) {
      const s = await ingestJson(h, agency, ninjs(uri, { version: '2', pubstatus: 'canceled' }));
      assert.equal(s.counts.killed, 1, uri);
    }
    assert.equal(await liveCount(h, site.id), 0);
    const corrected = await h.wire.story(agency.id, 'urn:x:k-corrected');
    const plain = await h.wire.story(agency.id, 'urn:x:k-plain');
    assert.deepEqual([corrected?.state, corrected?.corrected], ['killed', true]);
    assert.deepEqual([plain?.state, plain?.corrected], ['killed', false]);
    // A kill that arrives before its story leaves an uncorrected tombstone, and names the field it acted on.
    const early = await ingestJson(h, agency, ninjs('urn:x:k-early', { pubstatus: 'canceled' }));
    assert.equal(early.outcomes[0]?.field, 'pubstatus');
    const tombstone = await h.wire.story(agency.id, 'urn:x:k-early');
    assert.deepEqual([tombstone?.state, tombstone?.corrected], ['killed', false]);
  });
});
