// How often a newsletter goes out, in words for the signup page: "Every weekday at 7:00 (Japan Standard
// Time)", "Every Saturday at 9:00 (Central European Time)". The zone's name comes from Intl (its generic
// name, which does not change with summer time, or the long name where the generic one is only an offset).
import type { Newsletter, Schedule } from '../lists.ts';

const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function zoneName(timeZone: string, at = new Date()): string {
  const name = (style: 'longGeneric' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  const generic = name('longGeneric');
  return generic.startsWith('GMT') ? name('long') : generic;
}

function daysInWords(days: number[]): string {
  const set = [...new Set(days)].sort((a, b) => a - b);
  const key = set.join(',');
  if (key === '1,2,3,4,5,6,7') return 'Every day';
  if (key === '1,2,3,4,5') return 'Every weekday';
  if (key === '6,7') return 'Every Saturday and Sunday';
  const names = set.map((d) => DAY_NAMES[d] ?? `day ${d}`);
  if (names.length === 1) return `Every ${names[0]}`;
  return `Every ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "07:00" → "7:00". */
function clock(time: string): string {
  const [h, m] = time.split(':');
  return `${Number(h)}:${m}`;
}

export function scheduleInWords(schedule: Schedule, timeZone: string, at = new Date()): string {
  return `${daysInWords(schedule.days)} at ${clock(schedule.time)} (${zoneName(timeZone, at)})`;
}

/** What the signup page says about when a list is sent. */
export function howOften(list: Newsletter, timeZone: string): string {
  if (list.kind === 'alerts') return 'When major news breaks';
  if (!list.schedule) return 'From time to time';
  return scheduleInWords(list.schedule, timeZone);
}
