// Template slots: the named places in the reader's pages that features fill, so that the templates
// (src/web/views, src/articles/views) import no feature built on them. A feature never edits a template to
// appear in it; the composition root (web/server.tsx) lists who fills what, and the templates render
// whatever they are given. src/web/slots.test.ts fails when a template imports a feature.
//
// Two kinds of slot:
// - The frame: the masthead bar, on every page of a site (home, section, article, search, account, error,
//   member and comment pages). Its items are given to the site directory once (`SiteDirectory.setFrame`) and
//   reach every Layout through the SiteContext it is already passed: `ctx.frame.masthead`. Every page
//   render already has the SiteContext in hand, so no page had to learn a new parameter, and the frame
//   belongs to the runtime whose directory holds it: two apps in one process (a test on SQLite and one on
//   PostgreSQL) never share it, as they would with a module-level registry. Items render from memory
//   (Layout is synchronous) and say their cache tags per site; PageServer adds those tags to every page it
//   stores for the site (pages.ts), so a change to what an item shows drops every page that shows it.
// - Page slots, per page type (articles/page-slots.ts): head, headline, afterBody, thread, sidebar, end on
//   a story; head, afterList, sidebar, end on a section page; head, betweenBlocks, sidebar, end on the home
//   page. A contributor says what it adds for each page type it cares about, one Fill per slot.
//
// A Fill is markup plus the cache tags of what it shows: the page's tags are the union of its own and its
// fills', so the fill's data changing drops the page (and only then). Fills are rendered when the page is
// (a cache miss), never per request: whatever differs per reader is spliced in afterwards (accounts'
// personalise.ts replaces the masthead's account links for a signed-in reader).
import type { ComponentChildren } from 'preact';
import type { SiteContext } from '../sites/directory.ts';

/** What one feature puts in one slot: markup, and the cache tags that drop the page when it changes. */
export interface Fill {
  html: ComponentChildren;
  tags: readonly string[];
}

export function fill(html: ComponentChildren, ...tags: string[]): Fill {
  return { html, tags };
}

/**
 * An item in the masthead bar, between the nameplate and the search form, in the order the composition
 * root lists them.
 */
export interface MastheadItem {
  /** `page.path` is the page's own path with its query (sign-in links return there); unset when unknown. */
  render(ctx: SiteContext, page: { path?: string }): ComponentChildren;
  /** The cache tags of what it shows on this site's pages (none: it changes only with a release). */
  tags?(ctx: SiteContext): readonly string[];
}

/** What frames every page of every site: filled once by the composition root. */
export interface PageFrame {
  masthead: readonly MastheadItem[];
}

export const EMPTY_FRAME: PageFrame = { masthead: [] };

/** The tags of the frame's items on one site's pages; added to every page of the site that is stored. */
export function frameTags(ctx: SiteContext): string[] {
  const out: string[] = [];
  for (const item of ctx.frame.masthead) if (item.tags) out.push(...item.tags(ctx));
  return out;
}
