// The audit log page of the newsroom admin (Network > Audit log, audit.read: admins): every staff action,
// newest first, filtered by person, subject (a story by its number, a site, an account, ...), action and
// date range (days in the chosen site's time zone, UTC across all sites), 50 to a page. Read-only.
import type { FastifyRequest } from 'fastify';
import { instantOfWallTime } from '../../articles/schedule-time.ts';
import { staffActor } from '../../audit/log.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import { sitesWith } from '../permissions.ts';
import { type AdminKit, queryValue } from '../route-kit.tsx';
import { listStaff } from '../staff/staff-directory.ts';
import { type AuditFilter, readAuditLog } from './audit-query.ts';
import { AUDIT_CSS, type AuditFilterValues, AuditView, SUBJECT_KINDS } from './views.tsx';

const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The instant a day starts in a time zone (a day whose midnight the clocks skip starts at 01:00). */
function dayStart(day: string, timeZone: string): Date {
  try {
    return instantOfWallTime(`${day}T00:00`, timeZone);
  } catch (e) {
    if (isDatelineError(e)) return instantOfWallTime(`${day}T01:00`, timeZone);
    throw e;
  }
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function auditScreen(kit: AdminKit): void {
  const { rt } = kit;
  kit.nav.add({
    id: 'audit',
    group: 'Network',
    label: 'Audit log',
    href: '/audit',
    cap: 'audit.read',
    order: 50,
  });
  kit.assets.addCss(AUDIT_CSS);

  const valuesOf = (req: FastifyRequest): AuditFilterValues => ({
    person: queryValue(req, 'person'),
    subjectType: queryValue(req, 'subjectType'),
    subjectId: queryValue(req, 'subjectId').trim(),
    action: queryValue(req, 'action').trim(),
    from: queryValue(req, 'from'),
    to: queryValue(req, 'to'),
  });

  kit.page('/audit', { cap: 'audit.read' }, async (req, reply, a) => {
    const values = valuesOf(req);
    const timeZone = a.site?.site.timeZone ?? 'UTC';
    const problems: Record<string, string> = {};
    const personId = /^[1-9][0-9]{0,9}$/.test(values.person) ? Number(values.person) : null;
    if (values.subjectId && !/^[A-Za-z0-9_.:-]{1,100}$/.test(values.subjectId))
      problems.subjectId = 'A number or name such as 42.';
    if (values.action && !/^[a-z0-9_.]{1,100}$/.test(values.action))
      problems.action = 'Lowercase letters, digits, dots and underscores, e.g. story.published.';
    for (const k of ['from', 'to'] as const)
      if (values[k] && !DAY.test(values[k])) problems[k] = 'A date, e.g. 2026-03-29.';
    if (!problems.from && !problems.to && values.from && values.to && values.to < values.from)
      problems.to = 'The end comes before the start.';
    const readable = sitesWith(a.staff.grants, 'audit.read');
    const chosen = a.site ? [a.site.site.id] : null;
    const filter: AuditFilter = {
      ...(personId !== null && { actor: staffActor(personId) }),
      ...(SUBJECT_KINDS.some((k) => k.type === values.subjectType) && { subjectType: values.subjectType }),
      ...(values.subjectId && !problems.subjectId && { subjectId: values.subjectId }),
      ...(values.action && !problems.action && { action: values.action }),
      ...(values.from && !problems.from && { from: dayStart(values.from, timeZone) }),
      ...(values.to && !problems.to && { to: dayStart(nextDay(values.to), timeZone) }),
      // Network-wide readers see everything, or one site's when one is chosen; others their sites only.
      sites:
        readable === 'all'
          ? (chosen ?? 'all')
          : chosen
            ? chosen.filter((id) => readable.includes(id))
            : readable,
    };
    const before = /^[1-9][0-9]{0,14}$/.test(queryValue(req, 'before'))
      ? Number(queryValue(req, 'before'))
      : undefined;
    const after = /^[1-9][0-9]{0,14}$/.test(queryValue(req, 'after'))
      ? Number(queryValue(req, 'after'))
      : undefined;
    const page = await readAuditLog(rt.db, filter, {
      before,
      after: before === undefined ? after : undefined,
      limit: PAGE_SIZE,
    });

    // Names of the people in view, read now: a renamed editor's entries show their current name.
    const ids = [...new Set(page.entries.map((e) => /^user:(\d+)$/.exec(e.actor)?.[1]).filter(Boolean))].map(
      Number,
    );
    const names = new Map(
      (ids.length
        ? await rt.db.kysely
            .selectFrom('users')
            .select(['id', 'display_name'])
            .where('id', 'in', ids)
            .execute()
        : []
      ).map((u) => [staffActor(u.id), u.display_name]),
    );
    const inView = new Set(a.siteIds);
    const people = (await listStaff(rt.db))
      .filter((p) => p.roles.some((g) => g.siteId === null || inView.has(g.siteId)))
      .map((p) => ({ value: String(p.id), label: p.displayName }));

    const link = (key: 'before' | 'after', id: number | null) => {
      if (id === null) return null;
      const q = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
      q.set(key, String(id));
      return `/audit?${q.toString()}`;
    };
    return kit.render(
      req,
      reply,
      a,
      {
        title: 'Audit log',
        current: 'audit',
        status: Object.keys(problems).length ? 400 : 200,
        notice: Object.keys(problems).length
          ? { kind: 'problem', text: 'Some filters could not be read and were left out: see below.' }
          : undefined,
      },
      <AuditView
        entries={page.entries}
        names={names}
        people={people}
        values={values}
        problems={problems}
        timeZone={timeZone}
        newerHref={link('after', page.newer)}
        olderHref={link('before', page.older)}
      />,
    );
  });
}
