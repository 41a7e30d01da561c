// The admin's first screen: what the newsroom needs at a glance for the sites in view.
import { sql } from 'kysely';
import { toDbTime } from '../../db/values.ts';
import { ADMIN_NOTICES, type AdminKit } from '../route-kit.tsx';

ADMIN_NOTICES.set('welcome', 'Welcome. Your owner account is ready: invite the newsroom from Staff.');

export function dashboardScreen(kit: AdminKit): void {
  kit.nav.add({ id: 'dashboard', group: 'Newsroom', label: 'Dashboard', href: '/', order: 0 });
  kit.page('/', {}, async (req, reply, a) => {
    const since = new Date(Date.now() - 86_400_000);
    const ids = a.siteIds.length ? a.siteIds : [-1];
    const rows = await kit.rt.db.kysely
      .selectFrom('articles')
      .select(['site_id', 'status', sql<number>`count(*)`.as('n')])
      .where('site_id', 'in', ids)
      .where('modified_at', '>=', toDbTime(since))
      .groupBy(['site_id', 'status'])
      .execute();
    const count = (siteId: number, status: string) =>
      Number(rows.find((r) => r.site_id === siteId && r.status === status)?.n ?? 0);
    const shown = a.sites.filter((c) => ids.includes(c.site.id));
    return kit.render(
      req,
      reply,
      a,
      { title: 'Dashboard', current: 'dashboard' },
      <section class="adm-table-wrap" aria-label="Stories in the last 24 hours">
        <table class="adm-table">
          <caption class="adm-muted">Stories changed in the last 24 hours</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Published</th>
              <th scope="col">Scheduled</th>
              <th scope="col">Drafts</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.site.id}>
                <th scope="row">{c.site.name}</th>
                <td>{count(c.site.id, 'published')}</td>
                <td>{count(c.site.id, 'scheduled')}</td>
                <td>{count(c.site.id, 'draft')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>,
    );
  });
}
