// Test support for the wire ingester tests: the real services on a test database (no mocks), a site with
// sections and an agency with a rule, a controllable clock, and helpers to build ninjs documents and to ask
// what the public can see. Used only by the *.test.ts files beside it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { countLive, listLive } from '../articles/repository.ts';
import type { Db } from '../db/connection.ts';
import { MediaService } from '../media/service.ts';
import { FilesystemStorage } from '../media/storage.ts';
import type { OutboundClient } from '../outbound/client.ts';
import type { Agency } from './model.ts';
import { type WireOptions, WireService } from './service.ts';

/** The copy of ../shared/fixtures/wire kept in the repository (CI has no ../shared). */
export function sharedFixture(name = ''): string {
  return fileURLToPath(new URL(`./fixtures/ingest/shared/${name}`, import.meta.url));
}

export class Clock {
  constructor(public at = new Date('2025-11-01T00:00:00Z')) {}
  readonly now = () => this.at;
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

let counter = 0;

/** `outbound`: the guarded client; without one only public addresses are fetched, as in production. */
export async function wireHarness(
  db: Db,
  opts: { clock?: Clock; options?: Partial<WireOptions>; outbound?: OutboundClient } = {},
) {
  const clock = opts.clock ?? new Clock();
  const s = services(db, clock.now);
  const media = new MediaService(db, new FilesystemStorage(mkdtempSync(join(tmpdir(), 'dateline-wire-'))), {
    maxUploadBytes: 25 * 1024 * 1024,
    maxImagePixels: 50_000_000,
  });
  const wire = new WireService({
    db,
    articles: s.articles,
    events: s.events,
    media,
    sites: s.sites,
    sections: s.sections,
    now: clock.now,
    options: { pollSettleMs: 0, fetchTimeoutMs: 3000, ...opts.options },
    ...(opts.outbound && { outbound: opts.outbound }),
  });
  return { ...s, media, wire, clock, db };
}

export type Harness = Awaited<ReturnType<typeof wireHarness>>;

/** A site with world and business sections, an agency licensed for it, and a rule publishing to world. */
export async function agencySetup(h: Harness, o: { review?: boolean; retentionDays?: number } = {}) {
  counter += 1;
  const { site, world, business } = await siteWithSections(
    h,
    `wsite${counter}${Math.random().toString(36).slice(2, 6)}`,
  );
  const slug = `agency-${counter}-${Math.random().toString(36).slice(2, 6)}`;
  const { agency, token } = await h.wire.setup.addAgency(slug, {
    name: 'Example Wire',
    credit: 'Example Wire',
    sites: [site.slug],
    ...(o.retentionDays !== undefined && { retentionDays: o.retentionDays }),
  });
  await h.wire.setup.addRoute({ agency: slug, site: site.slug, section: 'world', review: o.review ?? false });
  return { site, world, business, agency, token };
}

/** A ninjs 2 text item; override any field. */
export function ninjs(uri: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uri,
    type: 'text',
    version: '1',
    versioncreated: '2025-10-09T09:00:00Z',
    pubstatus: 'usable',
    headlines: [{ role: 'main', value: `Story ${uri.split(':').pop()}` }],
    bodies: [{ role: 'main', contenttype: 'text/html', value: '<p>First paragraph.</p>' }],
    located: 'TOKYO',
    by: 'Example Wire staff',
    copyrightnotice: '© Example Wire 2025',
    ...over,
  };
}

export function doc(source: string, value: unknown) {
  return { source, content: JSON.stringify(value), allowFiles: false };
}

export function ingestJson(h: Harness, agency: Agency, ...items: Record<string, unknown>[]) {
  return h.wire.ingester.ingestDocuments(
    agency,
    items.map((it, i) => doc(`test-${i}.json`, it)),
  );
}

/** What a reader can see: live placements on the site (lists, feeds and search all read these). */
export async function liveHeadlines(h: Harness, siteId: number): Promise<string[]> {
  return (await listLive(h.db.kysely, { siteId, limit: 500 })).map((t) => t.headline);
}

export function liveCount(h: Harness, siteId: number): Promise<number> {
  return countLive(h.db.kysely, siteId);
}

export async function testJpeg(width = 64, height = 48, r = 40): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r, g: 90, b: 160 } } })
    .jpeg({ quality: 60 })
    .toBuffer();
}
