// Finds the story an exported thread belongs to, by its address. The host and scheme are not compared (an
// export often comes from the site's old domain or from http days); the query string and fragment are
// dropped, and a trailing slash does not matter. Tried in order: the story's current path on the site
// (/<section>/<slug>, any section, since the site itself redirects a story's old section), an old path kept by
// the 301 rule (path_redirects), and finally the last segment as the slug, which finds WordPress-style
// addresses such as /2019/05/<slug>/.
import { findPlacementById, findPlacementBySlug, findRedirect, type Q } from '../../articles/repository.ts';

export type MatchedBy = 'path' | 'old_path' | 'slug';

export interface ThreadMatch {
  articleId: number;
  by: MatchedBy;
}

/** The decoded path segments of an address, or null when it is not one. */
export function pathSegments(url: string): string[] | null {
  let u: URL;
  try {
    u = new URL(url.trim(), 'http://unknown.invalid');
  } catch {
    return null;
  }
  const segments: string[] = [];
  for (const raw of u.pathname.split('/')) {
    if (raw === '') continue;
    try {
      segments.push(decodeURIComponent(raw).normalize('NFC'));
    } catch {
      segments.push(raw);
    }
  }
  return segments;
}

export class ThreadMatcher {
  private readonly cache = new Map<string, ThreadMatch | null>();

  constructor(
    private readonly q: Q,
    private readonly siteId: number,
  ) {}

  async match(url: string): Promise<ThreadMatch | null> {
    const segments = pathSegments(url);
    if (!segments || segments.length === 0) return null;
    const key = segments.join('/');
    if (this.cache.has(key)) return this.cache.get(key)!;
    const found = await this.find(segments);
    this.cache.set(key, found);
    return found;
  }

  private async find(segments: string[]): Promise<ThreadMatch | null> {
    const slug = segments[segments.length - 1]!;
    if (segments.length === 2) {
      const p = await findPlacementBySlug(this.q, this.siteId, slug);
      if (p) return { articleId: p.articleId, by: 'path' };
      const old = await findRedirect(this.q, this.siteId, `/${segments[0]}/${slug}`);
      const moved = old === null ? null : await findPlacementById(this.q, old);
      if (moved) return { articleId: moved.articleId, by: 'old_path' };
      return null;
    }
    const p = await findPlacementBySlug(this.q, this.siteId, slug);
    return p ? { articleId: p.articleId, by: 'slug' } : null;
  }
}
