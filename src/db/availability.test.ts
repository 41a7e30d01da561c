// The database availability trusts the latest evidence: a probe refused while the server was away must not
// mark it down once a query sent after that probe has been answered, whichever of the two is heard first.
// The probe is the availability's own injected round trip, here one whose outcome the test decides.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatabaseAvailability } from './availability.ts';

/** An availability whose probes wait until the test settles them, one at a time. */
function controlledAvailability() {
  const probes: { resolve: () => void; reject: (err: Error) => void }[] = [];
  const availability = new DatabaseAvailability({
    target: 'test',
    probe: () => new Promise<void>((resolve, reject) => probes.push({ resolve, reject })),
  });
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  /** Lets the availability react to a settled probe. */
  const settle = () => new Promise((r) => setImmediate(r));
  return { availability, probes, refused, settle };
}

describe('database availability: the latest evidence wins', () => {
  it('a probe refused after a later-sent query was answered leaves the database up', async () => {
    const { availability, probes, refused, settle } = controlledAvailability();
    availability.check(refused());
    assert.equal(probes.length, 1, 'the lost connection started a probe');
    const query = availability.sent();
    availability.answered(query);
    probes[0]!.reject(refused());
    await settle();
    assert.equal(availability.isUp, true);
    assert.deepEqual(availability.status, { up: true });
    availability.close();
  });

  it('a query sent after the probe and answered after its refusal brings the database back', async () => {
    const { availability, probes, refused, settle } = controlledAvailability();
    availability.check(refused());
    const query = availability.sent();
    probes[0]!.reject(refused());
    await settle();
    assert.equal(availability.isUp, false, 'the refusal alone says the database is away');
    availability.answered(query);
    assert.equal(availability.isUp, true);
    availability.close();
  });

  for (const heard of ['before', 'after'] as const) {
    it(`an answer to a query sent before the refused probe, heard ${heard} the refusal, leaves it down`, async () => {
      const { availability, probes, refused, settle } = controlledAvailability();
      const query = availability.sent();
      availability.check(refused());
      if (heard === 'before') availability.answered(query);
      probes[0]!.reject(refused());
      await settle();
      if (heard === 'after') availability.answered(query);
      assert.equal(availability.isUp, false);
      assert.equal(availability.unavailable().code, 'DATELINE_ERR_DATABASE_UNAVAILABLE');
      availability.close();
    });
  }
});
