// What the Subscribers screen reads and removes: one list's subscriptions with their address, the linked
// account's name, where each stands (pending confirmation, confirmed, unsubscribed, or bounced: the address
// is on the suppression list, whatever its subscription says, since no send reaches it), when it signed up
// and was confirmed, and how the consent was given. Searching matches part of the address; pages are 50
// rows, newest signup first. The export walks the same rows oldest first in pages of 1,000 by id (keyset,
// so a list of 100,000 is never held in memory and a row added meanwhile is not read twice).
import { fromDbTime, fromDbTimeOrNull } from '../../db/values.ts';
import type { Q } from '../../newsletters/signup/subscribers.ts';
import type { ConsentSource, SubscriptionStatus, SuppressionReason } from '../../newsletters/tables.ts';

export const PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;

/** Where a subscription stands, as the screen names it. */
export type SubscriberState = 'pending' | 'confirmed' | 'unsubscribed' | 'bounced';
export const SUBSCRIBER_STATES: readonly SubscriberState[] = [
  'pending',
  'confirmed',
  'unsubscribed',
  'bounced',
];

export interface SubscriberRow {
  subscriptionId: number;
  subscriberId: number;
  email: string;
  name: string | null;
  state: SubscriberState;
  /** Why the address is suppressed, when it is. */
  suppression: SuppressionReason | null;
  source: ConsentSource;
  signedUpAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
}

export interface SubscriberFilter {
  newsletterId: number;
  /** Part of the address. */
  query?: string;
  state?: SubscriberState | null;
}

function stateOf(status: SubscriptionStatus, suppressed: boolean): SubscriberState {
  if (suppressed) return 'bounced';
  return status === 'active' ? 'confirmed' : status;
}

/** LIKE's own characters taken out of what was typed, so a search is always "contains". */
function likeOf(query: string): string {
  return `%${query
    .trim()
    .toLowerCase()
    .slice(0, 254)
    .replace(/[\\%_]/g, '')}%`;
}

function base(q: Q, f: SubscriberFilter) {
  let s = q
    .selectFrom('newsletter_subscriptions as s')
    .innerJoin('newsletter_subscribers as p', 'p.id', 's.subscriber_id')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('mail_suppressions as m', (j) => j.onRef('m.email', '=', 'p.email').on('m.suppressed', '=', 1))
    .where('s.newsletter_id', '=', f.newsletterId);
  if (f.query?.trim()) s = s.where('p.email', 'like', likeOf(f.query));
  if (f.state === 'bounced') s = s.where('m.email', 'is not', null);
  else if (f.state) {
    const status: SubscriptionStatus = f.state === 'confirmed' ? 'active' : f.state;
    s = s.where('s.status', '=', status).where('m.email', 'is', null);
  }
  return s;
}

function rowsOf(q: Q, f: SubscriberFilter) {
  return base(q, f).select([
    's.id as subscriptionId',
    's.subscriber_id as subscriberId',
    'p.email as email',
    'u.display_name as name',
    's.status as status',
    'm.reason as reason',
    'm.email as suppressedEmail',
    's.consent_source as source',
    's.created_at as createdAt',
    's.confirmed_at as confirmedAt',
    's.unsubscribed_at as unsubscribedAt',
  ]);
}

type Raw = {
  subscriptionId: number;
  subscriberId: number;
  email: string;
  name: string | null;
  status: SubscriptionStatus;
  reason: SuppressionReason | null;
  suppressedEmail: string | null;
  source: ConsentSource;
  createdAt: string | Date;
  confirmedAt: string | Date | null;
  unsubscribedAt: string | Date | null;
};

function toRow(r: Raw): SubscriberRow {
  const suppressed = r.suppressedEmail !== null;
  return {
    subscriptionId: r.subscriptionId,
    subscriberId: r.subscriberId,
    email: r.email,
    name: r.name,
    state: stateOf(r.status, suppressed),
    suppression: suppressed ? r.reason : null,
    source: r.source,
    signedUpAt: fromDbTime(r.createdAt),
    confirmedAt: fromDbTimeOrNull(r.confirmedAt),
    unsubscribedAt: fromDbTimeOrNull(r.unsubscribedAt),
  };
}

/** One page of a list's subscribers, newest signup first, and how many match in all. */
export async function searchSubscribers(
  q: Q,
  f: SubscriberFilter,
  page: number,
): Promise<{ rows: SubscriberRow[]; total: number }> {
  const total = await base(q, f)
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await rowsOf(q, f)
    .orderBy('s.id', 'desc')
    .limit(PAGE_SIZE)
    .offset(Math.max(page - 1, 0) * PAGE_SIZE)
    .execute();
  return { rows: rows.map((r) => toRow(r as Raw)), total: Number(total.n) };
}

/** Every subscriber of a list matching the filter, oldest first, a batch at a time. */
export async function* exportSubscribers(q: Q, f: SubscriberFilter): AsyncGenerator<SubscriberRow[]> {
  let after = 0;
  for (;;) {
    const rows = await rowsOf(q, f).where('s.id', '>', after).orderBy('s.id').limit(EXPORT_BATCH).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => toRow(r as Raw));
    after = rows[rows.length - 1]!.subscriptionId;
    if (rows.length < EXPORT_BATCH) return;
  }
}

/** How many subscriptions each list has per status (suppressed addresses not told apart here). */
export async function countsByList(
  q: Q,
  newsletterIds: number[],
): Promise<Map<number, Record<SubscriptionStatus, number>>> {
  const out = new Map<number, Record<SubscriptionStatus, number>>();
  for (const id of newsletterIds) out.set(id, { pending: 0, active: 0, unsubscribed: 0 });
  if (newsletterIds.length === 0) return out;
  const rows = await q
    .selectFrom('newsletter_subscriptions')
    .select(['newsletter_id', 'status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('newsletter_id', 'in', newsletterIds)
    .groupBy(['newsletter_id', 'status'])
    .execute();
  for (const r of rows) out.get(r.newsletter_id)![r.status] = Number(r.n);
  return out;
}

/** One subscription of a list, for removing it (null: not on this list). */
export async function subscriptionOnList(
  q: Q,
  newsletterId: number,
  subscriptionId: number,
): Promise<SubscriberRow | null> {
  const r = await rowsOf(q, { newsletterId }).where('s.id', '=', subscriptionId).executeTakeFirst();
  return r ? toRow(r as Raw) : null;
}

/** Deletes one subscription of a list (the address stays known for its other lists). */
export async function deleteSubscription(q: Q, newsletterId: number, subscriptionId: number) {
  const res = await q
    .deleteFrom('newsletter_subscriptions')
    .where('id', '=', subscriptionId)
    .where('newsletter_id', '=', newsletterId)
    .executeTakeFirst();
  return Number(res.numDeletedRows ?? 0n) > 0;
}
