// Queries on the `media` table. Rows become plain MediaRecords here, so services never see column names or
// what each database driver hands back for timestamps.
import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import { fromDbTime, fromDbTimeOrNull } from '../db/values.ts';
import type { MediaTable } from './tables.ts';

export interface MediaRecord {
  id: number;
  /** Where the original's bytes are in MediaStorage. Several records may share one original. */
  storageKey: string;
  sha256: string;
  mime: string;
  /** Intrinsic size as displayed, i.e. after applying any EXIF orientation. */
  width: number;
  height: number;
  bytes: number;
  caption: string;
  credit: string;
  alt: string;
  createdAt: Date;
  /** Where crops centre: 0..1 across (x) and down (y) the picture as displayed. */
  focalX: number;
  focalY: number;
  /** Goes into cropped rendition URLs; bumped whenever the focal point moves. */
  focalVersion: number;
  /** The uploaded file's name; '' for pictures from the wire, imports and the demo. */
  filename: string;
  /** The staff account that uploaded the picture, if one did. */
  uploadedBy: number | null;
  /** Caption, credit and alt as first sent (for wire pictures, the agency's), whatever editors changed since. */
  sentCaption: string;
  sentCredit: string;
  sentAlt: string;
  /** The last change to caption, credit or alt after upload; null when they are still as sent. */
  textEditedBy: number | null;
  textEditedAt: Date | null;
}

/** What a new record needs; its caption, credit and alt are also its text as sent. */
export type NewMediaRecord = Omit<
  MediaRecord,
  | 'id'
  | 'createdAt'
  | 'focalX'
  | 'focalY'
  | 'focalVersion'
  | 'filename'
  | 'uploadedBy'
  | 'sentCaption'
  | 'sentCredit'
  | 'sentAlt'
  | 'textEditedBy'
  | 'textEditedAt'
> & { filename?: string; uploadedBy?: number | null };

// Ids are PostgreSQL `serial` (int4): asking for a larger number is an error there rather than "no row",
// so ids that cannot exist are answered here without a query.
const MAX_ID = 2_147_483_647;

export function isPossibleMediaId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= MAX_ID;
}

export function toMediaRecord(row: Selectable<MediaTable>): MediaRecord {
  return {
    id: row.id,
    storageKey: row.storage_key,
    sha256: row.sha256,
    mime: row.mime,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    caption: row.caption,
    credit: row.credit,
    alt: row.alt,
    createdAt: fromDbTime(row.created_at),
    // Both drivers hand back double precision as a JS number; Number() also covers a driver set to strings.
    focalX: Number(row.focal_x),
    focalY: Number(row.focal_y),
    focalVersion: row.focal_version,
    filename: row.filename,
    uploadedBy: row.uploaded_by,
    sentCaption: row.sent_caption,
    sentCredit: row.sent_credit,
    sentAlt: row.sent_alt,
    textEditedBy: row.text_edited_by,
    textEditedAt: fromDbTimeOrNull(row.text_edited_at),
  };
}

export class MediaRepository {
  constructor(private readonly db: Db) {}

  /** Several records may share one stored original (same bytes, different caption). */
  async insert(media: NewMediaRecord): Promise<MediaRecord> {
    const row = await this.db.kysely
      .insertInto('media')
      .values({
        storage_key: media.storageKey,
        sha256: media.sha256,
        mime: media.mime,
        width: media.width,
        height: media.height,
        bytes: media.bytes,
        caption: media.caption,
        credit: media.credit,
        alt: media.alt,
        filename: media.filename ?? '',
        uploaded_by: media.uploadedBy ?? null,
        sent_caption: media.caption,
        sent_credit: media.credit,
        sent_alt: media.alt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toMediaRecord(row);
  }

  async findById(id: number): Promise<MediaRecord | null> {
    if (!isPossibleMediaId(id)) return null;
    const row = await this.db.kysely.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMediaRecord(row) : null;
  }

  /** Every record made from these exact bytes, oldest first. */
  async findBySha256(sha256: string): Promise<MediaRecord[]> {
    const rows = await this.db.kysely
      .selectFrom('media')
      .selectAll()
      .where('sha256', '=', sha256)
      .orderBy('id')
      .execute();
    return rows.map(toMediaRecord);
  }

  /** The records that exist among `ids`, by id; missing ids are simply absent from the map. */
  async findManyByIds(ids: readonly number[]): Promise<Map<number, MediaRecord>> {
    const wanted = [...new Set(ids)].filter(isPossibleMediaId);
    const found = new Map<number, MediaRecord>();
    // Chunked to stay well inside both drivers' limits on bound parameters.
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = await this.db.kysely
        .selectFrom('media')
        .selectAll()
        .where('id', 'in', wanted.slice(i, i + 500))
        .execute();
      for (const row of rows) found.set(row.id, toMediaRecord(row));
    }
    return found;
  }
}
