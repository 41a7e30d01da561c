// Strict date parsing for wire timestamps. `Date.parse` accepts far too much ("1" is the year 2001), and a
// wrongly read embargo or version time can publish a story early, so only ISO 8601 and RFC 822/2822
// (RSS pubDate) are accepted; anything else is "unparseable" and the caller decides what that means.

import type { WireEmbargo } from './types.ts';

const ISO_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
// NewsML-G2 and some older feeds send the "basic" form: 20251009T120500Z or 20251009T120500+0200.
const ISO_BASIC =
  /^(\d{4})(\d{2})(\d{2})(?:[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?:\d{2})?)?)?$/;

const RFC822 =
  /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([+-]\d{4}|[A-Za-z]{1,5}))?$/;

// Maps, not object literals: a feed value like "constructor" must not find Object.prototype members.
const MONTHS = new Map<string, number>([
  ['jan', 1],
  ['feb', 2],
  ['mar', 3],
  ['apr', 4],
  ['may', 5],
  ['jun', 6],
  ['jul', 7],
  ['aug', 8],
  ['sep', 9],
  ['oct', 10],
  ['nov', 11],
  ['dec', 12],
]);

// RFC 822 zone names, in minutes east of UTC. Single-letter military zones other than Z are ambiguous in
// the wild (RFC 2822 says treat them as UTC), so they are read as UTC too.
const ZONES = new Map<string, number>([
  ['UT', 0],
  ['UTC', 0],
  ['GMT', 0],
  ['Z', 0],
  ['EST', -300],
  ['EDT', -240],
  ['CST', -360],
  ['CDT', -300],
  ['MST', -420],
  ['MDT', -360],
  ['PST', -480],
  ['PDT', -420],
]);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  offsetMinutes: number;
}

function build(parts: Parts): Date | null {
  const { year, month, day, hour, minute, second, millis, offsetMinutes } = parts;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 24 || minute > 59 || second > 60) return null;
  if (hour === 24 && (minute > 0 || second > 0 || millis > 0)) return null;
  // A leap second is real but JS dates cannot hold it; the last ordinary second is close enough.
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
  const date = new Date(utc - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}

function isoOffset(zone: string | undefined): number | null {
  // No zone at all: wire servers run on UTC and ninjs/NewsML say times should be UTC, so read it as UTC.
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 23 || minutes > 59) return null;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function parseIso(text: string): Date | null {
  const match = ISO_EXTENDED.exec(text) ?? ISO_BASIC.exec(text);
  if (!match) return null;
  const offsetMinutes = isoOffset(match[8]);
  if (offsetMinutes === null) return null;
  return build({
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4] ?? '0'),
    minute: Number(match[5] ?? '0'),
    second: Number(match[6] ?? '0'),
    millis: Number(`0.${match[7] ?? '0'}`) * 1000,
    offsetMinutes,
  });
}

function rfc822Offset(zone: string | undefined): number | null {
  if (zone === undefined) return 0;
  const numeric = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  const upper = zone.toUpperCase();
  const named = ZONES.get(upper);
  if (named !== undefined) return named;
  return /^[A-IK-Z]$/.test(upper) ? 0 : null;
}

function parseRfc822(text: string): Date | null {
  const match = RFC822.exec(text);
  if (!match) return null;
  const month = MONTHS.get((match[2] ?? '').slice(0, 3).toLowerCase());
  const offsetMinutes = rfc822Offset(match[7]);
  if (month === undefined || offsetMinutes === null) return null;
  let year = Number(match[3]);
  // RFC 2822 section 4.3: two-digit years 00-49 are 2000-2049, 50-99 are 1950-1999.
  if ((match[3] ?? '').length === 2) year += year < 50 ? 2000 : 1900;
  return build({
    year,
    month,
    day: Number(match[1]),
    hour: Number(match[4]),
    minute: Number(match[5]),
    second: Number(match[6] ?? '0'),
    millis: 0,
    offsetMinutes,
  });
}

/** ISO 8601 (extended or basic) or RFC 822/2822; null for anything else, including non-strings. */
export function parseWireDate(raw: unknown): Date | null {
  if (typeof raw !== 'string' || raw.length > 200) return null;
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text.length === 0 || text.length > 64) return null;
  return parseIso(text) ?? parseRfc822(text);
}

/**
 * An embargo is never silently dropped: a value that is present but unreadable (including an empty
 * NewsML-G2 <embargoed/>, which means "until further notice") is returned as `{ unparseable }` so the
 * ingester holds the story for an editor.
 */
export function parseEmbargo(raw: unknown): WireEmbargo {
  if (raw === undefined || raw === null) return null;
  const at = parseWireDate(raw);
  if (at !== null) return { at };
  const text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
  return { unparseable: text.trim().slice(0, 200) };
}
