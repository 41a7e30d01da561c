// The read-only content API at /api/v1 on every site's host: articles (filtered list with cursor pages,
// one by id at /articles/{id}, one by slug at /articles/by-slug/{slug}), sections, sites, trending, most read, search
// and published comments (comment-routes.ts), as JSON. Every call needs an API
// key (Authorization: Bearer, or X-API-Key) except the OpenAPI document. CORS answers only the origins
// configured. Killed and embargoed stories are never listed; a killed one asked for by id answers 410.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import Type from 'typebox';
import type { PictureInfo } from '../articles/reader.ts';
import type { ArticleService } from '../articles/service.ts';
import { storyPath } from '../articles/slug.ts';
import { DatelineError } from '../errors/catalogue.ts';
import { endOfDay, startOfDay } from '../search/dates.ts';
import type { SearchService } from '../search/service.ts';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';
import { siteOrigin, type UrlContext, urlContext } from '../sites/urls.ts';
import { imageUrl } from '../structured-data/urls.ts';
import type { TrendingItem, TrendingService } from '../trending/service.ts';
import type { PageServer } from '../web/pages.ts';
import { siteOf } from '../web/request-site.ts';
import { commentApiRoutes } from './comment-routes.ts';
import type { ApiKeyService } from './keys.ts';
import { OpenApiRecorder } from './openapi.ts';
import { type ApiStoryRow, findStory, listStories, type StoryRef } from './repository.ts';
import {
  ArticleFull,
  ArticleIdParams,
  ArticleList,
  ArticleListQuery,
  ArticleSlugParams,
  type ArticleSummaryJson,
  dataOf,
  ErrorBody,
  MostReadQuery,
  SearchJson,
  SearchQuery,
  SectionJson,
  SiteJson,
  TrendingJson,
  TrendingQuery,
} from './schemas.ts';

export interface ApiDeps {
  pages: PageServer;
  directory: SiteDirectory;
  keys: ApiKeyService;
  search: SearchService;
  trending: TrendingService;
  articles: Pick<ArticleService, 'get'>;
  media: { getMany(ids: number[]): Promise<PictureInfo[]> };
  db: Parameters<typeof listStories>[0];
  /** Origins allowed to call from browsers: '*' or exact origins; empty for none. */
  corsOrigins: string[];
}

export const API_PREFIX = '/api/v1';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const recorder = new OpenApiRecorder();
  app.addHook('onRoute', recorder.onRoute);
  let openApiJson: string | null = null;

  app.addHook('onRequest', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    cors(req, reply, deps.corsOrigins);
    if (req.method === 'OPTIONS' || req.url.startsWith(`${API_PREFIX}/openapi.json`)) return;
    const ctx = await deps.pages.site(req);
    if (!ctx)
      throw new DatelineError('SITE_NOT_FOUND', `No site of this network answers at ${req.hostname}.`);
    const key = apiKeyOf(req);
    if (!key) {
      reply.header('www-authenticate', 'Bearer realm="dateline"');
      throw new DatelineError(
        'API_KEY_MISSING',
        'This API needs a key: send "Authorization: Bearer <key>" or "X-API-Key: <key>". Ask the network operator for one.',
      );
    }
    const info = await deps.keys.verify(key);
    if (!info) {
      reply.header('www-authenticate', 'Bearer realm="dateline", error="invalid_token"');
      throw new DatelineError(
        'API_KEY_INVALID',
        'This API key is not known or was revoked. Check it, or ask for a new one.',
      );
    }
    if (info.siteIds && !info.siteIds.includes(ctx.site.id)) {
      throw new DatelineError('API_KEY_FORBIDDEN', `This API key may not read ${ctx.site.name}.`);
    }
    // The site the handlers read (siteOf), resolved here so an unknown host is a JSON error before the key.
    req.site = ctx;
  });

  app.options('/*', async (_req, reply) => reply.code(204).send());

  app.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send({
      error: {
        code: 'DATELINE_ERR_NOT_FOUND',
        message: `There is no API endpoint ${req.method} ${req.url.split('?')[0]}.`,
      },
    }),
  );

  const toSummary = (
    u: UrlContext,
    ctx: SiteContext,
    r: ApiStoryRow,
    pics: Map<number, PictureInfo>,
    canonical: string | null,
  ) => {
    const origin = siteOrigin(u, ctx.site);
    const sec = ctx.sectionsById.get(r.sectionId);
    const url = `${origin}${storyPath(sec?.slug ?? 'story', r.slug)}`;
    const pic = r.leadMediaId ? pics.get(r.leadMediaId) : undefined;
    const published = r.publishedAt ?? new Date(0);
    const json: ArticleSummaryJson = {
      id: r.articleId,
      slug: r.slug,
      url,
      canonical_url: canonical ?? url,
      section: { id: r.sectionId, slug: sec?.slug ?? '', name: sec?.name ?? '' },
      headline: r.headline,
      dek: r.dek,
      byline: r.byline,
      dateline: r.dateline,
      source_copyright: r.sourceCopyright,
      published_at: published.toISOString(),
      updated_at: (r.contentUpdatedAt && r.contentUpdatedAt > published
        ? r.contentUpdatedAt
        : published
      ).toISOString(),
      lead_image: pic
        ? {
            url: imageUrl(origin, pic),
            width: Math.min(1200, pic.width),
            height: Math.round((pic.height * Math.min(1200, pic.width)) / pic.width),
            alt: pic.alt,
            caption: pic.caption,
            credit: pic.credit,
          }
        : null,
    };
    return json;
  };

  const pictures = async (ids: (number | null)[]) => {
    const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
    return new Map(wanted.length ? (await deps.media.getMany(wanted)).map((m) => [m.id, m]) : []);
  };

  /** For republished stories: where the original lives. */
  const canonicalUrl = async (u: UrlContext, r: ApiStoryRow): Promise<string | null> => {
    if (r.canonical) return null;
    const found = await deps.articles.get(r.articleId);
    const origin = found?.placements.find((p) => p.canonical);
    const ctx = origin && deps.directory.byIdOrUndefined(origin.siteId);
    const sec = origin && ctx?.sectionsById.get(origin.sectionId);
    return ctx && sec && origin ? `${siteOrigin(u, ctx.site)}${storyPath(sec.slug, origin.slug)}` : null;
  };

  app.get<{ Querystring: Static<typeof ArticleListQuery> }>(
    '/articles',
    {
      schema: {
        summary: 'List live stories, newest first',
        description: 'Filter by section and publication time; page with the returned cursor.',
        tags: ['articles'],
        querystring: ArticleListQuery,
        response: { 200: ArticleList, ...errors },
      },
    },
    async (req) => {
      const ctx = siteOf(req);
      const q = req.query;
      const sectionId = q.section ? sectionOr404(ctx, q.section) : undefined;
      const limit = q.limit ?? 20;
      const rows = await listStories(deps.db, {
        siteId: ctx.site.id,
        sectionId,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const u = urlContext(req);
      const pics = await pictures(page.map((r) => r.leadMediaId));
      const data = [];
      for (const r of page) data.push(toSummary(u, ctx, r, pics, await canonicalUrl(u, r)));
      const last = page[page.length - 1];
      return { data, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
    },
  );

  /** One story with its body: 404 when it is not on this site or not live yet, 410 once taken down. */
  const oneStory = async (req: FastifyRequest, ref: StoryRef, shown: string) => {
    const ctx = siteOf(req);
    const r = await findStory(deps.db, ctx.site.id, ref);
    if (r?.status === 'taken_down') {
      throw new DatelineError('ARTICLE_GONE', 'This story was taken down and is no longer available.');
    }
    if (!r?.live)
      throw new DatelineError('ARTICLE_NOT_FOUND', `There is no story ${shown} on ${ctx.site.name}.`);
    const u = urlContext(req);
    const pics = await pictures([r.leadMediaId]);
    return {
      data: { ...toSummary(u, ctx, r, pics, await canonicalUrl(u, r)), body_html: r.bodyHtml ?? '' },
    };
  };

  app.get<{ Params: Static<typeof ArticleIdParams> }>(
    '/articles/:id',
    {
      schema: {
        summary: 'One story by article id',
        description: 'The id is digits only; to look a story up by its slug, use /articles/by-slug/{slug}.',
        tags: ['articles'],
        params: ArticleIdParams,
        response: { 200: dataOf(ArticleFull), 410: ErrorBody, ...errors },
      },
    },
    async (req) => oneStory(req, { id: Number(req.params.id) }, `with id ${req.params.id}`),
  );

  app.get<{ Params: Static<typeof ArticleSlugParams> }>(
    '/articles/by-slug/:slug',
    {
      schema: {
        summary: 'One story by its slug on this site',
        description:
          'Slugs keep the headline’s script (percent-encode them in the path); a slug is never read as an id.',
        tags: ['articles'],
        params: ArticleSlugParams,
        response: { 200: dataOf(ArticleFull), 410: ErrorBody, ...errors },
      },
    },
    async (req) => oneStory(req, { slug: req.params.slug }, `"${req.params.slug}"`),
  );

  app.get(
    '/sections',
    {
      schema: {
        summary: "This site's sections",
        tags: ['sites'],
        response: { 200: dataOf(Type.Array(SectionJson)), ...errors },
      },
    },
    async (req) => {
      const ctx = siteOf(req);
      const origin = siteOrigin(urlContext(req), ctx.site);
      return {
        data: ctx.sections.map((s) => ({
          id: s.id,
          slug: s.slug,
          name: s.name,
          description: s.description,
          url: `${origin}/${s.slug}`,
          rss: `${origin}/feeds/${s.slug}/rss.xml`,
          atom: `${origin}/feeds/${s.slug}/atom.xml`,
        })),
      };
    },
  );

  app.get(
    '/sites',
    {
      schema: {
        summary: 'Every site of the network',
        tags: ['sites'],
        response: { 200: dataOf(Type.Array(SiteJson)), ...errors },
      },
    },
    async (req) => {
      const u = urlContext(req);
      return {
        data: deps.directory.all().map((c) => ({
          id: c.site.id,
          slug: c.site.slug,
          name: c.site.name,
          tagline: c.site.tagline,
          language: c.site.language,
          time_zone: c.site.timeZone,
          url: `${siteOrigin(u, c.site)}/`,
        })),
      };
    },
  );

  const trendingJson = (u: UrlContext) => (i: TrendingItem) => {
    const owner = deps.directory.byIdOrUndefined(i.siteId);
    return {
      article_id: i.articleId,
      headline: i.headline,
      category: i.category,
      site: { id: i.siteId, name: i.siteName },
      url: `${owner ? siteOrigin(u, owner.site) : ''}${i.path}`,
      published_at: i.publishedAt.toISOString(),
      score: i.score,
      reads: i.reads,
    };
  };

  app.get<{ Querystring: Static<typeof TrendingQuery> }>(
    '/trending',
    {
      schema: {
        summary: 'Trending stories',
        description: 'Reads with time decay (half-life of a few hours); recency before anyone has read.',
        tags: ['discovery'],
        querystring: TrendingQuery,
        response: { 200: dataOf(Type.Array(TrendingJson)), ...errors },
      },
    },
    async (req) => {
      const ctx = siteOf(req);
      const items =
        req.query.scope === 'network'
          ? deps.trending.block(ctx.site.id)
          : deps.trending.trending(ctx.site.id);
      return { data: items.map(trendingJson(urlContext(req))) };
    },
  );

  app.get<{ Querystring: Static<typeof MostReadQuery> }>(
    '/most-read',
    {
      schema: {
        summary: 'Most read in the last day, on the site or in one section',
        tags: ['discovery'],
        querystring: MostReadQuery,
        response: { 200: dataOf(Type.Array(TrendingJson)), ...errors },
      },
    },
    async (req) => {
      const ctx = siteOf(req);
      const sectionId = req.query.section ? sectionOr404(ctx, req.query.section) : undefined;
      return { data: deps.trending.mostRead(ctx.site.id, sectionId).map(trendingJson(urlContext(req))) };
    },
  );

  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    '/search',
    {
      schema: {
        summary: 'Full-text search of live stories',
        description:
          'Words (all must match), "quoted phrases" and -exclusions; CJK text matches by substring.',
        tags: ['discovery'],
        querystring: SearchQuery,
        response: { 200: SearchJson, ...errors },
      },
    },
    async (req) => {
      const ctx = siteOf(req);
      const q = req.query;
      const sectionId = q.section ? sectionOr404(ctx, q.section) : undefined;
      const from = q.from ? startOfDay(q.from, ctx.site.timeZone) : null;
      const to = q.to ? endOfDay(q.to, ctx.site.timeZone) : null;
      const result = await deps.search.search({
        siteId: ctx.site.id,
        language: ctx.site.language,
        q: q.q,
        sectionId,
        from: from ?? undefined,
        to: to ?? undefined,
        page: q.page ?? 1,
        sort: q.sort ?? 'relevance',
      });
      const origin = siteOrigin(urlContext(req), ctx.site);
      return {
        total: result.total,
        page: result.page,
        pages: result.pages,
        data: result.hits.map((h) => {
          const sec = ctx.sectionsById.get(h.sectionId);
          return {
            article_id: h.articleId,
            headline: h.headline,
            url: `${origin}${storyPath(sec?.slug ?? 'story', h.slug)}`,
            section: { id: h.sectionId, slug: sec?.slug ?? '', name: sec?.name ?? '' },
            published_at: h.publishedAt.toISOString(),
            byline: h.byline,
            snippet: h.snippet.map((s) => s.text).join(''),
            highlights: { headline: h.headlineSegments, snippet: h.snippet },
          };
        }),
      };
    },
  );

  // Comments: /articles/{id}/comments and /comments/{id} (comment-routes.ts).
  await commentApiRoutes(app, { db: deps.db });

  app.get('/openapi.json', async (_req, reply) => {
    openApiJson ??= JSON.stringify(
      recorder.document({
        title: 'Dateline content API',
        version: '1',
        description:
          'Read-only JSON for every site of the network. Call it on a site’s own host; every call but this one needs an API key.',
        serverUrl: API_PREFIX,
      }),
    );
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(openApiJson);
  });
}

function apiKeyOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (m) return m[1]!;
  }
  const h = req.headers['x-api-key'];
  return typeof h === 'string' && h !== '' ? h : null;
}

function cors(req: FastifyRequest, reply: FastifyReply, allowed: string[]): void {
  const origin = req.headers.origin;
  if (!origin || allowed.length === 0) return;
  const any = allowed.includes('*');
  if (!any && !allowed.includes(origin)) return;
  reply.header('access-control-allow-origin', any ? '*' : origin);
  if (!any) reply.header('vary', 'Origin');
  if (req.method === 'OPTIONS') {
    reply.header('access-control-allow-methods', 'GET, OPTIONS');
    reply.header('access-control-allow-headers', 'Authorization, X-API-Key, Content-Type');
    reply.header('access-control-max-age', '600');
  }
}

function sectionOr404(ctx: SiteContext, slug: string): number {
  const s = ctx.sectionsBySlug.get(slug);
  if (!s) throw new DatelineError('SECTION_NOT_FOUND', `${ctx.site.name} has no section "${slug}".`);
  return s.id;
}

function encodeCursor(r: ApiStoryRow): string {
  return Buffer.from(`${r.publishedAt?.getTime() ?? 0}.${r.placementId}`).toString('base64url');
}

function decodeCursor(c: string): { publishedAt: Date; placementId: number } {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(c, 'base64url').toString('latin1'));
  if (!m)
    throw new DatelineError(
      'API_CURSOR_INVALID',
      'The cursor is not one this API gave out. Start again without it.',
    );
  return { publishedAt: new Date(Number(m[1])), placementId: Number(m[2]) };
}
