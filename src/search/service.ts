// Site search: one interface over both engines. Reads the query safely, picks word search or (for CJK
// text) substring search, applies section and date filters, pages the results and highlights them.
// Results only ever include stories live on the searching site.
import { sql } from 'kysely';
import { DatelineError } from '../errors/catalogue.ts';
import { SearchWorkerPool } from './pool.ts';
import {
  countOnly,
  documentTexts,
  type Highlight,
  type HitRow,
  RANK_WINDOW,
  type SearchDb,
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

export interface SearchOptions {
  /**
   * Worker threads that run searches on a SQLite file (0: on the calling thread). An in-memory database
   * cannot be shared with another thread and always searches in place.
   */
  workers?: number;
  /** Longest a search may run: a PostgreSQL statement timeout, or the time before a worker is replaced. */
  timeoutMs?: number;
  /** How many of the newest matches relevance ranking considers. */
  candidates?: number;
}

/** PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout. */
const PG_QUERY_CANCELED = '57014';

export class SearchService {
  private readonly pool: SearchWorkerPool | null = null;
  private readonly candidates: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly db: SearchDb & { readonly url?: string },
    opts: SearchOptions = {},
  ) {
    this.candidates = opts.candidates ?? RANK_WINDOW;
    this.timeoutMs = opts.timeoutMs ?? 0;
    const file = db.url?.replace(/^sqlite:(\/\/)?/, '');
    if (db.dialect === 'sqlite' && (opts.workers ?? 0) > 0 && file && file !== ':memory:') {
      this.pool = new SearchWorkerPool({
        file,
        size: opts.workers!,
        timeoutMs: this.timeoutMs || 10_000,
        candidates: this.candidates,
      });
    }
  }

  /** Stops the search workers, if any. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  async search(req: SearchRequest): Promise<SearchResult> {
    if (this.pool) return this.pool.search(req);
    if (this.db.dialect !== 'postgres' || this.timeoutMs <= 0) return this.searchWith(this.db, req);
    // The limit holds for this transaction's statements only, never for the pool's other users.
    try {
      return await this.db.kysely.transaction().execute(async (trx) => {
        await sql`select set_config('statement_timeout', ${String(this.timeoutMs)}, true)`.execute(trx);
        return this.searchWith({ kysely: trx, dialect: 'postgres' }, req);
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === PG_QUERY_CANCELED)
        throw new DatelineError(
          'SEARCH_BUSY',
          `Search could not answer: it took longer than ${this.timeoutMs} ms. Try fewer or rarer words, or again in a moment.`,
          undefined,
          { cause: err },
        );
      throw err;
    }
  }

  private async searchWith(db: SearchDb, req: SearchRequest): Promise<SearchResult> {
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
      candidates: this.candidates,
    } as const;
    const kind = query.cjk ? 'substrings' : 'words';
    const found =
      kind === 'words' ? await wordSearch(db, query, filters) : await substringSearch(db, query, filters);
    let total = found.total;
    if (found.rows.length === 0 && page > 1) total = await countOnly(db, query, filters, kind);
    const ids = found.rows.map((r) => r.articleId);
    const texts =
      kind === 'words' ? await wordHighlights(db, query, ids, tsConfig) : await documentTexts(db, ids);
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
