// What article and section pages add to <head> for search engines and sharing: JSON-LD (NewsArticle,
// BreadcrumbList), OpenGraph and Twitter card tags, and hreflang links when a story runs on sister sites
// in other languages. Canonical links are the layout's job.
import type { JsonLd } from './json-ld.ts';
import { jsonLdText } from './json-ld.ts';

/** JSON-LD as data: browsers never execute it, so the CSP's script-src does not apply to it. */
export function JsonLdScript({ data }: { data: JsonLd | JsonLd[] }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(data) }} />;
}

/** OpenGraph wants ll_CC; a bare language is accepted too. */
export function ogLocale(language: string): string {
  return language.replace('-', '_');
}

export interface ShareCard {
  type: 'article' | 'website';
  siteName: string;
  title: string;
  description: string | null;
  url: string;
  language: string;
  image: { url: string; width: number; height: number; alt: string } | null;
  publishedAt?: Date | null;
  modifiedAt?: Date | null;
  section?: string | null;
}

export function ShareTags({ card }: { card: ShareCard }) {
  return (
    <>
      <meta property="og:type" content={card.type} />
      <meta property="og:site_name" content={card.siteName} />
      <meta property="og:title" content={card.title} />
      {card.description ? <meta property="og:description" content={card.description} /> : null}
      <meta property="og:url" content={card.url} />
      <meta property="og:locale" content={ogLocale(card.language)} />
      {card.image ? (
        <>
          <meta property="og:image" content={card.image.url} />
          <meta property="og:image:width" content={String(card.image.width)} />
          <meta property="og:image:height" content={String(card.image.height)} />
          {card.image.alt ? <meta property="og:image:alt" content={card.image.alt} /> : null}
        </>
      ) : null}
      {card.publishedAt ? (
        <meta property="article:published_time" content={card.publishedAt.toISOString()} />
      ) : null}
      {card.modifiedAt ? (
        <meta property="article:modified_time" content={card.modifiedAt.toISOString()} />
      ) : null}
      {card.section ? <meta property="article:section" content={card.section} /> : null}
      <meta name="twitter:card" content={card.image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={card.title} />
      {card.description ? <meta name="twitter:description" content={card.description} /> : null}
      {card.image ? <meta name="twitter:image" content={card.image.url} /> : null}
      {card.image?.alt ? <meta name="twitter:image:alt" content={card.image.alt} /> : null}
    </>
  );
}

/** hreflang alternates: only when the versions differ in language (same-language copies use canonical). */
export function Hreflang({ versions }: { versions: { language: string; url: string }[] }) {
  const languages = new Set(versions.map((v) => v.language.toLowerCase()));
  if (languages.size < 2) return null;
  const seen = new Set<string>();
  return (
    <>
      {versions.map((v) => {
        const lang = v.language.toLowerCase();
        if (seen.has(lang)) return null;
        seen.add(lang);
        return <link key={lang} rel="alternate" hreflang={v.language} href={v.url} />;
      })}
    </>
  );
}
