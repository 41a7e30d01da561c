// Tables owned by the media feature: uploaded originals and their descriptive text.
import type { Generated } from 'kysely';
import type { DbTimestamp } from '../db/values.ts';

export interface MediaTable {
  id: Generated<number>;
  storage_key: string;
  sha256: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  /** Printed exactly as supplied: agency captions and credits are contractual. */
  caption: string;
  credit: string;
  alt: string;
  created_at: Generated<DbTimestamp>;
}

export interface MediaTables {
  media: MediaTable;
}
