// The admin's first screen: what the newsroom needs at a glance for the sites in view (the switcher's site,
// or all one works on): today's stories per site in the site's own day, what is scheduled next, the wire
// queue's length for the sites one reviews, and the most read stories now. Everyone on the staff sees it;
// the wire count only those who review the wire.

import { sitesWith } from '../permissions.ts';
import { ADMIN_NOTICES, type AdminKit } from '../route-kit.tsx';
import { formatWhen } from '../staff/views.tsx';
import { type Dashboard, readDashboard, WIRE_COUNT_CAP, wireScopeOf } from './dashboard-data.ts';

ADMIN_NOTICES.set('welcome', 'Welcome. Your owner account is ready: invite the newsroom from Staff.');

function DashboardView({
  d,
  siteName,
  zoneOf,
}: {
  d: Dashboard;
  siteName: (id: number) => string;
  zoneOf: (id: number) => string;
}) {
  return (
    <div class="adm-dashboard">
      <section class="adm-panel adm-dash-wide" aria-labelledby="today">
        <h2 class="adm-panel-title" id="today">
          Today
        </h2>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls sideways on a phone, so keyboard users must be able to focus it to scroll */}
        <div class="adm-table-wrap adm-table-inner" tabIndex={0} role="group" aria-labelledby="today">
          <table class="adm-table adm-rows">
            <caption class="adm-visually-hidden">Stories per site today, in each site's time zone</caption>
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col" class="adm-num">
                  Published today
                </th>
                <th scope="col" class="adm-num">
                  Scheduled
                </th>
                <th scope="col" class="adm-num">
                  Drafts changed (24 h)
                </th>
              </tr>
            </thead>
            <tbody>
              {d.sites.map((s) => (
                <tr key={s.ctx.site.id}>
                  <th scope="row">{s.ctx.site.name}</th>
                  <td class="adm-num">{s.publishedToday}</td>
                  <td class="adm-num">{s.scheduled}</td>
                  <td class="adm-num">{s.draftsChanged}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="adm-grid adm-today-lists">
          {d.sites.map((s) => (
            <div key={s.ctx.site.id}>
              <h3>Published today on {s.ctx.site.name}</h3>
              {s.newest.length === 0 ? (
                <p class="adm-muted">Nothing yet today.</p>
              ) : (
                <ul class="adm-list-plain">
                  {s.newest.map((st) => (
                    <li key={st.id}>
                      <a href={`/stories/${st.id}`}>{st.headline}</a>{' '}
                      <span class="adm-muted adm-small">{formatWhen(st.at, s.ctx.site.timeZone)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ))}
        </div>
      </section>

      <section class="adm-panel" aria-labelledby="next">
        <h2 class="adm-panel-title" id="next">
          Scheduled next
        </h2>
        {d.scheduledNext.length === 0 ? (
          <p class="adm-muted">Nothing is scheduled.</p>
        ) : (
          <ol class="adm-list-plain adm-next">
            {d.scheduledNext.map((st) => (
              <li key={st.id}>
                <span class="adm-next-when">{formatWhen(st.at, zoneOf(st.siteId))}</span>
                <a href={`/stories/${st.id}`}>{st.headline}</a>
                <span class="adm-muted adm-small">{siteName(st.siteId)}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      {d.wireQueue !== null && (
        <section class="adm-panel adm-wire-count" aria-labelledby="wire-count">
          <h2 class="adm-panel-title" id="wire-count">
            Wire queue
          </h2>
          <p>
            <a href="/wire" class="adm-big-number">
              {d.wireQueue >= WIRE_COUNT_CAP ? `${WIRE_COUNT_CAP.toLocaleString('en')}+` : d.wireQueue}
            </a>{' '}
            {d.wireQueue === 1 ? 'story waits' : 'stories wait'} for review.
          </p>
        </section>
      )}

      <section class="adm-panel" aria-labelledby="most-read">
        <h2 class="adm-panel-title" id="most-read">
          Most read now
        </h2>
        <p class="adm-hint">Reads over the last 24 hours.</p>
        {d.sites.map((s) => (
          <div key={s.ctx.site.id} class="adm-most-read">
            <h3>{s.ctx.site.name}</h3>
            {s.mostRead.length === 0 ? (
              <p class="adm-muted">No reads counted yet.</p>
            ) : (
              <ol class="adm-most-read-list">
                {s.mostRead.map((i) => (
                  <li key={i.placementId}>
                    <a href={`/stories/${i.articleId}`}>{i.headline}</a>{' '}
                    <span class="adm-muted adm-small">
                      {i.reads.toLocaleString('en')} read{i.reads === 1 ? '' : 's'}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </div>
        ))}
      </section>
    </div>
  );
}

const DASHBOARD_CSS = `
.adm-dashboard{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem;align-items:start}
.adm-dashboard>.adm-panel{margin:0}
.adm-dash-wide{grid-column:1/-1}
.adm-big-number{font-size:2rem;font-weight:700;font-variant-numeric:tabular-nums;text-decoration:none}
.adm-wire-count p{margin:0}
.adm-today-lists{margin-top:1rem}
.adm-today-lists h3,.adm-most-read h3{font-size:1rem;margin:.5rem 0 .4rem}
.adm-next li{display:grid;gap:.1rem;padding:.35rem 0;border-bottom:1px solid var(--line)}
.adm-next-when{font-size:.85rem;color:var(--muted);font-variant-numeric:tabular-nums}
.adm-most-read-list{margin:0 0 .75rem;padding-left:1.4rem;display:grid;gap:.3rem}
`;

export function dashboardScreen(kit: AdminKit): void {
  kit.nav.add({ id: 'dashboard', group: 'Newsroom', label: 'Dashboard', href: '/', order: 0 });
  kit.assets.addCss(DASHBOARD_CSS);
  kit.page('/', {}, async (req, reply, a) => {
    const shown = a.sites.filter((c) => a.siteIds.includes(c.site.id));
    const d = await readDashboard(kit.rt, shown, {
      wireScope: wireScopeOf(sitesWith(a.staff.grants, 'wire.review'), a.site?.site.id ?? null),
    });
    const byId = new Map(a.sites.map((c) => [c.site.id, c.site]));
    return kit.render(
      req,
      reply,
      a,
      { title: 'Dashboard', current: 'dashboard' },
      <DashboardView
        d={d}
        siteName={(id) => byId.get(id)?.name ?? `Site ${id}`}
        zoneOf={(id) => byId.get(id)?.timeZone ?? 'UTC'}
      />,
    );
  });
}
