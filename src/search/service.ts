// Site search: one interface over both engines. Reads the query safely, picks word search or (for CJK
// text) substring search, applies section and date filters, pages the results and highlights them.
// Results only ever include stories live on the searching site.
import type { Db } from '../db/connection.ts';
import {
  countOnly,
  documentTexts,
  type Highlight,
  type HitRow,
  substringSearch,
  tsConfigFor,
  wordHighlights,
  wordSearch,
} from './repository.ts';
import {
  isSearchable,
  leadText,
  markSubstrings,
  type ParsedQuery,
  parseQuery,
  type Segment,
  substringSnippet,
  substrings,
  toSegments,
} from './text.ts';

export const SEARCH_PAGE_SIZE = 10;
/** Deep pages cost more and help no reader; the last page offered is this one. */
export const MAX_SEARCH_PAGE = 50;

export interface SearchRequest {
  siteId: number;
  /** The site's language: picks the stemmer on PostgreSQL. */
  language: string;
  q: string;
  sectionId?: number;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  page?: number;
  pageSize?: number;
  sort?: 'relevance' | 'date';
}

export interface SearchHit extends HitRow {
  headlineSegments: Segment[];
  snippet: Segment[];
}

export interface SearchResult {
  query: ParsedQuery;
  hits: SearchHit[];
  total: number;
  page: number;
  pages: number;
  /** Why there are no hits when nothing was searched: the view explains it instead of erroring. */
  problem: 'empty' | 'no_terms' | null;
}

export class SearchService {
  constructor(private readonly db: Db) {}

  async search(req: SearchRequest): Promise<SearchResult> {
    const query = parseQuery(req.q);
    const pageSize = Math.min(Math.max(req.pageSize ?? SEARCH_PAGE_SIZE, 1), 50);
    const page = Math.min(Math.max(Math.trunc(req.page ?? 1), 1), MAX_SEARCH_PAGE);
    const empty = (problem: SearchResult['problem']): SearchResult => ({
      query,
      hits: [],
      total: 0,
      page,
      pages: 0,
      problem,
    });
    if (query.text === '') return empty('empty');
    if (!isSearchable(query)) return empty('no_terms');

    const tsConfig = tsConfigFor(req.language);
    const filters = {
      siteId: req.siteId,
      sectionId: req.sectionId,
      from: req.from,
      to: req.to,
      sort: req.sort ?? 'relevance',
      limit: pageSize,
      offset: (page - 1) * pageSize,
      tsConfig,
    } as const;
    const kind = query.cjk ? 'substrings' : 'words';
    const found =
      kind === 'words'
        ? await wordSearch(this.db, query, filters)
        : await substringSearch(this.db, query, filters);
    let total = found.total;
    if (found.rows.length === 0 && page > 1) total = await countOnly(this.db, query, filters, kind);
    const ids = found.rows.map((r) => r.articleId);
    const texts =
      kind === 'words'
        ? await wordHighlights(this.db, query, ids, tsConfig)
        : await documentTexts(this.db, ids);
    const hits = found.rows.map((row) => this.highlight(row, texts.get(row.articleId), query));
    return {
      query,
      hits,
      total,
      page,
      pages: Math.min(Math.ceil(total / pageSize), MAX_SEARCH_PAGE),
      problem: null,
    };
  }

  private highlight(row: HitRow, text: Highlight | undefined, q: ParsedQuery): SearchHit {
    if (q.cjk) {
      const needles = substrings(q);
      return {
        ...row,
        headlineSegments: toSegments(markSubstrings(row.headline, needles)),
        snippet: toSegments(substringSnippet(text?.bodyText || row.dek, needles, 140)),
      };
    }
    // The engines' own highlighters know their stemming, so "markets" lights up for "market".
    const marked = text?.snippet ?? '';
    const snippet = marked.includes('\uE000') ? marked : row.dek || leadText(text?.bodyText ?? '', 200);
    const headline =
      text?.headline && text.headline.replace(/[\uE000\uE001]/g, '') === row.headline
        ? text.headline
        : row.headline;
    return { ...row, headlineSegments: toSegments(headline), snippet: toSegments(snippet) };
  }
}
