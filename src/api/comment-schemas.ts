// JSON Schemas (TypeBox) of the content API's comments: a story's published comments, one comment, and the
// query of the list. Fastify validates and serialises with them and the OpenAPI document shows them.
import Type from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const CommentJson = Type.Object({
  id: Type.Integer(),
  article_id: Type.Integer(),
  parent_id: Nullable(
    Type.Integer({
      description:
        'The comment this one answers; null at the top. It may be a comment this API does not list (deleted, or hidden by a moderator).',
    }),
  ),
  root_id: Nullable(
    Type.Integer({ description: 'The top-level comment of the conversation; null at the top.' }),
  ),
  depth: Type.Integer({ description: '0 at the top, 1 for a reply, and so on.' }),
  url: Type.String({ format: 'uri', description: 'The comment in its thread on this site.' }),
  author: Type.Object({
    display_name: Type.String(),
    profile_url: Nullable(
      Type.String({ format: 'uri', description: 'The member page; null when the member hides it.' }),
    ),
    badge: Nullable(Type.Union([Type.Literal('Moderator'), Type.Literal('Staff')])),
  }),
  body: Type.String({ description: 'Plain text as written; paragraphs are separated by a blank line.' }),
  body_html: Type.String({
    description: 'The same, as safe HTML: escaped, in paragraphs, links with rel="ugc nofollow".',
  }),
  created_at: DateTime,
  edited_at: Nullable(DateTime),
  featured: Type.Boolean(),
  moderator_note: Nullable(Type.String({ description: 'Shown to every reader under the comment.' })),
  reply_count: Type.Integer({ description: 'Published direct replies.' }),
  votes: Type.Object({
    up: Type.Integer(),
    down: Type.Integer(),
    net: Type.Integer(),
    display: Type.String({ description: 'As the site prints it, e.g. "-3 ( +37 / -40 )".' }),
  }),
});

export const CommentList = Type.Object({
  total: Type.Integer({ description: 'Published comments in the thread, replies included.' }),
  data: Type.Array(CommentJson),
  next_cursor: Nullable(
    Type.String({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  ),
});

export const CommentListQuery = Type.Object({
  sort: Type.Optional(
    Type.Union([Type.Literal('oldest'), Type.Literal('newest')], {
      default: 'oldest',
      description: 'By time of posting, replies among the rest (use parent_id to nest them).',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const CommentIdParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'Comment id (digits only).' }),
});
