// The reader's side of events and webinars, registered from the composition root (web/server.tsx): the
// listings (/events, /events/past, by ?category= and ?page=, validated), each event's page
// (/events/<slug>, 404 for an unknown or unpublished one), the iCalendar feed of upcoming events
// (/events.ics), the RSS feed (/events/feed.xml), the events sitemap (/sitemaps/events.xml, named in the
// sitemap index through the feeds' hook) and the "Your time" script.
//
// Pages and feeds are served from the page cache like every other reader page, under the site's tag (which
// every write's site.changed drops) and this feature's own tag. Listings also change by the clock alone
// (an event ends and leaves "upcoming"): each site remembers when its next event ends, and the first request
// after that moment drops the site's event pages, so no timer runs and every node does it for itself.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PictureInfo } from '../articles/reader.ts';
import { DatelineError, isDatelineError } from '../errors/catalogue.ts';
import { rss, urlset } from '../feeds/formats.ts';
import type { Runtime } from '../runtime.ts';
import type { SiteContext } from '../sites/directory.ts';
import { siteOrigin, urlContext } from '../sites/urls.ts';
import { JsonLdScript } from '../structured-data/head.tsx';
import { imageUrl } from '../structured-data/urls.ts';
import { tag } from '../web/cache/invalidation.ts';
import { makePage, type PageCache } from '../web/cache/page-cache.ts';
import { errorRender } from '../web/error-pages.tsx';
import { type PageServer, send } from '../web/pages.ts';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import { yourTimeScript } from './client/bundle.ts';
import { formatEventTime } from './event-times.ts';
import { icsCalendar } from './ics.ts';
import { eventJsonLd } from './json-ld.ts';
import { settingsOf } from './registration/repository.ts';
import type { LiveEvent } from './repository.ts';
import { CATEGORY, LiveEventService } from './service.ts';
import { EventListPage, EventPage, eventPath } from './views/event-pages.tsx';

/** Pages showing a site's events: its listings, event pages and feeds. */
export const liveEventsTag = (siteId: number) => `live-events:${siteId}`;

/** Events in the iCalendar and RSS feeds. */
const FEED_EVENTS = 100;

export interface LiveEventRouteDeps {
  rt: Pick<Runtime, 'events' | 'media'>;
  pages: PageServer;
  cache: PageCache | null;
  siteHook: SiteHook;
  /** The clock listings go by (tests move it). */
  now?: () => Date;
}

export interface LiveEventRoutes {
  service: LiveEventService;
  /** The events sitemap for the sitemap index, with its newest change; null when the site has none. */
  sitemapEntry(ctx: SiteContext, origin: string): Promise<{ loc: string; lastModified: Date } | null>;
}

interface ListQuery {
  category?: string;
  page?: string;
}

/** The listing's filters from the query string, or EVENT_FILTER_INVALID. */
export function parseFilters(q: ListQuery): { category: string | null; page: number } {
  const category = q.category === undefined || q.category === '' ? null : q.category;
  if (category !== null && (typeof category !== 'string' || !CATEGORY.test(category)))
    throw new DatelineError(
      'EVENT_FILTER_INVALID',
      'The category is a lower-case name such as "webinars"; use the links on the events page.',
      { field: 'category' },
    );
  const rawPage = q.page ?? '1';
  if (typeof rawPage !== 'string' || !/^[1-9]\d{0,3}$/.test(rawPage) || Number(rawPage) > 1000)
    throw new DatelineError('EVENT_FILTER_INVALID', 'The page is a number from 1 to 1000.', {
      field: 'page',
    });
  return { category, page: Number(rawPage) };
}

export async function liveEventRoutes(
  app: FastifyInstance,
  deps: LiveEventRouteDeps,
): Promise<LiveEventRoutes> {
  const { pages, cache, rt } = deps;
  const now = deps.now ?? (() => new Date());
  const service = new LiveEventService(rt.events, now);
  const script = await yourTimeScript();
  const withSite = { preHandler: deps.siteHook };

  // When each site's event pages next change by the clock (its next event end), as known from the last
  // render; absent until a page of the site is rendered.
  const nextChange = new Map<number, number>();
  const dropIfDue = (siteId: number) => {
    const due = nextChange.get(siteId);
    if (due !== undefined && now().getTime() >= due) {
      nextChange.delete(siteId);
      cache?.invalidate([liveEventsTag(siteId)]);
    }
  };
  const noteNextChange = async (siteId: number) => {
    const end = await service.nextEnd(siteId);
    if (end) nextChange.set(siteId, Math.min(end.getTime(), nextChange.get(siteId) ?? Infinity));
  };
  const tagsOf = (ctx: SiteContext, ...more: string[]) => [
    tag.site(ctx.site.id),
    liveEventsTag(ctx.site.id),
    ...more,
  ];
  const origin = (req: FastifyRequest, ctx: SiteContext) => siteOrigin(urlContext(req), ctx.site);
  const scriptTag = <script type="module" src={script.path} />;
  const badFilter = (req: FastifyRequest, reply: FastifyReply, ctx: SiteContext, err: unknown) => {
    if (!isDatelineError(err, 'EVENT_FILTER_INVALID')) throw err;
    // Any query string can be sent: refused pages are never kept.
    return pages.serve(req, reply, ctx, `events|bad|${req.url}`, async () =>
      errorRender(ctx, 400, [], false),
    );
  };

  app.get(script.path, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(script.body),
  );

  for (const when of ['upcoming', 'past'] as const) {
    const path = when === 'upcoming' ? '/events' : '/events/past';
    app.get<{ Querystring: ListQuery }>(path, withSite, async (req, reply) => {
      const ctx = siteOf(req);
      let filters: { category: string | null; page: number };
      try {
        filters = parseFilters(req.query);
      } catch (err) {
        return badFilter(req, reply, ctx, err);
      }
      dropIfDue(ctx.site.id);
      const { category, page } = filters;
      return pages.serve(req, reply, ctx, `events|${when}|${category ?? ''}|${page}`, async () => {
        const categories = await service.categories(ctx.site.id);
        // Only categories in use get a page: any other name is a 404 that is not kept, so made-up names
        // cannot fill the cache.
        if (category !== null && !categories.includes(category))
          return errorRender(ctx, 404, [liveEventsTag(ctx.site.id)], false);
        const list = await service.list(ctx.site.id, when, {
          ...(category !== null && { category }),
          page,
        });
        if (page > 1 && list.events.length === 0)
          return errorRender(ctx, 404, [liveEventsTag(ctx.site.id)], false);
        await noteNextChange(ctx.site.id);
        const hasPast =
          when === 'upcoming' ? await service.hasPast(ctx.site.id, category ?? undefined) : true;
        const self = `${origin(req, ctx)}${path}${category ? `?category=${category}` : ''}`;
        return {
          status: 200,
          html: (
            <EventListPage
              ctx={ctx}
              when={when}
              events={list.events}
              categories={categories}
              category={category}
              page={page}
              more={list.more}
              hasPast={hasPast}
              canonicalUrl={self}
              head={
                <>
                  <link rel="alternate" type="text/calendar" title="Events (iCal)" href="/events.ics" />
                  <link
                    rel="alternate"
                    type="application/rss+xml"
                    title="Events (RSS)"
                    href="/events/feed.xml"
                  />
                  {scriptTag}
                </>
              }
            />
          ),
          tags: tagsOf(ctx),
        };
      });
    });
  }

  app.get<{ Params: { slug: string } }>('/events/:slug', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    dropIfDue(ctx.site.id);
    const slug = req.params.slug;
    return pages.serve(req, reply, ctx, `events|page|${slug}`, async () => {
      const found = await service.bySlug(ctx.site.id, slug);
      // Unknown slugs are unbounded: their 404 is not kept.
      if (!found?.published) return errorRender(ctx, 404, [liveEventsTag(ctx.site.id)], false);
      const e = found;
      const picture = await pictureOf(e);
      const url = `${origin(req, ctx)}${eventPath(e)}`;
      const site = { name: ctx.site.name, url: `${origin(req, ctx)}/` };
      const data = eventJsonLd({
        event: e,
        url,
        image: picture ? imageUrl(origin(req, ctx), picture) : null,
        site,
      });
      const ended = e.endsAt.getTime() <= now().getTime();
      // "Register Today" while the event takes registrations; the form says whether it is open, full or
      // closed (that changes with every registration, and this page stays cached).
      const registration = await settingsOf(rt.events.db.kysely, e.id);
      const register =
        registration?.enabled && !ended && e.status !== 'cancelled' ? `${eventPath(e)}/register` : null;
      if (!ended)
        nextChange.set(ctx.site.id, Math.min(e.endsAt.getTime(), nextChange.get(ctx.site.id) ?? Infinity));
      return {
        status: 200,
        html: (
          <EventPage
            ctx={ctx}
            event={e}
            picture={picture}
            canonicalUrl={url}
            ended={ended}
            register={register}
            head={
              <>
                <JsonLdScript data={data} />
                {scriptTag}
              </>
            }
          />
        ),
        tags: tagsOf(ctx, ...(e.pictureMediaId ? [tag.media(e.pictureMediaId)] : [])),
      };
    });
  });

  async function pictureOf(e: LiveEvent): Promise<PictureInfo | null> {
    if (!e.pictureMediaId) return null;
    const [found] = await rt.media.getMany([e.pictureMediaId]);
    return found ?? null;
  }

  /** Serves a feed document from the cache, building it on a miss. */
  const serveDocument = async (
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    key: string,
    contentType: string,
    build: () => Promise<string>,
  ) => {
    dropIfDue(ctx.site.id);
    const cacheKey = `${ctx.site.id}|events-doc|${key}`;
    let page = cache?.get(cacheKey);
    if (!page) {
      const since = cache?.epoch ?? 0;
      const body = Buffer.from(await build());
      const tags = tagsOf(ctx);
      page = makePage({
        status: 200,
        contentType,
        body,
        headers: {},
        cacheControl: pages.cacheControl(200),
        tags,
      });
      if (cache?.keeps(tags, body.length, since)) cache.set(cacheKey, page);
    }
    return send(req, reply, page);
  };

  const upcoming = async (ctx: SiteContext) => {
    const list = await service.list(ctx.site.id, 'upcoming', { perPage: FEED_EVENTS });
    await noteNextChange(ctx.site.id);
    return list.events;
  };

  app.get('/events.ics', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    return serveDocument(req, reply, ctx, 'ics', 'text/calendar; charset=utf-8', async () => {
      const base = origin(req, ctx);
      return icsCalendar(await upcoming(ctx), {
        name: `${ctx.site.name} events`,
        host: ctx.site.hosts[0] ?? ctx.site.slug,
        urlOf: (e) => `${base}${eventPath(e)}`,
      });
    });
  });

  app.get('/events/feed.xml', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    return serveDocument(req, reply, ctx, 'rss', 'application/rss+xml; charset=utf-8', async () => {
      const base = origin(req, ctx);
      const events = await upcoming(ctx);
      const updated = new Date(
        Math.max(ctx.site.updatedAt.getTime(), ...events.map((e) => e.updatedAt.getTime())),
      );
      return rss(
        {
          id: `${base}/events`,
          title: `${ctx.site.name}: events`,
          description: `Upcoming events and webinars of ${ctx.site.name}.`,
          link: `${base}/events`,
          self: `${base}/events/feed.xml`,
          language: ctx.site.language,
          updated,
          rights: ctx.site.footerText,
          publisher: ctx.site.name,
          logo: null,
        },
        events.map((e) => ({
          id: `${base}${eventPath(e)}`,
          url: `${base}${eventPath(e)}`,
          title: e.title,
          // The feed says when, in the event's zone and the reference style, before the summary.
          summary: [formatEventTime(e, ctx.site.language), e.summary].filter(Boolean).join(' — '),
          contentHtml: null,
          author: e.organiser || null,
          category: e.category || null,
          published: e.createdAt,
          updated: e.updatedAt,
          image: null,
          rights: null,
        })),
      );
    });
  });

  app.get('/sitemaps/events.xml', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    return serveDocument(req, reply, ctx, 'sitemap', 'application/xml; charset=utf-8', async () => {
      const base = origin(req, ctx);
      const rows = await service.sitemapRows(ctx.site.id);
      return urlset(
        rows.map((r) => ({ loc: `${base}${eventPath(r)}`, lastModified: r.updatedAt, images: [] })),
      );
    });
  });

  return {
    service,
    async sitemapEntry(ctx, siteOriginUrl) {
      const [newest] = await service.sitemapRows(ctx.site.id, 1);
      return newest ? { loc: `${siteOriginUrl}/sitemaps/events.xml`, lastModified: newest.updatedAt } : null;
    },
  };
}
