// The table of the editor-arranged front page (migration 0016): one row per story an editor placed on a
// site's front page, as its lead or in the ordered list of top stories.
import type { DbTimestamp } from '../db/values.ts';

export type FrontPageSlotKind = 'lead' | 'top';

export interface FrontPageSlotsTable {
  site_id: number;
  kind: FrontPageSlotKind;
  /** Order within the kind, from 0; the lead is always 0. */
  position: number;
  article_id: number;
  /** The staff account that saved the arrangement (null once that account is gone, or for the demo). */
  pinned_by: number | null;
  updated_at: DbTimestamp;
}

export interface FrontPageTables {
  front_page_slots: FrontPageSlotsTable;
}
