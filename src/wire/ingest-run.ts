// One ingest run: what the ingester is given (its services, the documents or parsed items to apply) and what
// one call knows and collects while it runs (the agency's routing rules, site and section names looked up
// once, and the warnings and problems gathered for the summary and the problem log).
import type { ArticleService } from '../articles/service.ts';
import type { Db } from '../db/connection.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import type { Events } from '../events/log.ts';
import type { MediaService } from '../media/service.ts';
import type { OutboundClient } from '../outbound/client.ts';
import type { SectionService } from '../sections/service.ts';
import type { SiteService } from '../sites/service.ts';
import type { Agency, Route, Warning } from './model.ts';
import type { ParseProblem, WireItem } from './parse/types.ts';
import { listRoutes, type ProblemInput } from './repository.ts';

export interface IngesterOptions {
  /** Largest accepted story body, in UTF-8 bytes. */
  maxBodyBytes: number;
  /** Largest picture rendition fetched. */
  maxPictureBytes: number;
  fetchTimeoutMs: number;
}

export interface IngesterDeps {
  db: Db;
  articles: ArticleService;
  /** Publishes the events of a batch once it has committed. */
  events: Pick<Events, 'published'>;
  media: Pick<MediaService, 'addImage'>;
  sites: Pick<SiteService, 'list'>;
  sections: Pick<SectionService, 'list'>;
  now: () => Date;
  options: IngesterOptions;
  /** The guarded client every picture fetch goes through. */
  outbound: OutboundClient;
}

/** One document to ingest: its name (file path or URL) and its bytes. */
export interface WireDocument {
  source: string;
  content: string | Buffer;
  /** True only for documents read from disk: their pictures may be files beside them. */
  allowFiles: boolean;
  /** Set when the document could not even be read (missing, too large): it is reported, not parsed. */
  unreadable?: { code: ErrorCode; reason: string };
}

/** One parsed item with where it came from and the parser's warnings about it. */
export interface ItemEntry {
  item: WireItem;
  source: string;
  allowFiles?: boolean;
  warnings?: ParseProblem[];
}

/** Everything one ingest call needs to know about the agency and the network, looked up once. */
export interface Run {
  agency: Agency;
  routes: Route[];
  actor: string;
  siteSlugs: Map<number, string>;
  sectionSlugs: Map<number, string>;
  warnings: Warning[];
  problems: ProblemInput[];
}

/** A story's lead picture: its row in the wire picture table and the media library image it became. */
export interface Lead {
  pictureId: number;
  mediaId: number;
}

export async function startRun(
  deps: Pick<IngesterDeps, 'db' | 'sites' | 'sections'>,
  agency: Agency,
  actor?: string,
): Promise<Run> {
  const [routes, sites, sections] = await Promise.all([
    listRoutes(deps.db.kysely, agency.id),
    deps.sites.list(),
    deps.sections.list(),
  ]);
  return {
    agency,
    routes,
    actor: actor ?? `wire:${agency.slug}`,
    siteSlugs: new Map(sites.map((s) => [s.id, s.slug])),
    sectionSlugs: new Map(sections.map((s) => [s.id, s.slug])),
    warnings: [],
    problems: [],
  };
}
