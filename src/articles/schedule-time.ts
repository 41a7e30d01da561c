// Times on a site's own clock for scheduling: an editor types "2026-03-29 09:00" meaning nine in the morning
// where the site is (its IANA time zone, sites.time_zone), whatever zone their own computer is in. This turns
// such a wall-clock time into the instant it names, turns an instant back into the form's value, and names
// the zone the way the screen shows it ("Europe/London, GMT+01:00"), without a date library.
import { DatelineError } from '../errors/catalogue.ts';

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let f = wallClocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, f);
  }
  return f;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallAt(at: Date, timeZone: string): Wall & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of wallClock(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(at: Date, timeZone: string): number {
  const w = wallAt(at, timeZone);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;

function invalid(message: string): never {
  throw new DatelineError('ARTICLE_INVALID', message, { field: 'publishAt' });
}

/**
 * The instant a wall-clock time ("YYYY-MM-DDTHH:MM", as a datetime-local field sends it) names in a time
 * zone. A time the clocks skip when they go forward is refused; a time that happens twice when they go
 * back is the first of the two (the earlier instant), so a story is never published an hour late.
 */
export function instantOfWallTime(local: string, timeZone: string): Date {
  const m = LOCAL.exec(local.trim());
  if (!m) invalid(`"${local}" is not a date and time. Use the form YYYY-MM-DD HH:MM, e.g. 2026-03-29 09:00.`);
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(asUtc);
  if (
    year < 1970 ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59
  ) {
    invalid(`"${local}" is not a real date and time. Check the day, month and hour.`);
  }
  // The two offsets in force around that wall time (they differ only near a clock change): try each.
  const candidates = new Set([
    asUtc - offsetAt(new Date(asUtc - 24 * 3600_000), timeZone),
    asUtc - offsetAt(new Date(asUtc + 24 * 3600_000), timeZone),
  ]);
  const matches = [...candidates]
    .filter((t) => {
      const w = wallAt(new Date(t), timeZone);
      return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute;
    })
    .sort((a, b) => a - b);
  if (matches.length === 0) {
    invalid(
      `${local} does not exist in ${timeZone}: the clocks go forward over that time. Choose a time an hour later or earlier.`,
    );
  }
  return new Date(matches[0]!);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as the site's wall-clock time in the form a datetime-local field takes ("YYYY-MM-DDTHH:MM"). */
export function wallTimeOf(at: Date, timeZone: string): string {
  const w = wallAt(at, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The zone as the schedule form names it: its name in full as readers see it (the reference page's "Japan
 * Standard Time"), then its IANA name and its offset from UTC at that instant, e.g.
 * "Japan Standard Time (Asia/Tokyo, GMT+09:00)", or "Greenwich Mean Time (Europe/London, GMT+00:00)" in
 * winter. Names come from the platform's ICU data.
 */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  const part = (style: 'longOffset' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
  const offset = part('longOffset') ?? 'GMT';
  // Some ICU versions write UTC itself as a bare "GMT"; the form always shows hours and minutes.
  const where = `${timeZone}, ${offset === 'GMT' ? 'GMT+00:00' : offset}`;
  const name = part('long');
  return name && !name.startsWith('GMT') ? `${name} (${where})` : where;
}
