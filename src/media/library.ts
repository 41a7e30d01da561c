// The media library behind the newsroom admin: browsing and searching pictures, which stories use each,
// uploads of several files at once that each succeed or fail on their own, edits to caption, credit and
// alt text, and the focal point that crops centre on. Every change is one transaction with its audit row
// and its media.changed event (cached pages showing the picture are dropped once it commits). Who may do
// what is the admin routes' business; this service records who did it.
import { sql, type Transaction } from 'kysely';
import { type AuditEntry, recordAudit } from '../audit/log.ts';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/database.ts';
import { toDbTime } from '../db/values.ts';
import { DatelineError, type ErrorCode, isDatelineError } from '../errors/catalogue.ts';
import type { Events } from '../events/log.ts';
import { type FocalPoint, isFocalPoint } from './crop.ts';
import { isPossibleMediaId, type MediaRecord, toMediaRecord } from './repository.ts';
import { cutOffUpload, type MediaService } from './service.ts';
import { MediaUsageIndex, type MediaUse } from './usage.ts';

/** Who is acting: their account (null for the command line) and how the audit log names them. */
export interface MediaActor {
  userId: number | null;
  actor: string;
}

export interface BrowseOptions {
  /** Words that must each appear in the caption, credit, alt text or file name (any case). */
  query?: string;
  /** 1-based. */
  page?: number;
  perPage?: number;
}

export interface LibraryItem {
  media: MediaRecord;
  /** How many stories show it, as lead or in the body. */
  stories: number;
}

export interface LibraryPage {
  items: LibraryItem[];
  total: number;
  page: number;
  perPage: number;
  pageCount: number;
  /** The words searched for, after trimming; '' when browsing. */
  query: string;
}

export interface PictureDetails {
  media: MediaRecord;
  uses: MediaUse[];
  /** Display names of the uploader and of whoever last changed the text, when those accounts exist. */
  uploadedByName: string | null;
  textEditedByName: string | null;
}

export interface TextPatch {
  caption?: string;
  credit?: string;
  alt?: string;
}

export interface UploadFile {
  filename: string;
  bytes: Buffer;
  /** The form reader stopped reading this file at the upload limit: it is refused as too large. */
  cutOff?: boolean;
  caption?: string;
  credit?: string;
  alt?: string;
}

export type UploadOutcome =
  | { ok: true; filename: string; media: MediaRecord; existing: boolean }
  | { ok: false; filename: string; code: ErrorCode; title: string; message: string };

export const DEFAULT_PER_PAGE = 48;
const MAX_PER_PAGE = 200;
const MAX_QUERY_WORDS = 8;

/** The longest text kept; agency captions run to a few hundred characters, alt text should be far shorter. */
export const TEXT_LIMITS = { caption: 2000, credit: 300, alt: 1000 } as const;

/** Focal points are kept to 1/10,000 of the picture: finer than any pixel a crop can move by. */
const FOCAL_PRECISION = 10_000;

/** What the library records in the audit log: uploads, text edits and focal point moves. */
export type MediaAuditAction = 'media.uploaded' | 'media.text_changed' | 'media.focal_point_changed';

type MediaAuditEntry = AuditEntry & { action: MediaAuditAction; subjectType: 'media' };

export interface MediaLibraryDeps {
  db: Db;
  media: MediaService;
  events: Events;
  /** A failure that is not the upload's fault (a full disk, a bug): reported here, the outcome says so. */
  onError?: (err: unknown) => void;
}

export class MediaLibrary {
  readonly usage: MediaUsageIndex;

  constructor(private readonly deps: MediaLibraryDeps) {
    this.usage = new MediaUsageIndex(deps.db);
  }

  /** Pictures newest first, optionally only those matching every word of `query`, one page at a time. */
  async browse(options: BrowseOptions = {}): Promise<LibraryPage> {
    const perPage = clampInt(options.perPage, 1, MAX_PER_PAGE, DEFAULT_PER_PAGE);
    const words = searchWords(options.query);
    const db = this.deps.db.kysely;
    let filtered = db.selectFrom('media');
    for (const word of words) {
      const pattern = `%${escapeLike(word.toLowerCase())}%`;
      filtered = filtered.where((eb) =>
        eb.or(
          (['caption', 'credit', 'alt', 'filename'] as const).map(
            (column) => sql<boolean>`lower(${eb.ref(column)}) like ${pattern} escape '!'`,
          ),
        ),
      );
    }
    const counted = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const total = Number(counted.n);
    const pageCount = Math.max(1, Math.ceil(total / perPage));
    const page = clampInt(options.page, 1, pageCount, 1);
    const rows = await filtered
      .selectAll()
      .orderBy('id', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute();
    await this.usage.catchUp();
    const counts = await this.usage.countsOf(rows.map((r) => r.id));
    return {
      items: rows.map((r) => ({ media: toMediaRecord(r), stories: counts.get(r.id) ?? 0 })),
      total,
      page,
      perPage,
      pageCount,
      query: words.join(' '),
    };
  }

  /** One picture with the stories that use it and the names behind its history. */
  async picture(id: number): Promise<PictureDetails> {
    const media = await this.deps.media.get(id);
    await this.usage.catchUp();
    const uses = await this.usage.usesOf(id);
    const names = await this.displayNames([media.uploadedBy, media.textEditedBy]);
    return {
      media,
      uses,
      uploadedByName: media.uploadedBy === null ? null : (names.get(media.uploadedBy) ?? null),
      textEditedByName: media.textEditedBy === null ? null : (names.get(media.textEditedBy) ?? null),
    };
  }

  /** The stories using a picture, lead or body, most recently changed first. */
  async usesOf(id: number): Promise<MediaUse[]> {
    await this.usage.catchUp();
    return this.usage.usesOf(id);
  }

  /**
   * Changes caption, credit and alt text (fields left out stay as they are). The text as first sent is
   * kept beside it; the change records who made it and when, in the record and in the audit log.
   */
  async editText(id: number, patch: TextPatch, by: MediaActor): Promise<MediaRecord> {
    const next = checkTextPatch(patch);
    const result = await this.change(id, async (trx, before) => {
      const after = {
        caption: next.caption ?? before.caption,
        credit: next.credit ?? before.credit,
        alt: next.alt ?? before.alt,
      };
      const was = { caption: before.caption, credit: before.credit, alt: before.alt };
      if (after.caption === was.caption && after.credit === was.credit && after.alt === was.alt) return false;
      await trx
        .updateTable('media')
        .set({ ...after, text_edited_by: by.userId, text_edited_at: toDbTime(new Date()) })
        .where('id', '=', id)
        .execute();
      const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => after[k] !== was[k]);
      await this.audit(trx, {
        actor: by.actor,
        action: 'media.text_changed',
        subjectType: 'media',
        subjectId: id,
        before: Object.fromEntries(changed.map((k) => [k, was[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      });
      return true;
    });
    return result.after;
  }

  /**
   * Moves the point crops centre on. The focal version goes up, so every crop gets a new address: pages
   * rendered from now on ask for the new crop, and no cache can answer them with the old one.
   */
  async setFocalPoint(id: number, point: FocalPoint, by: MediaActor): Promise<MediaRecord> {
    if (!isFocalPoint(point)) {
      throw new DatelineError(
        'MEDIA_DETAILS_INVALID',
        `The focal point (${String(point.x)}, ${String(point.y)}) is outside the picture: x and y are ` +
          'fractions of its width and height, from 0 (left, top) to 1 (right, bottom). Click inside the ' +
          'picture, or enter numbers from 0 to 1.',
        { field: 'focal' },
      );
    }
    const x = Math.round(point.x * FOCAL_PRECISION) / FOCAL_PRECISION;
    const y = Math.round(point.y * FOCAL_PRECISION) / FOCAL_PRECISION;
    const result = await this.change(id, async (trx, before) => {
      if (before.focalX === x && before.focalY === y) return false;
      await trx
        .updateTable('media')
        .set((eb) => ({ focal_x: x, focal_y: y, focal_version: eb('focal_version', '+', 1) }))
        .where('id', '=', id)
        .execute();
      await this.audit(trx, {
        actor: by.actor,
        action: 'media.focal_point_changed',
        subjectType: 'media',
        subjectId: id,
        before: { x: before.focalX, y: before.focalY, version: before.focalVersion },
        after: { x, y, version: before.focalVersion + 1 },
      });
      return true;
    });
    // The old crops can no longer be asked for (their addresses now redirect), so their files can go.
    if (result.changed) {
      const { media } = this.deps;
      await media
        .forgetRenditions(media.cropKeys(result.before, result.before.focalVersion))
        .catch((err) => this.deps.onError?.(err));
    }
    return result.after;
  }

  /**
   * Adds each file on its own: one that is not a picture, too large or too many pixels is refused with its
   * reason and stores nothing, and the others go in regardless. Files are checked one after another, so a
   * batch never holds more than one decoded picture in memory.
   */
  async upload(files: readonly UploadFile[], by: MediaActor): Promise<UploadOutcome[]> {
    const outcomes: UploadOutcome[] = [];
    for (const file of files) {
      try {
        if (file.cutOff) throw cutOffUpload(this.deps.media.limits.maxUploadBytes);
        const { record, existing } = await this.deps.media.addImageReporting(file.bytes, {
          caption: file.caption,
          credit: file.credit,
          alt: file.alt,
          filename: file.filename,
          uploadedBy: by.userId,
        });
        if (!existing) {
          await this.audit(this.deps.db.kysely, {
            actor: by.actor,
            action: 'media.uploaded',
            subjectType: 'media',
            subjectId: record.id,
            before: null,
            after: {
              filename: record.filename,
              mime: record.mime,
              width: record.width,
              height: record.height,
              bytes: record.bytes,
            },
          });
        }
        outcomes.push({ ok: true, filename: file.filename, media: record, existing });
      } catch (err) {
        if (isDatelineError(err)) {
          outcomes.push({
            ok: false,
            filename: file.filename,
            code: err.code,
            title: err.title,
            message: err.message,
          });
          continue;
        }
        this.deps.onError?.(err);
        outcomes.push({
          ok: false,
          filename: file.filename,
          code: 'DATELINE_ERR_INTERNAL',
          title: 'Internal error',
          message:
            'The picture could not be stored because of a problem on the server, not with the file. ' +
            'Try again in a moment; if it keeps failing, tell whoever runs the site (the server log has details).',
        });
      }
    }
    return outcomes;
  }

  /**
   * Runs a change to one record in a transaction with its media.changed event, published once it commits;
   * `apply` answers false when there is nothing to change (then nothing is written, not even the event).
   */
  private async change(
    id: number,
    apply: (trx: Transaction<Database>, before: MediaRecord) => Promise<boolean>,
  ): Promise<{ before: MediaRecord; after: MediaRecord; changed: boolean }> {
    const { db, events } = this.deps;
    const event = { type: 'media.changed', mediaId: id } as const;
    const done = isPossibleMediaId(id)
      ? await db.kysely.transaction().execute(async (trx) => {
          // Locked on PostgreSQL so that two editors' changes to one picture apply one after the other
          // (SQLite runs one write transaction at a time anyway).
          const read = trx.selectFrom('media').selectAll().where('id', '=', id);
          const row = await (db.dialect === 'postgres' ? read.forUpdate() : read).executeTakeFirst();
          if (!row) return null;
          const before = toMediaRecord(row);
          if (!(await apply(trx, before))) return { before, after: before, eventId: null };
          const after = toMediaRecord(await read.executeTakeFirstOrThrow());
          return { before, after, eventId: await events.record(trx, event) };
        })
      : null;
    if (!done) {
      throw new DatelineError(
        'MEDIA_NOT_FOUND',
        `There is no picture with id ${id} in the library. It may have been removed; go back to the library and search for it.`,
      );
    }
    if (done.eventId !== null) events.published(event, done.eventId);
    return { before: done.before, after: done.after, changed: done.eventId !== null };
  }

  /** Audit rows go in the transaction of the change they record (or on their own after an upload). */
  private audit(q: Transaction<Database> | Db['kysely'], entry: MediaAuditEntry): Promise<void> {
    return recordAudit(q, entry);
  }

  private async displayNames(ids: readonly (number | null)[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await this.deps.db.kysely
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', wanted)
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }
}

function checkTextPatch(patch: TextPatch): TextPatch {
  const out: TextPatch = {};
  for (const field of ['caption', 'credit', 'alt'] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new DatelineError('MEDIA_DETAILS_INVALID', `The ${field} must be text.`, { field });
    }
    // Printed exactly as written (agency text is contractual): trimmed, nothing else.
    const trimmed = value.trim();
    if (trimmed.length > TEXT_LIMITS[field]) {
      throw new DatelineError(
        'MEDIA_DETAILS_INVALID',
        `The ${field} is ${trimmed.length} characters long, over the ${TEXT_LIMITS[field]} kept. Shorten it and save again.`,
        { field },
      );
    }
    out[field] = trimmed;
  }
  return out;
}

function searchWords(query: string | undefined): string[] {
  return (query ?? '')
    .split(/\s+/)
    .map((w) => w.slice(0, 100))
    .filter(Boolean)
    .slice(0, MAX_QUERY_WORDS);
}

/** LIKE treats % and _ as wildcards; with `escape '!'` each is matched as itself. */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (ch) => `!${ch}`);
}

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
