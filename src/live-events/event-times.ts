// When an event happens, in words and for machines. An event is stored as two UTC instants and the IANA zone
// it takes place in; pages print it in that zone with the zone's full name, in the reference style:
// "November 11, 2025, from 6PM to 7PM (Japan Standard Time)". Every rule about clocks, offsets and zone
// names comes from the platform's ICU data through Intl (timeZoneName 'long' and 'longOffset'), never a table
// of our own, so any IANA zone and any summer-time change reads right.
//
// The English wording is ours (ICU's own range pattern is "6:00 – 7:00 PM GMT+9": its interval formats fall
// back to the offset for long zone names), decided here once and pinned by the tests:
// - same calendar day in the zone: "November 11, 2025, from 6PM to 7PM (Japan Standard Time)"; minutes only
//   when not :00 ("6:30PM"), 12AM for midnight and 12PM for noon;
// - ending on another calendar day (multi-day, or crossing midnight): both dates in full, without "from":
//   "November 11, 2025, 11PM to November 12, 2025, 1AM (Japan Standard Time)";
// - the zone's name differs between start and end (a summer-time change during the event): each time is
//   followed by its own name, "March 8, 2026, from 1AM (Eastern Standard Time) to 4AM (Eastern Daylight
//   Time)", so neither clock is read against the wrong offset.
// Other languages use Intl.DateTimeFormat.formatRange in that language (its own order, separators and
// 24-hour clocks) and then the zone's name in that language in parentheses, or each end's own name when it
// changes. This module has no imports so that the reader's "Your time" script bundles it as it is.

export interface EventWhen {
  startsAt: Date;
  endsAt: Date;
  /** IANA zone the event takes place in, e.g. Asia/Tokyo. */
  timeZone: string;
}

interface LocalParts {
  year: string;
  month: string;
  day: string;
  hour: number;
  minute: number;
  /** "November 11, 2025" in English. */
  date: string;
  zoneName: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(language: string, timeZone: string, kind: string): Intl.DateTimeFormat {
  const key = `${kind} ${language} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Record<string, Intl.DateTimeFormatOptions> = {
      // Numeric parts in the zone, for the English wording and the machine values.
      parts: {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      },
      date: { timeZone, year: 'numeric', month: 'long', day: 'numeric' },
      zone: { timeZone, timeZoneName: 'long' },
      offset: { timeZone, timeZoneName: 'longOffset' },
      range: { timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' },
    };
    f = new Intl.DateTimeFormat(language, options[kind]);
    formatters.set(key, f);
  }
  return f;
}

function part(f: Intl.DateTimeFormat, at: Date, type: Intl.DateTimeFormatPartTypes): string {
  return f.formatToParts(at).find((p) => p.type === type)?.value ?? '';
}

/** The zone's full name at that instant, in the language, as ICU writes it ("Japan Standard Time"). */
export function zoneName(at: Date, timeZone: string, language = 'en'): string {
  return part(formatter(language, timeZone, 'zone'), at, 'timeZoneName');
}

function local(at: Date, timeZone: string): LocalParts {
  const parts = formatter('en', timeZone, 'parts').formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    date: formatter('en', timeZone, 'date').format(at),
    zoneName: zoneName(at, timeZone, 'en'),
  };
}

/** "6PM", "6:30PM", "12AM" (midnight), "12PM" (noon). */
function clock(p: LocalParts): string {
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const minutes = p.minute === 0 ? '' : `:${String(p.minute).padStart(2, '0')}`;
  return `${h12}${minutes}${p.hour < 12 ? 'AM' : 'PM'}`;
}

function isEnglish(language: string): boolean {
  // en-GB and the other English variants write 18:00 and "11 November": Intl's own patterns serve them.
  return language === 'en' || language === 'en-US';
}

export interface FormatOptions {
  /**
   * Leave the date out when the whole event falls on this day (YYYY-MM-DD in the zone printed): "10AM to
   * 11AM (…)", for "Your time" when the reader's day is the event's.
   */
  omitDateOn?: string;
}

/**
 * The event's time in words in its own zone (or `inZone`, for the reader's "Your time"), with the zone's full
 * name. English follows the reference style; other languages Intl's range patterns.
 */
export function formatEventTime(
  when: EventWhen,
  language = 'en',
  o: FormatOptions & { inZone?: string } = {},
): string {
  const zone = o.inZone ?? when.timeZone;
  if (!isEnglish(language)) return intlRange(when.startsAt, when.endsAt, zone, language);
  const a = local(when.startsAt, zone);
  const b = local(when.endsAt, zone);
  const oneDay = a.year === b.year && a.month === b.month && a.day === b.day;
  const sameName = a.zoneName === b.zoneName;
  if (oneDay) {
    const lead = o.omitDateOn === `${a.year}-${a.month}-${a.day}` ? '' : `${a.date}, from `;
    return sameName
      ? `${lead}${clock(a)} to ${clock(b)} (${a.zoneName})`
      : `${lead}${clock(a)} (${a.zoneName}) to ${clock(b)} (${b.zoneName})`;
  }
  return sameName
    ? `${a.date}, ${clock(a)} to ${b.date}, ${clock(b)} (${a.zoneName})`
    : `${a.date}, ${clock(a)} (${a.zoneName}) to ${b.date}, ${clock(b)} (${b.zoneName})`;
}

function intlRange(start: Date, end: Date, timeZone: string, language: string): string {
  const a = zoneName(start, timeZone, language);
  const b = zoneName(end, timeZone, language);
  const range = formatter(language, timeZone, 'range');
  if (a === b) return `${range.formatRange(start, end)} (${a})`;
  return `${range.format(start)} (${a}) – ${range.format(end)} (${b})`;
}

/**
 * The instant as local time with the zone's offset at that instant, for `<time datetime>` and JSON-LD
 * ("2025-11-11T18:00:00+09:00"): readers' tools and search engines see the same wall clock the page prints.
 */
export function isoInZone(at: Date, timeZone: string): string {
  const parts = formatter('en', timeZone, 'parts').formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // longOffset is "GMT+09:00", "GMT-03:30", or plain "GMT" for a zero offset.
  const gmt = part(formatter('en', timeZone, 'offset'), at, 'timeZoneName');
  const offset = gmt === 'GMT' ? '+00:00' : gmt.slice(3);
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}${offset}`;
}

/** True when the zone is one ICU knows (Intl throws a RangeError for any other). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * "Your time" for a reader in `readerZone`, or null when the reader's clock reads the same as the event's at
 * both ends (the same zone, or another with the same offsets: Seoul for a Tokyo event, UTC for London in
 * winter), since a second line with the same times under another name only adds noise.
 */
export function readerTime(when: EventWhen, readerZone: string, language = 'en'): string | null {
  if (!isKnownTimeZone(readerZone)) return null;
  const same =
    isoInZone(when.startsAt, readerZone) === isoInZone(when.startsAt, when.timeZone) &&
    isoInZone(when.endsAt, readerZone) === isoInZone(when.endsAt, when.timeZone);
  if (same) return null;
  // The date is left out only when the reader's day is the event's day, so "10AM to 11AM" can never be
  // read as the wrong day.
  const day = (zone: string) => isoInZone(when.startsAt, zone).slice(0, 10);
  const omitDateOn = day(readerZone) === day(when.timeZone) ? day(readerZone) : undefined;
  return formatEventTime(when, language, { inZone: readerZone, ...(omitDateOn && { omitDateOn }) });
}

/**
 * The instant at which the zone's clocks read the given wall time (for forms and the demo: "6PM in Tokyo on
 * November 11"). The offset comes from ICU at that moment; a time that falls in a spring-forward gap is
 * read with the offset before the change, one that occurs twice in autumn as its first occurrence.
 */
export function instantAt(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const offsetAt = (t: number) => {
    const iso = isoInZone(new Date(t), timeZone);
    const sign = iso.at(-6) === '-' ? -1 : 1;
    return sign * (Number(iso.slice(-5, -3)) * 60 + Number(iso.slice(-2))) * 60_000;
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}
