// The rules of events and webinars: what an event must have (a slug unique on its site, a title, a kind with
// the venue or link that kind needs, an end after its start in a zone ICU knows, a price or "free", a
// language), checked at the edge with EVENT_INVALID errors (src/errors/) that name the field; the body cleaned with
// the stories' sanitiser; and the reads the pages and feeds need. Every write commits with a recorded
// domain event, published after commit so every node drops the site's cached pages.
//
// The event is site.changed for now: src/events/ (the domain event union) belongs to another part of the
// project, and site.changed already drops every cached page of the site (web/cache/invalidation.ts), which
// includes each event page, listing and feed. Events change rarely, so dropping the site's pages is cheap;
// a narrower live_event.changed (dropping only the live-events tag) is the planned follow-up.
import { sanitizeArticleHtml } from '../articles/body-html.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { DomainEvent } from '../events/bus.ts';
import type { Events } from '../events/log.ts';
import { isKnownTimeZone } from './event-times.ts';
import {
  categories,
  eventById,
  eventBySlug,
  hasPast,
  insertEvent,
  type LiveEvent,
  type LiveEventFields,
  listEvents,
  nextEnd,
  type Q,
  sitemapRows,
  updateEvent,
} from './repository.ts';
import { LIVE_EVENT_KINDS, LIVE_EVENT_STATUSES, type LiveEventKind, type LiveEventStatus } from './tables.ts';

/** What a caller gives to create or replace an event; optional fields default to empty. */
export interface LiveEventInput {
  slug: string;
  title: string;
  summary?: string;
  /** HTML from the editor or an import: cleaned on the way in. */
  bodyHtml?: string;
  pictureMediaId?: number | null;
  pictureCaption?: string;
  pictureCredit?: string;
  kind: LiveEventKind;
  venueName?: string;
  venueAddress?: string;
  onlineUrl?: string | null;
  organiser?: string;
  /** True, or a price in words ("¥2,000"). */
  free?: boolean;
  priceText?: string;
  language: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  status?: LiveEventStatus;
  category?: string;
  published?: boolean;
}

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
/** A category is a slug too: it appears in the listing's query string and in cache keys. */
export const CATEGORY = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** Longest event: a festival or a conference of several weeks, not a season. */
const MAX_DURATION_MS = 62 * 86_400_000;
export const EVENTS_PER_PAGE = 20;

const LIMITS = {
  title: 200,
  summary: 600,
  bodyHtml: 200_000,
  pictureCaption: 400,
  pictureCredit: 200,
  venueName: 200,
  venueAddress: 400,
  onlineUrl: 2000,
  organiser: 200,
  priceText: 100,
} as const;

function invalid(field: string, message: string): never {
  throw new DatelineError('EVENT_INVALID', `${message} Nothing was saved.`, { field });
}

/** Trimmed text within its limit, or EVENT_INVALID naming the field. */
function textField(input: LiveEventInput, field: keyof typeof LIMITS, required = false): string {
  const raw = input[field];
  if (raw !== undefined && raw !== null && typeof raw !== 'string')
    invalid(field, `The ${field} must be text.`);
  const value = (raw ?? '').trim();
  if (required && value === '') invalid(field, `The event needs a ${field}.`);
  if (value.length > LIMITS[field])
    invalid(field, `The ${field} is ${value.length} characters long; at most ${LIMITS[field]} fit.`);
  return value;
}

/** Checks and normalises an event's fields, or throws EVENT_INVALID naming the first field at fault. */
export function validateEvent(input: LiveEventInput): LiveEventFields {
  if (typeof input.slug !== 'string' || !SLUG.test(input.slug))
    invalid(
      'slug',
      'The slug is the last part of the event\'s address: lower-case letters, digits and hyphens, at most 100 (e.g. "buying-a-home-in-japan").',
    );
  // /events/past is the past listing's address, so no event may take it.
  if (input.slug === 'past')
    invalid('slug', 'The slug "past" is the address of the past events; choose another.');
  const title = textField(input, 'title', true);
  if (!LIVE_EVENT_KINDS.includes(input.kind))
    invalid('kind', `The kind is one of ${LIVE_EVENT_KINDS.join(', ')}.`);
  const venueName = textField(input, 'venueName');
  const venueAddress = textField(input, 'venueAddress');
  if (input.kind !== 'online' && venueName === '' && venueAddress === '')
    invalid('venueName', 'An event held in person needs the name or address of its venue.');
  const onlineUrl = textField(input, 'onlineUrl');
  if (onlineUrl !== '') {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(onlineUrl).protocol);
    } catch {}
    if (!ok) invalid('onlineUrl', 'The online link must be a full http or https address.');
  }
  if (!(input.startsAt instanceof Date) || Number.isNaN(input.startsAt.getTime()))
    invalid('startsAt', 'The start is not a valid time.');
  if (!(input.endsAt instanceof Date) || Number.isNaN(input.endsAt.getTime()))
    invalid('endsAt', 'The end is not a valid time.');
  const length = input.endsAt.getTime() - input.startsAt.getTime();
  if (length <= 0) invalid('endsAt', 'The event must end after it starts.');
  if (length > MAX_DURATION_MS)
    invalid('endsAt', 'An event lasts at most 62 days; list longer runs as several.');
  if (typeof input.timeZone !== 'string' || !(input.timeZone.includes('/') || input.timeZone === 'UTC'))
    invalid('timeZone', 'The time zone is an IANA name such as Asia/Tokyo or Europe/London.');
  if (!isKnownTimeZone(input.timeZone))
    invalid(
      'timeZone',
      `"${input.timeZone}" is not a time zone this server knows; use an IANA name such as Asia/Tokyo.`,
    );
  let language: string;
  try {
    [language] = Intl.getCanonicalLocales(input.language) as [string];
  } catch {
    invalid('language', 'The language is a language tag such as en, en-GB or ja.');
  }
  if (!language) invalid('language', 'The event needs its language (en, en-GB, ja…).');
  const free = input.free ?? !input.priceText;
  const priceText = textField(input, 'priceText');
  if (!free && priceText === '') invalid('priceText', 'Say what the event costs, or mark it free.');
  const status = input.status ?? 'scheduled';
  if (!LIVE_EVENT_STATUSES.includes(status))
    invalid('status', `The status is one of ${LIVE_EVENT_STATUSES.join(', ')}.`);
  const category = (input.category ?? '').trim();
  if (category !== '' && !CATEGORY.test(category))
    invalid(
      'category',
      'A category is lower-case letters, digits and hyphens, at most 40 (e.g. "webinars").',
    );
  const pictureMediaId = input.pictureMediaId ?? null;
  if (pictureMediaId !== null && (!Number.isSafeInteger(pictureMediaId) || pictureMediaId < 1))
    invalid('pictureMediaId', 'The picture is named by its number in the media library.');
  const bodyHtml = textField(input, 'bodyHtml');
  return {
    slug: input.slug,
    title,
    summary: textField(input, 'summary'),
    bodyHtml: bodyHtml === '' ? '' : sanitizeArticleHtml(bodyHtml),
    pictureMediaId,
    pictureCaption: textField(input, 'pictureCaption'),
    pictureCredit: textField(input, 'pictureCredit'),
    kind: input.kind,
    venueName,
    venueAddress,
    onlineUrl: onlineUrl === '' ? null : onlineUrl,
    organiser: textField(input, 'organiser'),
    free,
    priceText: free ? '' : priceText,
    language,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone: input.timeZone,
    status,
    category,
    published: input.published ?? false,
  };
}

export interface EventPage {
  events: LiveEvent[];
  /** 1-based. */
  page: number;
  more: boolean;
}

export class LiveEventService {
  constructor(
    private readonly events: Events,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db() {
    return this.events.db.kysely;
  }

  /** Creates an event on the site; EVENT_INVALID or EVENT_SLUG_TAKEN refuse it with nothing written. */
  async create(siteId: number, input: LiveEventInput): Promise<LiveEvent> {
    const fields = validateEvent(input);
    return this.write(siteId, async (trx) => {
      await this.checkPicture(trx, fields.pictureMediaId);
      if (await eventBySlug(trx, siteId, fields.slug)) throw slugTaken(fields.slug);
      return insertEvent(trx, siteId, fields, this.now());
    });
  }

  /** Replaces an event's fields (raising its calendar SEQUENCE); EVENT_NOT_FOUND for an unknown id. */
  async update(siteId: number, id: number, input: LiveEventInput): Promise<LiveEvent> {
    const fields = validateEvent(input);
    return this.write(siteId, async (trx) => {
      const before = await eventById(trx, id);
      if (!before || before.siteId !== siteId) throw notFound(String(id));
      await this.checkPicture(trx, fields.pictureMediaId);
      const other = await eventBySlug(trx, siteId, fields.slug);
      if (other && other.id !== id) throw slugTaken(fields.slug);
      return (await updateEvent(trx, id, fields, this.now()))!;
    });
  }

  private async write(siteId: number, work: (trx: Q) => Promise<LiveEvent>): Promise<LiveEvent> {
    const event: DomainEvent = { type: 'site.changed', siteId };
    const { row, eventId } = await this.db.transaction().execute(async (trx) => {
      const row = await work(trx);
      return { row, eventId: await this.events.record(trx, event) };
    });
    this.events.published(event, eventId);
    return row;
  }

  private async checkPicture(q: Q, id: number | null): Promise<void> {
    if (id === null) return;
    const found = await q.selectFrom('media').select('id').where('id', '=', id).executeTakeFirst();
    if (!found) invalid('pictureMediaId', `There is no picture ${id} in the media library; upload it first.`);
  }

  /** Any event of the site by slug, published or not (the admin's view). */
  bySlug(siteId: number, slug: string): Promise<LiveEvent | undefined> {
    return SLUG.test(slug) ? eventBySlug(this.db, siteId, slug) : Promise.resolve(undefined);
  }

  /** A published event for readers; EVENT_NOT_FOUND when there is none by that slug. */
  async published(siteId: number, slug: string): Promise<LiveEvent> {
    const found = await this.bySlug(siteId, slug);
    if (!found?.published) throw notFound(slug);
    return found;
  }

  /** A page of the site's upcoming (soonest first) or past (latest first) published events. */
  async list(
    siteId: number,
    when: 'upcoming' | 'past',
    o: { category?: string; page?: number; perPage?: number } = {},
  ): Promise<EventPage> {
    const page = o.page ?? 1;
    if (!Number.isSafeInteger(page) || page < 1 || page > 1000)
      throw new DatelineError('EVENT_FILTER_INVALID', 'The page is a number from 1 to 1000.', {
        field: 'page',
      });
    if (o.category !== undefined && !CATEGORY.test(o.category))
      throw new DatelineError(
        'EVENT_FILTER_INVALID',
        'A category is lower-case letters, digits and hyphens (e.g. "webinars").',
        { field: 'category' },
      );
    const perPage = o.perPage ?? EVENTS_PER_PAGE;
    const rows = await listEvents(this.db, {
      siteId,
      when,
      now: this.now(),
      ...(o.category !== undefined && { category: o.category }),
      offset: (page - 1) * perPage,
      limit: perPage + 1,
    });
    return { events: rows.slice(0, perPage), page, more: rows.length > perPage };
  }

  hasPast(siteId: number, category?: string): Promise<boolean> {
    return hasPast(this.db, siteId, this.now(), category);
  }

  categories(siteId: number): Promise<string[]> {
    return categories(this.db, siteId);
  }

  /** When the site's listings next change by the clock alone (an upcoming event ends), or null. */
  nextEnd(siteId: number): Promise<Date | null> {
    return nextEnd(this.db, siteId, this.now());
  }

  sitemapRows(siteId: number, limit = 50_000): Promise<{ slug: string; updatedAt: Date }[]> {
    return sitemapRows(this.db, siteId, limit);
  }

  /** The clock the service lists by (tests move it). */
  time(): Date {
    return this.now();
  }
}

function notFound(what: string): DatelineError {
  return new DatelineError('EVENT_NOT_FOUND', `There is no event "${what}" on this site.`, { event: what });
}

function slugTaken(slug: string): DatelineError {
  return new DatelineError(
    'EVENT_SLUG_TAKEN',
    `The site already has an event at /events/${slug}; choose another slug. Nothing was saved.`,
    { field: 'slug' },
  );
}
