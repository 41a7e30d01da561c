// The reader's side of comments on a site: the thread rendered into the (cached) article page with its
// count beside the headline, the thread page `<story>/comments?sort=&page=` (shared and cached for signed-out
// readers, rendered per request for a signed-in reader, with their forms), the permalink `/comments/<id>`
// (303 to where that comment shows), comment counts on teasers, and the client script. The forms and their
// POSTs are in personal.tsx; live updates and the cache drops in live.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionCsrfToken } from '../accounts/csrf.ts';
import type { ArticleFacts, ArticleSlots, PageContributor, TeaserCounts } from '../articles/page-slots.ts';
import { findArticle, placementsOf } from '../articles/repository.ts';
import { isRoutableSlug } from '../articles/slug.ts';
import type { Runtime } from '../runtime.ts';
import type { SiteContext } from '../sites/directory.ts';
import { tag } from '../web/cache/invalidation.ts';
import { errorRender } from '../web/error-pages.tsx';
import { type PageServer, type Rendered, renderDocument } from '../web/pages.ts';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import { fill } from '../web/slots.ts';
import { clientScript } from './client/bundle.ts';
import { liveRoutes } from './live.ts';
import type { ThreadPolicy } from './model.ts';
import { personalRoutes } from './personal.tsx';
import { DEFAULT_SORT, idsOn, SORTS, type ThreadPage, ThreadReader, type ThreadSort } from './thread.ts';
import { countText, type Personal } from './views/comment.tsx';
import { ThreadPageView } from './views/pages.tsx';
import { Thread, type ThreadUrls } from './views/thread.tsx';

export interface ThreadKit {
  rt: Runtime;
  reader: ThreadReader;
  pages: PageServer;
  /** The story on this site: its path and headline, or null when it is not shown here. */
  story(ctx: SiteContext, articleId: number): Promise<{ path: string; headline: string } | null>;
  policy(ctx: SiteContext, articleId: number): Promise<ThreadPolicy>;
  providers(): { id: string; name: string }[];
  /** The signed-in reader's own parts for a page of the thread. */
  personal(
    req: FastifyRequest,
    ctx: SiteContext,
    articleId: number,
    ids: number[],
  ): Promise<Personal | undefined>;
  /** Where a comment shows, as a path with its anchor, or null. */
  whereIs(ctx: SiteContext, commentId: number, personal?: boolean): Promise<string | null>;
  maxLength: number;
  scriptPath: string;
  /** The signed-in reader's token for forms on a page made for them ('' when signed out). */
  csrf(req: FastifyRequest): string;
}

/** The tags of a page showing a thread: dropped by that thread's changes and by site-wide mode changes. */
export const threadTags = (siteId: number, articleId: number) => [
  tag.thread(siteId, articleId),
  tag.threads(siteId),
];

export function parseSort(raw: unknown): ThreadSort | null {
  if (raw === undefined) return DEFAULT_SORT;
  return typeof raw === 'string' && (SORTS as readonly string[]).includes(raw) ? (raw as ThreadSort) : null;
}

export function parsePositive(raw: unknown, max = 100_000): number | null | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > max) return null;
  return Number(raw);
}

/** Sends a page made for one reader: never stored by a shared cache. */
export function sendPrivate(reply: FastifyReply, status: number, node: preact.VNode): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'private, no-store')
    .type('text/html; charset=utf-8')
    .send(renderDocument(node));
}

export async function threadRoutes(
  app: FastifyInstance,
  deps: { rt: Runtime; pages: PageServer; siteHook: SiteHook },
): Promise<{ slots: PageContributor; teaserCounts: TeaserCounts }> {
  const { rt, pages } = deps;
  const reader = new ThreadReader(rt.db);
  const script = await clientScript();
  const withSite = { preHandler: deps.siteHook };

  const kit: ThreadKit = {
    rt,
    reader,
    pages,
    maxLength: rt.config.commentMaxLength,
    scriptPath: script.path,
    csrf: (req) => (req.account ? sessionCsrfToken(rt.accounts.signingKey, req.account.tokenHash) : ''),
    async story(ctx, articleId) {
      const [article, placements] = await Promise.all([
        findArticle(rt.db.kysely, articleId),
        placementsOf(rt.db.kysely, articleId),
      ]);
      const p = placements.find((x) => x.siteId === ctx.site.id && x.live);
      if (!article || article.status === 'taken_down' || !p) return null;
      return { path: rt.reader.pathOf(p), headline: article.headline };
    },
    policy: (ctx, articleId) => rt.comments.policy(ctx.site.id, articleId),
    providers: () => rt.social.providers.list().map((p) => ({ id: p.id, name: p.name })),
    async personal(req, ctx, articleId, ids) {
      const session = req.account;
      if (!session) return undefined;
      const since = new Date(Date.now() - rt.config.commentEditMinutes * 60_000);
      const [votes, own, recent] = await Promise.all([
        reader.votesOf(session.userId, ids),
        reader.ownAmong(session.userId, ids),
        reader.ownRecent(session.userId, ctx.site.id, articleId, since),
      ]);
      return {
        userId: session.userId,
        csrf: sessionCsrfToken(rt.accounts.signingKey, session.tokenHash),
        votes,
        own: new Set(own),
        editable: new Set(recent.filter((id) => own.includes(id))),
      };
    },
    async whereIs(ctx, commentId, personal = false) {
      const at = await reader.locate(ctx.site.id, commentId);
      if (!at) return null;
      const story = await kit.story(ctx, at.articleId);
      if (!story) return null;
      const anchor = `#comment-${commentId}`;
      if (at.root) return `${story.path}/comments?root=${at.root}${anchor}`;
      // The story page shows the first page; a signed-in reader goes to their own thread page (their forms).
      if (at.page === 1 && !personal) return `${story.path}${anchor}`;
      return `${story.path}/comments${at.page > 1 ? `?page=${at.page}` : ''}${anchor}`;
    },
  };

  app.get(script.path, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(script.body),
  );

  // The thread page. Signed out it is a shared page like any other (cached, tagged with the thread);
  // signed in it is rendered for the reader, with their forms and votes, and never stored.
  app.get<{ Params: { section: string; slug: string }; Querystring: Record<string, unknown> }>(
    '/:section/:slug/comments',
    withSite,
    async (req, reply) => {
      const ctx = siteOf(req);
      const { section, slug } = req.params;
      const sort = parseSort(req.query.sort);
      const page = parsePositive(req.query.page);
      const root = parsePositive(req.query.root, 2 ** 31);
      if (!isRoutableSlug(slug) || sort === null || page === null || root === null) {
        return pages.serve(req, reply, ctx, '400', async () => errorRender(ctx, 400));
      }
      const key = `/${section}/${slug}/comments?sort=${sort}&page=${page ?? 1}&root=${root ?? ''}`;
      const render = async (forReader: boolean) => {
        const found = await rt.reader.article(ctx, section, slug);
        if (found.kind === 'redirect') {
          return {
            status: 301,
            headers: { location: `${found.location}/comments` },
            tags: [tag.site(ctx.site.id)],
            cacheable: false,
          };
        }
        if (found.kind !== 'article') return errorRender(ctx, 404, [tag.site(ctx.site.id)], true);
        const { view } = found;
        const articleId = view.article.id;
        const [thread, policy] = await Promise.all([
          reader.page(ctx.site.id, articleId, { sort, page, root }),
          kit.policy(ctx, articleId),
        ]);
        const tags = [tag.site(ctx.site.id), tag.article(articleId), ...threadTags(ctx.site.id, articleId)];
        if (!thread) return errorRender(ctx, 404, tags, true);
        const path = rt.reader.pathOf(view.placement);
        const personal = forReader ? await kit.personal(req, ctx, articleId, idsOn(thread)) : undefined;
        return {
          status: 200,
          html: (
            <ThreadPageView
              ctx={ctx}
              articleId={articleId}
              urls={{ article: path }}
              thread={thread}
              policy={policy}
              providers={kit.providers()}
              maxLength={kit.maxLength}
              personal={personal}
              heading="h1"
              headline={view.article.headline}
              path={`${path}/comments${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`}
              notice={forReader ? noticeOf(req.query.done) : null}
              root={root}
              script={kit.scriptPath}
            />
          ),
          tags,
        };
      };
      if (!req.account) return pages.serve(req, reply, ctx, key, () => render(false));
      const r = await render(true);
      if (r.status === 301)
        return reply
          .code(301)
          .header('location', String((r as Rendered).headers?.location))
          .send();
      return sendPrivate(reply, r.status, r.html!);
    },
  );

  // The permalink: 303 to where the comment shows (the story page for its first page), at its anchor.
  app.get<{ Params: { id: string } }>('/comments/:id', withSite, async (req, reply) => {
    const ctx = siteOf(req);
    const id = parsePositive(req.params.id, 2 ** 31);
    const where = id ? await kit.whereIs(ctx, id) : null;
    if (!where) return pages.serve(req, reply, ctx, '404', async () => errorRender(ctx, 404, [], true));
    return reply.code(303).header('location', where).header('cache-control', 'no-store').send();
  });

  await personalRoutes(app, kit, withSite);
  liveRoutes(app, kit, withSite);

  return {
    slots: commentPageSlots(kit),
    teaserCounts: {
      counts: (siteId, ids) => reader.counts(siteId, ids),
      tags: (siteId) => [tag.commentCounts(siteId)],
    },
  };
}

const NOTICES: Record<string, string> = {
  posted: 'Your comment is posted.',
  held: 'Thank you. Your comment is waiting for a moderator and will appear once approved.',
  edited: 'Your comment is changed.',
  deleted: 'Your comment is deleted.',
  reported: 'Thank you. A moderator will look at the comment.',
  voted: 'Your vote is counted.',
};

function noticeOf(raw: unknown): string | null {
  return typeof raw === 'string' ? (NOTICES[raw] ?? null) : null;
}

/** The thread under a story and the count beside its headline, rendered into the shared page. */
function commentPageSlots(kit: ThreadKit): PageContributor {
  return {
    async article({ ctx, view }: ArticleFacts): Promise<ArticleSlots> {
      const articleId = view.article.id;
      const [thread, policy] = await Promise.all([
        kit.reader.page(ctx.site.id, articleId, {}),
        kit.policy(ctx, articleId),
      ]);
      const urls: ThreadUrls = { article: kit.rt.reader.pathOf(view.placement) };
      const page: ThreadPage = thread ?? {
        featured: [],
        comments: [],
        page: 1,
        pages: 1,
        count: 0,
        sort: DEFAULT_SORT,
      };
      const tags = threadTags(ctx.site.id, articleId);
      return {
        headline: fill(
          <a class="comment-count" href="#comments">
            {countText(page.count)}
          </a>,
          ...tags,
        ),
        thread: fill(
          <>
            <Thread
              ctx={ctx}
              articleId={articleId}
              urls={urls}
              thread={page}
              policy={policy}
              providers={kit.providers()}
              maxLength={kit.maxLength}
              heading="h2"
            />
            <script src={kit.scriptPath} type="module" />
          </>,
          ...tags,
        ),
      };
    },
  };
}
