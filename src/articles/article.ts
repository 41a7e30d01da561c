// The Article model, its input shapes and field rules, and how a headline becomes a slug.
import { DatelineError } from '../errors/catalogue.ts';
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

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
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
  if (input.slug !== undefined && !SLUG.test(input.slug)) {
    invalid(
      'slug',
      `The slug "${input.slug}" is not allowed: use 1–100 lowercase letters, digits and hyphens.`,
    );
  }
  for (const f of ['publishAt', 'publishedAt'] as const) {
    const d = input[f as keyof typeof input];
    if (d !== undefined && d !== null && (!(d instanceof Date) || Number.isNaN(d.getTime()))) {
      invalid(f, `The article's ${f} is not a valid date. Use ISO 8601, e.g. 2025-11-12T09:00:00Z.`);
    }
  }
}

/** A readable ASCII slug: accents folded, everything else hyphenated, cut at a word boundary. */
export function slugify(text: string, max = 80): string {
  const base = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (base.length <= max) return base || 'story';
  const cut = base.slice(0, max);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > max / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '');
}
