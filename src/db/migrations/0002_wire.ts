// Schema for the wire feature. Owned by that feature's work until it lands; immutable afterwards.
import type { AnyDb, Dialect } from '../columns.ts';

export async function up(_db: AnyDb, _dialect: Dialect): Promise<void> {}
