// biome-ignore-all lint/suspicious/noExplicitAny: ical.js components are walked as parsed.
// The registration mails without a database: the confirmation carries the registrant's .ics as an attachment,
// which ical.js reads back with METHOD:REQUEST and the join link as CONFERENCE;
// the waitlist and offer mails say where the person stands; text is escaped in the HTML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import ICAL from 'ical.js';
import type { MailSite } from '../../accounts/mails.ts';
import { icsInvite } from '../ics.ts';
import type { LiveEvent } from '../repository.ts';
import { calendarLinks } from './calendar-links.ts';
import { registrationMail } from './mails.tsx';
import type { Registration } from './repository.ts';

const at = new Date('2026-11-11T09:00:00Z');
const event: LiveEvent = {
  id: 7,
  siteId: 1,
  slug: 'home-in-japan',
  title: 'How to Buy a Home in Japan <as a Foreigner>',
  summary: 'Market trends, buying procedures, and financing.',
  bodyHtml: '',
  pictureMediaId: null,
  pictureCaption: '',
  pictureCredit: '',
  kind: 'online',
  venueName: '',
  venueAddress: '',
  onlineUrl: 'https://meet.example.com/room?id=1',
  organiser: '',
  free: true,
  priceText: '',
  language: 'en',
  startsAt: at,
  endsAt: new Date(at.getTime() + 3_600_000),
  timeZone: 'Asia/Tokyo',
  status: 'scheduled',
  category: 'webinars',
  published: true,
  sequence: 3,
  createdAt: at,
  updatedAt: at,
};
const reg: Registration = {
  id: 5,
  eventId: 7,
  name: 'Aiko',
  email: 'aiko@mail.co.jp',
  userId: null,
  answers: {},
  status: 'confirmed',
  waitlistPosition: null,
  linkNonce: 'n',
  claimExpiresAt: null,
  mailedAt: null,
  confirmedAt: at,
  cancelledAt: null,
  createdAt: at,
  updatedAt: at,
};
const site: MailSite = {
  siteId: 1,
  origin: 'https://news.example.org',
  brand: { siteName: 'Example Times', color: '#12355b', homeUrl: 'https://news.example.org/' },
};
const page = 'https://news.example.org/events/home-in-japan';
const links = {
  manage: `${page}/registration/abc`,
  calendar: calendarLinks(event, { pageUrl: page, icsUrl: `${page}/registration/abc/event.ics` }),
  join: event.onlineUrl,
};

test('the confirmation carries a calendar file that ical.js reads back', () => {
  const ics = icsInvite(
    event,
    { host: 'news.example.org', urlOf: () => page },
    { stamp: at, joinUrl: links.join },
  );
  const mail = registrationMail('confirmed', site, event, reg, links, {
    language: 'en',
    again: false,
    sentAt: at,
    ics,
  });
  assert.equal(mail.attachments?.length, 1);
  const [file] = mail.attachments!;
  assert.equal(file!.filename, 'home-in-japan.ics');
  assert.match(file!.contentType, /^text\/calendar;.*method=REQUEST/);
  const cal = new ICAL.Component(ICAL.parse(file!.content));
  assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
  const ev: any = cal.getFirstSubcomponent('vevent');
  assert.equal(ev.getFirstPropertyValue('uid'), 'event-7@news.example.org');
  assert.equal(ev.getFirstPropertyValue('sequence'), 3);
  assert.equal(ev.getFirstPropertyValue('dtstamp').toJSDate().getTime(), at.getTime());
  assert.equal(ev.getFirstProperty('conference').getFirstValue(), 'https://meet.example.com/room?id=1');
  // Google's template link has the times in UTC.
  assert.match(links.calendar.google, /dates=20261111T090000Z%2F20261111T100000Z/);
  // The title is escaped in the HTML, plain in the text.
  assert.match(mail.html, /&lt;as a Foreigner/);
  assert.doesNotMatch(mail.html, /<as a/);
  assert.match(mail.html, /<a href="https:\/\/meet\.example\.com\/room\?id=1"[^>]*>Join the webinar/);
  assert.match(mail.text, /https:\/\/meet\.example\.com\/room\?id=1/);
});

test('waitlist and offer mails say where the person stands; only the confirmation has the file', () => {
  const waiting = registrationMail('waitlisted', site, event, { ...reg, status: 'waitlisted' }, links, {
    language: 'en',
    again: false,
    ahead: 2,
    sentAt: at,
    ics: 'x',
  });
  assert.match(waiting.text, /2 people ahead of you/);
  assert.equal(waiting.attachments, undefined);
  const offer = registrationMail(
    'offered',
    site,
    event,
    { ...reg, status: 'offered', claimExpiresAt: new Date(at.getTime() - 86_400_000) },
    { ...links, claim: `${page}/register/claim?t=xyz` },
    { language: 'en', again: false, sentAt: at },
  );
  assert.match(
    offer.text,
    /Claim my place: https:\/\/news\.example\.org\/events\/home-in-japan\/register\/claim\?t=xyz/,
  );
  assert.match(offer.text, /Japan Standard Time/);
});
