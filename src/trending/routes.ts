// Read counting endpoints and the read script. POST /api/beacon (from the page's script) and
// GET /b.gif (the no-script fallback) each count one read: a User-Agent check, a hash and a map update, no
// database work (the counter flushes in batches). Neither sets a cookie, and both answer uncacheably so every
// view reaches us even when the page itself came from a cache.
import type { FastifyInstance } from 'fastify';
import type { SiteDirectory } from '../sites/directory.ts';
import { findTrendingAsset } from './assets.ts';
import type { ReadCounter } from './reads.ts';

export interface TrendingRouteDeps {
  reads: ReadCounter;
  directory: SiteDirectory;
}

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function placementOf(raw: unknown): number {
  const s = typeof raw === 'string' ? raw : '';
  const m = /^(?:p=)?([1-9]\d{0,14})\s*$/.exec(s.slice(0, 40));
  return m ? Number(m[1]) : 0;
}

export async function trendingRoutes(app: FastifyInstance, deps: TrendingRouteDeps): Promise<void> {
  const { reads, directory } = deps;

  app.post('/api/beacon', { bodyLimit: 256 }, async (req, reply) => {
    // Reads only count on a site of this network; anything else is answered the same way, and ignored.
    if (directory.forHost(req.hostname.toLowerCase())) {
      reads.count(placementOf(req.body), req.ip, req.headers['user-agent']);
    }
    return reply.code(204).header('cache-control', 'no-store').send();
  });

  app.get<{ Querystring: { p?: string | string[] } }>('/b.gif', async (req, reply) => {
    if (directory.forHost(req.hostname.toLowerCase())) {
      reads.count(placementOf(req.query.p), req.ip, req.headers['user-agent']);
    }
    return reply.code(200).type('image/gif').header('cache-control', 'no-store').send(PIXEL);
  });

  app.get<{ Params: { hash: string; name: string } }>('/assets/discovery/:hash/:name', async (req, reply) => {
    const asset = findTrendingAsset(req.params.name);
    if (!asset) return reply.code(404).type('text/plain').send('Not found');
    return reply
      .type(asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });
}
