// What `npm run bench` calls for trending and read counting:
// - the cost of rendering a site's trending block (from memory), to set against a whole article render
//   (target: the block adds ≤ 5%);
// - the beacon request a reader's browser sends, to load alongside warm article pages (target: ≥ 95% of
//   the warm article throughput with the beacon on).
import { renderToString } from 'preact-render-to-string';
import type { Runtime } from '../runtime.ts';
import { TrendingBlock } from './views/trending-block.tsx';

/** Microseconds per render of a site's trending block, averaged over `iterations`. */
export async function trendingBlockRenderMicros(
  rt: Runtime,
  siteSlug: string,
  iterations = 2000,
): Promise<number> {
  await rt.trending.refresh();
  const ctx = rt.directory.all().find((c) => c.site.slug === siteSlug);
  if (!ctx) throw new Error(`no site ${siteSlug}`);
  const urlOf = (i: { path: string }) => `http://example.localhost${i.path}`;
  const t0 = performance.now();
  for (let n = 0; n < iterations; n++) {
    const block = TrendingBlock({ items: rt.trending.block(ctx.site.id), urlOf });
    if (block) renderToString(block);
  }
  return ((performance.now() - t0) * 1000) / iterations;
}

/** An autocannon request for the read beacon of one placement, as a browser sends it. */
export function beaconRequest(host: string, placementId: number) {
  return {
    method: 'POST' as const,
    path: '/api/beacon',
    headers: {
      host,
      'content-type': 'text/plain;charset=UTF-8',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    },
    body: `p=${placementId}`,
  };
}
