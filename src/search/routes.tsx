// GET /search on every site. Each query (with its filters and page) is its own page in the page cache,
// kept until the site's content or index changes and bounded in number (cached-pages.ts), so a popular
// query costs one search. Unreadable filters are ignored with a note; no input makes this page fail.
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../events/bus.ts';
import { tag } from '../web/cache/invalidation.ts';
import type { PageCache } from '../web/cache/page-cache.ts';
import type { PageServer } from '../web/pages.ts';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import {
  type CacheResyncs,
  type IndexWrites,
  SEARCH_PAGES_TAG,
  SearchPageFreshness,
  searchTag,
} from './cached-pages.ts';
import { dayPattern, endOfDay, readDay, startOfDay } from './dates.ts';
import type { SearchService } from './service.ts';
import { type SearchForm, SearchPage } from './views/search-page.tsx';

export interface SearchRouteDeps {
  pages: PageServer;
  search: SearchService;
  cache: PageCache | null;
  /** The changes that make cached search pages stale. */
  bus: EventBus;
  indexer: IndexWrites;
  tail: CacheResyncs;
  /** Resolves the request's site, answering a Host that is not ours (web/request-site.ts). */
  siteHook: SiteHook;
}

type Query = Record<string, string | string[] | undefined>;

/** The first value of a query parameter, cut to a sane length; repeated parameters never throw. */
export function param(q: Query, name: string, max = 200): string {
  const v = q[name];
  const s = typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
  return s.slice(0, max);
}

export async function searchRoutes(app: FastifyInstance, deps: SearchRouteDeps): Promise<void> {
  const { pages, search } = deps;
  const freshness = new SearchPageFreshness(deps.cache);
  const stopFollowing = freshness.follow(deps.bus, deps.indexer, deps.tail);
  app.addHook('onClose', async () => {
    stopFollowing();
  });
  app.get<{ Querystring: Query }>('/search', { preHandler: deps.siteHook }, async (req, reply) => {
    const ctx = siteOf(req);
    const query = req.query;
    const notes: string[] = [];
    const form: SearchForm = {
      q: param(query, 'q', 1000),
      section: param(query, 'section', 80),
      from: param(query, 'from', 20),
      to: param(query, 'to', 20),
      sort: param(query, 'sort') === 'date' ? 'date' : 'relevance',
    };
    let sectionId: number | undefined;
    if (form.section) {
      sectionId = ctx.sectionsBySlug.get(form.section)?.id;
      if (sectionId === undefined) {
        notes.push('That section does not exist here, so all sections were searched.');
        form.section = '';
      }
    }
    // Dates arrive as the site's locale writes them (or YYYY-MM-DD, as the page's own links carry them) and
    // are kept as YYYY-MM-DD from here on, so one day has one cache key however it was typed.
    const tz = ctx.site.timeZone;
    const language = ctx.site.language;
    const fromDay = form.from ? readDay(form.from, language) : null;
    const toDay = form.to ? readDay(form.to, language) : null;
    const from = fromDay ? startOfDay(fromDay, tz) : null;
    const to = toDay ? endOfDay(toDay, tz) : null;
    const hint = dayPattern(language).hint;
    if (form.from && !from) {
      notes.push(`The “from” date could not be read (use ${hint}), so it was left out.`);
      form.from = '';
    } else if (fromDay) form.from = fromDay;
    if (form.to && !to) {
      notes.push(`The “to” date could not be read (use ${hint}), so it was left out.`);
      form.to = '';
    } else if (toDay) form.to = toDay;
    const rawPage = param(query, 'page', 6);
    const page = /^[1-9]\d{0,5}$/.test(rawPage) ? Number(rawPage) : 1;
    // Everything the page shows depends on these, and on nothing else of the request.
    const key = `/search?${JSON.stringify([form, page, notes])}`;
    const served = await pages.serve(req, reply, ctx, key, async () => {
      const result = await search.search({
        siteId: ctx.site.id,
        language: ctx.site.language,
        q: form.q,
        sectionId,
        from: from ?? undefined,
        to: to ?? undefined,
        page,
        sort: form.sort,
      });
      return {
        status: 200,
        html: <SearchPage ctx={ctx} form={form} result={result} notes={notes} />,
        tags: [tag.site(ctx.site.id), searchTag(ctx.site.id), SEARCH_PAGES_TAG],
      };
    });
    freshness.bound();
    return served;
  });
}
