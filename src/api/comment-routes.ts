// The content API's comments (registered by routes.ts inside the API plugin, so the key check, CORS and the
// OpenAPI document cover them): GET /articles/{id}/comments, a live story's published comments on this
// site in time order with cursor pages, and GET /comments/{id}, one published comment. Pending, rejected and
// deleted comments are never shown; a deleted one asked for by id answers 410.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { renderCommentHtml } from '../comments/text.ts';
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { SiteContext } from '../sites/directory.ts';
import { siteOrigin, urlContext } from '../sites/urls.ts';
import { siteOf } from '../web/request-site.ts';
import {
  type ApiAuthor,
  type ApiCommentRow,
  type CommentCursor,
  commentAuthors,
  commentStatus,
  countThreadComments,
  findPublishedComment,
  listThreadComments,
} from './comment-repository.ts';
import { CommentIdParams, CommentJson, CommentList, CommentListQuery } from './comment-schemas.ts';
import { findStory } from './repository.ts';
import { ArticleIdParams, dataOf, ErrorBody } from './schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 410: ErrorBody };

/** The reference style: net, then up and down, e.g. `-3 ( +37 / -40 )`. */
export function tallyDisplay(up: number, down: number): string {
  const net = up - down;
  return `${net > 0 ? `+${net}` : String(net)} ( +${up} / -${down} )`;
}

export async function commentApiRoutes(app: FastifyInstance, deps: { db: Db }): Promise<void> {
  const json = (req: FastifyRequest, ctx: SiteContext, c: ApiCommentRow, authors: Map<number, ApiAuthor>) => {
    const origin = siteOrigin(urlContext(req), ctx.site);
    const a = authors.get(c.authorId) ?? { name: 'deleted member', slug: null, badge: null };
    return {
      id: c.id,
      article_id: c.articleId,
      parent_id: c.parentId,
      root_id: c.rootId,
      depth: c.depth,
      url: `${origin}/comments/${c.id}`,
      author: {
        display_name: a.name,
        profile_url: a.slug ? `${origin}/members/${encodeURIComponent(a.slug)}` : null,
        badge: a.badge,
      },
      body: c.body,
      body_html: renderCommentHtml(c.body),
      created_at: c.createdAt.toISOString(),
      edited_at: c.editedAt?.toISOString() ?? null,
      featured: c.featured,
      moderator_note: c.moderatorNote,
      reply_count: c.replyCount,
      votes: { up: c.up, down: c.down, net: c.up - c.down, display: tallyDisplay(c.up, c.down) },
    };
  };

  /** The story must be live on this site; a killed one answers 410, as /articles/{id} does. */
  const liveStory = async (ctx: SiteContext, id: number) => {
    const r = await findStory(deps.db, ctx.site.id, { id });
    if (r?.status === 'taken_down')
      throw new DatelineError('ARTICLE_GONE', 'This story was taken down, and its comments with it.');
    if (!r?.live)
      throw new DatelineError('ARTICLE_NOT_FOUND', `There is no story with id ${id} on ${ctx.site.name}.`);
  };

  app.get<{ Params: Static<typeof ArticleIdParams>; Querystring: Static<typeof CommentListQuery> }>(
    '/articles/:id/comments',
    {
      schema: {
        summary: "A story's published comments on this site",
        description:
          'Oldest first by default; replies are listed among the rest with parent_id, root_id and depth to nest them. Page with the returned cursor.',
        tags: ['comments'],
        params: ArticleIdParams,
        querystring: CommentListQuery,
        response: { 200: CommentList, ...errors },
      },
    },
    async (req) => {
      const ctx = siteOf(req);
      const articleId = Number(req.params.id);
      await liveStory(ctx, articleId);
      const limit = req.query.limit ?? 50;
      const newest = req.query.sort === 'newest';
      const [rows, total] = await Promise.all([
        listThreadComments(deps.db, {
          siteId: ctx.site.id,
          articleId,
          newest,
          after: req.query.cursor ? decodeCursor(req.query.cursor) : undefined,
          limit: limit + 1,
        }),
        countThreadComments(deps.db, ctx.site.id, articleId),
      ]);
      const page = rows.slice(0, limit);
      const authors = await commentAuthors(
        deps.db,
        ctx.site.id,
        page.map((c) => c.authorId),
      );
      const last = page[page.length - 1];
      return {
        total,
        data: page.map((c) => json(req, ctx, c, authors)),
        next_cursor: rows.length > limit && last ? encodeCursor(last) : null,
      };
    },
  );

  app.get<{ Params: Static<typeof CommentIdParams> }>(
    '/comments/:id',
    {
      schema: {
        summary: 'One published comment by id',
        tags: ['comments'],
        params: CommentIdParams,
        response: { 200: dataOf(CommentJson), ...errors },
      },
    },
    async (req) => {
      const ctx = siteOf(req);
      const id = Number(req.params.id);
      const c = await findPublishedComment(deps.db, ctx.site.id, id);
      if (!c) {
        if ((await commentStatus(deps.db, ctx.site.id, id)) === 'deleted')
          throw new DatelineError('COMMENT_GONE', 'This comment was deleted.');
        throw new DatelineError(
          'COMMENT_NOT_FOUND',
          `There is no published comment ${id} on ${ctx.site.name}.`,
        );
      }
      await liveStory(ctx, c.articleId);
      const authors = await commentAuthors(deps.db, ctx.site.id, [c.authorId]);
      return { data: json(req, ctx, c, authors) };
    },
  );
}

function encodeCursor(c: ApiCommentRow): string {
  return Buffer.from(`${c.createdAt.getTime()}.${c.id}`).toString('base64url');
}

function decodeCursor(s: string): CommentCursor {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(s, 'base64url').toString('latin1'));
  if (!m)
    throw new DatelineError(
      'API_CURSOR_INVALID',
      'The cursor is not one this API gave out. Start again without it.',
    );
  return { createdAt: new Date(Number(m[1])), id: Number(m[2]) };
}
