// Tables owned by the sections feature: the sections of each site, in menu order.
import type { Generated } from 'kysely';

export interface SectionsTable {
  id: Generated<number>;
  site_id: number;
  slug: string;
  name: string;
  description: string;
  position: number;
  /** 1: kept, with its pages, but left out of the site's menu and home page (migration 0011). */
  hidden: Generated<number>;
}

export interface SectionTables {
  sections: SectionsTable;
}
