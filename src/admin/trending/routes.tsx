// The Trending screens of the newsroom admin (Network > Trending, trending.manage: editors and up, on their
// sites): each site's "trending on our other sites" block previewed with the real block component, which
// sites feed it (every other site, chosen ones, or none: the rules `dateline trending sources` sets), and
// pins and exclusions of stories. TrendingService writes each choice and refreshes the lists itself, with no
// transaction to join, so the audit entry is written right after the change, in the handler.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/log.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import type { Site } from '../../sites/site.ts';
import { siteOrigin } from '../../sites/urls.ts';
import { listOverrides, listSources, liveStories } from '../../trending/repository.ts';
import type { TrendingItem } from '../../trending/service.ts';
import { TRENDING_CSS } from '../../trending/views/styles.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, formValues } from '../route-kit.tsx';
import { paramId, requireSite } from '../sites/site-lookup.ts';
import {
  type OverrideRow,
  type SiteTrending,
  SiteTrendingView,
  type SourceMode,
  TRENDING_ADMIN_CSS,
  TrendingOverview,
} from './views.tsx';

ADMIN_NOTICES.set('trending-sources', 'Feeding sites saved; the block has been recomputed.');
ADMIN_NOTICES.set('trending-pinned', 'Pinned: the story leads the block.');
ADMIN_NOTICES.set('trending-excluded', 'Excluded: the story no longer shows in this block.');
ADMIN_NOTICES.set('trending-cleared', 'Undone: the story takes its place by reads again.');

const CANDIDATES_PER_SITE = 8;

export function trendingScreen(kit: AdminKit): void {
  const { rt } = kit;
  kit.nav.add({
    id: 'trending',
    group: 'Network',
    label: 'Trending',
    href: '/trending',
    cap: 'trending.manage',
    order: 30,
  });
  kit.assets.addCss(TRENDING_CSS + TRENDING_ADMIN_CSS);

  const sitesById = () => new Map(rt.directory.all().map((c) => [c.site.id, c.site]));
  const urlOf = (item: TrendingItem) => {
    const site = rt.directory.byIdOrUndefined(item.siteId)?.site;
    return `${site ? siteOrigin(kit.app.publicUrls, site) : ''}${item.path}`;
  };

  /** Everything the screens show about one site's block, read afresh. */
  const load = async (siteIds: number[]): Promise<SiteTrending[]> => {
    await rt.directory.fresh();
    const [sources, overrides] = await Promise.all([listSources(rt.db), listOverrides(rt.db)]);
    const sites = sitesById();
    const ids = [...new Set(overrides.map((o) => o.articleId))];
    const live = await liveStories(rt.db, ids);
    const headlines = new Map(
      (ids.length
        ? await rt.db.kysely
            .selectFrom('articles')
            .select(['id', 'headline', 'site_id'])
            .where('id', 'in', ids)
            .execute()
        : []
      ).map((r) => [r.id, r]),
    );
    return siteIds.flatMap((siteId) => {
      const site = sites.get(siteId);
      if (!site) return [];
      const configured = sources.get(siteId);
      // A configured list names the site itself as a marker (see replaceSources); the rest are the feeders.
      const chosen = (configured ?? []).filter((id) => id !== siteId);
      const mode: SourceMode = configured === undefined ? 'all' : chosen.length === 0 ? 'none' : 'chosen';
      const feeders = mode === 'all' ? [...sites.keys()].filter((id) => id !== siteId) : chosen;
      const rows: OverrideRow[] = overrides
        .filter((o) => o.siteId === siteId)
        .map((o) => {
          const a = headlines.get(o.articleId);
          const isLive = live.some((s) => s.articleId === o.articleId);
          return {
            articleId: o.articleId,
            action: o.action,
            position: o.position,
            headline: a && isLive ? a.headline : null,
            siteName: a ? (sites.get(a.site_id)?.name ?? null) : null,
          };
        })
        .sort((x, y) => (x.action === y.action ? x.position - y.position : x.action === 'pin' ? -1 : 1));
      return [
        {
          site,
          mode,
          chosen,
          block: rt.trending.block(siteId),
          overrides: rows,
          candidates: feeders.flatMap((id) => {
            const s = sites.get(id);
            return s
              ? [
                  {
                    site: s,
                    items: rt.trending
                      .trending(id)
                      .filter((i) => i.canonical)
                      .slice(0, CANDIDATES_PER_SITE),
                  },
                ]
              : [];
          }),
        },
      ];
    });
  };

  const themePath = (sites: Site[]) =>
    `/trending/theme.css?v=${encodeURIComponent(
      sites
        .map((s) => `${s.id}${s.accentColor}${s.primaryColor}`)
        .join('')
        .replace(/#/g, ''),
    )}`;

  // Each site's colours for its preview box: CSS from the admin's own host, since pages carry no inline style.
  kit.page('/trending/theme.css', { cap: 'trending.manage' }, async (_req, reply) => {
    const rules = [...sitesById().values()]
      .map(
        (s) =>
          `.adm-reader-preview[data-site="${s.id}"]{--accent:${s.accentColor};--brand:${s.primaryColor}}`,
      )
      .join('\n');
    return reply.type('text/css; charset=utf-8').send(rules);
  });

  kit.page('/trending', { cap: 'trending.manage' }, async (req, reply, a) => {
    const ids = a.siteIds.filter((id) => a.can('trending.manage', id));
    if (ids.length === 1) return kit.seeOther(reply, `/trending/${ids[0]}`);
    const all = await load(ids);
    return kit.render(
      req,
      reply,
      a,
      { title: 'Trending', current: 'trending' },
      <TrendingOverview
        sites={all}
        names={new Map([...sitesById()].map(([id, s]) => [id, s.name]))}
        themePath={themePath(all.map((t) => t.site))}
        urlOf={urlOf}
      />,
    );
  });

  const sitePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    site: Site,
    o: { error?: DatelineError | null; articleProblem?: string; articleValue?: string; status?: number } = {},
  ) => {
    const [t] = await load([site.id]);
    const sites = [...sitesById().values()];
    return kit.render(
      req,
      reply,
      a,
      { title: `Trending: ${site.name}`, current: 'trending', status: o.status },
      <SiteTrendingView
        t={t!}
        others={sites.filter((s) => s.id !== site.id)}
        csrf={a.csrf}
        themePath={themePath(sites)}
        urlOf={urlOf}
        error={o.error}
        articleProblem={o.articleProblem}
        articleValue={o.articleValue}
      />,
    );
  };

  const siteFor = async (req: FastifyRequest, a: AdminContext): Promise<Site> => {
    const site = await requireSite(kit, paramId(req));
    a.require('trending.manage', site.id);
    return site;
  };

  kit.page('/trending/:id', { cap: 'trending.manage' }, async (req, reply, a) =>
    sitePage(req, reply, a, await siteFor(req, a)),
  );

  const sourcesSnapshot = (mode: SourceMode, chosen: number[]) => {
    const sites = sitesById();
    return { sources: mode === 'all' ? 'every other site' : chosen.map((id) => sites.get(id)?.slug ?? id) };
  };

  kit.action('/trending/:id/sources', { cap: 'trending.manage' }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const mode = formValue(req.body, 'mode');
    const sites = sitesById();
    const from = [
      ...new Set(
        formValues(req.body, 'from')
          .map(Number)
          .filter((id) => sites.has(id) && id !== site.id),
      ),
    ].sort((x, y) => x - y);
    if (mode !== 'all' && mode !== 'chosen' && mode !== 'none')
      throw new DatelineError('BAD_REQUEST', 'Choose every other site, the ticked sites, or none.');
    if (mode === 'chosen' && from.length === 0)
      return sitePage(req, reply, a, site, {
        status: 400,
        error: new DatelineError(
          'BAD_REQUEST',
          'Tick at least one site to feed the block, or choose “None” for no block. Nothing was changed.',
        ),
      });
    const [before] = await load([site.id]);
    const next = mode === 'all' ? null : mode === 'none' ? [] : from;
    await rt.trending.setSources(site.id, next);
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'trending.sources_changed',
      subjectType: 'site',
      subjectId: site.id,
      before: sourcesSnapshot(before!.mode, before!.chosen),
      after: sourcesSnapshot(mode, next ?? []),
    });
    return kit.seeOther(reply, `/trending/${site.id}`, 'trending-sources');
  });

  kit.action('/trending/:id/stories', { cap: 'trending.manage' }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const action = formValue(req.body, 'action');
    if (action !== 'pin' && action !== 'exclude')
      throw new DatelineError('BAD_REQUEST', 'Pin or exclude a story, with the buttons beside it.');
    const raw = formValue(req.body, 'article').trim();
    const articleId = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : 0;
    const live = articleId ? await liveStories(rt.db, [articleId]) : [];
    if (live.length === 0)
      return sitePage(req, reply, a, site, {
        status: 404,
        articleValue: raw,
        articleProblem: 'No published story has this number. Copy it from the story’s address in the admin.',
        error: new DatelineError(
          'ARTICLE_NOT_FOUND',
          'Only published stories can be pinned or excluded, and none has this number. Nothing was changed.',
        ),
      });
    const overrides = (await listOverrides(rt.db)).filter((o) => o.siteId === site.id);
    const was = overrides.find((o) => o.articleId === articleId) ?? null;
    const position =
      action === 'pin'
        ? was?.action === 'pin'
          ? was.position
          : Math.max(-1, ...overrides.filter((o) => o.action === 'pin').map((o) => o.position)) + 1
        : 0;
    if (action === 'pin') await rt.trending.pin(site.id, articleId, position);
    else await rt.trending.exclude(site.id, articleId);
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: action === 'pin' ? 'trending.pinned' : 'trending.excluded',
      subjectType: 'article',
      subjectId: articleId,
      before: { override: was ? { action: was.action, position: was.position } : null },
      after: { override: { action, position } },
      detail: { siteId: site.id },
    });
    return kit.seeOther(
      reply,
      `/trending/${site.id}`,
      action === 'pin' ? 'trending-pinned' : 'trending-excluded',
    );
  });

  kit.action('/trending/:id/stories/:articleId/clear', { cap: 'trending.manage' }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const articleId = paramId(req, 'articleId');
    const was = (await listOverrides(rt.db)).find((o) => o.siteId === site.id && o.articleId === articleId);
    if (!was) return kit.seeOther(reply, `/trending/${site.id}`, 'nothing-changed');
    await rt.trending.clearOverride(site.id, articleId);
    await recordAudit(rt.db.kysely, {
      actor: a.actor,
      action: 'trending.cleared',
      subjectType: 'article',
      subjectId: articleId,
      before: { override: { action: was.action, position: was.position } },
      after: { override: null },
      detail: { siteId: site.id },
    });
    return kit.seeOther(reply, `/trending/${site.id}`, 'trending-cleared');
  });
}
