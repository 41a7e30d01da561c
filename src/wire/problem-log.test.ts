// The wire problem log's codes: every code the parsers and the ingester write is one of the error
// catalogue's, and a stored row whose code the catalogue no longer has (written by an older release) is still
// listed, with its code as stored, rather than breaking the list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { toDbTime } from '../db/values.ts';
import { isErrorCode } from '../errors/catalogue.ts';
import { INGEST_CODE } from './ingest-outcomes.ts';
import { WIRE_PROBLEM } from './parse/types.ts';
import { agencySetup, wireHarness } from './testing.ts';

test('every wire problem code the parsers and the ingester use is in the error catalogue', () => {
  for (const code of [...Object.values(WIRE_PROBLEM), ...Object.values(INGEST_CODE)]) {
    assert.ok(isErrorCode(code), code);
  }
  assert.equal(isErrorCode('DATELINE_ERR_WIRE_RETIRED_CODE'), false);
  // Inherited object keys are not codes.
  assert.equal(isErrorCode('DATELINE_ERR_constructor'), false);
  assert.equal(isErrorCode('DATELINE_ERR_toString'), false);
});

describeEachDialect('Wire problem log', (ctx) => {
  test('a stored problem whose code the catalogue no longer has is listed with its code as stored', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const item = `urn:test:problem-log:${ctx.db.dialect}:${Math.random().toString(36).slice(2)}`;
    const row = (code: string, message: string) => ({
      agency_id: agency.id,
      source: 'old-release.json',
      item,
      field: null,
      code,
      severity: 'warning' as const,
      message,
      created_at: toDbTime(h.clock.now()),
    });
    await ctx.db.kysely
      .insertInto('wire_problems')
      .values([
        row('DATELINE_ERR_WIRE_RETIRED_CODE', 'written by an older release'),
        row('DATELINE_ERR_WIRE_PICTURE_MISSING', 'a picture could not be fetched'),
      ])
      .execute();

    const listed = await h.wire.problems({ item });
    assert.deepEqual(listed.map((p) => [p.code, isErrorCode(p.code), p.message]).sort(), [
      ['DATELINE_ERR_WIRE_PICTURE_MISSING', true, 'a picture could not be fetched'],
      ['DATELINE_ERR_WIRE_RETIRED_CODE', false, 'written by an older release'],
    ]);
  });
});
