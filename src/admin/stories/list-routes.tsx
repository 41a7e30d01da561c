// The story list (/stories) and starting a story (/stories/new). The list shows the sites in view (the
// switcher's choice, or all the staff member's sites) that they may read, filtered as the form asks;
// a filter naming something outside those sites is ignored rather than widening the list.
import { listStories, STORY_STATUSES, storyAuthors } from '../../articles/story-list.ts';
import type { ArticleStatus } from '../../articles/tables.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import { endOfDay, startOfDay } from '../../search/dates.ts';
import { type AdminContext, formValue, queryValue } from '../route-kit.tsx';
import type { StoryScreens } from './routes.tsx';
import { type ListFilters, type ListSite, StoryList } from './views/list.tsx';
import { NewStoryView } from './views/new-story.tsx';

const ID = /^\d{1,12}$/;

export function listRoutes(s: StoryScreens): void {
  const { kit } = s;
  const { rt } = kit;

  kit.page('/stories', { cap: 'story.read' }, async (req, reply, a) => {
    const siteIds = a.siteIds.filter((id) => a.can('story.read', id));
    const contexts = a.sites.filter((c) => siteIds.includes(c.site.id));
    const sites: ListSite[] = contexts.map((c) => ({
      id: c.site.id,
      name: c.site.name,
      timeZone: c.site.timeZone,
      sections: c.sections.map((x) => ({ id: x.id, name: x.name })),
    }));
    const filters: ListFilters = {
      q: queryValue(req, 'q').slice(0, 200),
      status: (STORY_STATUSES as readonly string[]).includes(queryValue(req, 'status'))
        ? (queryValue(req, 'status') as ArticleStatus)
        : '',
      section: ID.test(queryValue(req, 'section')) ? queryValue(req, 'section') : '',
      author: ID.test(queryValue(req, 'author')) ? queryValue(req, 'author') : '',
      origin: ['wire', 'staff'].includes(queryValue(req, 'origin'))
        ? (queryValue(req, 'origin') as 'wire' | 'staff')
        : '',
      from: queryValue(req, 'from'),
      to: queryValue(req, 'to'),
    };
    // Dates are days on the site's clock; with several sites in view, on the first site's.
    const zone = sites.length === 1 ? sites[0]!.timeZone : (sites[0]?.timeZone ?? 'UTC');
    const updatedFrom = filters.from ? startOfDay(filters.from, zone) : null;
    const updatedTo = filters.to ? endOfDay(filters.to, zone) : null;
    if (filters.from && !updatedFrom) filters.from = '';
    if (filters.to && !updatedTo) filters.to = '';
    const sectionId =
      filters.section && sites.some((x) => x.sections.some((sec) => String(sec.id) === filters.section))
        ? Number(filters.section)
        : undefined;
    if (sectionId === undefined) filters.section = '';
    const after = queryValue(req, 'after');
    const page = await listStories(rt.db, {
      siteIds,
      ...(filters.status && { status: filters.status }),
      ...(sectionId !== undefined && { sectionId }),
      ...(filters.author && { authorId: Number(filters.author) }),
      ...(filters.origin && { origin: filters.origin }),
      ...(updatedFrom && { updatedFrom }),
      ...(updatedTo && { updatedTo }),
      ...(filters.q && { q: filters.q }),
      ...(after && { after }),
    });
    const [authors, locks] = await Promise.all([
      storyAuthors(rt.db, siteIds),
      s.locks.holders(page.items.map((i) => i.id)),
    ]);
    const query = (extra: Record<string, string>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
      const text = params.toString();
      return text ? `?${text}` : '';
    };
    return kit.render(
      req,
      reply,
      a,
      { title: 'Stories', current: 'stories' },
      <StoryList
        filters={filters}
        sites={sites}
        showSite={sites.length > 1}
        authors={authors}
        items={page.items}
        locks={locks}
        nextQuery={page.next ? query({ after: page.next }) : null}
        firstQuery={after ? query({}) : null}
        canWrite={siteIds.some((id) => a.can('story.draft', id))}
        noTerms={page.problem === 'no_terms'}
        viewerId={a.staff.userId}
        filterZone={zone}
      />,
    );
  });

  const places = (a: AdminContext) =>
    a.sites
      .filter((c) => a.siteIds.includes(c.site.id) && a.can('story.draft', c.site.id))
      .map((c) => ({
        site: c.site.name,
        sections: c.sections.map((x) => ({ value: `${c.site.id}:${x.id}`, label: x.name })),
      }))
      .filter((p) => p.sections.length > 0);

  kit.page('/stories/new', { cap: 'story.draft' }, async (req, reply, a) =>
    kit.render(
      req,
      reply,
      a,
      { title: 'New story', current: 'stories' },
      <NewStoryView csrf={a.csrf} places={places(a)} chosen="" headline="" problem={null} />,
    ),
  );

  kit.action('/stories/new', { cap: 'story.draft' }, async (req, reply, a) => {
    const place = /^(\d{1,12}):(\d{1,12})$/.exec(formValue(req.body, 'place'));
    const headline = formValue(req.body, 'headline');
    const again = (problem: string, status: number) =>
      kit.render(
        req,
        reply,
        a,
        { title: 'New story', current: 'stories', status, notice: null },
        <NewStoryView
          csrf={a.csrf}
          places={places(a)}
          chosen={formValue(req.body, 'place')}
          headline={headline}
          problem={problem}
        />,
      );
    if (!place) return again('Choose where the story goes.', 400);
    const siteId = Number(place[1]);
    a.require('story.draft', siteId);
    try {
      const { story } = await s.editing.createDraft(
        { siteId, sectionId: Number(place[2]), fields: { headline } },
        { userId: a.staff.userId },
      );
      // Straight into the editor: the page itself says it is a draft.
      return kit.seeOther(reply, `/stories/${story.article.id}`);
    } catch (e) {
      if (
        isDatelineError(e) &&
        (e.code === 'DATELINE_ERR_ARTICLE_INVALID' || e.code === 'DATELINE_ERR_SECTION_NOT_FOUND')
      )
        return again(e.message, e.statusCode);
      throw e;
    }
  });
}
