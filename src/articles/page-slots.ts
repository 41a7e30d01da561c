// The slots of the article, section and home pages, and how features fill them (see web/slots.ts for the
// idea and the masthead's frame). A feature writes a PageContributor with a method for each page type it
// adds to, returning one Fill per slot it fills; the composition root (web/server.tsx) lists contributors
// in order, and these routes render their sum into the cached page.
//
//   story:    head · headline (beside the byline and times: comment count) · afterBody (after the story,
//             before related stories and the thread: newsletter box, promo) · thread · sidebar (most read,
//             trending) · end (beacons, scripts)
//   section:  head · afterList (after the list and its pager) · sidebar · end
//   home:     head · betweenBlocks (inserts between the section blocks) · sidebar · end
//
// A contributor that has nothing for a page returns {} (or has no method for that page type). The tags of
// every fill join the page's tags, so a change to what a fill shows drops the page. Fills are rendered at a
// cache miss only; what differs per reader does not belong in them.
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Section } from '../sections/section.ts';
import type { SiteContext } from '../sites/directory.ts';
import type { Fill } from '../web/slots.ts';
import type { ArticleView } from './reader.ts';

export interface ArticleSlots {
  head?: Fill;
  headline?: Fill;
  afterBody?: Fill;
  thread?: Fill;
  sidebar?: Fill;
  end?: Fill;
}

export interface SectionSlots {
  head?: Fill;
  afterList?: Fill;
  sidebar?: Fill;
  end?: Fill;
}

/** An insert on the home page: after `afterBlock` section blocks (0: after the top stories). */
export interface HomeInsert extends Fill {
  afterBlock: number;
}

export interface HomeSlots {
  head?: Fill;
  betweenBlocks?: HomeInsert[];
  sidebar?: Fill;
  end?: Fill;
}

interface PageFacts {
  req: FastifyRequest;
  ctx: SiteContext;
  canonicalUrl: string;
}
export interface ArticleFacts extends PageFacts {
  view: ArticleView;
}
export interface SectionFacts extends PageFacts {
  section: Section;
  page: number;
}
export interface HomeFacts extends PageFacts {
  /** The section blocks the page shows, in order: inserts go between them. */
  blocks: Section[];
}

type Maybe<T> = T | Promise<T>;

/** What one feature adds to the pages; a page type it has no method for gets nothing from it. */
export interface PageContributor {
  article?(page: ArticleFacts): Maybe<ArticleSlots>;
  section?(page: SectionFacts): Maybe<SectionSlots>;
  home?(page: HomeFacts): Maybe<HomeSlots>;
}

/** Each slot's fills in contributor order, ready for a template, and the union of their tags. */
export type Filled<S> = { [K in Exclude<keyof S, 'betweenBlocks'>]-?: ComponentChildren } & {
  tags: string[];
};
export type FilledHome = Filled<HomeSlots> & {
  /** Index n: what goes after n section blocks (0: after the top stories); one entry per gap. */
  betweenBlocks: ComponentChildren[];
};

export interface PageSlotFiller {
  article(page: ArticleFacts): Promise<Filled<ArticleSlots>>;
  section(page: SectionFacts): Promise<Filled<SectionSlots>>;
  home(page: HomeFacts): Promise<FilledHome>;
}

const ARTICLE_SLOTS = ['head', 'headline', 'afterBody', 'thread', 'sidebar', 'end'] as const;
const SECTION_SLOTS = ['head', 'afterList', 'sidebar', 'end'] as const;
const HOME_SLOTS = ['head', 'sidebar', 'end'] as const;

function sum<K extends string>(
  keys: readonly K[],
  all: Partial<Record<K, Fill>>[],
): Record<K, ComponentChildren> & { tags: string[] } {
  const tags: string[] = [];
  const out: Partial<Record<K, ComponentChildren>> = {};
  for (const k of keys) {
    const parts: ComponentChildren[] = [];
    for (const slots of all) {
      const f = slots[k];
      if (!f) continue;
      parts.push(f.html);
      tags.push(...f.tags);
    }
    out[k] = parts.length === 0 ? null : parts.length === 1 ? parts[0] : parts;
  }
  return { ...(out as Record<K, ComponentChildren>), tags };
}

/** The contributors as one filler: fills of a slot in the order given, every fill's tags. */
export function pageSlots(contributors: PageContributor[]): PageSlotFiller {
  return {
    async article(page) {
      const all = await Promise.all(contributors.map((c) => c.article?.(page) ?? {}));
      return sum(ARTICLE_SLOTS, all);
    },
    async section(page) {
      const all = await Promise.all(contributors.map((c) => c.section?.(page) ?? {}));
      return sum(SECTION_SLOTS, all);
    },
    async home(page) {
      const all = await Promise.all(contributors.map((c) => c.home?.(page) ?? {}));
      const filled = sum(HOME_SLOTS, all);
      const gaps: ComponentChildren[][] = Array.from({ length: page.blocks.length + 1 }, () => []);
      for (const slots of all) {
        for (const insert of slots.betweenBlocks ?? []) {
          const at = Math.max(0, Math.min(page.blocks.length, Math.floor(insert.afterBlock)));
          gaps[at]!.push(insert.html);
          filled.tags.push(...insert.tags);
        }
      }
      return { ...filled, betweenBlocks: gaps.map((g) => (g.length === 0 ? null : g)) };
    },
  };
}

/** No contributors: every slot empty (tests, and routes mounted without features). */
export const NO_SLOTS: PageSlotFiller = pageSlots([]);

/** Comment counts for teasers: one query per list, and the tags that drop the lists when counts change. */
export interface TeaserCounts {
  counts(siteId: number, articleIds: number[]): Promise<Map<number, number>>;
  tags(siteId: number): string[];
}
