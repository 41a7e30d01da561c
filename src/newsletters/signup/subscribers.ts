// The rows behind a signup: one newsletter_subscribers row per mailbox (network-wide, optionally tied to a
// reader account) and one newsletter_subscriptions row per mailbox and list, with its status and the consent
// it rests on. These are the statements the signup service runs inside its transactions; they never decide
// anything themselves.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { fromDbTimeOrNull, toDbTime } from '../../db/values.ts';
import type { ConsentSource, SubscriptionStatus } from '../tables.ts';

export type Q = Kysely<Database> | Transaction<Database>;

export interface Subscriber {
  id: number;
  email: string;
  userId: number | null;
  linkVersion: number;
}

export interface SubscriptionRow {
  id: number;
  newsletterId: number;
  status: SubscriptionStatus;
  consentSource: ConsentSource;
  confirmSentAt: Date | null;
  confirmedAt: Date | null;
}

function toSubscriber(r: {
  id: number;
  email: string;
  user_id: number | null;
  link_version: number;
}): Subscriber {
  return { id: r.id, email: r.email, userId: r.user_id, linkVersion: Number(r.link_version) };
}

export async function subscriberById(q: Q, id: number): Promise<Subscriber | null> {
  const r = await q.selectFrom('newsletter_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSubscriber(r) : null;
}

export async function subscriberByEmail(q: Q, email: string): Promise<Subscriber | null> {
  const r = await q
    .selectFrom('newsletter_subscribers')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirst();
  return r ? toSubscriber(r) : null;
}

export async function subscriberByUser(q: Q, userId: number): Promise<Subscriber | null> {
  const r = await q
    .selectFrom('newsletter_subscribers')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .executeTakeFirst();
  return r ? toSubscriber(r) : null;
}

/** The subscriber for an address, made if new; tied to `userId` when given (an account proved it). */
export async function ensureSubscriber(
  q: Q,
  email: string,
  userId: number | null,
  now: Date,
): Promise<Subscriber> {
  await q
    .insertInto('newsletter_subscribers')
    .values({ email, user_id: userId, created_at: toDbTime(now) })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  const s = (await subscriberByEmail(q, email))!;
  if (userId !== null && s.userId !== userId) {
    await q.updateTable('newsletter_subscribers').set({ user_id: userId }).where('id', '=', s.id).execute();
    s.userId = userId;
  }
  return s;
}

/** The subscriber's subscriptions to the given lists, by list id. */
export async function subscriptionsOf(q: Q, subscriberId: number, newsletterIds: number[]) {
  const out = new Map<number, SubscriptionRow>();
  if (newsletterIds.length === 0) return out;
  const rows = await q
    .selectFrom('newsletter_subscriptions')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .where('newsletter_id', 'in', newsletterIds)
    .execute();
  for (const r of rows) {
    out.set(r.newsletter_id, {
      id: r.id,
      newsletterId: r.newsletter_id,
      status: r.status,
      consentSource: r.consent_source,
      confirmSentAt: fromDbTimeOrNull(r.confirm_sent_at),
      confirmedAt: fromDbTimeOrNull(r.confirmed_at),
    });
  }
  return out;
}

/**
 * Moves one subscription to `status` (made if missing). Going to pending restarts its 7 days; going to active
 * records when and how the consent was given; an active one asked to become pending stays active. Returns
 * the status it had before (null: it was new).
 */
export async function setSubscription(
  q: Q,
  subscriberId: number,
  newsletterId: number,
  to: SubscriptionStatus,
  how: { source: ConsentSource; ip: string | null },
  now: Date,
  existing?: SubscriptionRow,
): Promise<SubscriptionStatus | null> {
  const at = toDbTime(now);
  if (!existing) {
    if (to === 'unsubscribed') return null;
    await q
      .insertInto('newsletter_subscriptions')
      .values({
        subscriber_id: subscriberId,
        newsletter_id: newsletterId,
        status: to,
        consent_source: how.source,
        consent_ip: how.ip,
        confirm_sent_at: null,
        confirmed_at: to === 'active' ? at : null,
        unsubscribed_at: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['subscriber_id', 'newsletter_id']).doNothing())
      .execute();
    return null;
  }
  const before = existing.status;
  if (before === to || (before === 'active' && to === 'pending')) return before;
  const patch =
    to === 'active'
      ? {
          status: to,
          consent_source: how.source,
          consent_ip: how.ip,
          confirmed_at: at,
          unsubscribed_at: null,
        }
      : to === 'pending'
        ? {
            status: to,
            consent_source: how.source,
            consent_ip: how.ip,
            confirm_sent_at: null,
            confirmed_at: null,
            unsubscribed_at: null,
            created_at: at,
          }
        : { status: to, unsubscribed_at: at };
  await q
    .updateTable('newsletter_subscriptions')
    .set({ ...patch, updated_at: at })
    .where('id', '=', existing.id)
    .execute();
  return before;
}

/** The subscriber's pending subscriptions on one site, with their lists' names. */
export async function pendingOnSite(q: Q, subscriberId: number, siteId: number) {
  return q
    .selectFrom('newsletter_subscriptions as s')
    .innerJoin('newsletters as n', 'n.id', 's.newsletter_id')
    .select(['s.id', 's.newsletter_id', 's.confirm_sent_at', 'n.name'])
    .where('s.subscriber_id', '=', subscriberId)
    .where('n.site_id', '=', siteId)
    .where('s.status', '=', 'pending')
    .orderBy('n.position')
    .orderBy('n.id')
    .execute();
}
