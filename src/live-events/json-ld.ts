// schema.org Event data for an event page: dates with the zone's offset (the wall clock the page prints),
// eventAttendanceMode and location from the kind (Place with its address, VirtualLocation for webinars, both
// for hybrid; moved_online becomes online; the VirtualLocation's URL is the event page, as the join link is
// for registrants only), eventStatus from the status, the organiser, the picture and offers (a price Google can read when the text is a currency and an amount, else the text as said).
import type { JsonLd } from '../structured-data/json-ld.ts';
import { isoInZone } from './event-times.ts';
import type { LiveEvent } from './repository.ts';
import type { LiveEventStatus } from './tables.ts';

const STATUS: Record<LiveEventStatus, string> = {
  scheduled: 'https://schema.org/EventScheduled',
  cancelled: 'https://schema.org/EventCancelled',
  postponed: 'https://schema.org/EventPostponed',
  rescheduled: 'https://schema.org/EventRescheduled',
  moved_online: 'https://schema.org/EventMovedOnline',
};

const CURRENCY_SIGNS: Record<string, string> = { '¥': 'JPY', $: 'USD', '€': 'EUR', '£': 'GBP', '₩': 'KRW' };

/** "¥2,000", "2000 JPY", "€15.50" → amount and ISO currency; null for anything else ("From $15", "Donation"). */
export function parsePrice(text: string): { price: string; priceCurrency: string } | null {
  const t = text.trim();
  const sign = /^([¥$€£₩])\s?(\d[\d,]*(?:\.\d+)?)$/.exec(t);
  if (sign) return { price: sign[2]!.replace(/,/g, ''), priceCurrency: CURRENCY_SIGNS[sign[1]!]! };
  const code = /^(\d[\d,]*(?:\.\d+)?)\s?([A-Z]{3})$/.exec(t) ?? /^([A-Z]{3})\s?(\d[\d,]*(?:\.\d+)?)$/.exec(t);
  if (code) {
    const [amount, currency] = /^\d/.test(code[1]!) ? [code[1]!, code[2]!] : [code[2]!, code[1]!];
    return { price: amount.replace(/,/g, ''), priceCurrency: currency };
  }
  return null;
}

export interface EventJsonLdInput {
  event: LiveEvent;
  url: string;
  image: string | null;
  /** The host site, when the event names no organiser of its own. */
  site: { name: string; url: string };
}

export function eventJsonLd({ event: e, url, image, site }: EventJsonLdInput): JsonLd {
  const online = e.kind === 'online' || e.status === 'moved_online';
  const mode = online
    ? 'https://schema.org/OnlineEventAttendanceMode'
    : e.kind === 'hybrid'
      ? 'https://schema.org/MixedEventAttendanceMode'
      : 'https://schema.org/OfflineEventAttendanceMode';
  const place: JsonLd = {
    '@type': 'Place',
    ...(e.venueName && { name: e.venueName }),
    ...(e.venueAddress && { address: { '@type': 'PostalAddress', streetAddress: e.venueAddress } }),
  };
  // The event page, never the join link: that is for registrants only (src/live-events/registration/).
  const virtual: JsonLd = { '@type': 'VirtualLocation', url };
  const location = online ? virtual : e.kind === 'hybrid' ? [place, virtual] : place;
  // Free is a price of 0; sites have no currency of their own to name with it, and a guessed one would be
  // wrong as often as right.
  const price = e.free ? { price: '0' } : parsePrice(e.priceText);
  const offers: JsonLd = {
    '@type': 'Offer',
    url,
    availability: 'https://schema.org/InStock',
    ...(price ?? { description: e.priceText }),
  };
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: e.title,
    ...(e.summary && { description: e.summary }),
    url,
    startDate: isoInZone(e.startsAt, e.timeZone),
    endDate: isoInZone(e.endsAt, e.timeZone),
    eventStatus: STATUS[e.status],
    eventAttendanceMode: mode,
    location,
    ...(image && { image: [image] }),
    organizer: e.organiser
      ? { '@type': 'Organization', name: e.organiser }
      : { '@type': 'Organization', name: site.name, url: site.url },
    offers,
    inLanguage: e.language,
  };
}
