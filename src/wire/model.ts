// The wire feature's models as services and callers see them: agencies, routing rules, received stories,
// queue entries, problems, pollers, and the outcome of ingesting one item.
import type { ErrorCode } from '../errors/catalogue.ts';
import type { WireItem } from './parse/types.ts';
import type { WirePollerKind, WireQueueState, WireRouteAction, WireStoryState } from './tables.ts';

export type { WirePollerKind, WireQueueState, WireRouteAction, WireStoryState };

export interface Agency {
  id: number;
  slug: string;
  name: string;
  credit: string;
  retentionDays: number | null;
  hasToken: boolean;
  /** Ids of the sites licensed to show this agency's content. */
  siteIds: number[];
}

export interface AgencyInput {
  slug: string;
  name: string;
  credit?: string;
  retentionDays?: number | null;
  siteIds?: number[];
}

export interface Route {
  id: number;
  agencyId: number | null;
  subjectCode: string | null;
  sluglinePrefix: string | null;
  keyword: string | null;
  maxUrgency: number | null;
  siteId: number;
  sectionId: number;
  action: WireRouteAction;
  position: number;
}

export type RouteInput = Omit<Route, 'id' | 'position'> & { position?: number };

export interface Story {
  id: number;
  agencyId: number;
  uri: string;
  version: string | null;
  versionCreated: Date | null;
  state: WireStoryState;
  headline: string;
  item: WireItem;
  contentHash: string;
  usageTerms: string | null;
  edNote: string | null;
  corrected: boolean;
  embargoUntil: Date | null;
  expiresAt: Date | null;
  leadPictureId: number | null;
  source: string;
  firstSeenAt: Date;
  updatedAt: Date;
  killedAt: Date | null;
}

export interface StoryArticle {
  storyId: number;
  siteId: number;
  articleId: number;
  followUpdates: boolean;
}

/** What an editor may change before publishing a queued story. */
export interface QueueEdits {
  headline?: string;
  dek?: string;
  byline?: string | null;
  dateline?: string | null;
  bodyHtml?: string;
}

export interface QueueEntry {
  id: number;
  storyId: number;
  siteId: number | null;
  sectionId: number | null;
  reason: string;
  state: WireQueueState;
  edits: QueueEdits | null;
  createdAt: Date;
  updatedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/**
 * A stored problem's code that this release's catalogue does not have (a row written by an older release
 * whose code was since renamed or retired). It is kept as stored, so listing problems never fails on an old
 * row, and typed apart from ErrorCode, so it cannot be passed on as a catalogue code without a check.
 */
export type UnrecognisedCode = string & { readonly unrecognisedCode: true };

export interface Problem {
  id: number;
  agencyId: number | null;
  source: string;
  item: string | null;
  field: string | null;
  code: ErrorCode | UnrecognisedCode;
  severity: 'error' | 'warning';
  message: string;
  createdAt: Date;
}

export interface Poller {
  id: number;
  agencyId: number;
  kind: WirePollerKind;
  location: string;
  intervalSeconds: number;
  enabled: boolean;
  etag: string | null;
  lastModified: string | null;
  highWater: string | null;
  failures: number;
  nextRunAt: Date;
  lastRunAt: Date | null;
  lastError: string | null;
}

export const OUTCOME_KINDS = ['created', 'updated', 'unchanged', 'killed', 'held', 'rejected'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** What happened to one item (or to a whole document that could not be read). */
export interface ItemOutcome {
  kind: OutcomeKind;
  /** The file or URL the item came from. */
  file: string;
  /** The item's uri, or its position like '#2', or null for the whole document. */
  item: string | null;
  /** The field the reason is about, when there is one. */
  field: string | null;
  /** A DATELINE_ERR_* code for rejections, holds and problems; null for plain success. */
  code: ErrorCode | null;
  reason: string;
  storyId?: number;
  /** Where the story now appears (or will, once its embargo passes). */
  placements?: { site: string; path: string; scheduledFor?: string }[];
}

/** A problem with an item that did not stop it: a value ignored, a picture that could not be fetched. */
export interface Warning {
  file: string;
  item: string | null;
  field: string | null;
  code: ErrorCode;
  message: string;
}

export interface IngestSummary {
  counts: Record<OutcomeKind, number>;
  outcomes: ItemOutcome[];
  warnings: Warning[];
}

export function emptySummary(): IngestSummary {
  return {
    counts: { created: 0, updated: 0, unchanged: 0, killed: 0, held: 0, rejected: 0 },
    outcomes: [],
    warnings: [],
  };
}

export function mergeSummary(into: IngestSummary, from: IngestSummary): IngestSummary {
  for (const k of OUTCOME_KINDS) into.counts[k] += from.counts[k];
  into.outcomes.push(...from.outcomes);
  into.warnings.push(...from.warnings);
  return into;
}
