// Queries on the `media` table. Rows become plain MediaRecords here, so services never see column names or
// what each database driver hands back for timestamps.
import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import { fromDbTime } from '../db/values.ts';
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
}

export type NewMediaRecord = Omit<MediaRecord, 'id' | 'createdAt'>;

// Ids are PostgreSQL `serial` (int4): asking for a larger number is an error there rather than "no row",
// so ids that cannot exist are answered here without a query.
const MAX_ID = 2_147_483_647;

function isPossibleId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= MAX_ID;
}

function toRecord(row: Selectable<MediaTable>): MediaRecord {
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
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async findById(id: number): Promise<MediaRecord | null> {
    if (!isPossibleId(id)) return null;
    const row = await this.db.kysely.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Every record made from these exact bytes, oldest first. */
  async findBySha256(sha256: string): Promise<MediaRecord[]> {
    const rows = await this.db.kysely
      .selectFrom('media')
      .selectAll()
      .where('sha256', '=', sha256)
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /** The records that exist among `ids`, by id; missing ids are simply absent from the map. */
  async findManyByIds(ids: readonly number[]): Promise<Map<number, MediaRecord>> {
    const wanted = [...new Set(ids)].filter(isPossibleId);
    const found = new Map<number, MediaRecord>();
    // Chunked to stay well inside both drivers' limits on bound parameters.
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = await this.db.kysely
        .selectFrom('media')
        .selectAll()
        .where('id', 'in', wanted.slice(i, i + 500))
        .execute();
      for (const row of rows) found.set(row.id, toRecord(row));
    }
    return found;
  }
}
