// The Section model and its rules. A section's slug is the first segment of its pages' paths, so it may
// not take a path that the application itself answers.
import { DatelineError } from '../errors/catalogue.ts';

export interface Section {
  id: number;
  siteId: number;
  slug: string;
  name: string;
  description: string;
  position: number;
  /** Left out of the site's menu and home page; its pages and stories stay where they are. */
  hidden: boolean;
}

export interface SectionInput {
  slug: string;
  name: string;
  description?: string;
  position?: number;
}

/** First path segments that belong to the application, never to a section. */
export const RESERVED_PATHS = new Set([
  'api',
  'assets',
  'media',
  'healthz',
  'readyz',
  'metrics',
  'search',
  'feed',
  'feeds',
  'rss',
  'atom',
  'sitemap.xml',
  'sitemaps',
  'robots.txt',
  'favicon.ico',
  'account',
  'login',
  'logout',
  'register',
  'auth',
  'admin',
  'newsletter',
  'members',
  'tag',
  'tags',
  'author',
  'authors',
  'page',
  'static',
  '.well-known',
  // Reader routes of the features built on the pages (a section at one of these would never be reached;
  // reserved-paths.test.ts checks the list against the routes the server registers).
  'newsletters',
  'push',
  'push-sw.js',
  'preview',
  '_mail',
  'comments',
  'events',
  'b.gif',
]);

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;

export function checkSectionFields(input: Partial<SectionInput>): void {
  const fail = (field: string, value: unknown, allowed: string): never => {
    throw new DatelineError(
      'SECTION_INVALID',
      `The section's ${field} ${JSON.stringify(value)} is not allowed: it must be ${allowed}. Correct it and try again.`,
      { field },
    );
  };
  if (input.slug !== undefined) {
    if (!SLUG.test(input.slug)) fail('slug', input.slug, '1–60 lowercase letters, digits and hyphens');
    if (RESERVED_PATHS.has(input.slug))
      fail('slug', input.slug, `not one of the reserved paths (${[...RESERVED_PATHS].join(', ')})`);
  }
  if (input.name !== undefined && (input.name.trim() === '' || input.name.length > 80))
    fail('name', input.name, '1–80 characters');
  if (input.description !== undefined && input.description.length > 500) {
    fail('description', input.description, 'at most 500 characters');
  }
}
