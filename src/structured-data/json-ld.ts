// Schema.org data for search engines: NewsArticle and BreadcrumbList, and the one function that turns it
// into the body of a <script type="application/ld+json">. JSON is not HTML, so the text is escaped so that
// nothing in it (a headline containing "</script>", an HTML comment opener) can end the element early.

export type JsonLd = Record<string, unknown>;

/**
 * JSON for inside a script element: `<`, `>` and `&` become \u escapes (still the same JSON), and so do
 * U+2028/2029, which older parsers treat as line ends. This is the only raw text discovery puts in pages.
 */
export function jsonLdText(data: JsonLd | JsonLd[]): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** "© Example Wire 2025" → "Example Wire": who holds the copyright of wire copy. */
export function copyrightHolderName(line: string): string {
  const name = line
    .replace(/©|\(c\)|copyright/gi, ' ')
    .replace(/\b(19|20)\d{2}\b/g, ' ')
    .replace(/all rights reserved\.?/gi, ' ')
    .replace(/[\s.,;:-]+$/g, '')
    .replace(/^[\s.,;:-]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return name || line.trim();
}

export interface ImageRef {
  url: string;
  width: number;
  height: number;
}

export interface NewsArticleInput {
  url: string;
  headline: string;
  description: string | null;
  images: ImageRef[];
  datePublished: Date;
  dateModified: Date;
  byline: string | null;
  sourceCopyright: string | null;
  section: string | null;
  language: string;
  publisher: { name: string; url: string; logo: ImageRef | null };
}

export function newsArticle(a: NewsArticleInput): JsonLd {
  const publisher: JsonLd = {
    '@type': 'NewsMediaOrganization',
    name: a.publisher.name,
    url: a.publisher.url,
  };
  if (a.publisher.logo) publisher.logo = { '@type': 'ImageObject', ...a.publisher.logo };
  const holder = a.sourceCopyright
    ? { '@type': 'Organization', name: copyrightHolderName(a.sourceCopyright) }
    : null;
  // Google shortens headlines past 110 characters anyway; the full one stays on the page.
  const headline = a.headline.length > 110 ? `${a.headline.slice(0, 109)}…` : a.headline;
  const author = a.byline
    ? [{ '@type': 'Person', name: a.byline }]
    : [holder ?? { '@type': 'Organization', name: a.publisher.name, url: a.publisher.url }];
  const out: JsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': a.url },
    url: a.url,
    headline,
    datePublished: a.datePublished.toISOString(),
    dateModified: a.dateModified.toISOString(),
    author,
    publisher,
    isAccessibleForFree: true,
    inLanguage: a.language,
  };
  if (a.description) out.description = a.description;
  if (a.images.length > 0) out.image = a.images.map((i) => ({ '@type': 'ImageObject', ...i }));
  if (a.section) out.articleSection = a.section;
  if (holder) {
    out.copyrightHolder = holder;
    out.copyrightNotice = a.sourceCopyright;
  } else {
    out.copyrightHolder = publisher;
  }
  // Wire copy's year is the one its notice states ("© Agency 2025"), which need not be the year the site
  // published it; a notice without a year states none, so none is claimed. Staff copy dates from publication.
  const year = a.sourceCopyright ? copyrightYearOf(a.sourceCopyright) : a.datePublished.getUTCFullYear();
  if (year !== null) out.copyrightYear = year;
  return out;
}

/** "© Example Wire 2025" → 2025; the first four-digit year of a copyright line, or null when it has none. */
export function copyrightYearOf(line: string): number | null {
  const m = /(?<![\d])(19|20)\d{2}(?![\d])/.exec(line);
  return m ? Number(m[0]) : null;
}

export function breadcrumbList(items: { name: string; url: string }[]): JsonLd {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: items.map((it, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      name: it.name,
      item: it.url,
    })),
  };
}
