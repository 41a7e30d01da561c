// "Add to calendar" links for a registrant: Google Calendar's and Outlook.com's event templates (plain
// links, opened in the reader's own calendar; nothing is sent to them until the reader follows one), and
// the registrant's own .ics file, which Apple Calendar and every other app open. Times go in UTC.
import { icsTime } from '../ics.ts';
import type { LiveEvent } from '../repository.ts';

export interface CalendarLinks {
  google: string;
  outlook: string;
  /** The registrant's .ics (with the join link for webinars). */
  ics: string;
}

function where(e: LiveEvent): string {
  if (e.kind === 'online' || e.status === 'moved_online') return 'Online';
  return [e.venueName, e.venueAddress].filter((s) => s !== '').join(', ');
}

export function calendarLinks(e: LiveEvent, o: { pageUrl: string; icsUrl: string }): CalendarLinks {
  const details = [e.summary, o.pageUrl].filter((s) => s !== '').join('\n\n');
  const google = new URL('https://calendar.google.com/calendar/render');
  google.search = new URLSearchParams({
    action: 'TEMPLATE',
    text: e.title,
    dates: `${icsTime(e.startsAt)}/${icsTime(e.endsAt)}`,
    details,
    location: where(e),
  }).toString();
  const outlook = new URL('https://outlook.live.com/calendar/0/action/compose');
  outlook.search = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: e.title,
    startdt: e.startsAt.toISOString(),
    enddt: e.endsAt.toISOString(),
    body: details,
    location: where(e),
  }).toString();
  return { google: google.href, outlook: outlook.href, ics: o.icsUrl };
}
