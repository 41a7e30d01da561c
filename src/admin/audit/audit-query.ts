// Reading the audit log for its page: newest first, filtered by person (actor), subject (a story, a site, an
// account, ...), action (exact, or every action of a kind: "story." matches story.published and the rest)
// and a date range, a page at a time by id (keyset, so a page costs the same however deep; the indexes are
// in migration 0011). Someone who reads the log for some sites only sees what concerns those sites: their
// stories, the sites themselves and their sections.
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { fromDbTime, toDbTime } from '../../db/values.ts';

export interface AuditFilter {
  actor?: string;
  subjectType?: string;
  subjectId?: string;
  /** Exact, or a prefix ending in "." for every action of that kind. */
  action?: string;
  /** From this instant (inclusive) to that one (exclusive). */
  from?: Date;
  to?: Date;
  /** 'all' for network-wide readers; else the sites whose entries they may read. */
  sites: 'all' | number[];
}

export interface AuditEntryView {
  id: number;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Everything else the entry kept (a reason, the site). */
  detail: Record<string, unknown>;
  createdAt: Date;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Ids to page from: `before` for older entries, `after` for newer; null at either end. */
  older: number | null;
  newer: number | null;
}

const ID_TEXT = sql<string>`cast(id as text)`;

export async function readAuditLog(
  db: Db,
  f: AuditFilter,
  page: { before?: number; after?: number; limit: number },
): Promise<AuditPage> {
  const q = db.kysely;
  const filtered = () => {
    let s = q.selectFrom('audit_log');
    if (f.actor) s = s.where('actor', '=', f.actor);
    if (f.subjectType) s = s.where('subject_type', '=', f.subjectType);
    if (f.subjectId) s = s.where('subject_id', '=', f.subjectId);
    if (f.action) {
      const prefix = f.action.endsWith('.');
      // A prefix is matched with LIKE, its own % and _ escaped (actions use _ as in role_granted).
      const pattern = `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      s = prefix
        ? s.where(sql<SqlBool>`action like ${pattern} escape '\\'`)
        : s.where('action', '=', f.action);
    }
    if (f.from) s = s.where('created_at', '>=', toDbTime(f.from));
    if (f.to) s = s.where('created_at', '<', toDbTime(f.to));
    if (f.sites !== 'all') {
      const ids = f.sites.length ? f.sites : [-1];
      s = s.where((eb) => {
        const parts: Expression<SqlBool>[] = [
          eb.and([
            eb('subject_type', '=', 'article'),
            eb(
              'subject_id',
              'in',
              eb.selectFrom('articles').select(ID_TEXT.as('sid')).where('site_id', 'in', ids),
            ),
          ]),
          eb.and([eb('subject_type', '=', 'site'), eb('subject_id', 'in', ids.map(String))]),
          eb.and([
            eb('subject_type', '=', 'section'),
            eb(
              'subject_id',
              'in',
              eb.selectFrom('sections').select(ID_TEXT.as('sid')).where('site_id', 'in', ids),
            ),
          ]),
        ];
        return eb.or(parts);
      });
    }
    return s;
  };
  const limit = page.limit;
  const newerFirst = page.after === undefined;
  let list = filtered().selectAll();
  if (page.before !== undefined) list = list.where('id', '<', page.before);
  if (page.after !== undefined) list = list.where('id', '>', page.after);
  const rows = await list
    .orderBy('id', newerFirst ? 'desc' : 'asc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  if (!newerFirst) shown.reverse();
  const entries = shown.map(toView);
  const first = entries[0]?.id;
  const last = entries[entries.length - 1]?.id;
  const exists = async (cmp: '<' | '>', id: number) =>
    (await filtered().select('id').where('id', cmp, id).limit(1).executeTakeFirst()) !== undefined;
  const older =
    last === undefined ? null : newerFirst ? (more ? last : null) : (await exists('<', last)) ? last : null;
  const newer =
    first === undefined
      ? null
      : !newerFirst
        ? more
          ? first
          : null
        : (await exists('>', first))
          ? first
          : null;
  return { entries, older, newer };
}

function toView(r: {
  id: number;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: string;
  created_at: string | Date;
}): AuditEntryView {
  let parsed: Record<string, unknown> = {};
  try {
    const v = JSON.parse(r.detail) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v as Record<string, unknown>;
  } catch {
    // An entry written by hand or by an old version: shown with no detail rather than failing the page.
  }
  const { before, after, ...detail } = parsed;
  const half = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  return {
    id: r.id,
    actor: r.actor,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    before: half(before),
    after: half(after),
    detail,
    createdAt: fromDbTime(r.created_at),
  };
}
