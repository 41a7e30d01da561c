// Date filters as readers type them (YYYY-MM-DD) mean days on the site's own clock; this turns such a day
// into the UTC instant it starts at, in any IANA time zone, without a date library.

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
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
    cache.set(timeZone, f);
  }
  return f;
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(at: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a calendar day starts in a time zone, or null if `ymd` is not a real YYYY-MM-DD date. */
export function startOfDay(ymd: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (y < 1970 || y > 9999 || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  let t = utc - offsetAt(new Date(utc), timeZone);
  // Near a daylight-saving change the first guess can be an hour off; one correction settles it.
  const second = utc - offsetAt(new Date(t), timeZone);
  if (second !== t) t = second;
  return new Date(t);
}

/** The instant the day after `ymd` starts: the exclusive end of an inclusive "to" date. */
export function endOfDay(ymd: string, timeZone: string): Date | null {
  const start = startOfDay(ymd, timeZone);
  if (!start) return null;
  const next = new Date(
    Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10)) + 1),
  );
  return startOfDay(next.toISOString().slice(0, 10), timeZone);
}
