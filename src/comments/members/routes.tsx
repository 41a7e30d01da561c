// GET /members/<profile-slug> on every site host: the member page (views/member-page.tsx), paginated with
// ?page=. Served through PageServer like every reader page, so it is cached and personalised the same way.
// The member is read first, on every request (one indexed look-up by slug): a hidden page or a deleted
// account is a 404 at once, and the cache key carries the member's version (name, roles), so a rename shows
// on the next request. The cached page carries these tags:
// - member:<id>: dropped when one of the member's comments changes (comment.changed, whose author this
//   process looks up by the comment's id: the event does not say it);
// - thread:<site>:<story> and article:<story> of each comment on the page: votes on those comments
//   (comment.tallies drops the thread's tag), and the story's own changes;
// - home:<site> and site:<site> of every site: a story published, updated or taken down anywhere changes
//   which comments show and how their headlines read, and a site's name shows under each comment.
import type { FastifyInstance } from 'fastify';
import { storyPath } from '../../articles/slug.ts';
import type { Db } from '../../db/connection.ts';
import type { EventBus } from '../../events/bus.ts';
import type { SiteDirectory } from '../../sites/directory.ts';
import { siteOrigin } from '../../sites/urls.ts';
import { tag } from '../../web/cache/invalidation.ts';
import type { PageCache } from '../../web/cache/page-cache.ts';
import { errorRender } from '../../web/error-pages.tsx';
import { type PageServer, renderDocument } from '../../web/pages.ts';
import { type SiteHook, siteOf } from '../../web/request-site.ts';
import {
  countVisible,
  MEMBER_MAX_PAGE,
  MEMBER_PAGE_SIZE,
  type Member,
  memberBySlug,
  visiblePage,
} from './member-data.ts';
import { commentPath } from './notify.ts';
import { MemberPage, toShown } from './views/member-page.tsx';

export const memberTag = (userId: number) => `member:${userId}`;

export interface MemberPageDeps {
  db: Db;
  pages: PageServer;
  cache: PageCache | null;
  bus: EventBus;
  directory: SiteDirectory;
  siteHook: SiteHook;
  onError: (err: unknown) => void;
}

/** Drops a member's cached pages when one of their comments changes. */
export function followMemberChanges(
  deps: Pick<MemberPageDeps, 'db' | 'cache' | 'bus' | 'onError'>,
): () => void {
  const { cache } = deps;
  if (!cache) return () => {};
  return deps.bus.on((e) => {
    // A change readers do not see (a comment held for review) changes no member page either.
    if (e.type !== 'comment.changed' || e.visible === false) return;
    deps.db.kysely
      .selectFrom('comments')
      .select('author_id')
      .where('id', '=', e.commentId)
      .executeTakeFirst()
      .then((row) => {
        if (row) cache.invalidate([memberTag(row.author_id)]);
      })
      .catch(deps.onError);
  });
}

/** ?page=N: 1 when absent; null for anything that is not a page number we serve. */
function pageNumber(raw: unknown): number | null {
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,5}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MEMBER_MAX_PAGE ? n : null;
}

export function memberPageRoutes(app: FastifyInstance, deps: MemberPageDeps): void {
  const { pages, directory } = deps;
  const q = deps.db.kysely;
  const stop = followMemberChanges(deps);
  app.addHook('onClose', async () => {
    stop();
  });

  async function render(member: Member, page: number, viewerHost: number) {
    const [count, rows] = await Promise.all([countVisible(q, member.id), visiblePage(q, member.id, page)]);
    const urls = app.publicUrls;
    const comments = rows.flatMap((r) => {
      const site = directory.byIdOrUndefined(r.siteId);
      const section = site?.sectionsById.get(r.sectionId);
      if (!site || !section) return [];
      const origin = r.siteId === viewerHost ? '' : siteOrigin(urls, site.site);
      return [
        toShown(r, {
          storyUrl: `${origin}${storyPath(section.slug, r.slug)}`,
          contextUrl: `${origin}${commentPath(r.id)}`,
          siteName: site.site.name,
        }),
      ];
    });
    const tags = [
      memberTag(member.id),
      ...new Set(rows.flatMap((r) => [tag.article(r.articleId), tag.thread(r.siteId, r.articleId)])),
      ...directory.all().flatMap((c) => [tag.site(c.site.id), tag.home(c.site.id)]),
    ];
    const pagesTotal = Math.max(1, Math.ceil(count / MEMBER_PAGE_SIZE));
    return { count, comments, tags, beyond: page > pagesTotal };
  }

  app.get<{ Params: { slug: string }; Querystring: Record<string, unknown> }>(
    '/members/:slug',
    { preHandler: deps.siteHook },
    async (req, reply) => {
      const ctx = siteOf(req);
      const notFound = () => pages.serve(req, reply, ctx, '404', async () => errorRender(ctx, 404, [], true));
      const page = pageNumber(req.query.page);
      if (page === null) return notFound();
      const member = await memberBySlug(q, req.params.slug);
      if (!member) return notFound();
      if (member.pageHidden) {
        // Hidden: a 404 for everyone but the member, who gets a private copy saying so.
        if (req.account?.userId !== member.id) return notFound();
        const r = await render(member, page, ctx.site.id);
        if (r.beyond && page > 1) return notFound();
        return reply
          .code(200)
          .header('cache-control', 'private, no-store')
          .type('text/html; charset=utf-8')
          .send(
            renderDocument(
              <MemberPage
                ctx={ctx}
                member={member}
                count={r.count}
                page={page}
                comments={r.comments}
                hiddenNote
              />,
            ),
          );
      }
      return pages.serve(req, reply, ctx, `member|${member.id}|${page}|${member.version}`, async () => {
        const r = await render(member, page, ctx.site.id);
        // A page past the last is not kept: such URLs are as many as anyone cares to type.
        if (r.beyond && page > 1) return errorRender(ctx, 404);
        return {
          status: 200,
          html: <MemberPage ctx={ctx} member={member} count={r.count} page={page} comments={r.comments} />,
          tags: r.tags,
        };
      });
    },
  );
}
