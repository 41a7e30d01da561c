// What other features add to the article and section pages: tags and links in <head>, blocks after the
// content, and the cache tags that drop the page when what they show changes. Rendered only when the page
// itself is rendered (a cache miss), so their cost is paid once per cached page. The HTTP server lists the
// contributors (web/server.tsx); these routes only ask for their sum.
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Section } from '../sections/section.ts';
import type { SiteContext } from '../sites/directory.ts';
import type { ArticleView } from './reader.ts';

export interface PageAdditions {
  head: ComponentChildren;
  after: ComponentChildren;
  /** Beside the headline of an article (the comment count). */
  headline?: ComponentChildren;
  tags: string[];
}

export interface PageExtras {
  article(
    req: FastifyRequest,
    ctx: SiteContext,
    view: ArticleView,
    canonicalUrl: string,
  ): Promise<PageAdditions>;
  section(
    req: FastifyRequest,
    ctx: SiteContext,
    section: Section,
    canonicalUrl: string,
  ): Promise<PageAdditions>;
}

/** Several contributors as one: heads and blocks in the order given, every contributor's tags. */
export function combinePageExtras(parts: PageExtras[]): PageExtras {
  const sum = (all: PageAdditions[]): PageAdditions => ({
    head: all.map((a) => a.head),
    after: all.map((a) => a.after),
    headline: all.map((a) => a.headline ?? null),
    tags: all.flatMap((a) => a.tags),
  });
  return {
    article: async (req, ctx, view, canonicalUrl) =>
      sum(await Promise.all(parts.map((p) => p.article(req, ctx, view, canonicalUrl)))),
    section: async (req, ctx, section, canonicalUrl) =>
      sum(await Promise.all(parts.map((p) => p.section(req, ctx, section, canonicalUrl)))),
  };
}

/** Comment counts for teasers: one query per list, and the tags that drop the lists when counts change. */
export interface TeaserCounts {
  counts(siteId: number, articleIds: number[]): Promise<Map<number, number>>;
  tags(siteId: number): string[];
}
