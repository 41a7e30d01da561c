// Queries on the wire tables. Values come back normalised (see db/values): dates as Date, flags as booleans,
// the stored item as a WireItem with its dates revived. Every function takes the query runner, so the same
// query works inside an ingest transaction and outside it.

import type { Compilable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { runCompiledOnce } from '../db/reusable-query.ts';
import { fromDbBool, fromDbTime, fromDbTimeOrNull, toDbBool, toDbTime } from '../db/values.ts';
import { type ErrorCode, isErrorCode } from '../errors/catalogue.ts';
import type {
  Agency,
  Poller,
  Problem,
  QueueEdits,
  QueueEntry,
  Route,
  Story,
  StoryArticle,
  UnrecognisedCode,
} from './model.ts';
import type { WireItem } from './parse/types.ts';
import type {
  WireAgenciesTable,
  WirePollersTable,
  WireProblemsTable,
  WireQueueState,
  WireQueueTable,
  WireRoutesTable,
  WireStoriesTable,
} from './tables.ts';

export type Q = Kysely<Database> | Transaction<Database>;

// ---- hot path ----------------------------------------------------------------------------------------

// The statements every ingested item runs are compiled once per dialect (see db/reusable-query.ts).
const run = <R>(q: Q, name: string, build: () => Compilable<R>, parameters: unknown[]) =>
  runCompiledOnce<R>(q, name, build, parameters);

// ---- items as stored ---------------------------------------------------------------------------------

/** The item as JSON text; dates become ISO strings and are revived by `itemFromJson`. */
export function itemToJson(item: WireItem): string {
  return JSON.stringify(item);
}

function dateOrNull(v: unknown): Date | null {
  return typeof v === 'string' ? new Date(v) : null;
}

export function itemFromJson(text: string): WireItem {
  const raw = JSON.parse(text) as WireItem & Record<string, unknown>;
  const embargo = raw.embargoed as unknown as { at?: string; unparseable?: string } | null;
  return {
    ...raw,
    versionCreated: dateOrNull(raw.versionCreated),
    firstCreated: dateOrNull(raw.firstCreated),
    expires: dateOrNull(raw.expires),
    embargoed:
      embargo == null
        ? null
        : typeof embargo.at === 'string'
          ? { at: new Date(embargo.at) }
          : { unparseable: String(embargo.unparseable ?? '') },
  };
}

// ---- agencies, licences, routes ----------------------------------------------------------------------

function toAgency(r: Selectable<WireAgenciesTable>, siteIds: number[]): Agency {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    credit: r.credit,
    retentionDays: r.retention_days,
    hasToken: r.token_hash !== null,
    siteIds,
  };
}

async function withLicences(q: Q, rows: Selectable<WireAgenciesTable>[]): Promise<Agency[]> {
  if (rows.length === 0) return [];
  const lic = await q
    .selectFrom('wire_licences')
    .select(['agency_id', 'site_id'])
    .where(
      'agency_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('site_id')
    .execute();
  return rows.map((r) =>
    toAgency(
      r,
      lic.filter((l) => l.agency_id === r.id).map((l) => l.site_id),
    ),
  );
}

export async function listAgencies(q: Q): Promise<Agency[]> {
  return withLicences(q, await q.selectFrom('wire_agencies').selectAll().orderBy('slug').execute());
}

export async function findAgency(
  q: Q,
  by: { slug: string } | { id: number } | { tokenHash: string },
): Promise<Agency | null> {
  let query = q.selectFrom('wire_agencies').selectAll();
  if ('slug' in by) query = query.where('slug', '=', by.slug);
  else if ('id' in by) query = query.where('id', '=', by.id);
  else query = query.where('token_hash', '=', by.tokenHash);
  const row = await query.executeTakeFirst();
  return row ? ((await withLicences(q, [row]))[0] ?? null) : null;
}

export async function insertAgency(
  q: Q,
  a: { slug: string; name: string; credit: string; retentionDays: number | null },
  now: Date,
): Promise<number> {
  const row = await q
    .insertInto('wire_agencies')
    .values({
      slug: a.slug,
      name: a.name,
      credit: a.credit,
      retention_days: a.retentionDays,
      token_hash: null,
      created_at: toDbTime(now),
      updated_at: toDbTime(now),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAgency(
  q: Q,
  id: number,
  patch: { name?: string; credit?: string; retentionDays?: number | null; tokenHash?: string | null },
  now: Date,
): Promise<void> {
  await q
    .updateTable('wire_agencies')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.credit !== undefined && { credit: patch.credit }),
      ...(patch.retentionDays !== undefined && { retention_days: patch.retentionDays }),
      ...(patch.tokenHash !== undefined && { token_hash: patch.tokenHash }),
      updated_at: toDbTime(now),
    })
    .where('id', '=', id)
    .execute();
}

export async function setLicences(q: Q, agencyId: number, siteIds: number[]): Promise<void> {
  await q.deleteFrom('wire_licences').where('agency_id', '=', agencyId).execute();
  if (siteIds.length > 0) {
    await q
      .insertInto('wire_licences')
      .values([...new Set(siteIds)].map((site_id) => ({ agency_id: agencyId, site_id })))
      .execute();
  }
}

function toRoute(r: Selectable<WireRoutesTable>): Route {
  return {
    id: r.id,
    agencyId: r.agency_id,
    subjectCode: r.subject_code,
    sluglinePrefix: r.slugline_prefix,
    keyword: r.keyword,
    maxUrgency: r.max_urgency,
    siteId: r.site_id,
    sectionId: r.section_id,
    action: r.action,
    position: r.position,
  };
}

/** Rules in the order they are tried; with `agencyId`, that agency's rules and the rules for every agency. */
export async function listRoutes(q: Q, agencyId?: number): Promise<Route[]> {
  let query = q.selectFrom('wire_routes').selectAll();
  if (agencyId !== undefined)
    query = query.where((eb) => eb.or([eb('agency_id', '=', agencyId), eb('agency_id', 'is', null)]));
  const rows = await query.orderBy('position').orderBy('id').execute();
  return rows.map(toRoute);
}

export async function insertRoute(q: Q, r: Omit<Route, 'id'>): Promise<number> {
  const row = await q
    .insertInto('wire_routes')
    .values({
      agency_id: r.agencyId,
      subject_code: r.subjectCode,
      slugline_prefix: r.sluglinePrefix,
      keyword: r.keyword,
      max_urgency: r.maxUrgency,
      site_id: r.siteId,
      section_id: r.sectionId,
      action: r.action,
      position: r.position,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function nextRoutePosition(q: Q): Promise<number> {
  const r = await q
    .selectFrom('wire_routes')
    .select((eb) => eb.fn.max('position').as('p'))
    .executeTakeFirst();
  return Number(r?.p ?? 0) + 10;
}

export async function deleteRoute(q: Q, id: number): Promise<boolean> {
  const res = await q.deleteFrom('wire_routes').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

// ---- stories ---------------------------------------------------------------------------------------------

export function toStory(r: Selectable<WireStoriesTable>): Story {
  return {
    id: r.id,
    agencyId: r.agency_id,
    uri: r.uri,
    version: r.version,
    versionCreated: fromDbTimeOrNull(r.version_created),
    state: r.state,
    headline: r.headline,
    item: itemFromJson(r.item),
    contentHash: r.content_hash,
    usageTerms: r.usage_terms,
    edNote: r.ed_note,
    corrected: fromDbBool(r.corrected),
    embargoUntil: fromDbTimeOrNull(r.embargo_until),
    expiresAt: fromDbTimeOrNull(r.expires_at),
    leadPictureId: r.lead_picture_id,
    source: r.source,
    firstSeenAt: fromDbTime(r.first_seen_at),
    updatedAt: fromDbTime(r.updated_at),
    killedAt: fromDbTimeOrNull(r.killed_at),
  };
}

/** The version bookkeeping of a story, without its stored item: what the "is this newer?" check needs. */
export interface StoryHead {
  id: number;
  version: string | null;
  versionCreated: Date | null;
  state: Story['state'];
  contentHash: string;
  corrected: boolean;
  leadPictureId: number | null;
  firstSeenAt: Date;
}

const HEAD_COLUMNS = [
  'id',
  'version',
  'version_created',
  'state',
  'content_hash',
  'corrected',
  'lead_picture_id',
  'first_seen_at',
] as const;

export async function findStoryHead(q: Q, agencyId: number, uri: string): Promise<StoryHead | null> {
  const { rows } = await run(
    q,
    'findStoryHead',
    () => q.selectFrom('wire_stories').select(HEAD_COLUMNS).where('agency_id', '=', 0).where('uri', '=', ''),
    [agencyId, uri],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    version: r.version,
    versionCreated: fromDbTimeOrNull(r.version_created),
    state: r.state,
    contentHash: r.content_hash,
    corrected: fromDbBool(r.corrected),
    leadPictureId: r.lead_picture_id,
    firstSeenAt: fromDbTime(r.first_seen_at),
  };
}

export async function findStory(
  q: Q,
  by: { id: number } | { agencyId: number; uri: string },
): Promise<Story | null> {
  let query = q.selectFrom('wire_stories').selectAll();
  query =
    'id' in by
      ? query.where('id', '=', by.id)
      : query.where('agency_id', '=', by.agencyId).where('uri', '=', by.uri);
  const r = await query.executeTakeFirst();
  return r ? toStory(r) : null;
}

export interface StoryValues {
  version: string | null;
  versionCreated: Date | null;
  state: Story['state'];
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
  killedAt: Date | null;
}

function storyColumns(v: StoryValues, now: Date) {
  return {
    version: v.version,
    version_created: v.versionCreated ? toDbTime(v.versionCreated) : null,
    state: v.state,
    headline: v.headline.slice(0, 1000),
    item: itemToJson(v.item),
    content_hash: v.contentHash,
    usage_terms: v.usageTerms,
    ed_note: v.edNote,
    corrected: toDbBool(v.corrected),
    embargo_until: v.embargoUntil ? toDbTime(v.embargoUntil) : null,
    expires_at: v.expiresAt ? toDbTime(v.expiresAt) : null,
    lead_picture_id: v.leadPictureId,
    source: v.source,
    killed_at: v.killedAt ? toDbTime(v.killedAt) : null,
    updated_at: toDbTime(now),
  };
}

export async function insertStory(
  q: Q,
  agencyId: number,
  uri: string,
  v: StoryValues,
  now: Date,
): Promise<number> {
  const values = { agency_id: agencyId, uri, first_seen_at: toDbTime(now), ...storyColumns(v, now) };
  const columns = Object.keys(values) as (keyof typeof values)[];
  const { rows } = await run(
    q,
    'insertStory',
    () => q.insertInto('wire_stories').values(values).returning('id'),
    columns.map((c) => values[c]),
  );
  return rows[0]!.id;
}

export async function updateStory(q: Q, id: number, v: StoryValues, now: Date): Promise<void> {
  await q.updateTable('wire_stories').set(storyColumns(v, now)).where('id', '=', id).execute();
}

export async function setStoryState(
  q: Q,
  id: number,
  state: Story['state'],
  now: Date,
  extra: { killedAt?: Date } = {},
): Promise<void> {
  await q
    .updateTable('wire_stories')
    .set({ state, updated_at: toDbTime(now), ...(extra.killedAt && { killed_at: toDbTime(extra.killedAt) }) })
    .where('id', '=', id)
    .execute();
}

export async function storyArticles(q: Q, storyId: number): Promise<StoryArticle[]> {
  const rows = await q
    .selectFrom('wire_story_articles')
    .selectAll()
    .where('story_id', '=', storyId)
    .orderBy('site_id')
    .execute();
  return rows.map((r) => ({
    storyId: r.story_id,
    siteId: r.site_id,
    articleId: r.article_id,
    followUpdates: fromDbBool(r.follow_updates),
  }));
}

export async function linkArticle(q: Q, link: StoryArticle): Promise<void> {
  const values = {
    story_id: link.storyId,
    site_id: link.siteId,
    article_id: link.articleId,
    follow_updates: toDbBool(link.followUpdates),
  };
  await run(
    q,
    'linkArticle',
    () => q.insertInto('wire_story_articles').values(values),
    Object.values(values),
  );
}

export async function setFollowUpdates(
  q: Q,
  storyId: number,
  siteId: number,
  follow: boolean,
): Promise<void> {
  await q
    .updateTable('wire_story_articles')
    .set({ follow_updates: toDbBool(follow) })
    .where('story_id', '=', storyId)
    .where('site_id', '=', siteId)
    .execute();
}

/** The agency's articles on the given sites (taking one down twice is harmless, so all are listed). */
export async function articlesOnSites(q: Q, agencyId: number, siteIds: number[]): Promise<StoryArticle[]> {
  if (siteIds.length === 0) return [];
  const rows = await q
    .selectFrom('wire_story_articles as l')
    .innerJoin('wire_stories as s', 's.id', 'l.story_id')
    .select(['l.story_id', 'l.site_id', 'l.article_id', 'l.follow_updates'])
    .where('s.agency_id', '=', agencyId)
    .where('l.site_id', 'in', siteIds)
    .execute();
  return rows.map((r) => ({
    storyId: r.story_id,
    siteId: r.site_id,
    articleId: r.article_id,
    followUpdates: fromDbBool(r.follow_updates),
  }));
}

export async function storiesDueToExpire(q: Q, now: Date, limit: number): Promise<number[]> {
  const rows = await q
    .selectFrom('wire_stories')
    .select('id')
    .where('state', '=', 'active')
    .where('expires_at', '<=', toDbTime(now))
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function listStories(q: Q, opts: { limit: number; agencyId?: number }): Promise<Story[]> {
  let query = q.selectFrom('wire_stories').selectAll();
  if (opts.agencyId !== undefined) query = query.where('agency_id', '=', opts.agencyId);
  const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map(toStory);
}

// ---- pictures --------------------------------------------------------------------------------------------

export interface PictureRow {
  id: number;
  version: string | null;
  state: 'stored' | 'canceled';
  mediaId: number | null;
}

export async function findPicture(q: Q, agencyId: number, uri: string): Promise<PictureRow | null> {
  const r = await q
    .selectFrom('wire_pictures')
    .select(['id', 'version', 'state', 'media_id'])
    .where('agency_id', '=', agencyId)
    .where('uri', '=', uri)
    .executeTakeFirst();
  return r ? { id: r.id, version: r.version, state: r.state, mediaId: r.media_id } : null;
}

/** Records the picture's version and where it is stored; returns its id. Safe when two ingests race. */
export async function savePicture(
  q: Q,
  agencyId: number,
  uri: string,
  v: { version: string | null; state: 'stored' | 'canceled'; mediaId: number | null },
  now: Date,
): Promise<number> {
  const row = await q
    .insertInto('wire_pictures')
    .values({
      agency_id: agencyId,
      uri,
      version: v.version,
      state: v.state,
      media_id: v.mediaId,
      created_at: toDbTime(now),
      updated_at: toDbTime(now),
    })
    .onConflict((oc) =>
      oc.columns(['agency_id', 'uri']).doUpdateSet({
        version: v.version,
        state: v.state,
        media_id: v.mediaId,
        updated_at: toDbTime(now),
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function storiesUsingPicture(q: Q, pictureId: number): Promise<number[]> {
  const rows = await q
    .selectFrom('wire_stories')
    .select('id')
    .where('lead_picture_id', '=', pictureId)
    .execute();
  return rows.map((r) => r.id);
}

export async function clearLeadPicture(q: Q, pictureId: number): Promise<void> {
  await q
    .updateTable('wire_stories')
    .set({ lead_picture_id: null })
    .where('lead_picture_id', '=', pictureId)
    .execute();
}

// ---- review queue ---------------------------------------------------------------------------------------

function toEntry(r: Selectable<WireQueueTable>): QueueEntry {
  return {
    id: r.id,
    storyId: r.story_id,
    siteId: r.site_id,
    sectionId: r.section_id,
    reason: r.reason,
    state: r.state,
    edits: r.edits ? (JSON.parse(r.edits) as QueueEdits) : null,
    createdAt: fromDbTime(r.created_at),
    updatedAt: fromDbTime(r.updated_at),
    decidedBy: r.decided_by,
    decidedAt: fromDbTimeOrNull(r.decided_at),
  };
}

export async function findEntry(q: Q, id: number): Promise<QueueEntry | null> {
  const r = await q.selectFrom('wire_queue').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toEntry(r) : null;
}

export async function pendingEntryOf(q: Q, storyId: number): Promise<QueueEntry | null> {
  const r = await q
    .selectFrom('wire_queue')
    .selectAll()
    .where('story_id', '=', storyId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return r ? toEntry(r) : null;
}

/** Puts the story in the queue, or refreshes its pending entry (a newer version moves it to the top). */
export async function queueStory(
  q: Q,
  storyId: number,
  v: { siteId: number | null; sectionId: number | null; reason: string },
  now: Date,
): Promise<number> {
  const pending = await pendingEntryOf(q, storyId);
  if (pending) {
    await q
      .updateTable('wire_queue')
      .set({
        site_id: v.siteId ?? pending.siteId,
        section_id: v.sectionId ?? pending.sectionId,
        reason: v.reason,
        updated_at: toDbTime(now),
      })
      .where('id', '=', pending.id)
      .execute();
    return pending.id;
  }
  const row = await q
    .insertInto('wire_queue')
    .values({
      story_id: storyId,
      site_id: v.siteId,
      section_id: v.sectionId,
      reason: v.reason,
      state: 'pending',
      edits: null,
      created_at: toDbTime(now),
      updated_at: toDbTime(now),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function touchPendingEntry(q: Q, storyId: number, now: Date): Promise<void> {
  await q
    .updateTable('wire_queue')
    .set({ updated_at: toDbTime(now) })
    .where('story_id', '=', storyId)
    .where('state', '=', 'pending')
    .execute();
}

export async function decideEntry(
  q: Q,
  id: number,
  state: Exclude<WireQueueState, 'pending'>,
  actor: string,
  now: Date,
): Promise<boolean> {
  const res = await q
    .updateTable('wire_queue')
    .set({ state, decided_by: actor, decided_at: toDbTime(now), updated_at: toDbTime(now) })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function withdrawPending(q: Q, storyId: number, actor: string, now: Date): Promise<void> {
  await q
    .updateTable('wire_queue')
    .set({ state: 'withdrawn', decided_by: actor, decided_at: toDbTime(now), updated_at: toDbTime(now) })
    .where('story_id', '=', storyId)
    .where('state', '=', 'pending')
    .execute();
}

export async function saveEdits(q: Q, id: number, edits: QueueEdits, now: Date): Promise<void> {
  await q
    .updateTable('wire_queue')
    .set({ edits: JSON.stringify(edits), updated_at: toDbTime(now) })
    .where('id', '=', id)
    .execute();
}

export async function listQueue(
  q: Q,
  opts: { state: WireQueueState; limit: number; offset?: number; agencyId?: number },
): Promise<QueueEntry[]> {
  let query = q.selectFrom('wire_queue as e').selectAll('e').where('e.state', '=', opts.state);
  if (opts.agencyId !== undefined) {
    query = query
      .innerJoin('wire_stories as s', 's.id', 'e.story_id')
      .where('s.agency_id', '=', opts.agencyId);
  }
  const rows = await query
    .orderBy('e.updated_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset ?? 0)
    .execute();
  return rows.map(toEntry);
}

// ---- problems ----------------------------------------------------------------------------------------------

/** A problem to store: only catalogue codes are written. */
export type ProblemInput = Omit<Problem, 'id' | 'createdAt' | 'code'> & { code: ErrorCode };

export async function insertProblems(q: Q, problems: ProblemInput[], now: Date): Promise<void> {
  if (problems.length === 0) return;
  await q
    .insertInto('wire_problems')
    .values(
      problems.map((p) => ({
        agency_id: p.agencyId,
        source: p.source.slice(0, 2000),
        item: p.item?.slice(0, 2000) ?? null,
        field: p.field?.slice(0, 500) ?? null,
        code: p.code,
        severity: p.severity,
        message: p.message.slice(0, 4000),
        created_at: toDbTime(now),
      })),
    )
    .execute();
}

function toProblem(r: Selectable<WireProblemsTable>): Problem {
  return {
    id: r.id,
    agencyId: r.agency_id,
    source: r.source,
    item: r.item,
    field: r.field,
    // Checked, not cast: a row from an older release may carry a code this catalogue no longer has.
    code: isErrorCode(r.code) ? r.code : (r.code as UnrecognisedCode),
    severity: r.severity,
    message: r.message,
    createdAt: fromDbTime(r.created_at),
  };
}

export async function listProblems(q: Q, opts: { limit: number; item?: string }): Promise<Problem[]> {
  let query = q.selectFrom('wire_problems').selectAll();
  if (opts.item !== undefined) query = query.where('item', '=', opts.item);
  const rows = await query.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map(toProblem);
}

// ---- pollers ------------------------------------------------------------------------------------------------

function toPoller(r: Selectable<WirePollersTable>): Poller {
  return {
    id: r.id,
    agencyId: r.agency_id,
    kind: r.kind,
    location: r.location,
    intervalSeconds: r.interval_seconds,
    enabled: fromDbBool(r.enabled),
    etag: r.etag,
    lastModified: r.last_modified,
    highWater: r.high_water,
    failures: r.failures,
    nextRunAt: fromDbTime(r.next_run_at),
    lastRunAt: fromDbTimeOrNull(r.last_run_at),
    lastError: r.last_error,
  };
}

export async function insertPoller(
  q: Q,
  p: { agencyId: number; kind: Poller['kind']; location: string; intervalSeconds: number; nextRunAt: Date },
): Promise<number> {
  const row = await q
    .insertInto('wire_pollers')
    .values({
      agency_id: p.agencyId,
      kind: p.kind,
      location: p.location,
      interval_seconds: p.intervalSeconds,
      enabled: 1,
      etag: null,
      last_modified: null,
      high_water: null,
      failures: 0,
      next_run_at: toDbTime(p.nextRunAt),
      last_run_at: null,
      last_error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findPoller(q: Q, id: number): Promise<Poller | null> {
  const r = await q.selectFrom('wire_pollers').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toPoller(r) : null;
}

export async function listPollers(q: Q): Promise<Poller[]> {
  return (await q.selectFrom('wire_pollers').selectAll().orderBy('id').execute()).map(toPoller);
}

export async function duePollers(q: Q, now: Date): Promise<Poller[]> {
  const rows = await q
    .selectFrom('wire_pollers')
    .selectAll()
    .where('enabled', '=', 1)
    .where('next_run_at', '<=', toDbTime(now))
    .orderBy('next_run_at')
    .execute();
  return rows.map(toPoller);
}

export async function updatePoller(
  q: Q,
  id: number,
  v: Partial<
    Pick<
      Poller,
      'etag' | 'lastModified' | 'highWater' | 'failures' | 'nextRunAt' | 'lastRunAt' | 'lastError' | 'enabled'
    >
  >,
): Promise<void> {
  await q
    .updateTable('wire_pollers')
    .set({
      ...(v.etag !== undefined && { etag: v.etag }),
      ...(v.lastModified !== undefined && { last_modified: v.lastModified }),
      ...(v.highWater !== undefined && { high_water: v.highWater }),
      ...(v.failures !== undefined && { failures: v.failures }),
      ...(v.nextRunAt !== undefined && { next_run_at: toDbTime(v.nextRunAt) }),
      ...(v.lastRunAt !== undefined && { last_run_at: v.lastRunAt ? toDbTime(v.lastRunAt) : null }),
      ...(v.lastError !== undefined && { last_error: v.lastError }),
      ...(v.enabled !== undefined && { enabled: toDbBool(v.enabled) }),
    })
    .where('id', '=', id)
    .execute();
}

export async function deletePoller(q: Q, id: number): Promise<boolean> {
  const res = await q.deleteFrom('wire_pollers').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function seenFiles(q: Q, pollerId: number): Promise<Map<string, string>> {
  const rows = await q
    .selectFrom('wire_poller_files')
    .select(['name', 'signature'])
    .where('poller_id', '=', pollerId)
    .execute();
  return new Map(rows.map((r) => [r.name, r.signature]));
}

export async function markFileSeen(q: Q, pollerId: number, name: string, signature: string): Promise<void> {
  await q
    .insertInto('wire_poller_files')
    .values({ poller_id: pollerId, name, signature })
    .onConflict((oc) => oc.columns(['poller_id', 'name']).doUpdateSet({ signature }))
    .execute();
}

// ---- inbox --------------------------------------------------------------------------------------------------

export async function insertInbox(
  q: Q,
  v: { agencyId: number; source: string; body: string },
  now: Date,
): Promise<number> {
  const row = await q
    .insertInto('wire_inbox')
    .values({
      agency_id: v.agencyId,
      source: v.source,
      body: v.body,
      state: 'pending',
      summary: null,
      received_at: toDbTime(now),
      done_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findInbox(q: Q, id: number) {
  const r = await q.selectFrom('wire_inbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    agencyId: r.agency_id,
    source: r.source,
    body: r.body,
    state: r.state,
    summary: r.summary ? (JSON.parse(r.summary) as unknown) : null,
    receivedAt: fromDbTime(r.received_at),
    doneAt: fromDbTimeOrNull(r.done_at),
  };
}

/** Marks a delivery done and drops its body (the stories are in their own tables now); keeps the summary. */
export async function finishInbox(q: Q, id: number, summary: unknown, now: Date): Promise<boolean> {
  const res = await q
    .updateTable('wire_inbox')
    .set({ state: 'done', body: '', summary: JSON.stringify(summary), done_at: toDbTime(now) })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Drops problems and finished deliveries older than `before`. */
export async function pruneOld(q: Q, before: Date): Promise<void> {
  await q.deleteFrom('wire_problems').where('created_at', '<', toDbTime(before)).execute();
  await q
    .deleteFrom('wire_inbox')
    .where('state', '=', 'done')
    .where('received_at', '<', toDbTime(before))
    .execute();
}
