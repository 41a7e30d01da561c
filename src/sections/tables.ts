// Tables owned by the sections feature: the sections of each site, in menu order.
import type { Generated } from 'kysely';

export interface SectionsTable {
  id: Generated<number>;
  site_id: number;
  slug: string;
  name: string;
  description: string;
  position: number;
}

export interface SectionTables {
  sections: SectionsTable;
}
