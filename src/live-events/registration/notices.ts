// What a registrant receives: the links of their registration (HMACs of its nonce under the install's
// signing key, so a mail can be sent again with the same links; the table keeps only their SHA-256), the
// "add to calendar" links and their own .ics (the feed's UID and SEQUENCE, METHOD:REQUEST, the join link as
// CONFERENCE for webinars), and the mail for where they stand, queued in the caller's transaction.
import type { MailSite } from '../../accounts/mails.ts';
import { hmac } from '../../accounts/secrets.ts';
import type { MailService } from '../../mail/mailer.ts';
import { icsInvite } from '../ics.ts';
import type { LiveEvent } from '../repository.ts';
import { type CalendarLinks, calendarLinks } from './calendar-links.ts';
import { type RegistrationMailKind, registrationMail } from './mails.tsx';
import { aheadOf, markMailed, type Q, type Registration, type TokenKind } from './repository.ts';

export interface NoticeDeps {
  mail: MailService;
  signingKey: () => Buffer;
  mailSite: (siteId: number, origin: string) => MailSite;
  siteOrigin: (siteId: number) => string;
  siteLanguage: (siteId: number) => string;
  siteHost: (siteId: number) => string;
  now: () => Date;
}

export interface RegistrationLinks {
  /** The personal page. */
  manage: string;
  confirm: string;
  claim: string;
  calendar: CalendarLinks;
  /** The join link, for a confirmed registrant of an online event; else null. */
  join: string | null;
}

export class RegistrationNotices {
  constructor(private readonly d: NoticeDeps) {}

  token(kind: TokenKind, r: Pick<Registration, 'linkNonce'>): string {
    return hmac(this.d.signingKey(), 'event-registration', kind, r.linkNonce);
  }

  /** The registrant's own calendar file: the feed's UID and SEQUENCE, METHOD:REQUEST, the join link. */
  calendarFile(event: LiveEvent, r: Registration, origin: string): string {
    const host = this.d.siteHost(event.siteId);
    return icsInvite(
      event,
      { host, urlOf: (e) => `${origin}/events/${e.slug}` },
      { stamp: this.d.now(), joinUrl: this.links(event, r, origin).join },
    );
  }

  /** The links of a registration, as the mails and the personal page give them. */
  links(event: LiveEvent, r: Registration, origin: string): RegistrationLinks {
    const base = `${origin}/events/${event.slug}`;
    const manage = this.token('manage', r);
    const online = event.kind !== 'in_person' || event.status === 'moved_online';
    const icsUrl = `${base}/registration/${manage}/event.ics`;
    return {
      manage: `${base}/registration/${manage}`,
      confirm: `${base}/register/confirm?t=${this.token('confirm', r)}`,
      claim: `${base}/register/claim?t=${this.token('claim', r)}`,
      calendar: calendarLinks(event, { pageUrl: base, icsUrl }),
      join: r.status === 'confirmed' && online ? event.onlineUrl : null,
    };
  }

  /** Queues the mail for where the registration stands (in the caller's transaction) and notes it. */
  async mailAbout(
    trx: Q,
    event: LiveEvent,
    r: Registration,
    now: Date,
    origin: string | undefined,
    o: { again: boolean },
  ): Promise<void> {
    const kinds: Partial<Record<Registration['status'], RegistrationMailKind>> = {
      pending_confirmation: 'confirm',
      confirmed: 'confirmed',
      waitlisted: 'waitlisted',
      offered: 'offered',
    };
    const kind = kinds[r.status];
    if (!kind) return;
    const base = origin ?? this.d.siteOrigin(event.siteId);
    const ahead =
      r.status === 'waitlisted' && r.waitlistPosition !== null
        ? await aheadOf(trx, event.id, r.waitlistPosition)
        : undefined;
    const links = this.links(event, r, base);
    await this.d.mail.queue(
      registrationMail(kind, this.d.mailSite(event.siteId, base), event, r, links, {
        language: this.d.siteLanguage(event.siteId),
        again: o.again,
        ...(ahead !== undefined && { ahead }),
        sentAt: now,
        ...(kind === 'confirmed' && { ics: this.calendarFile(event, r, base) }),
      }),
      trx as never,
    );
    await markMailed(trx, r.id, now);
  }
}
