// Queries on the `media` table. Rows become plain MediaRecords here, so services never see column names or
// what each database driver hands back for timestamps.
import { randomUUID } from 'node:crypto';
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

// `media.storage_key` is UNIQUE (migration 0001), yet the same bytes uploaded with a different caption make a
// second record that reuses the stored original. Until that constraint is relaxed, rows after the first for an
// original store the key followed by `#<uuid>`; storage keys can never contain '#', and this file strips the
// marker again, so callers always see the real key.
const SHARED_MARKER = '#';

// Ids are PostgreSQL `serial` (int4): asking for a larger number is an error there rather than "no row",
// so ids that cannot exist are answered here without a query.
const MAX_ID = 2_147_483_647;

function isPossibleId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= MAX_ID;
}

function toRecord(row: Selectable<MediaTable>): MediaRecord {
  const marker = row.storage_key.indexOf(SHARED_MARKER);
  return {
    id: row.id,
    storageKey: marker === -1 ? row.storage_key : row.storage_key.slice(0, marker),
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

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class MediaRepository {
  constructor(private readonly db: Db) {}

  async insert(media: NewMediaRecord): Promise<MediaRecord> {
    const taken = await this.db.kysely
      .selectFrom('media')
      .select('id')
      .where('storage_key', '=', media.storageKey)
      .executeTakeFirst();
    const shared = () => `${media.storageKey}${SHARED_MARKER}${randomUUID()}`;
    try {
      return await this.insertRow(media, taken ? shared() : media.storageKey);
    } catch (err) {
      // Another process stored the first record for this original between our check and our insert.
      if (!taken && isUniqueViolation(err)) return this.insertRow(media, shared());
      throw err;
    }
  }

  private async insertRow(media: NewMediaRecord, storageKey: string): Promise<MediaRecord> {
    const row = await this.db.kysely
      .insertInto('media')
      .values({
        storage_key: storageKey,
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
