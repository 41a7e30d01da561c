// Starts the whole application on a test database for HTTP tests through fastify.inject.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { loadConfig } from '../src/config/config.ts';
import type { Db } from '../src/db/connection.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { buildServer } from '../src/web/server.tsx';
import { withSchemaLock } from './dialects.ts';

export interface TestApp {
  rt: Runtime;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startTestApp(db: Db, env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-test-'));
  const config = loadConfig(
    { DATELINE_DATA_DIR: dir, DATELINE_DEMO: 'false', LOG_LEVEL: 'silent', ...env },
    dir,
  );
  // Opening a runtime runs the migrator, which lists every schema: on PostgreSQL it takes its turn with the
  // other test processes' schema changes (see dialects.ts).
  const open = () => openRuntime(config, { error: () => {} }, { db });
  const rt = db.dialect === 'postgres' ? await withSchemaLock(open) : await open();
  const app = await buildServer(rt, { logger: false });
  await app.ready();
  return {
    rt,
    app,
    async close() {
      await app.close();
      await rt.tail.stop();
    },
  };
}

export async function testJpeg(width = 1600, height = 1000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .jpeg({ quality: 60 })
    .toBuffer();
}

/** A news site with two sections, as the reference page's publisher would set up. */
export async function newsSite(rt: Runtime, slug = 'news') {
  const site = await rt.sites.create({
    slug,
    name: 'Example Times',
    timeZone: 'Asia/Tokyo',
    footerText: '©2025 Publisher Inc.',
    hosts: [`${slug}.localhost`],
  });
  const world = await rt.sections.create(site.id, { slug: 'world', name: 'World' });
  const business = await rt.sections.create(site.id, { slug: 'business', name: 'Business' });
  await rt.directory.load();
  return { site, world, business, host: `${slug}.localhost` };
}
