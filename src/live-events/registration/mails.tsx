// The mails of event registration, in the site's branding: the double-confirmation link (signed out), and
// where the registrant stands once placed: registered (with the event's time, the join link for webinars,
// "add to Google / Outlook / Apple calendar" links and their own .ics), on the waitlist (their place in
// line), or offered a freed place (the claim link and when it lapses). Each says how to reach the personal
// page, where they can cancel or leave the waitlist. A resend to someone already registered starts by
// saying so, gently. Keys make every sending unique; the service decides when one may go.
//
// The registered mail carries the registrant's .ics as an attachment (the mailer stores it with the message
// and sends it), and the same file is linked from the mail and the personal page.
import type { MailSite } from '../../accounts/mails.ts';
import type { OutgoingMail } from '../../mail/mailer.ts';
import { type MailContent, renderMail } from '../../mail/templates.tsx';
import { formatEventTime } from '../event-times.ts';
import type { LiveEvent } from '../repository.ts';
import type { CalendarLinks } from './calendar-links.ts';
import type { Registration } from './repository.ts';

export interface MailLinks {
  /** The personal page (/events/<slug>/registration/<token>). */
  manage: string;
  confirm?: string;
  claim?: string;
  calendar?: CalendarLinks;
  /** Webinars: where to join. */
  join?: string | null;
}

export type RegistrationMailKind = 'confirm' | 'confirmed' | 'waitlisted' | 'offered';

/** A registration mail; the registered one carries the registrant's calendar file. */
export type RegistrationMail = OutgoingMail;

/** Every registration mail has a button, further links and small print. */
type Body = Required<MailContent>;

function claimDeadline(at: Date, e: LiveEvent, language: string): string {
  return new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: e.timeZone,
    timeZoneName: 'long',
  }).format(at);
}

function body(
  kind: RegistrationMailKind,
  e: LiveEvent,
  r: Registration,
  links: MailLinks,
  o: { language: string; again: boolean; ahead?: number },
): Body {
  const when = formatEventTime(e, o.language);
  const again = o.again
    ? ['You are already registered for this event, so nothing new was added. Here is your mail again.']
    : [];
  const page = { label: 'Your registration', url: links.manage };
  switch (kind) {
    case 'confirm':
      return {
        heading: 'Confirm your registration',
        paragraphs: [
          ...(o.again
            ? ['You asked to register again: your registration is waiting for this confirmation.']
            : []),
          `Someone, probably you, asked to register ${r.email} for “${e.title}”, ${when}.`,
          'Confirm to take your place. Until you do, no place is held for you.',
        ],
        action: { label: 'Confirm my registration', url: links.confirm ?? links.manage },
        links: [],
        note: 'If you did not ask for this, ignore this mail: nothing happens without the confirmation.',
      };
    case 'confirmed':
      return {
        heading: 'You are registered',
        paragraphs: [
          ...again,
          `${r.name}, your place at “${e.title}” is confirmed.`,
          `When: ${when}.`,
          ...(links.join
            ? [`Join online: ${links.join} (this link is for registrants; please do not share it).`]
            : []),
        ],
        action: page,
        links: [
          ...(links.join ? [{ label: 'Join the webinar', url: links.join }] : []),
          ...(links.calendar
            ? [
                { label: 'Add to Google Calendar', url: links.calendar.google },
                { label: 'Add to Outlook calendar', url: links.calendar.outlook },
                { label: 'Add to Apple Calendar or another app (.ics file)', url: links.calendar.ics },
              ]
            : []),
        ],
        note: 'Cannot come after all? Cancel from your registration page, and your place goes to the next person on the waitlist.',
      };
    case 'waitlisted':
      return {
        heading: 'You are on the waitlist',
        paragraphs: [
          ...again,
          `“${e.title}” (${when}) is full, so ${r.name}, you are on its waitlist${o.ahead !== undefined ? `, with ${o.ahead} ${o.ahead === 1 ? 'person' : 'people'} ahead of you` : ''}.`,
          'When a place is freed, the first in line gets a mail with a link to claim it.',
        ],
        action: page,
        links: [],
        note: 'You can leave the waitlist from your registration page at any time.',
      };
    case 'offered':
      return {
        heading: 'A place is free for you',
        paragraphs: [
          `A place at “${e.title}” (${when}) has been freed, and it is yours if you claim it.`,
          r.claimExpiresAt
            ? `Claim it by ${claimDeadline(r.claimExpiresAt, e, o.language)}; after that it goes to the next person in line.`
            : 'Claim it soon; after a while it goes to the next person in line.',
        ],
        action: { label: 'Claim my place', url: links.claim ?? links.manage },
        links: [{ label: 'Your registration', url: links.manage }],
        note: 'Not coming? Leave the waitlist from your registration page, and the place goes to the next person.',
      };
  }
}

export function registrationMail(
  kind: RegistrationMailKind,
  site: MailSite,
  e: LiveEvent,
  r: Registration,
  links: MailLinks,
  o: { language: string; again: boolean; ahead?: number; sentAt: Date; ics?: string },
): RegistrationMail {
  const b = body(kind, e, r, links, o);
  const subjects: Record<RegistrationMailKind, string> = {
    confirm: `Confirm your registration: ${e.title}`,
    confirmed: `You are registered: ${e.title}`,
    waitlisted: `On the waitlist: ${e.title}`,
    offered: `A place is free for you: ${e.title}`,
  };
  return {
    key: `event-registration:${kind}:${r.id}:${o.sentAt.getTime()}`,
    kind: `event-registration-${kind}`,
    to: r.email,
    subject: subjects[kind],
    ...renderMail(site.brand, b),
    siteId: site.siteId,
    userId: r.userId,
    ...(kind === 'confirmed' &&
      o.ics && {
        attachments: [
          {
            filename: `${e.slug}.ics`,
            contentType: 'text/calendar; charset=utf-8; method=REQUEST',
            content: o.ics,
          },
        ],
      }),
  };
}
