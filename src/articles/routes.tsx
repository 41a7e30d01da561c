// The reader's path through a site: home → section → article. Each handler reads through ArticleReader and
// renders through PageServer, which caches the result under the tags that a later change will drop.

import type { FastifyInstance } from 'fastify';
import type { SiteDirectory } from '../sites/directory.ts';
import { siteOrigin, urlContext } from '../sites/urls.ts';
import { tag } from '../web/cache/invalidation.ts';
import { errorRender } from '../web/error-pages.tsx';
import type { PageServer } from '../web/pages.ts';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import { NO_SLOTS, type PageSlotFiller, type TeaserCounts } from './page-slots.ts';
import type { ArticleReader, HomePicks } from './reader.ts';
import { isRoutableSlug } from './slug.ts';
import { ArticlePage } from './views/article-page.tsx';
import { HomePage } from './views/home-page.tsx';
import { SectionPage } from './views/section-page.tsx';

/** Section slugs: ASCII, as sections.ts allows. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
const MAX_PAGE = 100_000;

export interface ArticleRouteDeps {
  pages: PageServer;
  reader: ArticleReader;
  directory: SiteDirectory;
  /** Resolves the request's site, answering a Host that is not ours (web/request-site.ts). */
  siteHook: SiteHook;
  /** What other features put in the pages' slots (see page-slots.ts); rendered into the cached page. */
  slots?: PageSlotFiller;
  /** Comment counts shown on teasers (src/comments), with the cache tags that drop them. */
  teaserCounts?: TeaserCounts;
  /** The lead and top stories an editor arranged (src/front-page); newest first without. */
  homePicks?: HomePicks;
}

export async function articleRoutes(app: FastifyInstance, deps: ArticleRouteDeps): Promise<void> {
  const { pages, reader, directory } = deps;
  const slots = deps.slots ?? NO_SLOTS;

  const withSite = { preHandler: deps.siteHook };

  app.get('/', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    return pages.serve(req, reply, ctx, '/', async () => {
      const home = await reader.home(ctx, deps.homePicks);
      const canonicalUrl = `${siteOrigin(urlContext(req), ctx.site)}/`;
      const [counts, filled] = await Promise.all([
        deps.teaserCounts?.counts(ctx.site.id, [
          ...home.top.map((t) => t.articleId),
          ...home.sections.flatMap((b) => b.teasers.map((t) => t.articleId)),
        ]),
        slots.home({ req, ctx, canonicalUrl, blocks: home.sections.map((b) => b.section) }),
      ]);
      return {
        status: 200,
        html: <HomePage ctx={ctx} {...home} counts={counts} canonicalUrl={canonicalUrl} slots={filled} />,
        tags: [
          tag.site(ctx.site.id),
          tag.home(ctx.site.id),
          ...(deps.teaserCounts?.tags(ctx.site.id) ?? []),
          ...filled.tags,
        ],
      };
    });
  });

  app.get<{ Params: { section: string }; Querystring: Record<string, string | string[]> }>(
    '/:section',
    withSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      const section = SLUG.test(req.params.section) ? ctx.sectionsBySlug.get(req.params.section) : undefined;
      if (!section) return pages.serve(req, reply, ctx, '404', async () => errorRender(ctx, 404, [], true));
      const raw = req.query.page;
      let page = 1;
      if (raw !== undefined) {
        if (typeof raw !== 'string' || !/^[1-9]\d{0,5}$/.test(raw) || Number(raw) > MAX_PAGE) {
          return pages.serve(req, reply, ctx, '400', async () => errorRender(ctx, 400));
        }
        page = Number(raw);
      }
      return pages.serve(req, reply, ctx, `/${section.slug}?page=${page}`, async () => {
        const data = await reader.sectionPage(ctx, section.id, page);
        const tags = [tag.site(ctx.site.id), tag.section(section.id)];
        if (!data) return errorRender(ctx, 404, tags, true);
        const counts = await deps.teaserCounts?.counts(
          ctx.site.id,
          data.teasers.map((t) => t.articleId),
        );
        if (counts) tags.push(...deps.teaserCounts!.tags(ctx.site.id));
        const canonicalUrl = `${siteOrigin(urlContext(req), ctx.site)}/${section.slug}${page > 1 ? `?page=${page}` : ''}`;
        const filled = await slots.section({ req, ctx, section, page, canonicalUrl });
        tags.push(...filled.tags);
        return {
          status: 200,
          html: (
            <SectionPage
              ctx={ctx}
              section={section}
              {...data}
              counts={counts}
              canonicalUrl={canonicalUrl}
              slots={filled}
            />
          ),
          tags,
        };
      });
    },
  );

  app.get<{ Params: { section: string; slug: string } }>('/:section/:slug', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const { section, slug } = req.params;
    if (!SLUG.test(section) || !isRoutableSlug(slug))
      return pages.serve(req, reply, ctx, '404', async () => errorRender(ctx, 404, [], true));
    return pages.serve(req, reply, ctx, `/${section}/${slug}`, async () => {
      const found = await reader.article(ctx, section, slug);
      const siteTag = tag.site(ctx.site.id);
      switch (found.kind) {
        case 'not_found':
          return errorRender(ctx, 404);
        case 'redirect':
          return { status: 301, headers: { location: found.location }, tags: [siteTag], cacheable: false };
        case 'gone':
          return errorRender(ctx, 410, [tag.article(found.article.id)], true);
        case 'article': {
          const { view } = found;
          const originSite = view.canonical ? directory.byIdOrUndefined(view.canonical.siteId) : undefined;
          const canonicalUrl =
            view.canonical && originSite
              ? `${siteOrigin(urlContext(req), originSite.site)}${view.canonical.path}`
              : `${siteOrigin(urlContext(req), ctx.site)}${reader.pathOf(view.placement)}`;
          const tags = [siteTag, tag.article(view.article.id), tag.section(view.placement.sectionId)];
          if (view.article.leadMediaId) tags.push(tag.media(view.article.leadMediaId));
          const filled = await slots.article({ req, ctx, view, canonicalUrl });
          tags.push(...filled.tags);
          return {
            status: 200,
            html: <ArticlePage ctx={ctx} view={view} canonicalUrl={canonicalUrl} slots={filled} />,
            tags,
          };
        }
      }
    });
  });
}
