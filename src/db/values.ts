// Normalises what the two drivers hand back, at the repository edge, so services never see a dialect.
// SQLite returns timestamps as the ISO text we wrote; PostgreSQL returns Date for timestamptz.
// Booleans are stored as 0/1 integers on both, so they read back the same everywhere.

export type DbTimestamp = string | Date;

/** A timestamp as written: ISO-8601 UTC with milliseconds, which sorts correctly as text on SQLite. */
export function toDbTime(d: Date): string {
  return d.toISOString();
}

export function fromDbTime(v: DbTimestamp): Date {
  return v instanceof Date ? v : new Date(v);
}

export function fromDbTimeOrNull(v: DbTimestamp | null | undefined): Date | null {
  return v == null ? null : fromDbTime(v);
}

export function toDbBool(b: boolean): 0 | 1 {
  return b ? 1 : 0;
}

export function fromDbBool(v: number | boolean | null | undefined): boolean {
  return v === true || v === 1;
}
