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

// Readers type dates as their site's locale writes them (en-GB 31/12/2026, en-US 12/31/2026, de
// 31.12.2026, ja 2026/12/31); links and the cache use YYYY-MM-DD, which every field also accepts.
type Part = 'day' | 'month' | 'year';

export interface DayPattern {
  /** The order the site's locale writes a numeric date in. */
  order: Part[];
  separator: string;
  /** What the field shows as its hint, e.g. DD/MM/YYYY. */
  hint: string;
}

const patterns = new Map<string, DayPattern>();

export function dayPattern(language: string): DayPattern {
  let p = patterns.get(language);
  if (!p) {
    const parts = new Intl.DateTimeFormat(language, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      timeZone: 'UTC',
      numberingSystem: 'latn',
    }).formatToParts(Date.UTC(2026, 11, 31));
    const order = parts.filter((x) => x.type === 'day' || x.type === 'month' || x.type === 'year');
    const separator = parts.find((x) => x.type === 'literal')?.value.trim() || '/';
    const names: Record<Part, string> = { day: 'DD', month: 'MM', year: 'YYYY' };
    p = {
      order: order.map((x) => x.type as Part),
      separator,
      hint: order.map((x) => names[x.type as Part]).join(separator),
    };
    patterns.set(language, p);
  }
  return p;
}

/**
 * A day as typed in the site's locale (any of / . - or spaces between the numbers) or as YYYY-MM-DD,
 * as YYYY-MM-DD; null when it is not a real date.
 */
export function readDay(typed: string, language: string): string | null {
  const text = typed.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else {
    const numbers = text.split(/[\s/.\-年月日]+/).filter(Boolean);
    if (numbers.length !== 3 || numbers.some((n) => !/^\d{1,4}$/.test(n))) return null;
    const at: Partial<Record<Part, number>> = {};
    dayPattern(language).order.forEach((part, i) => {
      at[part] = Number(numbers[i]);
    });
    if (String(at.year).length !== 4) return null;
    [y, m, d] = [at.year!, at.month!, at.day!];
  }
  const ymd = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return startOfDay(ymd, 'UTC') ? ymd : null;
}

/** YYYY-MM-DD as the site's locale writes it, for the field to show back. */
export function writeDay(ymd: string, language: string): string {
  const [y, m, d] = ymd.split('-');
  const { order, separator } = dayPattern(language);
  const value: Record<Part, string> = { year: y!, month: m!, day: d! };
  return order.map((part) => value[part]).join(separator);
}
