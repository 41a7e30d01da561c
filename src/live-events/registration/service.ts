// The rules of event registration (issue #11):
// - An event takes registrations when set up to (configure; the settings' rules are in rules.ts): a
//   capacity or none, opening and closing instants (default: from publication until the start), the claim
//   window (default 48 h) and its questions. A capacity below the places already held is refused.
// - register: signed out, a pending registration and a double-confirmation mail; no place is held until the
//   link is used. A signed-in reader with a verified address is placed at once. The same address again
//   makes no second registration: the mail for where it stands goes again (at most once in two minutes and
//   three times an hour per mailbox), and the answer to a signed-out form is the same either way.
//   Registrations are limited per network address (EVENT_REGISTRATION_LIMITED).
// - Placing (confirm, one-click, claim) runs in one transaction holding the event's lock (row lock on
//   PostgreSQL, the single writer on SQLite): the places held (confirmed and standing offers) are counted
//   and a place given only while one is left, else the waitlist's next position. So concurrent registrations
//   never overbook.
// - A registration never confirmed is forgotten a week on (a durable job queued with it).
// - A freed place (cancel) goes to the first in line as an offer with a claim link for the event's claim
//   window; a durable job (src/jobs/) at the deadline lapses an unclaimed offer and offers the place on.
// - Mailed links (notices.ts) are HMACs of a per-registration nonce; the table keeps only their SHA-256. A
//   forged, used-up or lapsed link changes nothing (EVENT_REGISTRATION_LINK_INVALID, EVENT_CLAIM_EXPIRED).
// Every mail (notices.ts) is queued in the transaction of the change that causes it.

import { checkEmail } from '../../accounts/fields.ts';
import type { MailSite } from '../../accounts/mails.ts';
import type { Limiter, LimiterFactory } from '../../accounts/rate-limit.ts';
import { hashSecret, newSecret } from '../../accounts/secrets.ts';
import type { Db } from '../../db/connection.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { DomainEvent } from '../../events/bus.ts';
import type { Events } from '../../events/log.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import type { MailService } from '../../mail/mailer.ts';
import { eventById, type LiveEvent } from '../repository.ts';
import { type RegistrationLinks, RegistrationNotices } from './notices.ts';
import { type Answers, readAnswers } from './questions.ts';
import {
  aheadOf,
  byTokenHash,
  changeStatus,
  countByStatus,
  deleteUnconfirmed,
  firstWaitlisted,
  heldPlaces,
  insertRegistration,
  liveByEmail,
  lockEvent,
  nextWaitlistPosition,
  type Q,
  type Registration,
  type RegistrationSettings,
  registrationById,
  settingsOf,
  type TokenKind,
  writeSettings,
} from './repository.ts';
import {
  type Availability,
  availabilityAt,
  claimExpired,
  linkInvalid,
  type RegistrationSetup,
  refuseUnlessOpen,
  setupInvalid,
  validateSetup,
} from './rules.ts';

export const LAPSE_JOB = 'live-events.claim-lapse';
/** The job that forgets a registration never confirmed, a week after it was made. */
export const FORGET_JOB = 'live-events.forget-unconfirmed';
export const FORGET_AFTER_MS = 7 * 86_400_000;
/** No second mail about one registration within this time. */
export const RESEND_MS = 2 * 60_000;

export interface RegistrationLimits {
  /** Registration requests per network address per hour. */
  perIpPerHour: number;
  /** Mails one address may be sent about registrations per hour. */
  perAddressPerHour: number;
}

export const DEFAULT_REGISTRATION_LIMITS: RegistrationLimits = { perIpPerHour: 30, perAddressPerHour: 3 };

export interface RegistrationDeps {
  db: Db;
  events: Events;
  mail: MailService;
  jobs: JobQueue;
  limits: LimiterFactory;
  signingKey: () => Buffer;
  mailSite: (siteId: number, origin: string) => MailSite;
  /** The public origin of a site, for links in mail sent without a request (a lapse job). */
  siteOrigin: (siteId: number) => string;
  /** The site's language, for times in mail. */
  siteLanguage: (siteId: number) => string;
  /** The site's first host, which makes calendar UIDs unique across the network (as the feed's). */
  siteHost: (siteId: number) => string;
  settings?: Partial<RegistrationLimits>;
  now?: () => Date;
}

export interface RegisterInput {
  event: LiveEvent;
  name: string;
  email: string;
  /** The posted form, for the event's questions (fields q-<id>). */
  form: Record<string, unknown>;
  /** A signed-in reader whose address is verified: placed at once with the account's name and address. */
  account: { userId: number; email: string; name: string } | null;
  /** The reader agreed to join the waitlist if the event is full. */
  waitlist: boolean;
  ip: string | null;
  origin: string;
}

export type RegisterOutcome =
  /** Signed out: the same answer whether the address was new, pending or registered already. */
  | { kind: 'check-inbox' }
  /** Signed in: where the registration stands, and the personal page's token. */
  | { kind: 'placed'; registration: Registration; manageToken: string; again: boolean };

function regInvalid(field: string, message: string): never {
  throw new DatelineError('EVENT_REGISTRATION_INVALID', message, { field });
}

export class EventRegistrations {
  private readonly ipLimit: Limiter;
  private readonly addressLimit: Limiter;
  private readonly now: () => Date;
  private readonly notices: RegistrationNotices;
  readonly limits: RegistrationLimits;

  constructor(private readonly d: RegistrationDeps) {
    this.limits = { ...DEFAULT_REGISTRATION_LIMITS, ...d.settings };
    this.ipLimit = d.limits.make('event-registration-ip', {
      points: this.limits.perIpPerHour,
      durationSeconds: 3600,
    });
    this.addressLimit = d.limits.make('event-registration-address', {
      points: this.limits.perAddressPerHour,
      durationSeconds: 3600,
    });
    this.now = d.now ?? (() => new Date());
    this.notices = new RegistrationNotices({ ...d, now: this.now });
    d.jobs.register<{ registrationId: number }>(LAPSE_JOB, (p) => this.lapse(p.registrationId));
    d.jobs.register<{ registrationId: number }>(FORGET_JOB, async (p) => {
      await this.forgetUnconfirmed(p.registrationId);
    });
  }

  private get db() {
    return this.d.db.kysely;
  }

  private get postgres() {
    return this.d.db.dialect === 'postgres';
  }

  private tokenHash(kind: TokenKind, nonce: string): string {
    return hashSecret(this.notices.token(kind, { linkNonce: nonce }));
  }

  private async byToken(
    kind: TokenKind,
    token: string,
  ): Promise<{ registration: Registration; event: LiveEvent }> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw linkInvalid();
    const registration = await byTokenHash(this.db, kind, hashSecret(token));
    const event = registration && (await eventById(this.db, registration.eventId));
    if (!registration || !event) throw linkInvalid();
    return { registration, event };
  }

  // ------------------------------------------------------------------ settings

  settings(eventId: number): Promise<RegistrationSettings | undefined> {
    return settingsOf(this.db, eventId);
  }

  /** Sets how an event takes registrations; EVENT_INVALID names the field at fault. */
  async configure(eventId: number, input: RegistrationSetup): Promise<RegistrationSettings> {
    const s = validateSetup(input);
    const event = await eventById(this.db, eventId);
    if (!event)
      throw new DatelineError('EVENT_NOT_FOUND', `There is no event ${eventId}.`, { event: String(eventId) });
    const domainEvent: DomainEvent = { type: 'site.changed', siteId: event.siteId };
    const eventLogId = await this.db.transaction().execute(async (trx) => {
      await lockEvent(trx, this.postgres, eventId);
      const held = await heldPlaces(trx, eventId);
      if (s.capacity !== null && s.capacity < held)
        setupInvalid('capacity', `${held} places are taken already; the capacity cannot be below that.`);
      await writeSettings(trx, eventId, s, this.now());
      const id = await this.d.events.record(trx, domainEvent);
      // A larger capacity frees places for the waitlist.
      await this.offerFreedPlaces(trx, event, s);
      return id;
    });
    this.d.events.published(domainEvent, eventLogId);
    return s;
  }

  /** Whether the event takes registrations now, and how many places are left. */
  async availability(event: LiveEvent, s?: RegistrationSettings): Promise<Availability> {
    const settings = s ?? (await this.settings(event.id));
    return availabilityAt(this.now(), event, settings, () => heldPlaces(this.db, event.id));
  }

  // ------------------------------------------------------------------ registering

  async register(input: RegisterInput): Promise<RegisterOutcome> {
    // Counted before anything else, valid or not: a flood of junk is a flood too.
    if (input.ip) {
      const wait = await this.ipLimit.consume(input.ip);
      if (wait > 0)
        throw new DatelineError(
          'EVENT_REGISTRATION_LIMITED',
          `There have been too many registrations from your network address. Try again in ${Math.ceil(wait / 60)} minutes.`,
          { retryAfter: wait },
        );
    }
    const { event } = input;
    const s = await this.settings(event.id);
    const a = await this.availability(event, s);
    refuseUnlessOpen(a, event);
    let name: string;
    let email: string;
    if (input.account) {
      name = input.account.name.trim().slice(0, 200) || input.account.email;
      email = input.account.email.trim().toLowerCase();
    } else {
      name = input.name.normalize('NFC').trim().replace(/\s+/g, ' ');
      if (name === '') regInvalid('name', 'Enter your name.');
      if (name.length > 200) regInvalid('name', 'Your name is at most 200 characters.');
      const checked = checkEmail(input.email);
      if (!checked.ok) regInvalid('email', checked.problem);
      email = checked.value;
    }
    const answers = readAnswers(s!.questions, input.form);
    if (a.full && !input.waitlist)
      throw new DatelineError(
        'EVENT_FULL',
        `“${event.title}” is full. You can join its waitlist: when a place is freed, the first in line is offered it.`,
      );
    return input.account
      ? this.registerAccount(event, s!, { name, email, answers, userId: input.account.userId }, input.origin)
      : this.registerByMail(event, { name, email, answers }, input.origin);
  }

  private async registerAccount(
    event: LiveEvent,
    s: RegistrationSettings,
    who: { name: string; email: string; answers: Answers; userId: number },
    origin: string,
  ): Promise<RegisterOutcome> {
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      await lockEvent(trx, this.postgres, event.id);
      const existing = await liveByEmail(trx, event.id, who.email);
      if (existing) {
        let r = existing;
        // A pending registration of this address is confirmed by the verified account.
        if (r.status === 'pending_confirmation') r = await this.place(trx, event, s, r, now);
        return { kind: 'placed', registration: r, manageToken: this.token('manage', r), again: true };
      }
      const nonce = newSecret(24);
      const pending = await insertRegistration(
        trx,
        {
          eventId: event.id,
          name: who.name,
          email: who.email,
          userId: who.userId,
          answers: who.answers,
          status: 'pending_confirmation',
          waitlistPosition: null,
          linkNonce: nonce,
          confirmTokenHash: null,
          manageTokenHash: this.tokenHash('manage', nonce),
        },
        now,
      );
      const r = await this.place(trx, event, s, pending, now, origin);
      return { kind: 'placed', registration: r, manageToken: this.token('manage', r), again: false };
    });
  }

  private async registerByMail(
    event: LiveEvent,
    who: { name: string; email: string; answers: Answers },
    origin: string,
  ): Promise<RegisterOutcome> {
    const now = this.now();
    // Read before the look-up, the same whether or not the address is known; over it, no mail goes.
    const mayMail = (await this.addressLimit.spent(who.email)) < this.limits.perAddressPerHour;
    const mailed = await this.db.transaction().execute(async (trx) => {
      const existing = await liveByEmail(trx, event.id, who.email);
      if (existing) {
        const recent = existing.mailedAt && now.getTime() - existing.mailedAt.getTime() < RESEND_MS;
        if (!mayMail || recent) return false;
        await this.notices.mailAbout(trx, event, existing, now, origin, { again: true });
        return true;
      }
      const nonce = newSecret(24);
      const r = await insertRegistration(
        trx,
        {
          eventId: event.id,
          name: who.name,
          email: who.email,
          userId: null,
          answers: who.answers,
          status: 'pending_confirmation',
          waitlistPosition: null,
          linkNonce: nonce,
          confirmTokenHash: this.tokenHash('confirm', nonce),
          manageTokenHash: this.tokenHash('manage', nonce),
        },
        now,
      );
      // Never confirmed, it is forgotten after a week (name, address and answers with it).
      await this.d.jobs.enqueue(
        FORGET_JOB,
        `${FORGET_JOB}:${r.id}`,
        { registrationId: r.id },
        { runAt: new Date(now.getTime() + FORGET_AFTER_MS), trx: trx as never },
      );
      if (!mayMail) return false;
      await this.notices.mailAbout(trx, event, r, now, origin, { again: false });
      return true;
    });
    // Counted once the mail is committed (and outside the transaction: SQLite has one connection).
    if (mailed) await this.addressLimit.consume(who.email);
    return { kind: 'check-inbox' };
  }

  /**
   * Gives a pending (or offered) registration its place if one is left, else the end of the waitlist. The
   * caller holds the event's lock. Mails the outcome.
   */
  private async place(
    trx: Q,
    event: LiveEvent,
    s: RegistrationSettings,
    r: Registration,
    now: Date,
    origin?: string,
  ): Promise<Registration> {
    const held = await heldPlaces(trx, event.id);
    const room = s.capacity === null || held < s.capacity;
    const change = room
      ? { status: 'confirmed' as const, waitlistPosition: null }
      : { status: 'waitlisted' as const, waitlistPosition: await nextWaitlistPosition(trx, event.id) };
    if (!(await changeStatus(trx, r, change, now))) return (await registrationById(trx, r.id))!;
    const placed = (await registrationById(trx, r.id))!;
    await this.notices.mailAbout(trx, event, placed, now, origin, { again: false });
    return placed;
  }

  /** Reads a confirmation link without using it (the page with the button: mail scanners fetch links). */
  async checkConfirm(token: string): Promise<{ registration: Registration; event: LiveEvent }> {
    return this.byToken('confirm', token);
  }

  /** Uses a confirmation link: a place or the waitlist; a second use changes nothing. */
  async confirm(
    token: string,
  ): Promise<{ registration: Registration; event: LiveEvent; manageToken: string }> {
    const { registration, event } = await this.byToken('confirm', token);
    if (registration.status !== 'pending_confirmation')
      return { registration, event, manageToken: this.token('manage', registration) };
    const s = await this.settings(event.id);
    refuseUnlessOpen(await this.availability(event, s), event);
    const now = this.now();
    const placed = await this.db.transaction().execute(async (trx) => {
      await lockEvent(trx, this.postgres, event.id);
      const fresh = (await registrationById(trx, registration.id))!;
      if (fresh.status !== 'pending_confirmation') return fresh;
      return this.place(trx, event, s!, fresh, now);
    });
    return { registration: placed, event, manageToken: this.token('manage', placed) };
  }

  // ------------------------------------------------------------------ the personal page's actions

  async byManageToken(
    token: string,
  ): Promise<{ registration: Registration; event: LiveEvent; ahead: number }> {
    const found = await this.byToken('manage', token);
    const r = found.registration;
    const ahead =
      r.status === 'waitlisted' && r.waitlistPosition !== null
        ? await aheadOf(this.db, r.eventId, r.waitlistPosition)
        : 0;
    return { ...found, ahead };
  }

  /** Cancels a registration or leaves the waitlist; a freed place is offered to the next in line. */
  async cancel(manageToken: string): Promise<{ registration: Registration; event: LiveEvent }> {
    const { registration, event } = await this.byToken('manage', manageToken);
    if (registration.status === 'cancelled') return { registration, event };
    const now = this.now();
    const s = await this.settings(event.id);
    const out = await this.db.transaction().execute(async (trx) => {
      await lockEvent(trx, this.postgres, event.id);
      const fresh = (await registrationById(trx, registration.id))!;
      if (fresh.status === 'cancelled') return fresh;
      await changeStatus(
        trx,
        fresh,
        { status: 'cancelled', waitlistPosition: null, claimTokenHash: null, claimExpiresAt: null },
        now,
      );
      if (s) await this.offerFreedPlaces(trx, event, s);
      return (await registrationById(trx, fresh.id))!;
    });
    return { registration: out, event };
  }

  /** Reads a claim link (for the page with the button), refusing a lapsed or used one. */
  async checkClaim(token: string): Promise<{ registration: Registration; event: LiveEvent }> {
    const found = await this.byToken('claim', token);
    const r = found.registration;
    if (r.status !== 'offered') throw linkInvalid();
    if (r.claimExpiresAt && r.claimExpiresAt <= this.now()) throw claimExpired(found.event);
    return found;
  }

  /** Takes an offered place. */
  async claim(token: string): Promise<{ registration: Registration; event: LiveEvent; manageToken: string }> {
    const { registration, event } = await this.checkClaim(token);
    const now = this.now();
    const done = await this.db.transaction().execute(async (trx) => {
      await lockEvent(trx, this.postgres, event.id);
      const fresh = (await registrationById(trx, registration.id))!;
      if (fresh.status !== 'offered') throw linkInvalid();
      if (fresh.claimExpiresAt && fresh.claimExpiresAt <= now) throw claimExpired(event);
      // The offer held the place: it becomes the registrant's.
      await changeStatus(
        trx,
        fresh,
        { status: 'confirmed', waitlistPosition: null, claimTokenHash: null, claimExpiresAt: null },
        now,
      );
      const placed = (await registrationById(trx, fresh.id))!;
      await this.notices.mailAbout(trx, event, placed, now, undefined, { again: false });
      return placed;
    });
    return { registration: done, event, manageToken: this.token('manage', done) };
  }

  /** The forget job: deletes a registration still waiting for its confirmation a week on. */
  async forgetUnconfirmed(registrationId: number): Promise<boolean> {
    // A minute's slack: the queue's clock runs the job at the week's end, not a moment after.
    const cutoff = new Date(this.now().getTime() - FORGET_AFTER_MS + 60_000);
    return deleteUnconfirmed(this.db, registrationId, cutoff);
  }

  /** The lapse job: an offer not claimed by its deadline is withdrawn and the place offered on. */
  async lapse(registrationId: number): Promise<void> {
    const now = this.now();
    const r = await registrationById(this.db, registrationId);
    if (r?.status !== 'offered' || !r.claimExpiresAt || r.claimExpiresAt > now) return;
    const event = await eventById(this.db, r.eventId);
    const s = event && (await this.settings(event.id));
    if (!event || !s) return;
    await this.db.transaction().execute(async (trx) => {
      await lockEvent(trx, this.postgres, event.id);
      const fresh = await registrationById(trx, registrationId);
      if (fresh?.status !== 'offered' || !fresh.claimExpiresAt || fresh.claimExpiresAt > now) return;
      await changeStatus(
        trx,
        fresh,
        { status: 'cancelled', waitlistPosition: null, claimTokenHash: null, claimExpiresAt: null },
        now,
      );
      await this.offerFreedPlaces(trx, event, s);
    });
  }

  /** While places are free and people wait, offers the next in line a place. The caller holds the lock. */
  private async offerFreedPlaces(trx: Q, event: LiveEvent, s: RegistrationSettings): Promise<void> {
    if (event.status === 'cancelled' || event.startsAt <= this.now()) return;
    const now = this.now();
    for (;;) {
      const held = await heldPlaces(trx, event.id);
      if (s.capacity !== null && held >= s.capacity) return;
      const next = await firstWaitlisted(trx, event.id);
      if (!next) return;
      // No later than the start: an offer that outlives the event is no use.
      const deadline = new Date(
        Math.min(now.getTime() + s.claimWindowHours * 3_600_000, event.startsAt.getTime()),
      );
      await changeStatus(
        trx,
        next,
        {
          status: 'offered',
          waitlistPosition: null,
          claimTokenHash: this.tokenHash('claim', next.linkNonce),
          claimExpiresAt: deadline,
        },
        now,
      );
      const offered = (await registrationById(trx, next.id))!;
      await this.d.jobs.enqueue(
        LAPSE_JOB,
        `${LAPSE_JOB}:${next.id}:${deadline.getTime()}`,
        { registrationId: next.id },
        { runAt: deadline, trx: trx as never },
      );
      await this.notices.mailAbout(trx, event, offered, now, undefined, { again: false });
    }
  }

  // ------------------------------------------------------------------ links and mail, for the routes

  token(kind: TokenKind, r: Pick<Registration, 'linkNonce'>): string {
    return this.notices.token(kind, r);
  }

  links(event: LiveEvent, r: Registration, origin: string): RegistrationLinks {
    return this.notices.links(event, r, origin);
  }

  calendarFile(event: LiveEvent, r: Registration, origin: string): string {
    return this.notices.calendarFile(event, r, origin);
  }

  // ------------------------------------------------------------------ for pages and tests

  counts(eventId: number) {
    return countByStatus(this.db, eventId);
  }

  time(): Date {
    return this.now();
  }
}
