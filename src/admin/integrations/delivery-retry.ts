// Sending a failed webhook delivery again, from the admin. Deliveries are jobs of the durable queue, one per
// endpoint and event (key webhook:<endpoint>:<event>), retried with back-off until they give up. "Retry" makes
// that job due now: a job that gave up runs once more (a further failure gives up again rather than starting a
// new round of back-off), one waiting for its next attempt runs at once, and one whose row was pruned is made
// again. A job that has delivered meanwhile, or is running, is left alone. Runs in the caller's transaction,
// so the audit entry beside it is written with it or not at all.
import type { Q } from '../../accounts/repository.ts';
import { toDbTime } from '../../db/values.ts';
import { WEBHOOK_JOB } from '../../webhooks/service.ts';

export type RetryOutcome = 'queued' | 'delivered' | 'running';

export function deliveryJobKey(endpointId: number, eventId: number): string {
  return `webhook:${endpointId}:${eventId}`;
}

export async function retryDelivery(
  trx: Q,
  endpointId: number,
  eventId: number,
  now: Date,
): Promise<{ outcome: RetryOutcome; jobStateBefore: string | null }> {
  const key = deliveryJobKey(endpointId, eventId);
  const job = await trx.selectFrom('jobs').select(['id', 'state']).where('key', '=', key).executeTakeFirst();
  if (!job) {
    await trx
      .insertInto('jobs')
      .values({
        kind: WEBHOOK_JOB,
        key,
        payload: JSON.stringify({ endpointId, eventId }),
        state: 'queued',
        attempts: 0,
        run_at: toDbTime(now),
      })
      .execute();
    return { outcome: 'queued', jobStateBefore: null };
  }
  if (job.state === 'done') return { outcome: 'delivered', jobStateBefore: job.state };
  if (job.state === 'running') return { outcome: 'running', jobStateBefore: job.state };
  await trx
    .updateTable('jobs')
    .set({ state: 'queued', run_at: toDbTime(now), finished_at: null, locked_until: null })
    .where('id', '=', job.id)
    .execute();
  return { outcome: 'queued', jobStateBefore: job.state };
}
