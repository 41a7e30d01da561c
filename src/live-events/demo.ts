// Demo events, so `npm start` shows the feature: on the news site the reference page's webinar ("How to Buy
// a Home in Japan as a Foreigner", 6PM to 7PM Tokyo time), an in-person briefing and one already past; on
// the travel site a street-food walk in Osaka and an evening that runs past midnight. Dates are set from
// today, so the listings always have upcoming events; pictures are demo pictures whose captions fit. The
// webinar takes registrations: 100 places and one question, with the waitlist once full. A site that already
// has events is left alone.
import type { Runtime } from '../runtime.ts';
import { instantAt, isoInZone } from './event-times.ts';
import type { RegistrationSetup } from './registration/rules.ts';
import { type LiveEventInput, LiveEventService } from './service.ts';

type DemoEvent = Omit<LiveEventInput, 'startsAt' | 'endsAt' | 'language'> & {
  /** Days from today (in the event's zone), start and end wall times, and the day the end falls on. */
  inDays: number;
  from: string;
  to: string;
  endsNextDay?: boolean;
  /** A demo picture to show, found by its caption (SQL LIKE), with that caption and credit. */
  picture?: string;
  /** How the event takes registrations, when it does. */
  registration?: RegistrationSetup;
};

const DEMO: Record<string, DemoEvent[]> = {
  news: [
    {
      slug: 'how-to-buy-a-home-in-japan',
      title: 'How to Buy a Home in Japan as a Foreigner',
      summary:
        'Learn how to buy a home in Japan, including market trends, property buying procedures, and financing.',
      bodyHtml:
        '<p>Our property desk walks through the market in 2026, what a foreign buyer needs before the first ' +
        'viewing, and how Japanese banks decide on a mortgage.</p><p>Questions are taken live at the end.</p>',
      kind: 'online',
      onlineUrl: 'https://webinar.example.com/home-in-japan',
      organiser: 'The Meridian Dispatch property desk',
      timeZone: 'Asia/Tokyo',
      category: 'webinars',
      inDays: 12,
      from: '18:00',
      to: '19:00',
      picture: 'A general view of central Tokyo%',
      registration: {
        enabled: true,
        capacity: 100,
        questions: [
          {
            id: 'buying',
            kind: 'choice',
            label: 'When are you thinking of buying?',
            required: true,
            options: ['Within a year', 'In one to three years', 'Just curious'],
          },
        ],
      },
    },
    {
      slug: 'tokyo-housing-breakfast-briefing',
      title: 'Breakfast Briefing: Tokyo Housing After the Rate Rise',
      summary: 'Economists and agents on what the Bank of Japan’s move means for buyers and renters.',
      bodyHtml: '<p>Coffee from 7:15. The talk starts at 7:30 and ends with questions.</p>',
      kind: 'in_person',
      venueName: 'Meridian Hall',
      venueAddress: '1-1-1 Otemachi, Chiyoda-ku, Tokyo 100-0004',
      organiser: 'The Meridian Dispatch',
      free: false,
      priceText: '¥3,000',
      timeZone: 'Asia/Tokyo',
      category: 'briefings',
      inDays: 20,
      from: '07:30',
      to: '09:00',
      picture: 'An early-morning street scene in an older Tokyo%',
    },
    {
      slug: 'year-in-markets-2026',
      title: 'The Year in Markets: a Live Discussion',
      summary: 'Our markets team looked back at the year, with questions from readers.',
      kind: 'hybrid',
      venueName: 'Meridian Hall',
      venueAddress: '1-1-1 Otemachi, Chiyoda-ku, Tokyo 100-0004',
      onlineUrl: 'https://webinar.example.com/year-in-markets',
      organiser: 'The Meridian Dispatch',
      timeZone: 'Asia/Tokyo',
      category: 'webinars',
      inDays: -9,
      from: '19:00',
      to: '20:30',
    },
  ],
  travel: [
    {
      slug: 'osaka-street-food-walk',
      title: 'Osaka Street Food Walk: Kuromon to Dotonbori',
      summary: 'Three hours, eleven stalls and one very good takoyaki, with our Osaka correspondent.',
      bodyHtml: '<p>Comfortable shoes. Tastings are included; drinks are not.</p>',
      kind: 'in_person',
      venueName: 'Kuromon Market, north gate',
      venueAddress: '2-4-1 Nipponbashi, Chuo-ku, Osaka',
      organiser: 'Far Afield',
      free: false,
      priceText: '¥4,500',
      timeZone: 'Asia/Tokyo',
      category: 'walks',
      inDays: 9,
      from: '10:30',
      to: '13:30',
    },
    {
      slug: 'night-photography-in-london',
      title: 'After Dark: Night Photography on the Thames',
      summary: 'From golden hour to the last train, on the South Bank and online.',
      kind: 'hybrid',
      venueName: 'Gabriel’s Wharf',
      venueAddress: '56 Upper Ground, London SE1 9PP',
      onlineUrl: 'https://webinar.example.com/after-dark',
      organiser: 'Far Afield',
      timeZone: 'Europe/London',
      category: 'workshops',
      inDays: 16,
      from: '21:00',
      to: '00:30',
      endsNextDay: true,
    },
  ],
};

function dayInZone(now: Date, days: number, timeZone: string): string {
  return isoInZone(new Date(now.getTime() + days * 86_400_000), timeZone).slice(0, 10);
}

/** Creates the demo events; returns how many it made. */
export async function seedDemoEvents(
  rt: Pick<Runtime, 'directory' | 'events' | 'eventRegistration'>,
  now: Date = new Date(),
): Promise<number> {
  const service = new LiveEventService(rt.events);
  const db = rt.events.db.kysely;
  let made = 0;
  for (const [siteSlug, events] of Object.entries(DEMO)) {
    const ctx = rt.directory.all().find((c) => c.site.slug === siteSlug);
    if (!ctx) continue;
    const existing = await db
      .selectFrom('live_events')
      .select('id')
      .where('site_id', '=', ctx.site.id)
      .limit(1)
      .executeTakeFirst();
    if (existing) continue;
    for (const d of events) {
      const { inDays, from, to, endsNextDay, picture, registration, ...fields } = d;
      const day = dayInZone(now, inDays, d.timeZone);
      const endDay = endsNextDay ? dayInZone(now, inDays + 1, d.timeZone) : day;
      const lead = picture
        ? await db
            .selectFrom('media')
            .select(['id', 'caption', 'credit'])
            .where('caption', 'like', picture)
            .orderBy('id')
            .limit(1)
            .executeTakeFirst()
        : undefined;
      const event = await service.create(ctx.site.id, {
        ...fields,
        language: 'en',
        startsAt: instantAt(day, from, d.timeZone),
        endsAt: instantAt(endDay, to, d.timeZone),
        published: true,
        ...(lead && {
          pictureMediaId: lead.id,
          pictureCaption: lead.caption ?? '',
          pictureCredit: lead.credit ?? '',
        }),
      });
      if (registration) await rt.eventRegistration.configure(event.id, registration);
      made += 1;
    }
  }
  return made;
}
