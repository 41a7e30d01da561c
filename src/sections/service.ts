// Rules for creating and changing a site's sections. Changes record section.changed, which drops the
// section's pages and every page that shows the site's navigation.
import { DatelineError } from '../errors/catalogue.ts';
import type { Events } from '../events/log.ts';
import { findSection, findSectionById, listSections } from './repository.ts';
import { checkSectionFields, type Section, type SectionInput } from './section.ts';

export class SectionService {
  constructor(private readonly events: Events) {}

  private get db() {
    return this.events.db.kysely;
  }

  list(siteId?: number): Promise<Section[]> {
    return listSections(this.db, siteId);
  }

  find(siteId: number, slug: string): Promise<Section | null> {
    return findSection(this.db, siteId, slug);
  }

  byId(id: number): Promise<Section | null> {
    return findSectionById(this.db, id);
  }

  async require(siteId: number, slug: string): Promise<Section> {
    const s = await this.find(siteId, slug);
    if (!s) {
      throw new DatelineError(
        'SECTION_NOT_FOUND',
        `The site has no section "${slug}". Create it first, or pick one of its sections.`,
        {
          field: 'section',
        },
      );
    }
    return s;
  }

  async create(siteId: number, input: SectionInput): Promise<Section> {
    checkSectionFields(input);
    const { section, eventId } = await this.db.transaction().execute(async (trx) => {
      if (await findSection(trx, siteId, input.slug)) {
        throw new DatelineError(
          'SECTION_INVALID',
          `The site already has a section "${input.slug}". Choose another slug.`,
          {
            field: 'slug',
          },
        );
      }
      const position =
        input.position ??
        Number(
          (
            await trx
              .selectFrom('sections')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('site_id', '=', siteId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const row = await trx
        .insertInto('sections')
        .values({
          site_id: siteId,
          slug: input.slug,
          name: input.name.trim(),
          description: input.description ?? '',
          position,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const eventId = await this.events.record(trx, { type: 'section.changed', siteId, sectionId: row.id });
      return { section: (await findSectionById(trx, row.id))!, eventId };
    });
    this.events.published({ type: 'section.changed', siteId, sectionId: section.id }, eventId);
    return section;
  }

  async update(
    id: number,
    patch: Partial<Omit<SectionInput, 'slug'>> & { hidden?: boolean },
  ): Promise<Section> {
    checkSectionFields(patch);
    const current = await this.byId(id);
    if (!current)
      throw new DatelineError('SECTION_NOT_FOUND', `There is no section with id ${id}.`, {
        field: 'section',
      });
    const eventId = await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('sections')
        .set({
          ...(patch.name !== undefined && { name: patch.name.trim() }),
          ...(patch.description !== undefined && { description: patch.description }),
          ...(patch.position !== undefined && { position: patch.position }),
          ...(patch.hidden !== undefined && { hidden: patch.hidden ? 1 : 0 }),
        })
        .where('id', '=', id)
        .execute();
      return this.events.record(trx, { type: 'section.changed', siteId: current.siteId, sectionId: id });
    });
    this.events.published({ type: 'section.changed', siteId: current.siteId, sectionId: id }, eventId);
    return (await this.byId(id))!;
  }

  /**
   * Moves a section one place up or down the site's menu, in one transaction that numbers every section of
   * the site 0, 1, 2, … (positions made before could tie). Returns the order before and after, by id; at
   * either end nothing moves.
   */
  async move(id: number, direction: 'up' | 'down'): Promise<{ before: number[]; after: number[] }> {
    const current = await this.byId(id);
    if (!current)
      throw new DatelineError('SECTION_NOT_FOUND', `There is no section with id ${id}.`, {
        field: 'section',
      });
    const { before, after, eventId } = await this.db.transaction().execute(async (trx) => {
      const before = (await listSections(trx, current.siteId)).map((s) => s.id);
      const after = [...before];
      const at = after.indexOf(id);
      const to = direction === 'up' ? at - 1 : at + 1;
      if (at < 0 || to < 0 || to >= after.length) return { before, after, eventId: null };
      [after[at], after[to]] = [after[to]!, after[at]!];
      for (const [position, sectionId] of after.entries())
        await trx.updateTable('sections').set({ position }).where('id', '=', sectionId).execute();
      const eventId = await this.events.record(trx, {
        type: 'section.changed',
        siteId: current.siteId,
        sectionId: id,
      });
      return { before, after, eventId };
    });
    if (eventId !== null)
      this.events.published({ type: 'section.changed', siteId: current.siteId, sectionId: id }, eventId);
    return { before, after };
  }
}
