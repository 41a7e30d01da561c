// The reader's event pages: one event at /events/<slug> (picture with caption and credit, title, summary,
// when in the reference style inside <time datetime>, a "Your time" line the script fills, kind, venue
// with its address and an OpenStreetMap search link, the online note (never the join link itself, which
// only registrants get), "Register Today" while it takes registrations, organiser, price, language, body),
// and the listings at /events and /events/past (soonest or latest first, by category, a page at a time).
// Everything reads without JavaScript; the script only adds the reader's own clock.
import type { ComponentChildren } from 'preact';
import { trustedBodyHtml } from '../../articles/body-html.ts';
import type { PictureInfo } from '../../articles/reader.ts';
import { ResponsivePicture } from '../../media/picture.tsx';
import type { SiteContext } from '../../sites/directory.ts';
import { Layout } from '../../web/views/layout.tsx';
import { formatEventTime, isoInZone } from '../event-times.ts';
import type { LiveEvent } from '../repository.ts';
import type { LiveEventKind, LiveEventStatus } from '../tables.ts';

const KIND: Record<LiveEventKind, string> = {
  in_person: 'In person',
  online: 'Online (webinar)',
  hybrid: 'In person and online',
};

/** Shown above the title when the event is not simply going ahead as planned. */
const STATUS_NOTE: Partial<Record<LiveEventStatus, string>> = {
  cancelled: 'Cancelled',
  postponed: 'Postponed: a new date will be announced',
  rescheduled: 'Rescheduled: the new time is below',
  moved_online: 'Moved online',
};

/** The OpenStreetMap search for the venue: a plain link, no map script or third party on our page. */
export function mapUrl(e: LiveEvent): string {
  const query = [e.venueName, e.venueAddress].filter((s) => s !== '').join(', ');
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(query)}`;
}

function languageName(code: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The event's time in its zone, in words inside <time datetime> (the start with its offset), then the
 * empty element that the "Your time" script fills. The UTC instants ride along for the script.
 */
export function EventWhen({ event: e, language }: { event: LiveEvent; language: string }) {
  return (
    <>
      <time
        class="event-when"
        dateTime={isoInZone(e.startsAt, e.timeZone)}
        data-event-when=""
        data-starts={e.startsAt.toISOString()}
        data-ends={e.endsAt.toISOString()}
        data-zone={e.timeZone}
        data-lang={language}
      >
        <ZoneKept text={formatEventTime(e, language)} />
      </time>
      <span class="event-your-time" data-your-time="" hidden />
    </>
  );
}

/** The text with its closing "(Zone Name)" kept on one line, as the site's other times are (layout.css). */
function ZoneKept({ text }: { text: string }) {
  const at = text.lastIndexOf(' (');
  if (at < 0 || !text.endsWith(')')) return <>{text}</>;
  return (
    <>
      {text.slice(0, at + 1)}
      <span class="time__zone">{text.slice(at + 1)}</span>
    </>
  );
}

export function eventPath(e: { slug: string }): string {
  return `/events/${e.slug}`;
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="event__fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export interface EventPageProps {
  ctx: SiteContext;
  event: LiveEvent;
  picture: PictureInfo | null;
  canonicalUrl: string;
  head: ComponentChildren;
  /** Whether the event has ended by the page's clock. */
  ended: boolean;
  /** The registration form's path while the event takes registrations, else null. */
  register?: string | null;
}

export function EventPage({ ctx, event: e, picture, canonicalUrl, head, ended, register }: EventPageProps) {
  const language = ctx.site.language;
  const note = STATUS_NOTE[e.status];
  const inPerson = e.kind !== 'online' && e.status !== 'moved_online';
  const online = e.kind !== 'in_person' || e.status === 'moved_online';
  return (
    <Layout
      ctx={ctx}
      title={e.title}
      description={e.summary || undefined}
      canonical={canonicalUrl}
      path={eventPath(e)}
      head={head}
    >
      <article class="article event">
        {picture ? (
          <figure class="lead">
            <ResponsivePicture media={picture} sizes="(min-width: 44rem) 44rem, 100vw" eager />
            {e.pictureCaption || e.pictureCredit ? (
              <figcaption>
                {e.pictureCaption ? <span class="lead__caption">{e.pictureCaption}</span> : null}
                {e.pictureCredit ? <span class="lead__credit">{e.pictureCredit}</span> : null}
              </figcaption>
            ) : null}
          </figure>
        ) : null}
        <header>
          <a class="article__section" href={e.category ? `/events?category=${e.category}` : '/events'}>
            {e.category ? `Events · ${e.category}` : 'Events'}
          </a>
          {note ? <p class="event__status">{note}</p> : null}
          {ended && e.status !== 'cancelled' ? <p class="event__status">This event has ended</p> : null}
          <h1>{e.title}</h1>
          {e.summary ? <p class="event__summary">{e.summary}</p> : null}
          {register ? (
            <p class="event__register">
              <a class="btn event__register-button" href={register}>
                Register Today
              </a>
            </p>
          ) : null}
        </header>
        <dl class="event__facts">
          <Fact label="When">
            <EventWhen event={e} language={language} />
          </Fact>
          <Fact label="Where">
            {KIND[e.status === 'moved_online' ? 'online' : e.kind]}
            {inPerson && (e.venueName || e.venueAddress) ? (
              <span class="event__venue">
                {e.venueName ? <span class="event__venue-name">{e.venueName}</span> : null}
                {e.venueAddress ? <span class="event__address">{e.venueAddress}</span> : null}
                <a class="event__map" href={mapUrl(e)} rel="noopener">
                  Map (OpenStreetMap)
                </a>
              </span>
            ) : null}
            {online ? (
              // The join link is for registrants only: in their mail and on their personal page.
              <span class="event__online">
                {register
                  ? 'The link to join is sent to those who register.'
                  : 'The link to join is given before the event.'}
              </span>
            ) : null}
          </Fact>
          {e.organiser ? <Fact label="Organiser">{e.organiser}</Fact> : null}
          <Fact label="Price">{e.free ? 'Free' : e.priceText}</Fact>
          <Fact label="Language">{languageName(e.language, language)}</Fact>
        </dl>
        {e.bodyHtml ? (
          <div class="article__body" dangerouslySetInnerHTML={trustedBodyHtml(e.bodyHtml)} />
        ) : null}
        <p class="event__more">
          <a href="/events">All events</a>
          <a href="/events.ics">Calendar (iCal)</a>
        </p>
      </article>
    </Layout>
  );
}

export interface EventListPageProps {
  ctx: SiteContext;
  when: 'upcoming' | 'past';
  events: LiveEvent[];
  categories: string[];
  category: string | null;
  page: number;
  more: boolean;
  /** Upcoming: whether past events exist (for the link to them). */
  hasPast: boolean;
  canonicalUrl: string;
  head: ComponentChildren;
}

function listHref(when: 'upcoming' | 'past', category: string | null, page = 1): string {
  const base = when === 'upcoming' ? '/events' : '/events/past';
  const q = new URLSearchParams();
  if (category) q.set('category', category);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

export function EventListPage(p: EventListPageProps) {
  const { ctx, when, category } = p;
  const language = ctx.site.language;
  const title = when === 'upcoming' ? 'Events' : 'Past events';
  return (
    <Layout
      ctx={ctx}
      title={category ? `${title}: ${category}` : title}
      canonical={p.canonicalUrl}
      path={listHref(when, category, p.page)}
      head={p.head}
    >
      <section class="events" aria-labelledby="events-title">
        <h1 id="events-title">{title}</h1>
        {p.categories.length > 0 ? (
          <nav class="events__filter" aria-label="Event categories">
            <ul>
              <li>
                <a href={listHref(when, null)} aria-current={category === null ? 'page' : undefined}>
                  All
                </a>
              </li>
              {p.categories.map((c) => (
                <li key={c}>
                  <a href={listHref(when, c)} aria-current={c === category ? 'page' : undefined}>
                    {c}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {p.events.length === 0 ? (
          <p class="events__empty">
            {when === 'upcoming' ? 'No upcoming events' : 'No past events'}
            {category ? ` in ${category}` : ''}.
          </p>
        ) : (
          <ol class="events__list">
            {p.events.map((e) => (
              <li key={e.id} class="event-card">
                {e.category ? <span class="event-card__category">{e.category}</span> : null}
                <h2 class="event-card__title">
                  <a href={eventPath(e)}>{e.title}</a>
                </h2>
                <p class="event-card__when">
                  <EventWhen event={e} language={language} />
                </p>
                <p class="event-card__where">
                  {STATUS_NOTE[e.status] ? <strong>{STATUS_NOTE[e.status]}. </strong> : null}
                  {e.kind === 'online' || e.status === 'moved_online'
                    ? 'Online'
                    : [e.venueName, e.kind === 'hybrid' ? 'and online' : ''].filter(Boolean).join(' ')}
                  {' · '}
                  {e.free ? 'Free' : e.priceText}
                </p>
                {e.summary ? <p class="event-card__summary">{e.summary}</p> : null}
              </li>
            ))}
          </ol>
        )}
        <p class="events__more">
          {p.more ? (
            <a href={listHref(when, category, p.page + 1)} rel="next">
              More events
            </a>
          ) : null}
          {when === 'upcoming' ? (
            p.hasPast ? (
              <a href={listHref('past', category)}>Past events</a>
            ) : null
          ) : (
            <a href={listHref('upcoming', category)}>Upcoming events</a>
          )}
          <a href="/events.ics">Calendar (iCal)</a>
          <a href="/events/feed.xml">RSS</a>
        </p>
      </section>
    </Layout>
  );
}
