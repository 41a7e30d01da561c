// What an event's registration allows: its settings as an organiser gives them, checked with EVENT_INVALID
// naming the field (a capacity of whole places or none, a claim window of 1 to 336 hours, closing after
// opening, the questions); whether it takes registrations at a moment (off, cancelled, ended, not open yet,
// closed, or open with the places left); the clear error for each state that refuses; and the errors of
// links that are not valid or offers that lapsed.
import { DatelineError } from '../../errors/catalogue.ts';
import type { LiveEvent } from '../repository.ts';
import { type RegistrationQuestion, validateQuestions } from './questions.ts';
import type { RegistrationSettings } from './repository.ts';

export interface RegistrationSetup {
  enabled: boolean;
  capacity?: number | null;
  opensAt?: Date | null;
  closesAt?: Date | null;
  claimWindowHours?: number;
  questions?: unknown;
  remind24h?: boolean;
  remind1h?: boolean;
}

export type Availability =
  | { state: 'off' | 'cancelled' | 'ended' | 'closed' }
  | { state: 'not_open'; opensAt: Date }
  | { state: 'open'; closesAt: Date; placesLeft: number | null; full: boolean };

export function setupInvalid(field: string, message: string): never {
  throw new DatelineError('EVENT_INVALID', `${message} Nothing was saved.`, { field });
}

/** Checks an organiser's settings, or throws EVENT_INVALID naming the first field at fault. */
export function validateSetup(input: RegistrationSetup): RegistrationSettings {
  const capacity = input.capacity ?? null;
  if (capacity !== null && (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 1_000_000))
    setupInvalid('capacity', 'The capacity is a number of places from 1 to 1,000,000, or none for no limit.');
  const hours = input.claimWindowHours ?? 48;
  if (!Number.isSafeInteger(hours) || hours < 1 || hours > 336)
    setupInvalid('claimWindowHours', 'The claim window is from 1 to 336 hours (two weeks).');
  const opensAt = input.opensAt ?? null;
  const closesAt = input.closesAt ?? null;
  for (const [field, at] of [
    ['opensAt', opensAt],
    ['closesAt', closesAt],
  ] as const)
    if (at !== null && (!(at instanceof Date) || Number.isNaN(at.getTime())))
      setupInvalid(field, 'That is not a valid time.');
  if (opensAt && closesAt && closesAt <= opensAt)
    setupInvalid('closesAt', 'Registration must close after it opens.');
  const questions: RegistrationQuestion[] = validateQuestions(input.questions ?? []);
  return {
    enabled: input.enabled,
    capacity,
    opensAt,
    closesAt,
    claimWindowHours: hours,
    questions,
    remind24h: input.remind24h ?? false,
    remind1h: input.remind1h ?? false,
  };
}

/**
 * Whether the event takes registrations at `now`, and how many places are left (`held` counts the places
 * taken, read only when the event has a capacity and is open).
 */
export async function availabilityAt(
  now: Date,
  event: LiveEvent,
  s: RegistrationSettings | undefined,
  held: () => Promise<number>,
): Promise<Availability> {
  if (!s?.enabled || !event.published) return { state: 'off' };
  if (event.status === 'cancelled') return { state: 'cancelled' };
  if (event.endsAt <= now) return { state: 'ended' };
  if (s.opensAt && now < s.opensAt) return { state: 'not_open', opensAt: s.opensAt };
  const closesAt = s.closesAt ?? event.startsAt;
  if (now >= closesAt) return { state: 'closed' };
  if (s.capacity === null) return { state: 'open', closesAt, placesLeft: null, full: false };
  const left = Math.max(0, s.capacity - (await held()));
  return { state: 'open', closesAt, placesLeft: left, full: left === 0 };
}

/** Throws the clear error for an event that takes no registrations now. */
export function refuseUnlessOpen(
  a: Availability,
  event: LiveEvent,
): asserts a is Extract<Availability, { state: 'open' }> {
  switch (a.state) {
    case 'open':
      return;
    case 'off':
      throw new DatelineError('EVENT_NOT_FOUND', `“${event.title}” does not take registrations here.`, {
        event: event.slug,
      });
    case 'cancelled':
      throw new DatelineError(
        'EVENT_CANCELLED',
        `“${event.title}” has been cancelled, so it takes no registrations.`,
      );
    case 'ended':
    case 'closed':
      throw new DatelineError('EVENT_REGISTRATION_CLOSED', `Registration for “${event.title}” has closed.`);
    case 'not_open':
      throw new DatelineError(
        'EVENT_REGISTRATION_NOT_OPEN',
        `Registration for “${event.title}” is not open yet; come back when it opens.`,
        { opensAt: a.opensAt.toISOString() },
      );
  }
}

export function linkInvalid(): DatelineError {
  return new DatelineError(
    'EVENT_REGISTRATION_LINK_INVALID',
    'This registration link is not valid: it was changed on the way, or the registration it belonged to is gone. ' +
      'Nothing was changed. Use the link in your newest mail about the event, or register again from its page.',
  );
}

export function claimExpired(event: LiveEvent): DatelineError {
  return new DatelineError(
    'EVENT_CLAIM_EXPIRED',
    `The offer of a place at “${event.title}” has lapsed, so it went to the next person in line. Nothing was changed.`,
  );
}
