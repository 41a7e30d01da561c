// Queries of event registration: an event's registration settings (columns of live_events from migration
// 0019), the lock that makes one event's places change one writer at a time (the event row FOR UPDATE on
// PostgreSQL; SQLite has a single writer already), the places held, the waitlist in order, and the
// registrations themselves, found by id, by live address or by a link's hash. Values come back normalised
// (db/values), so the service never sees a dialect.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { fromDbBool, fromDbTime, fromDbTimeOrNull, toDbTime } from '../../db/values.ts';
import type { EventRegistrationsTable, RegistrationStatus } from '../tables.ts';
import { type Answers, parseAnswers, parseQuestions, type RegistrationQuestion } from './questions.ts';

export type Q = Kysely<Database> | Transaction<Database>;

export interface RegistrationSettings {
  enabled: boolean;
  /** Places; null is no limit. */
  capacity: number | null;
  /** Null: open once the event is published. */
  opensAt: Date | null;
  /** Null: closes when the event starts. */
  closesAt: Date | null;
  claimWindowHours: number;
  questions: RegistrationQuestion[];
  remind24h: boolean;
  remind1h: boolean;
}

export interface Registration {
  id: number;
  eventId: number;
  name: string;
  email: string;
  userId: number | null;
  answers: Answers;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  linkNonce: string;
  claimExpiresAt: Date | null;
  mailedAt: Date | null;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Statuses that hold a place: confirmed, and an offer still standing. */
export const HOLDING: readonly RegistrationStatus[] = ['confirmed', 'offered'];
/** Every status but cancelled: the address has a live registration. */
export const LIVE: readonly RegistrationStatus[] = [
  'pending_confirmation',
  'confirmed',
  'waitlisted',
  'offered',
];

function fromRow(r: Selectable<EventRegistrationsTable>): Registration {
  return {
    id: r.id,
    eventId: r.event_id,
    name: r.name,
    email: r.email,
    userId: r.user_id,
    answers: parseAnswers(r.answers),
    status: r.status,
    waitlistPosition: r.waitlist_position,
    linkNonce: r.link_nonce,
    claimExpiresAt: fromDbTimeOrNull(r.claim_expires_at),
    mailedAt: fromDbTimeOrNull(r.mailed_at),
    confirmedAt: fromDbTimeOrNull(r.confirmed_at),
    cancelledAt: fromDbTimeOrNull(r.cancelled_at),
    createdAt: fromDbTime(r.created_at),
    updatedAt: fromDbTime(r.updated_at),
  };
}

export async function settingsOf(q: Q, eventId: number): Promise<RegistrationSettings | undefined> {
  const r = await q
    .selectFrom('live_events')
    .select([
      'registration',
      'capacity',
      'registration_opens_at',
      'registration_closes_at',
      'claim_window_hours',
      'questions',
      'remind_24h',
      'remind_1h',
    ])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    enabled: fromDbBool(r.registration),
    capacity: r.capacity,
    opensAt: fromDbTimeOrNull(r.registration_opens_at),
    closesAt: fromDbTimeOrNull(r.registration_closes_at),
    claimWindowHours: r.claim_window_hours,
    questions: parseQuestions(r.questions),
    remind24h: fromDbBool(r.remind_24h),
    remind1h: fromDbBool(r.remind_1h),
  };
}

/** Writes the settings and marks the event changed (its page shows "Register Today" or not). */
export async function writeSettings(
  q: Q,
  eventId: number,
  s: RegistrationSettings,
  now: Date,
): Promise<void> {
  await q
    .updateTable('live_events')
    .set({
      registration: s.enabled ? 1 : 0,
      capacity: s.capacity,
      registration_opens_at: s.opensAt ? toDbTime(s.opensAt) : null,
      registration_closes_at: s.closesAt ? toDbTime(s.closesAt) : null,
      claim_window_hours: s.claimWindowHours,
      questions: JSON.stringify(s.questions),
      remind_24h: s.remind24h ? 1 : 0,
      remind_1h: s.remind1h ? 1 : 0,
      updated_at: toDbTime(now),
    })
    .where('id', '=', eventId)
    .execute();
}

/**
 * Takes the event's row lock for the rest of the transaction, so places are counted and given one
 * transaction at a time. SQLite runs one write transaction at a time, so there is nothing to take there.
 */
export async function lockEvent(q: Q, postgres: boolean, eventId: number): Promise<void> {
  if (postgres) await sql`select id from live_events where id = ${eventId} for update`.execute(q);
}

export async function countByStatus(q: Q, eventId: number): Promise<Record<RegistrationStatus, number>> {
  const rows = await q
    .selectFrom('event_registrations')
    .select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute();
  const out = { pending_confirmation: 0, confirmed: 0, waitlisted: 0, offered: 0, cancelled: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

export async function heldPlaces(q: Q, eventId: number): Promise<number> {
  const r = await q
    .selectFrom('event_registrations')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', 'in', HOLDING)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The next place at the end of the event's waitlist. */
export async function nextWaitlistPosition(q: Q, eventId: number): Promise<number> {
  const r = await q
    .selectFrom('event_registrations')
    .select((eb) => eb.fn.max('waitlist_position').as('m'))
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

/** How many are ahead of a waitlisted registration. */
export async function aheadOf(q: Q, eventId: number, position: number): Promise<number> {
  const r = await q
    .selectFrom('event_registrations')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .where('waitlist_position', '<', position)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function firstWaitlisted(q: Q, eventId: number): Promise<Registration | undefined> {
  const r = await q
    .selectFrom('event_registrations')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .orderBy('waitlist_position')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return r && fromRow(r);
}

export type NewRegistration = Pick<
  Registration,
  'eventId' | 'name' | 'email' | 'userId' | 'answers' | 'status' | 'waitlistPosition' | 'linkNonce'
> & { confirmTokenHash: string | null; manageTokenHash: string };

export async function insertRegistration(q: Q, n: NewRegistration, now: Date): Promise<Registration> {
  const at = toDbTime(now);
  const row = await q
    .insertInto('event_registrations')
    .values({
      event_id: n.eventId,
      name: n.name,
      email: n.email,
      user_id: n.userId,
      answers: JSON.stringify(n.answers),
      status: n.status,
      waitlist_position: n.waitlistPosition,
      link_nonce: n.linkNonce,
      confirm_token_hash: n.confirmTokenHash,
      manage_token_hash: n.manageTokenHash,
      confirmed_at: n.status === 'confirmed' ? at : null,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return fromRow(row);
}

export async function registrationById(q: Q, id: number): Promise<Registration | undefined> {
  const r = await q.selectFrom('event_registrations').selectAll().where('id', '=', id).executeTakeFirst();
  return r && fromRow(r);
}

export async function liveByEmail(q: Q, eventId: number, email: string): Promise<Registration | undefined> {
  const r = await q
    .selectFrom('event_registrations')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('email', '=', email)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  return r && fromRow(r);
}

export type TokenKind = 'confirm' | 'manage' | 'claim';

export async function byTokenHash(q: Q, kind: TokenKind, hash: string): Promise<Registration | undefined> {
  const column = `${kind}_token_hash` as const;
  const r = await q.selectFrom('event_registrations').selectAll().where(column, '=', hash).executeTakeFirst();
  return r && fromRow(r);
}

export interface StatusChange {
  status: RegistrationStatus;
  waitlistPosition?: number | null;
  claimTokenHash?: string | null;
  claimExpiresAt?: Date | null;
}

/** Moves a registration on, only from the status it is known to have (false when it had moved already). */
export async function changeStatus(q: Q, r: Registration, to: StatusChange, now: Date): Promise<boolean> {
  const at = toDbTime(now);
  const res = await q
    .updateTable('event_registrations')
    .set({
      status: to.status,
      updated_at: at,
      ...(to.waitlistPosition !== undefined && { waitlist_position: to.waitlistPosition }),
      ...(to.claimTokenHash !== undefined && { claim_token_hash: to.claimTokenHash }),
      ...(to.claimExpiresAt !== undefined && {
        claim_expires_at: to.claimExpiresAt ? toDbTime(to.claimExpiresAt) : null,
      }),
      ...(to.status === 'confirmed' && { confirmed_at: at }),
      ...(to.status === 'cancelled' && { cancelled_at: at }),
    })
    .where('id', '=', r.id)
    .where('status', '=', r.status)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function markMailed(q: Q, id: number, now: Date): Promise<void> {
  await q
    .updateTable('event_registrations')
    .set({ mailed_at: toDbTime(now) })
    .where('id', '=', id)
    .execute();
}

/** Deletes a registration still pending that was made before `before`; whether it did. */
export async function deleteUnconfirmed(q: Q, id: number, before: Date): Promise<boolean> {
  const res = await q
    .deleteFrom('event_registrations')
    .where('id', '=', id)
    .where('status', '=', 'pending_confirmation')
    .where('created_at', '<', toDbTime(before))
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
