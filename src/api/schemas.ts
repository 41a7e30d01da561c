// JSON Schemas (TypeBox) of the content API: Fastify validates requests and serialises responses with
// them, and the OpenAPI document is generated from the same objects, so the docs cannot drift from the code.
import Type, { type Static, type TSchema } from 'typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Slug = Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$', maxLength: 100 });
const DateTime = Type.String({ format: 'date-time' });

export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { description: 'An error with a stable code (DATELINE_ERR_…) and a message for people.' },
);

export const Image = Type.Object({
  url: Type.String({ format: 'uri' }),
  width: Type.Integer(),
  height: Type.Integer(),
  alt: Type.String(),
  caption: Type.String(),
  credit: Type.String(),
});

export const SectionRef = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });

const summaryProps = {
  id: Type.Integer({ description: 'Article id, the same on every site it appears on.' }),
  slug: Type.String(),
  url: Type.String({ format: 'uri', description: 'The story on this site.' }),
  canonical_url: Type.String({ format: 'uri', description: 'The original, when this site republishes it.' }),
  section: SectionRef,
  headline: Type.String(),
  dek: Type.String(),
  byline: Nullable(Type.String()),
  dateline: Nullable(Type.String()),
  source_copyright: Nullable(Type.String()),
  published_at: DateTime,
  updated_at: DateTime,
  lead_image: Nullable(Image),
};

export const ArticleSummary = Type.Object(summaryProps);
export const ArticleFull = Type.Object({
  ...summaryProps,
  body_html: Type.String({ description: 'Sanitised HTML.' }),
});
export type ArticleSummaryJson = Static<typeof ArticleSummary>;

export const ArticleList = Type.Object({
  data: Type.Array(ArticleSummary),
  next_cursor: Nullable(
    Type.String({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  ),
});

export const ArticleListQuery = Type.Object({
  section: Type.Optional(Slug),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Published at or after.' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Published before.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const ArticleIdParams = Type.Object({
  id: Type.String({
    pattern: '^[1-9][0-9]{0,14}$',
    description: 'Article id (digits only), the same on every site the story appears on.',
  }),
});

export const ArticleSlugParams = Type.Object({
  slug: Type.String({
    // Lowercase letters of any script, marks, digits and hyphens; percent-encoded in the path.
    pattern: '^[\\p{Ll}\\p{Lo}\\p{Lm}\\p{M}\\p{Nd}-]{1,110}$',
    description:
      "The story's slug on this site, percent-encoded (e.g. %E6%9D%B1%E4%BA%AC for 東京). Never taken for an id.",
  }),
});

export const SectionJson = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  url: Type.String({ format: 'uri' }),
  rss: Type.String({ format: 'uri' }),
  atom: Type.String({ format: 'uri' }),
});

export const SiteJson = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  tagline: Type.String(),
  language: Type.String(),
  time_zone: Type.String(),
  url: Type.String({ format: 'uri' }),
});

export const TrendingJson = Type.Object({
  article_id: Type.Integer(),
  headline: Type.String(),
  category: Type.String(),
  site: Type.Object({ id: Type.Integer(), name: Type.String() }),
  url: Type.String({ format: 'uri' }),
  published_at: DateTime,
  score: Type.Number({ description: 'Reads decayed by age (trending), or 0 when ranked by recency.' }),
  reads: Type.Integer({ description: 'Reads in the last day (most read).' }),
});

export const TrendingQuery = Type.Object({
  scope: Type.Optional(
    Type.Union([Type.Literal('site'), Type.Literal('network')], {
      default: 'site',
      description: "'site': this site's own stories; 'network': the sister-site mix its pages show.",
    }),
  ),
});

export const MostReadQuery = Type.Object({ section: Type.Optional(Slug) });

export const SearchQuery = Type.Object({
  q: Type.String({ maxLength: 1000 }),
  section: Type.Optional(Slug),
  from: Type.Optional(Type.String({ format: 'date', description: 'First day, in the site’s time zone.' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last day, inclusive.' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 1 })),
  sort: Type.Optional(
    Type.Union([Type.Literal('relevance'), Type.Literal('date')], { default: 'relevance' }),
  ),
});

const Segment = Type.Object({ text: Type.String(), hit: Type.Boolean() });

export const SearchJson = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pages: Type.Integer(),
  data: Type.Array(
    Type.Object({
      article_id: Type.Integer(),
      headline: Type.String(),
      url: Type.String({ format: 'uri' }),
      section: SectionRef,
      published_at: DateTime,
      byline: Nullable(Type.String()),
      snippet: Type.String({ description: 'Plain text around the match.' }),
      highlights: Type.Object({ headline: Type.Array(Segment), snippet: Type.Array(Segment) }),
    }),
  ),
});

export const dataOf = <T extends TSchema>(t: T) => Type.Object({ data: t });
