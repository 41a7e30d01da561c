// The page frame every site page shares: skip link, header with the site's name and sections, main,
// footer with the publisher's line. Landmarks and one h1 per page (the page supplies its own h1). The
// masthead's items (newsletter signup, account links), between the nameplate and the search form, are the
// frame's slot: features fill it from the composition root and every page reaches it through its
// SiteContext (web/slots.ts). The masthead's parts come in the order they are read and tabbed through at
// every width, so the stylesheet places them without reordering.
import type { ComponentChildren } from 'preact';
import type { SiteContext } from '../../sites/directory.ts';
import { PRELOADED_FONT_PATHS } from '../fonts.ts';
import { siteStylesheet } from '../stylesheet.ts';

export interface LayoutProps {
  ctx: SiteContext;
  title: string;
  description?: string;
  canonical?: string | null;
  /** This page's own path (with its query), where the sign-in links bring the reader back to. */
  path?: string;
  activeSectionId?: number;
  /** Extra <head> content: structured data, feeds, robots. */
  head?: ComponentChildren;
  children: ComponentChildren;
}

export function Layout({
  ctx,
  title,
  description,
  canonical,
  path,
  activeSectionId,
  head,
  children,
}: LayoutProps) {
  const { site } = ctx;
  const fullTitle = title === site.name ? site.name : `${title} | ${site.name}`;
  return (
    <html lang={site.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {description ? <meta name="description" content={description} /> : null}
        {canonical ? <link rel="canonical" href={canonical} /> : null}
        <meta name="theme-color" content={site.primaryColor} />
        {/* The headline and text faces are fetched with the stylesheet instead of after it (fonts.ts); fonts
            are always fetched in CORS mode, hence crossorigin even on the same origin. */}
        {PRELOADED_FONT_PATHS.map((href) => (
          <link key={href} rel="preload" href={href} as="font" type="font/woff2" crossOrigin="anonymous" />
        ))}
        {/* One stylesheet: the reader styles, fonts and this site's theme (stylesheet.ts). */}
        <link rel="stylesheet" href={siteStylesheet(site).path} />
        <link rel="alternate" type="application/rss+xml" title={`${site.name} (RSS)`} href="/feeds/rss.xml" />
        <link
          rel="alternate"
          type="application/atom+xml"
          title={`${site.name} (Atom)`}
          href="/feeds/atom.xml"
        />
        {head}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="masthead">
          <div class="masthead__bar">
            <a class="masthead__name" href="/">
              {site.logoMediaId ? (
                <img
                  class="masthead__logo"
                  src={`/media/${site.logoMediaId}/480.webp`}
                  alt={site.name}
                  width={240}
                  height={60}
                />
              ) : (
                site.name
              )}
            </a>
            {site.tagline ? <p class="masthead__tagline">{site.tagline}</p> : null}
            {/* The masthead slot: each item as it renders on a cached page, for every reader (a signed-in
                reader's response carries their own account links instead, spliced in by accounts). One
                row of its own, so each item stays whole at any width (layout.css). */}
            {ctx.frame.masthead.length > 0 ? (
              <div class="masthead__items">
                {ctx.frame.masthead.map((item) => item.render(ctx, { path }))}
              </div>
            ) : null}
            {/* Search: on a phone a magnifier button (a <details> disclosure, so it opens without
                JavaScript) that shows the form on a row of its own; from 48rem the form is always shown
                and the button is not (layout.css). */}
            <details class="masthead__find">
              <summary class="masthead__find-toggle">
                <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" focusable="false">
                  <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.2" />
                  <path
                    d="M15.5 15.5 21 21"
                    stroke="currentColor"
                    stroke-width="2.4"
                    stroke-linecap="round"
                  />
                </svg>
                <span class="visually-hidden">Search</span>
              </summary>
              <form class="masthead__search" action="/search" method="get" role="search">
                <input
                  type="search"
                  name="q"
                  aria-label={`Search ${site.name}`}
                  placeholder="Search"
                  maxLength={200}
                />
                <button type="submit">Search</button>
              </form>
            </details>
          </div>
          <nav class="sections" aria-label="Sections">
            <ul>
              {ctx.sections.map((s) => (
                <li key={s.id}>
                  <a href={`/${s.slug}`} aria-current={s.id === activeSectionId ? 'page' : undefined}>
                    {s.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <nav aria-label="Footer">
            <ul>
              {ctx.sections.map((s) => (
                <li key={s.id}>
                  <a href={`/${s.slug}`}>{s.name}</a>
                </li>
              ))}
            </ul>
          </nav>
          <p class="site-footer__copyright">{site.footerText || `© ${site.name}`}</p>
        </footer>
      </body>
    </html>
  );
}
