// Who on the wire desk may see and decide what. The review queue, the problems and the received stories are
// shared by the whole network, but a staff member works on the sites they hold `wire.review` on:
// - an entry belongs to every site its agency is licensed for (any of them may pick the story up), and to
//   the site a routing rule suggested; holding wire.review on one of those lets you open and edit it;
// - discarding decides for everyone, so it takes wire.review on the suggested site (or, with no suggestion,
//   on one of the licensed sites);
// - publishing takes wire.review on the site published to (and the agency's licence for it, checked by the
//   queue itself);
// - problems and stories are seen for the agencies licensed for one of your sites.
// A network-wide grant (and the operator token) sees everything. The queries here take the sites as 'all'
// or a list of ids and filter in SQL, so pages stay full and counts stay right.
import type { Q } from '../accounts/repository.ts';
import { fromDbTime } from '../db/values.ts';
import { isErrorCode } from '../errors/catalogue.ts';
import type { Problem, QueueEntry, UnrecognisedCode } from './model.ts';

/** The sites a caller reviews: every site, or these ids. */
export type SiteScope = 'all' | readonly number[];

/** Whether the caller holds wire.review on a site (null: network-wide). */
export type MayReview = (siteId: number | null) => boolean;

/** Where a queue entry belongs: the suggested site, and the sites its agency is licensed for. */
export interface EntryReach {
  id: number;
  storyId: number;
  agencyId: number;
  state: QueueEntry['state'];
  suggestedSiteId: number | null;
  licensedSiteIds: number[];
}

export async function entryReach(q: Q, entryId: number): Promise<EntryReach | null> {
  const row = await q
    .selectFrom('wire_queue as e')
    .innerJoin('wire_stories as s', 's.id', 'e.story_id')
    .select(['e.id', 'e.story_id', 'e.state', 'e.site_id', 's.agency_id'])
    .where('e.id', '=', entryId)
    .executeTakeFirst();
  if (!row) return null;
  const lic = await q
    .selectFrom('wire_licences')
    .select('site_id')
    .where('agency_id', '=', row.agency_id)
    .orderBy('site_id')
    .execute();
  return {
    id: row.id,
    storyId: row.story_id,
    agencyId: row.agency_id,
    state: row.state,
    suggestedSiteId: row.site_id,
    licensedSiteIds: lic.map((l) => l.site_id),
  };
}

export function mayOpenEntry(may: MayReview, r: EntryReach): boolean {
  return (
    may(null) ||
    (r.suggestedSiteId !== null && may(r.suggestedSiteId)) ||
    r.licensedSiteIds.some((id) => may(id))
  );
}

export function mayDiscardEntry(may: MayReview, r: EntryReach): boolean {
  if (may(null)) return true;
  return r.suggestedSiteId !== null ? may(r.suggestedSiteId) : r.licensedSiteIds.some((id) => may(id));
}

/** Narrows a scope to the sites in view (the admin's site switcher); 'all' in view keeps the scope. */
export function narrowScope(scope: SiteScope, inView: readonly number[] | 'all'): SiteScope {
  if (inView === 'all') return scope;
  return scope === 'all' ? inView : scope.filter((id) => inView.includes(id));
}

/** Pending entries for the sites, newest first (a newer version moves its entry to the top). */
export async function queueIdsFor(
  q: Q,
  scope: SiteScope,
  o: { limit: number; offset: number; agencyId?: number },
): Promise<number[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  let query = q
    .selectFrom('wire_queue as e')
    .innerJoin('wire_stories as s', 's.id', 'e.story_id')
    .select('e.id')
    .where('e.state', '=', 'pending');
  if (o.agencyId !== undefined) query = query.where('s.agency_id', '=', o.agencyId);
  if (scope !== 'all') {
    const ids = [...scope];
    query = query.where((eb) =>
      eb.or([
        eb('e.site_id', 'in', ids),
        eb.exists(
          eb
            .selectFrom('wire_licences as l')
            .select('l.site_id')
            .whereRef('l.agency_id', '=', 's.agency_id')
            .where('l.site_id', 'in', ids),
        ),
      ]),
    );
  }
  const rows = await query
    .orderBy('e.updated_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(o.limit)
    .offset(o.offset)
    .execute();
  return rows.map((r) => r.id);
}

/** Kinds of problem an editor tells apart; each stored problem is exactly one of them. */
export const PROBLEM_KINDS = ['rejected', 'held', 'picture', 'feed', 'warning'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

const FEED_CODE = 'DATELINE_ERR_WIRE_FEED_FAILED';
const PICTURE_CODE = 'DATELINE_ERR_WIRE_PICTURE_MISSING';
/**
 * The codes of stories held for an editor rather than refused (ingest-outcomes.ts, story-writes.ts). A story a
 * review rule holds is logged without a code of its own, under the ingest's fallback code as a warning (a
 * refusal with that code is an error), so that pair counts as held too.
 */
const HELD_CODES = [
  'DATELINE_ERR_WIRE_NO_ROUTE',
  'DATELINE_ERR_WIRE_EMBARGO_UNREADABLE',
  'DATELINE_ERR_WIRE_NOT_LICENSED',
  'DATELINE_ERR_WIRE_INGEST_FAILED',
];

export function problemKind(p: Pick<Problem, 'code' | 'severity'>): ProblemKind {
  if (p.code === FEED_CODE) return 'feed';
  if (p.code === PICTURE_CODE) return 'picture';
  if (p.severity === 'error') return 'rejected';
  return HELD_CODES.includes(p.code) ? 'held' : 'warning';
}

/** Problems of the agencies licensed for the sites, newest first, by agency and kind if asked. */
export async function problemsFor(
  q: Q,
  scope: SiteScope,
  o: { limit: number; offset: number; agencyId?: number; kind?: ProblemKind; item?: string },
): Promise<Problem[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  const ids = scope === 'all' ? null : [...scope];
  const agencyId = o.agencyId;
  const kind = o.kind;
  let query = q.selectFrom('wire_problems as p').selectAll('p');
  if (agencyId !== undefined) query = query.where('p.agency_id', '=', agencyId);
  if (o.item !== undefined) query = query.where('p.item', '=', o.item);
  if (ids) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('wire_licences as l')
          .select('l.site_id')
          .whereRef('l.agency_id', '=', 'p.agency_id')
          .where('l.site_id', 'in', ids),
      ),
    );
  }
  if (kind === 'feed') query = query.where('p.code', '=', FEED_CODE);
  else if (kind === 'picture') query = query.where('p.code', '=', PICTURE_CODE);
  else if (kind) {
    query = query.where('p.code', 'not in', [FEED_CODE, PICTURE_CODE]);
    if (kind === 'rejected') query = query.where('p.severity', '=', 'error');
    else {
      query = query.where('p.severity', '=', 'warning');
      query =
        kind === 'held'
          ? query.where('p.code', 'in', HELD_CODES)
          : query.where('p.code', 'not in', HELD_CODES);
    }
  }
  const rows = await query.orderBy('p.id', 'desc').limit(o.limit).offset(o.offset).execute();
  return rows.map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    source: r.source,
    item: r.item,
    field: r.field,
    // Checked, not cast, as the repository does: an older release's row may carry a retired code.
    code: isErrorCode(r.code) ? r.code : (r.code as UnrecognisedCode),
    severity: r.severity,
    message: r.message,
    createdAt: fromDbTime(r.created_at),
  }));
}

/** Received stories of the agencies licensed for the sites, newest first. */
export async function storyIdsFor(q: Q, scope: SiteScope, limit: number): Promise<number[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  let query = q.selectFrom('wire_stories as s').select('s.id');
  if (scope !== 'all') {
    const ids = [...scope];
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('wire_licences as l')
          .select('l.site_id')
          .whereRef('l.agency_id', '=', 's.agency_id')
          .where('l.site_id', 'in', ids),
      ),
    );
  }
  const rows = await query.orderBy('s.updated_at', 'desc').orderBy('s.id', 'desc').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** The site's id for a slug, or null. */
export async function siteIdOfSlug(q: Q, slug: string): Promise<number | null> {
  const r = await q.selectFrom('sites').select('id').where('slug', '=', slug).executeTakeFirst();
  return r?.id ?? null;
}
