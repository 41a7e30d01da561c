// What a very large story costs the server's memory: its page is rendered 20 times (over the page cache's
// per-page cap, so every request renders and compresses it afresh) and the server process's RSS is read
// before and after. A page under the cap would be stored once; this measures what rendering itself keeps.
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Runtime } from '../src/runtime.ts';
import { type ServerProcess, startServer } from './web.ts';

export interface BigStoryFigure {
  /** The page's size, uncompressed. */
  pageBytes: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** The highest RSS read between requests. */
  rssPeakMb: number;
  renders: number;
}

/** The path of the site's largest story, which the bench's worst case (mixed.ts) makes 3 MB. */
export async function biggestStoryPath(rt: Runtime, siteSlug: string): Promise<string> {
  const ctx = rt.directory.all().find((c) => c.site.slug === siteSlug)!;
  const row = await rt.db.kysely
    .selectFrom('articles')
    .innerJoin('placements', 'placements.article_id', 'articles.id')
    .innerJoin('sections', 'sections.id', 'placements.section_id')
    .select(['sections.slug as section', 'placements.slug as slug'])
    .where('placements.site_id', '=', ctx.site.id)
    .orderBy((eb) => eb.fn('length', ['articles.body_html']), 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return `/${row.section}/${row.slug}`;
}

export async function measureBigStoryRss(o: {
  env: Record<string, string>;
  host: string;
  /** An ordinary page, to check the server is up and warm before the first reading. */
  probePath: string;
  storyPath: string;
  port: number;
  renders?: number;
}): Promise<BigStoryFigure> {
  const renders = o.renders ?? 20;
  const server: ServerProcess = await startServer(o.env, { host: o.host, path: o.probePath }, o.port);
  try {
    const headers = { host: o.host, 'accept-encoding': 'br, gzip' };
    await new Promise((r) => setTimeout(r, 1000));
    const rssBeforeMb = server.rssMb();
    let pageBytes = 0;
    let rssPeakMb = rssBeforeMb;
    for (let i = 0; i < renders; i++) {
      pageBytes = await get(o.port, o.storyPath, headers);
      rssPeakMb = Math.max(rssPeakMb, server.rssMb());
    }
    await new Promise((r) => setTimeout(r, 1000));
    return { pageBytes, rssBeforeMb, rssAfterMb: server.rssMb(), rssPeakMb, renders };
  } finally {
    await server.stop();
  }
}

/**
 * GETs a page and returns its size, uncompressed. node:http rather than fetch, which does not let a caller
 * set the Host header: the request must reach the site, not the development page listing the sites.
 */
function get(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${path} answered ${res.statusCode}`));
        const body = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const plain =
          encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;
        resolve(plain.length);
      });
    });
    req.on('error', reject);
    req.end();
  });
}
