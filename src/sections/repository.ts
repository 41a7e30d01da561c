// Queries on the sections table.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Section } from './section.ts';
import type { SectionsTable } from './tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

function toSection(r: Selectable<SectionsTable>): Section {
  return {
    id: r.id,
    siteId: r.site_id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    position: r.position,
    hidden: r.hidden === 1,
  };
}

export async function listSections(q: Q, siteId?: number): Promise<Section[]> {
  let query = q.selectFrom('sections').selectAll();
  if (siteId !== undefined) query = query.where('site_id', '=', siteId);
  const rows = await query.orderBy('site_id').orderBy('position').orderBy('id').execute();
  return rows.map(toSection);
}

export async function findSection(q: Q, siteId: number, slug: string): Promise<Section | null> {
  const r = await q
    .selectFrom('sections')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return r ? toSection(r) : null;
}

export async function findSectionById(q: Q, id: number): Promise<Section | null> {
  const r = await q.selectFrom('sections').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSection(r) : null;
}
