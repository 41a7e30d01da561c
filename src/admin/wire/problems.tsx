// The wire problems screen (/wire/problems): what the problem log holds for the agencies of the sites in
// view (rejected items, stories held for an editor, pictures that could not be fetched, failing feeds and
// pollers, warnings about ignored values), newest first, filtered by agency and kind. Read-only: each row
// says what to do, and the fix is made where the problem is (the agency, the feed, the queue).
import type { WireDesk } from '../../wire/desk.ts';
import { PROBLEM_KINDS, type ProblemKind, problemKind } from '../../wire/desk-scope.ts';
import type { Problem } from '../../wire/model.ts';
import { type AdminKit, queryValue } from '../route-kit.tsx';
import { deskScope, deskZone, scopeNames, When } from './shared.tsx';

const PAGE_SIZE = 50;

const KIND_LABELS: Record<ProblemKind, string> = {
  rejected: 'Rejected',
  held: 'Held for an editor',
  picture: 'Picture missing',
  feed: 'Feed failing',
  warning: 'Warning',
};

const KIND_BADGES: Record<ProblemKind, string> = {
  rejected: 'adm-badge adm-badge-bad',
  held: 'adm-badge adm-badge-warn',
  picture: 'adm-badge adm-badge-warn',
  feed: 'adm-badge adm-badge-bad',
  warning: 'adm-badge',
};

function ProblemsView(p: {
  problems: Problem[];
  agencyNames: Map<number, string>;
  agencies: { slug: string; name: string }[];
  agency: string;
  kind: ProblemKind | '';
  page: number;
  more: boolean;
  zone: string;
  scopeNote: string;
}) {
  const link = (page: number) =>
    `/wire/problems?${new URLSearchParams({
      ...(p.agency && { agency: p.agency }),
      ...(p.kind && { kind: p.kind }),
      page: String(page),
    }).toString()}`;
  return (
    <>
      <form method="get" action="/wire/problems" class="adm-toolbar wire-filter">
        <div class="adm-field">
          <label for="wp-agency">Agency</label>
          <select id="wp-agency" name="agency">
            <option value="">All agencies</option>
            {p.agencies.map((g) => (
              <option value={g.slug} selected={g.slug === p.agency} key={g.slug}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div class="adm-field">
          <label for="wp-kind">Kind</label>
          <select id="wp-kind" name="kind">
            <option value="">Every kind</option>
            {PROBLEM_KINDS.map((k) => (
              <option value={k} selected={k === p.kind} key={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="adm-button adm-button-quiet">
          Filter
        </button>
        <p class="adm-muted wire-scope">{p.scopeNote}</p>
      </form>
      {p.problems.length === 0 ? (
        <p class="adm-panel">
          {p.agency || p.kind
            ? 'No problem of this kind is recorded. Problems are kept for 30 days.'
            : 'No wire problem is recorded for these sites. Problems are kept for 30 days.'}
        </p>
      ) : (
        <div class="adm-table-wrap wire-table-wrap">
          <table class="adm-table wire-problems">
            <caption class="adm-muted">Newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Agency</th>
                <th scope="col">Kind</th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {p.problems.map((pr) => {
                const kind = problemKind(pr);
                return (
                  <tr key={pr.id}>
                    <td class="wire-nowrap">
                      <When at={pr.createdAt} zone={p.zone} />
                    </td>
                    <td>{pr.agencyId !== null ? (p.agencyNames.get(pr.agencyId) ?? '—') : '—'}</td>
                    <td>
                      <span class={KIND_BADGES[kind]}>{KIND_LABELS[kind]}</span>
                    </td>
                    <td>
                      <p class="wire-problem-message">{pr.message}</p>
                      <p class="adm-muted wire-problem-where">
                        <code>{pr.code}</code>
                        {pr.item && <span> · item {pr.item}</span>}
                        {pr.field && <span> · field {pr.field}</span>}
                        {pr.source && <span> · from {pr.source}</span>}
                      </p>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {(p.page > 1 || p.more) && (
        <nav class="adm-pager" aria-label="Problem pages">
          {p.page > 1 && <a href={link(p.page - 1)}>Newer problems</a>}
          {p.more && <a href={link(p.page + 1)}>Older problems</a>}
        </nav>
      )}
    </>
  );
}

export function problemRoutes(kit: AdminKit, desk: WireDesk): void {
  kit.page('/wire/problems', { cap: 'wire.review' }, async (req, reply, a) => {
    const scope = deskScope(a);
    const all = await kit.rt.wire.setup.listAgencies();
    const agencies = all.filter(
      (g) => scope === 'all' || g.siteIds.some((id) => (scope as readonly number[]).includes(id)),
    );
    const agency = agencies.find((g) => g.slug === queryValue(req, 'agency'));
    const rawKind = queryValue(req, 'kind');
    const kind = (PROBLEM_KINDS as readonly string[]).includes(rawKind) ? (rawKind as ProblemKind) : '';
    const page = Math.max(1, Math.min(Number.parseInt(queryValue(req, 'page'), 10) || 1, 10_000));
    const rows = await desk.problems(scope, {
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
      ...(agency && { agencyId: agency.id }),
      ...(kind && { kind }),
    });
    return kit.render(
      req,
      reply,
      a,
      { title: 'Wire problems', current: 'wire-problems' },
      <ProblemsView
        problems={rows.slice(0, PAGE_SIZE)}
        agencyNames={new Map(all.map((g) => [g.id, g.name]))}
        agencies={agencies.map((g) => ({ slug: g.slug, name: g.name }))}
        agency={agency?.slug ?? ''}
        kind={kind}
        page={page}
        more={rows.length > PAGE_SIZE}
        zone={deskZone(a)}
        scopeNote={`For ${scopeNames(a, scope)}. Times in ${deskZone(a)}.`}
      />,
    );
  });
}
