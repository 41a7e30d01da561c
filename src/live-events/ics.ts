// iCalendar (RFC 5545) text of a site's upcoming events, written here rather than with a package: the feed
// needs VCALENDAR/VEVENT with a handful of properties, and the rules that matter are few and tested (text
// escaping of backslash, semicolon, comma and newlines; lines folded at 75 octets without splitting a UTF-8
// character; CRLF line ends). Times are in UTC ("Z"), which RFC 5545 allows without a VTIMEZONE; calendar
// apps show them in the reader's zone. UID is stable per event and host, SEQUENCE rises on every change, so
// subscribed calendars take updates and cancellations (STATUS:CANCELLED). DTSTAMP is the event's last
// change, so an unchanged event's text never churns.
//
// The same writer makes a registrant's own calendar file (icsInvite, src/live-events/registration/):
// METHOD:REQUEST, DTSTAMP the moment it is made, and for webinars the join link as CONFERENCE (RFC 7986),
// which only registrants get. Why no package writes these: docs/decisions/0007-calendar-files-written-here.md.
import type { LiveEvent } from './repository.ts';
import type { LiveEventStatus } from './tables.ts';

export interface CalendarInfo {
  /** The calendar's name as apps show it ("Example Times events"). */
  name: string;
  /** The site's host, which makes each UID unique across the network. */
  host: string;
  /** The absolute URL of an event's page. */
  urlOf(event: LiveEvent): string;
}

/** TEXT value escaping (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): continuation lines start with one space, and a UTF-8
 * character is never cut in two.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    // The first line holds 75 octets; continuations 74 after their leading space.
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** 20251111T090000Z */
export function icsTime(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

const STATUS: Record<LiveEventStatus, string> = {
  scheduled: 'CONFIRMED',
  rescheduled: 'CONFIRMED',
  moved_online: 'CONFIRMED',
  postponed: 'TENTATIVE',
  cancelled: 'CANCELLED',
};

function location(e: LiveEvent): string {
  const place = [e.venueName, e.venueAddress].filter((s) => s !== '').join(', ');
  if (e.kind === 'online' || e.status === 'moved_online') return 'Online';
  return e.kind === 'hybrid' ? `${place} and online` : place;
}

interface VeventExtra {
  /** DTSTAMP, when it is not the event's last change (an invitation's moment of sending). */
  stamp?: Date;
  /** The join link, as RFC 7986 CONFERENCE: registrants' files only. */
  conference?: string | null;
}

function vevent(e: LiveEvent, info: CalendarInfo, extra: VeventExtra = {}): string[] {
  const url = info.urlOf(e);
  // ORGANIZER needs a mail address, which events do not have yet: the organiser's name goes in the text.
  const organiser = e.organiser === '' ? '' : `Organised by ${e.organiser}.`;
  const description = [e.summary, organiser, url].filter((s) => s !== '').join('\n\n');
  const lines = [
    'BEGIN:VEVENT',
    `UID:event-${e.id}@${info.host}`,
    `DTSTAMP:${icsTime(extra.stamp ?? e.updatedAt)}`,
    `LAST-MODIFIED:${icsTime(e.updatedAt)}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTART:${icsTime(e.startsAt)}`,
    `DTEND:${icsTime(e.endsAt)}`,
    `SUMMARY:${escapeText(e.title)}`,
    `DESCRIPTION:${escapeText(description)}`,
    `URL:${url}`,
    `STATUS:${STATUS[e.status]}`,
  ];
  const where = location(e);
  if (where !== '') lines.push(`LOCATION:${escapeText(where)}`);
  if (e.category !== '') lines.push(`CATEGORIES:${escapeText(e.category)}`);
  // A URI value: not TEXT-escaped (a link's commas and semicolons stay as they are).
  if (extra.conference)
    lines.push(`CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join online:${extra.conference}`);
  lines.push('END:VEVENT');
  return lines;
}

/** The whole calendar, CRLF line ends, every line folded. */
export function icsCalendar(events: readonly LiveEvent[], info: CalendarInfo): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Dateline//Events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(info.name)}`,
    ...events.flatMap((e) => vevent(e, info)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/**
 * One event as an invitation for a registrant (METHOD:REQUEST, RFC 5546): the feed's UID and SEQUENCE, so a
 * calendar that has the event from the feed or an earlier mail updates the one entry, DTSTAMP `stamp`, and
 * the join link as CONFERENCE for online events.
 */
export function icsInvite(
  event: LiveEvent,
  info: Omit<CalendarInfo, 'name'>,
  o: { stamp: Date; joinUrl: string | null },
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Dateline//Events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    ...vevent(event, { ...info, name: event.title }, { stamp: o.stamp, conference: o.joinUrl }),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
