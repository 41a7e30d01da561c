// Tables owned by the media feature: uploaded originals with their descriptive text and focal point, and the
// index of which stories show each picture.
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
  /** Where crops centre, 0..1 across and down the picture as displayed. */
  focal_x: Generated<number>;
  focal_y: Generated<number>;
  /** Bumped on every focal point change; cropped rendition URLs carry it. */
  focal_version: Generated<number>;
  /** The uploaded file's name, for finding it again; '' when the picture came another way. */
  filename: Generated<string>;
  /** The staff account that uploaded it; null for the wire, imports, the demo and deleted accounts. */
  uploaded_by: number | null;
  /** Caption, credit and alt as first sent (the agency's words for wire pictures), kept when editors change them. */
  sent_caption: Generated<string>;
  sent_credit: Generated<string>;
  sent_alt: Generated<string>;
  /** Who last changed caption, credit or alt after upload, and when; null when never changed. */
  text_edited_by: number | null;
  text_edited_at: DbTimestamp | null;
}

export type MediaUsageKind = 'lead' | 'body';

export interface MediaUsageTable {
  /** Not a foreign key: a body may name an image that does not exist, which readers see as a broken link. */
  media_id: number;
  article_id: number;
  kind: MediaUsageKind;
}

export interface MediaUsageScansTable {
  article_id: number;
  /** The story's modified_at when its usage rows were written. */
  article_modified_at: DbTimestamp;
}

export interface MediaTables {
  media: MediaTable;
  media_usage: MediaUsageTable;
  media_usage_scans: MediaUsageScansTable;
}
