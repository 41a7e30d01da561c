// A digest's schedule: the ISO weekdays and the wall-clock time it goes out, in its site's IANA time zone,
// and the next instant that falls on. Offsets come from Intl for each candidate day, never from a table, so
// the change to and from summer time is honoured: 07:00 stays 07:00 on the clock on both sides of it. A time
// the clock skips (02:30 on the night it jumps to 03:00) is sent as far past the jump as it was meant to be past the hour (03:30).
import type { Schedule } from '../lists.ts';

/** "HH:MM", 24-hour (lists.ts checks schedules as they are saved). */
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function partsIn(zone: string, at: Date): LocalParts {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(at)) p[x.type] = x.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 1,
  };
}

/** The zone's offset from UTC at an instant, in minutes (east positive). */
function offsetMinutes(zone: string, at: Date): number {
  const p = partsIn(zone, at);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a wall-clock time on a local date happens in the zone. A time the clock skips resolves to the
 * same distance past the jump (02:30 on a night that jumps from 02:00 to 03:00 is 03:30); a time the clock
 * passes twice resolves to the first.
 */
export function zonedInstant(zone: string, y: number, m: number, d: number, hh: number, mm: number): Date {
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Try the offsets in force a day either side: one of them is right, unless the time is skipped.
  const candidates = [
    offsetMinutes(zone, new Date(wall - 86_400_000)),
    offsetMinutes(zone, new Date(wall + 86_400_000)),
  ].sort((a, b) => b - a);
  for (const off of candidates) {
    const t = new Date(wall - off * 60_000);
    const p = partsIn(zone, t);
    if (p.year === y && p.month === m && p.day === d && p.hour === hh && p.minute === mm) return t;
  }
  // Skipped by a jump forward: the offset before the jump puts it past the jump by as much as it was after.
  return new Date(wall - Math.min(...candidates) * 60_000);
}

/** The next time the schedule falls on strictly after `after`, or null when it has no days. */
export function nextIssueAt(schedule: Schedule, zone: string, after: Date): Date | null {
  if (schedule.days.length === 0) return null;
  const m = TIME.exec(schedule.time);
  if (!m) return null;
  const hh = Number(m[1]);
  const mm = Number(m[2]);
  const today = partsIn(zone, after);
  // Eight local days cover every weekday once more than a week would, counting today's already passed.
  for (let i = 0; i <= 8; i++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const weekday = ((date.getUTCDay() + 6) % 7) + 1;
    if (!schedule.days.includes(weekday)) continue;
    const t = zonedInstant(zone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hh, mm);
    if (t.getTime() > after.getTime()) return t;
  }
  return null;
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "Weekdays at 07:00", "Saturday at 09:00", "Monday, Wednesday and Friday at 18:30": for the admin's lists. */
export function describeSchedule(s: Schedule): string {
  const d = [...s.days].sort((a, b) => a - b);
  const key = d.join(',');
  const days =
    key === '1,2,3,4,5,6,7'
      ? 'Every day'
      : key === '1,2,3,4,5'
        ? 'Weekdays'
        : key === '6,7'
          ? 'Weekends'
          : d.length === 1
            ? DAY_NAMES[d[0]! - 1]!
            : `${d
                .slice(0, -1)
                .map((x) => DAY_NAMES[x - 1])
                .join(', ')} and ${DAY_NAMES[d[d.length - 1]! - 1]}`;
  return `${days} at ${s.time}`;
}
