// The Site model and the rules for its fields, shared by the service, the CLI and the views.
import { DatelineError } from '../errors/catalogue.ts';

export interface Site {
  id: number;
  slug: string;
  name: string;
  tagline: string;
  language: string;
  timeZone: string;
  primaryColor: string;
  accentColor: string;
  footerText: string;
  logoMediaId: number | null;
  hosts: string[];
  /** The scheme readers use for this site when it differs from the network's; null: the network's. */
  publicScheme: PublicScheme | null;
  updatedAt: Date;
}

export type PublicScheme = 'http' | 'https';
export const PUBLIC_SCHEMES: readonly PublicScheme[] = ['http', 'https'];

export interface SiteInput {
  slug: string;
  name: string;
  tagline?: string;
  language?: string;
  timeZone?: string;
  primaryColor?: string;
  accentColor?: string;
  footerText?: string;
  logoMediaId?: number | null;
  hosts?: string[];
  /** null: follow the network's DATELINE_PUBLIC_SCHEME. */
  publicScheme?: PublicScheme | null;
}

export type SitePatch = Partial<Omit<SiteInput, 'slug'>>;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const COLOR = /^#[0-9a-f]{6}$/i;

function invalid(field: string, value: unknown, allowed: string): never {
  throw new DatelineError(
    'SITE_INVALID',
    `The site's ${field} ${JSON.stringify(value)} is not allowed: it must be ${allowed}. Correct it and try again.`,
    { field },
  );
}

export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

export function checkSiteSlug(slug: string): void {
  if (!SLUG.test(slug)) invalid('slug', slug, '1–40 lowercase letters, digits and hyphens');
}

export function checkSiteFields(input: SitePatch & { slug?: string }): void {
  if (input.slug !== undefined) checkSiteSlug(input.slug);
  if (input.name !== undefined && (input.name.trim() === '' || input.name.length > 120)) {
    invalid('name', input.name, '1–120 characters');
  }
  if (input.tagline !== undefined && input.tagline.length > 200)
    invalid('tagline', input.tagline, 'at most 200 characters');
  if (input.language !== undefined) {
    try {
      if (Intl.getCanonicalLocales(input.language).length !== 1) throw new Error();
    } catch {
      invalid('language', input.language, 'a BCP 47 language tag such as en, ja or en-GB');
    }
  }
  if (input.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: input.timeZone });
    } catch {
      invalid('time zone', input.timeZone, 'an IANA time zone such as Asia/Tokyo or UTC');
    }
  }
  if (input.primaryColor !== undefined && !COLOR.test(input.primaryColor)) {
    invalid('primary colour', input.primaryColor, 'a hex colour such as #1a3d6d');
  }
  if (input.accentColor !== undefined && !COLOR.test(input.accentColor)) {
    invalid('accent colour', input.accentColor, 'a hex colour such as #b3261e');
  }
  if (input.footerText !== undefined && input.footerText.length > 500) {
    invalid('footer text', input.footerText, 'at most 500 characters');
  }
  if (
    input.publicScheme !== undefined &&
    input.publicScheme !== null &&
    !PUBLIC_SCHEMES.includes(input.publicScheme)
  ) {
    invalid('public scheme', input.publicScheme, 'http or https');
  }
  for (const h of input.hosts ?? []) {
    if (!HOST.test(normaliseHost(h)))
      invalid('host', h, 'a host name such as news.example.com (no port, no scheme)');
  }
}
