// What the moderation routes share: the sites a moderator works on (the switcher's choice, narrowed to those
// where comments.moderate is held), the moderator as the comments service knows them, the comment looked up
// and its site's permission checked before anything changes, where to go back to after a form, and the data
// every comment card needs beside it.
import type { FastifyRequest } from 'fastify';
import type { ModeratorActor } from '../../comments/model.ts';
import { DatelineError } from '../../errors/catalogue.ts';
import { siteOrigin, urlContext } from '../../sites/urls.ts';
import type { AdminContext, AdminKit } from '../route-kit.tsx';
import { formValue, safeAdminPath } from '../route-kit.tsx';
import { authorRecords, getQueueComment, openReports, type QueueComment, storyRefs } from './queries.ts';
import type { CardContext } from './views/parts.tsx';

export const CAP = 'comments.moderate' as const;

export function moderator(a: AdminContext): ModeratorActor {
  return { userId: a.staff.userId, label: a.actor };
}

/** The sites in view on which the staff member moderates. */
export function moderatedSites(a: AdminContext) {
  return a.sites.filter((c) => a.siteIds.includes(c.site.id) && a.can(CAP, c.site.id));
}

/** Every site the staff member moderates, whatever the switcher says. */
export function allModeratedSites(a: AdminContext) {
  return a.sites.filter((c) => a.can(CAP, c.site.id));
}

export function idParam(params: unknown, name = 'id'): number {
  const raw = (params as Record<string, string>)[name] ?? '';
  return /^\d{1,12}$/.test(raw) ? Number(raw) : 0;
}

export function notFound(): DatelineError {
  return new DatelineError(
    'COMMENT_NOT_FOUND',
    'There is no such comment (it may have been removed with its story or its author). Go back to the queue.',
  );
}

/** The comment, once the moderator may act on its site (403 FORBIDDEN otherwise, before anything changes). */
export async function moderatable(kit: AdminKit, a: AdminContext, id: number): Promise<QueueComment> {
  const c = id ? await getQueueComment(kit.rt.db, id) : null;
  if (!c) throw notFound();
  a.require(CAP, c.siteId);
  return c;
}

/** Where a form came from (its `next` field), as a path on the admin; the queue otherwise. */
export function backTo(req: FastifyRequest, fallback = '/comments'): string {
  const next = formValue(req.body, 'next');
  return next ? safeAdminPath(next) : fallback;
}

export function cardContext(
  kit: AdminKit,
  req: FastifyRequest,
  a: AdminContext,
  o: { next: string; showSite: boolean; bulkForm?: string },
): CardContext {
  const u = urlContext(req);
  const byId = new Map(kit.rt.directory.all().map((c) => [c.site.id, c.site]));
  return {
    csrf: a.csrf,
    next: o.next,
    zone: (id) => byId.get(id)?.timeZone ?? 'UTC',
    origin: (id) => {
      const s = byId.get(id);
      return s ? siteOrigin(u, s) : '';
    },
    siteName: (id) => (id === null ? 'network' : (byId.get(id)?.name ?? `site ${id}`)),
    showSite: o.showSite,
    ...(o.bulkForm && { bulkForm: o.bulkForm }),
  };
}

/** The authors, stories and open reports of some comments, read in a few queries for the whole page. */
export async function besides(kit: AdminKit, items: readonly QueueComment[]) {
  const { db, directory } = kit.rt;
  const [authors, stories, reports] = await Promise.all([
    authorRecords(
      db,
      items.map((c) => c.authorId),
      new Date(),
    ),
    storyRefs(
      db,
      items,
      (siteId, sectionId) => directory.byIdOrUndefined(siteId)?.sectionsById.get(sectionId)?.slug,
    ),
    openReports(
      db,
      items.filter((c) => c.reportCount > 0).map((c) => c.id),
    ),
  ]);
  return { authors, stories, reports };
}
