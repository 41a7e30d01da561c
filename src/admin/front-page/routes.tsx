// The Front page screen of the newsroom admin (Newsroom > Front page): per site, the lead story and top
// stories its home page opens with, arranged by the site's editors (story.edit_any: editors, admins and
// owners of that site; contributors, authors and moderators are refused with 403 and nothing changes).
// Moves are links that carry the unsaved arrangement in the address (draft.ts); Save and "Back to newest
// first" are forms, checked session → CSRF → permission by the kit and written by FrontPageService in one
// transaction with the audit entry and the front_page.changed event that drops the cached home page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DatelineError, isDatelineError } from '../../errors/catalogue.ts';
import { newestCards } from '../../front-page/repository.ts';
import { FrontPageService, MAX_TOP_STORIES, sameArrangement, versionOf } from '../../front-page/service.ts';
import type { Site } from '../../sites/site.ts';
import { siteOrigin } from '../../sites/urls.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue, queryValue } from '../route-kit.tsx';
import { paramId, requireSite } from '../sites/site-lookup.ts';
import { type Draft, readDraft } from './draft.ts';
import { FRONT_PAGE_CSS, type FrontPageScreen, FrontPageSites, FrontPageView } from './views.tsx';

ADMIN_NOTICES.set('front-page-saved', 'Front page saved: readers see it on the next visit to the home page.');
ADMIN_NOTICES.set('front-page-cleared', 'Arrangement cleared: the home page shows the newest stories first.');

const CAP = 'story.edit_any';
const RESULTS = 12;

export function frontPageScreen(kit: AdminKit): void {
  const { rt } = kit;
  const service = new FrontPageService(rt.events);
  kit.nav.add({
    id: 'front-page',
    group: 'Newsroom',
    label: 'Front page',
    href: '/front-page',
    cap: CAP,
    order: 15,
  });
  kit.assets.addCss(FRONT_PAGE_CSS);

  const siteFor = async (req: FastifyRequest, a: AdminContext): Promise<Site> => {
    const site = await requireSite(kit, paramId(req));
    a.require(CAP, site.id);
    return site;
  };

  const staffName = async (userId: number | null): Promise<string | null> => {
    if (userId === null) return null;
    const u = await rt.db.kysely
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', userId)
      .executeTakeFirst();
    return u?.display_name ?? null;
  };

  /** The published stories matching the search (newest first), or the newest ones without a search. */
  const candidates = async (site: Site, q: string): Promise<{ ids: number[]; problem: string | null }> => {
    if (q === '')
      return {
        ids: (await newestCards(rt.db.kysely, site.id, RESULTS)).map((c) => c.articleId),
        problem: null,
      };
    try {
      const found = await rt.search.search({
        siteId: site.id,
        language: site.language,
        q,
        sort: 'date',
        pageSize: RESULTS,
      });
      return {
        ids: found.hits.map((h) => h.articleId),
        problem:
          found.problem === 'no_terms'
            ? 'Nothing to search for in these words: try a word from the headline.'
            : null,
      };
    } catch (e) {
      if (isDatelineError(e)) return { ids: [], problem: e.message };
      throw e;
    }
  };

  const screen = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    site: Site,
    o: { draft?: Draft; error?: DatelineError; theirs?: boolean } = {},
  ) => {
    const saved = await service.saved(site.id);
    const base = versionOf(saved.savedAt);
    const draft = o.draft ?? readDraft((n) => queryValue(req, n)) ?? { ...saved.arrangement, base };
    const q = queryValue(req, 'q').trim().slice(0, 200);
    const found = await candidates(site, q);
    const draftIds = [...(draft.leadArticleId !== null ? [draft.leadArticleId] : []), ...draft.topArticleIds];
    const theirIds = o.theirs
      ? [
          ...(saved.arrangement.leadArticleId ? [saved.arrangement.leadArticleId] : []),
          ...saved.arrangement.topArticleIds,
        ]
      : [];
    const cards = await service.cards(site.id, [...new Set([...draftIds, ...found.ids, ...theirIds])]);
    const card = (id: number) => cards.get(id);
    const s: FrontPageScreen = {
      site,
      homeUrl: `${siteOrigin(kit.app.publicUrls, site)}/`,
      draft,
      dirty: draft.base !== base || !sameArrangement(draft, saved.arrangement),
      cards,
      dropped: saved.dropped,
      savedAt: saved.savedAt,
      savedByName: await staffName(saved.savedBy),
      maxTop: MAX_TOP_STORIES,
      q,
      results: found.ids.flatMap((id) => {
        const c = card(id);
        return c ? [c] : [];
      }),
      searchProblem: found.problem,
      csrf: a.csrf,
      error: o.error ?? null,
      theirs: o.theirs
        ? {
            lead: saved.arrangement.leadArticleId ? (card(saved.arrangement.leadArticleId) ?? null) : null,
            top: saved.arrangement.topArticleIds.flatMap((id) => {
              const c = card(id);
              return c ? [c] : [];
            }),
          }
        : null,
      // "All sites" only leads to the list when no one site is chosen in the switcher (else it comes back here).
      manySites: a.site === null && a.sites.filter((c) => a.can(CAP, c.site.id)).length > 1,
    };
    return kit.render(
      req,
      reply,
      a,
      { title: `Front page: ${site.name}`, current: 'front-page', status: o.error?.statusCode },
      <FrontPageView s={s} />,
    );
  };

  kit.page('/front-page', { cap: CAP }, async (req, reply, a) => {
    const ids = a.siteIds.filter((id) => a.can(CAP, id));
    if (ids.length === 1) return kit.seeOther(reply, `/front-page/${ids[0]}`);
    await rt.directory.fresh();
    const sites = ids.flatMap((id) => rt.directory.byIdOrUndefined(id)?.site ?? []);
    const summaries = await Promise.all(
      sites.map(async (site) => {
        const saved = await service.saved(site.id);
        const lead = saved.arrangement.leadArticleId;
        return {
          site,
          lead: lead ? ((await service.cards(site.id, [lead])).get(lead) ?? null) : null,
          topCount: saved.arrangement.topArticleIds.length,
          savedAt: saved.savedAt,
        };
      }),
    );
    return kit.render(
      req,
      reply,
      a,
      { title: 'Front page', current: 'front-page' },
      <FrontPageSites sites={summaries} />,
    );
  });

  kit.page('/front-page/:id', { cap: CAP }, async (req, reply, a) =>
    screen(req, reply, a, await siteFor(req, a)),
  );

  kit.action('/front-page/:id', { cap: CAP }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    const draft = readDraft((n) => formValue(req.body, n));
    if (!draft)
      throw new DatelineError('BAD_REQUEST', 'Save the front page with its Save button. Nothing was saved.');
    try {
      await service.save(
        site.id,
        draft,
        { label: a.actor, userId: a.staff.userId },
        { expectVersion: draft.base },
      );
    } catch (e) {
      if (!isDatelineError(e)) throw e;
      if (e.code === 'DATELINE_ERR_EDIT_CONFLICT') {
        // Theirs is shown; the draft now builds on it, so saving again replaces it on purpose.
        const saved = await service.saved(site.id);
        return screen(req, reply, a, site, {
          draft: { ...draft, base: versionOf(saved.savedAt) },
          theirs: true,
          error: e,
        });
      }
      if (e.code === 'DATELINE_ERR_ARTICLE_NOT_FOUND' || e.code === 'DATELINE_ERR_BAD_REQUEST')
        return screen(req, reply, a, site, { draft, error: e });
      throw e;
    }
    return kit.seeOther(reply, `/front-page/${site.id}`, 'front-page-saved');
  });

  kit.action('/front-page/:id/clear', { cap: CAP }, async (req, reply, a) => {
    const site = await siteFor(req, a);
    await service.clear(site.id, { label: a.actor, userId: a.staff.userId });
    return kit.seeOther(reply, `/front-page/${site.id}`, 'front-page-cleared');
  });
}
