// Live updates for open threads, and the teaser counts' cache drops. A page with the client script opens
// one Server-Sent Events stream, `/comments/live?a=<story>`, and is told the thread's published count when
// it changes ("N new comments, show"). The stream is fed by the event bus, which hears the event log, so a
// comment posted through any process reaches readers connected to every process; nothing polls. One count
// query per thread per change (coalesced over half a second), however many readers are connected.
//
// Teasers (home and section pages) carry the site's comment-counts tag; it is dropped at most once every
// COUNTS_LAG_MS per site, so a busy site's home page is not re-rendered on every comment.

import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { tag } from '../web/cache/invalidation.ts';
import { type SiteHook, siteOf } from '../web/request-site.ts';
import type { ThreadKit } from './thread-routes.tsx';
import { parsePositive } from './thread-routes.tsx';

/** How long a teaser's count may lag behind its thread. */
export const COUNTS_LAG_MS = 15_000;
/** Open streams per process; beyond it new ones are refused (the page then works without live updates). */
const MAX_STREAMS = 5_000;
/** Open streams per network address (a household or office behind one address reads several stories). */
const MAX_STREAMS_PER_IP = 20;
const HEARTBEAT_MS = 25_000;
const COALESCE_MS = 500;

export function liveRoutes(app: FastifyInstance, kit: ThreadKit, withSite: { preHandler: SiteHook }): void {
  const { rt, reader } = kit;
  const streams = new Map<string, Set<ServerResponse>>();
  const all = new Set<ServerResponse>();
  const perIp = new Map<string, number>();
  const counting = new Map<string, NodeJS.Timeout>();
  const countDrops = new Map<number, NodeJS.Timeout>();

  function sendCount(key: string, siteId: number, articleId: number): void {
    if (counting.has(key)) return;
    counting.set(
      key,
      setTimeout(() => {
        counting.delete(key);
        const subs = streams.get(key);
        if (!subs?.size) return;
        reader
          .count(siteId, articleId)
          .then((n) => {
            for (const res of subs) res.write(`event: count\ndata: ${n}\n\n`);
          })
          .catch((err) => app.log.error({ err }, 'counting a thread for its live readers failed'));
      }, COALESCE_MS),
    );
  }

  const stop = rt.bus.on((event) => {
    if (event.type !== 'comment.changed' || event.visible === false) return;
    sendCount(`${event.siteId}:${event.articleId}`, event.siteId, event.articleId);
    if (!countDrops.has(event.siteId)) {
      countDrops.set(
        event.siteId,
        setTimeout(() => {
          countDrops.delete(event.siteId);
          app.pageCache?.invalidate([tag.commentCounts(event.siteId)]);
        }, COUNTS_LAG_MS),
      );
    }
  });

  app.get<{ Querystring: { a?: string } }>('/comments/live', withSite, async (req, reply: FastifyReply) => {
    const ctx = siteOf(req);
    const articleId = parsePositive(req.query.a, 2 ** 31);
    if (!articleId)
      return reply
        .code(400)
        .send({ error: { code: 'DATELINE_ERR_BAD_REQUEST', message: 'Name the story: ?a=<id>.' } });
    if (all.size >= MAX_STREAMS) return reply.code(503).header('retry-after', '60').send();
    const ip = req.ip;
    if ((perIp.get(ip) ?? 0) >= MAX_STREAMS_PER_IP) return reply.code(429).header('retry-after', '60').send();
    const key = `${ctx.site.id}:${articleId}`;
    const count = await reader.count(ctx.site.id, articleId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    // A reconnecting browser waits 15 s; the first message is the count as it is now.
    res.write(`retry: 15000\nevent: count\ndata: ${count}\n\n`);
    let subs = streams.get(key);
    if (!subs) {
      subs = new Set();
      streams.set(key, subs);
    }
    subs.add(res);
    all.add(res);
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(beat);
      all.delete(res);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
      subs.delete(res);
      if (subs.size === 0) streams.delete(key);
    });
  });

  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => {
    for (const res of all) res.end();
  });
  app.addHook('onClose', async () => {
    stop();
    for (const t of counting.values()) clearTimeout(t);
    for (const t of countDrops.values()) clearTimeout(t);
  });
}
