// How every public HTML page is served: pick the site by Host (known hosts on the public port only), bring
// caches up to date with changes made elsewhere, answer from the page cache when possible, otherwise
// render, remember and send. Handles ETag and 304, br/gzip and the CDN's Cache-Control in one place.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { EventLogTail } from '../events/log.ts';
import type { SiteContext, SiteDirectory } from '../sites/directory.ts';
import { acceptedHostName, urlContext } from '../sites/urls.ts';
import { encodedBody, makePage, negotiate, type PageCache, type PageVersion } from './cache/page-cache.ts';
import { etagMatches } from './etag.ts';
import { frameTags } from './slots.ts';

export interface Rendered {
  status: number;
  html?: VNode;
  headers?: Record<string, string>;
  tags: string[];
  /** False for responses that must not be kept (e.g. 404s for arbitrary paths, which are unbounded). */
  cacheable?: boolean;
}

export interface PagePolicy {
  cdnMaxAge: number;
  cdnStaleWhileRevalidate: number;
}

const HTML = 'text/html; charset=utf-8';

/**
 * Another version of a shared page for one request, put in place by an onRequest hook: the signed-in
 * reader's header links (src/accounts). It sends that version itself (its own ETag, 304 and encoding) and
 * returns the reply, or returns undefined to let the shared version go out. The shared page is only read.
 */
export type PageVariant = (
  req: FastifyRequest,
  reply: FastifyReply,
  page: PageVersion,
) => FastifyReply | undefined;

declare module 'fastify' {
  interface FastifyRequest {
    pageVariant?: PageVariant | null;
  }
}

const DOCTYPE = '<!doctype html>';

/**
 * The page's bytes. The markup is written into the buffer after the doctype rather than joined to it as a
 * string first: joining would make one more full-size copy of the page, 3 MB for a 3 MB story.
 */
export function renderDocument(node: VNode): Buffer {
  const html = renderToString(node);
  const body = Buffer.allocUnsafe(DOCTYPE.length + Buffer.byteLength(html));
  body.write(DOCTYPE, 0, 'latin1');
  body.write(html, DOCTYPE.length);
  return body;
}

export class PageServer {
  /** Renders in progress by cache key, with the cache's epoch when each began. */
  private readonly rendering = new Map<string, { page: Promise<PageVersion>; since: number }>();

  constructor(
    private readonly directory: SiteDirectory,
    private readonly tail: EventLogTail | null,
    private readonly cache: PageCache | null,
    private readonly policy: PagePolicy,
  ) {}

  /**
   * The site for this request's Host, after catching up with changes other processes committed. A Host that
   * is not one of the network's, or names a port other than the public one, has no site: such requests
   * never reach the page cache.
   */
  async site(req: FastifyRequest): Promise<SiteContext | undefined> {
    if (this.tail?.outsideChangeSeen()) await this.tail.catchUp();
    if (this.directory.needsReload) await this.directory.fresh();
    const host = acceptedHostName(urlContext(req), req.host);
    return host === undefined ? undefined : this.directory.forHost(host);
  }

  cacheControl(status: number): string {
    if (status >= 500) return 'no-store';
    if (status === 404) return 'public, max-age=0, s-maxage=30';
    return `public, max-age=0, s-maxage=${this.policy.cdnMaxAge}, stale-while-revalidate=${this.policy.cdnStaleWhileRevalidate}`;
  }

  async serve(
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: SiteContext,
    key: string,
    render: () => Promise<Rendered>,
  ): Promise<FastifyReply> {
    const cacheKey = `${ctx.site.id}|${key}`;
    // With the page cache off every request renders: that setting exists to see each render.
    const page = this.cache
      ? (this.cache.get(cacheKey) ?? (await this.renderOnce(cacheKey, framed(ctx, render))))
      : await this.renderPage(cacheKey, render);
    return send(req, reply, page);
  }

  /**
   * Renders a page not in the cache; requests for the same key that arrive meanwhile wait for that render
   * instead of starting their own. A key fully determines its page (that is what lets the cache keep it), so
   * they get what they would have rendered: after an edit drops a popular page, or at a cold start under
   * load, it is rendered once rather than once per waiting reader (a search once per waiting search).
   */
  private renderOnce(cacheKey: string, render: () => Promise<Rendered>): Promise<PageVersion> {
    const since = this.cache!.epoch;
    const running = this.rendering.get(cacheKey);
    // A render begun before a change dropped pages may show what the change replaced: not joined.
    if (running?.since === since) return running.page;
    const page = this.renderPage(cacheKey, render, since).finally(() => {
      if (this.rendering.get(cacheKey)?.page === page) this.rendering.delete(cacheKey);
    });
    this.rendering.set(cacheKey, { page, since });
    return page;
  }

  /**
   * Renders a page and stores it when the cache keeps it. `since` is the cache's epoch when the render
   * began: nothing the page shows may have been dropped meanwhile, and it must be within the size cap. A
   * page that is not kept is sent once, compressed with the fast settings (see encodedBody).
   */
  private async renderPage(
    cacheKey: string,
    render: () => Promise<Rendered>,
    since = 0,
  ): Promise<PageVersion> {
    const r = await render();
    const body = r.html ? renderDocument(r.html) : Buffer.alloc(0);
    // Decided in the same turn as the store below, so no drop can land in between.
    const keep = this.cache !== null && r.cacheable !== false && this.cache.keeps(r.tags, body.length, since);
    const page = makePage(
      {
        status: r.status,
        contentType: HTML,
        body,
        headers: r.headers ?? {},
        cacheControl: this.cacheControl(r.status),
        tags: r.tags,
      },
      !keep,
    );
    if (keep) this.cache?.set(cacheKey, page);
    return page;
  }
}

/** The render with the tags of what frames the site's pages (the masthead's items, web/slots.ts) added. */
function framed(ctx: SiteContext, render: () => Promise<Rendered>): () => Promise<Rendered> {
  const extra = frameTags(ctx);
  if (extra.length === 0) return render;
  return async () => {
    const r = await render();
    return { ...r, tags: [...r.tags, ...extra] };
  };
}

/** Sends a page version: 304 when the client's ETag matches, else the body in the best encoding. */
export function send(req: FastifyRequest, reply: FastifyReply, page: PageVersion): FastifyReply {
  if (req.pageVariant) {
    const sent = req.pageVariant(req, reply, page);
    if (sent) return sent;
  }
  if (page.status === 200 && etagMatches(req.headers['if-none-match'], page.etag)) {
    return reply
      .code(304)
      .headers(headersFor(page, 'identity', null))
      .send();
  }
  const { body, encoding } = encodedBody(page, negotiate(req.headers['accept-encoding']));
  return reply
    .code(page.status)
    .headers(headersFor(page, encoding, body))
    .send(body);
}

// The response headers of a page version, built once per encoding and kept with it: on the warm path a
// page is sent with one header call and no string work. `body` null: those of a 304.
const headerCache = new WeakMap<PageVersion, Map<string, Record<string, string>>>();

export function headersFor(page: PageVersion, encoding: string, body: Buffer | null): Record<string, string> {
  let byEncoding = headerCache.get(page);
  if (!byEncoding) {
    byEncoding = new Map();
    headerCache.set(page, byEncoding);
  }
  const key = body ? encoding : '304';
  let h = byEncoding.get(key);
  if (!h) {
    h = {
      'content-type': page.contentType,
      'cache-control': page.cacheControl,
      vary: 'Accept-Encoding',
      etag: page.etag,
      ...page.headers,
      ...(body && encoding !== 'identity' && { 'content-encoding': encoding }),
    };
    byEncoding.set(key, h);
  }
  return h;
}
