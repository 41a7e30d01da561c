// The Article model, its input shapes and field rules (slugs follow the rules in slug.ts).
import { DatelineError } from '../errors/catalogue.ts';
import { isSlug, MAX_SLUG_CHARS, slugify } from './slug.ts';
import type { ArticleStatus } from './tables.ts';

export type { ArticleStatus };

export interface Article {
  id: number;
  siteId: number;
  headline: string;
  dek: string;
  byline: string | null;
  dateline: string | null;
  bodyHtml: string;
  sourceCopyright: string | null;
  leadMediaId: number | null;
  status: ArticleStatus;
  publishAt: Date | null;
  publishedAt: Date | null;
  contentUpdatedAt: Date | null;
  takenDownAt: Date | null;
  takedownReason: string | null;
  createdAt: Date;
  modifiedAt: Date;
}

export interface Placement {
  id: number;
  articleId: number;
  siteId: number;
  sectionId: number;
  slug: string;
  canonical: boolean;
  live: boolean;
  publishedAt: Date | null;
}

export interface ArticleInput {
  siteId: number;
  sectionId: number;
  slug?: string;
  headline: string;
  dek?: string;
  byline?: string | null;
  dateline?: string | null;
  bodyHtml: string;
  sourceCopyright?: string | null;
  leadMediaId?: number | null;
  /** 'draft' keeps it unpublished; otherwise it publishes now, or at publishAt when that is in the future. */
  status?: 'draft' | 'published';
  publishAt?: Date | null;
  /** For imports and the demo: the time the story first went out, if earlier than now. */
  publishedAt?: Date | null;
}

export interface ArticlePatch {
  headline?: string;
  dek?: string;
  byline?: string | null;
  dateline?: string | null;
  bodyHtml?: string;
  sourceCopyright?: string | null;
  leadMediaId?: number | null;
  slug?: string;
  sectionId?: number;
  status?: 'draft' | 'published';
  publishAt?: Date | null;
}

/** Fields whose change a reader can see, and which therefore set the "Updated" time. */
export const CONTENT_FIELDS = [
  'headline',
  'dek',
  'byline',
  'dateline',
  'bodyHtml',
  'sourceCopyright',
  'leadMediaId',
] as const;

const LIMITS = {
  headline: 300,
  dek: 1000,
  byline: 200,
  dateline: 100,
  sourceCopyright: 300,
  bodyHtml: 5_000_000,
};

function invalid(field: string, message: string): never {
  throw new DatelineError('ARTICLE_INVALID', message, { field });
}

export function checkArticleFields(input: Partial<ArticleInput & ArticlePatch>): void {
  if (input.headline !== undefined) {
    if (typeof input.headline !== 'string' || input.headline.trim() === '') {
      invalid(
        'headline',
        'The article has no headline. Every story needs one: add a headline and save again.',
      );
    }
  }
  for (const [field, max] of Object.entries(LIMITS)) {
    const v = (input as Record<string, unknown>)[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') invalid(field, `The article's ${field} must be text, but it is ${typeof v}.`);
    if (v.length > max)
      invalid(field, `The article's ${field} is ${v.length} characters long; the most allowed is ${max}.`);
  }
  if (input.bodyHtml !== undefined && input.bodyHtml.trim() === '') {
    invalid('bodyHtml', 'The article has an empty body. Write the story, then save again.');
  }
  if (input.slug !== undefined && (typeof input.slug !== 'string' || !isSlug(input.slug))) {
    const suggestion = typeof input.slug === 'string' ? slugify(input.slug, MAX_SLUG_CHARS) : 'my-story';
    invalid(
      'slug',
      `The slug "${String(input.slug)}" is not allowed: use up to ${MAX_SLUG_CHARS} lowercase letters (any script), digits and single hyphens, not digits alone (they would look like an article id). For example: "${suggestion}".`,
    );
  }
  for (const f of ['publishAt', 'publishedAt'] as const) {
    const d = input[f as keyof typeof input];
    if (d !== undefined && d !== null && (!(d instanceof Date) || Number.isNaN(d.getTime()))) {
      invalid(f, `The article's ${f} is not a valid date. Use ISO 8601, e.g. 2025-11-12T09:00:00Z.`);
    }
  }
}
