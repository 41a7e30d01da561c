// Queries on the sites and site_hosts tables. Returns Site models with dialect values normalised.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { fromDbTime } from '../db/values.ts';
import { PUBLIC_SCHEMES, type PublicScheme, type Site } from './site.ts';
import type { SitesTable } from './tables.ts';

type Q = Kysely<Database> | Transaction<Database>;
type SiteRow = Selectable<SitesTable>;

function toSite(row: SiteRow, hosts: string[]): Site {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    tagline: row.tagline,
    language: row.language,
    timeZone: row.time_zone,
    primaryColor: row.primary_color,
    accentColor: row.accent_color,
    footerText: row.footer_text,
    logoMediaId: row.logo_media_id,
    hosts,
    publicScheme: PUBLIC_SCHEMES.includes(row.public_scheme as PublicScheme)
      ? (row.public_scheme as PublicScheme)
      : null,
    updatedAt: fromDbTime(row.updated_at),
  };
}

export async function listSites(q: Q): Promise<Site[]> {
  const [rows, hosts] = await Promise.all([
    q.selectFrom('sites').selectAll().orderBy('id').execute(),
    q.selectFrom('site_hosts').selectAll().orderBy('host').execute(),
  ]);
  return rows.map((r) =>
    toSite(
      r,
      hosts.filter((h) => h.site_id === r.id).map((h) => h.host),
    ),
  );
}

export async function findSiteBySlug(q: Q, slug: string): Promise<Site | null> {
  const row = await q.selectFrom('sites').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!row) return null;
  const hosts = await q
    .selectFrom('site_hosts')
    .select('host')
    .where('site_id', '=', row.id)
    .orderBy('host')
    .execute();
  return toSite(
    row,
    hosts.map((h) => h.host),
  );
}

export async function findSiteById(q: Q, id: number): Promise<Site | null> {
  const row = await q.selectFrom('sites').select('slug').where('id', '=', id).executeTakeFirst();
  return row ? findSiteBySlug(q, row.slug) : null;
}

export async function hostOwner(q: Q, host: string): Promise<number | null> {
  const row = await q.selectFrom('site_hosts').select('site_id').where('host', '=', host).executeTakeFirst();
  return row?.site_id ?? null;
}

export async function countSites(q: Q): Promise<number> {
  const row = await q
    .selectFrom('sites')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
