// Random secrets and their hashes. Cookies and mailed links carry a random secret; the database keeps only
// its SHA-256, so a leaked table lets no one sign in or use a link. The HMAC key that signs CSRF tokens comes
// from DATELINE_SECRET, or is generated once and kept in the database so that every app node shares it.
import * as crypto from 'node:crypto';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/connection.ts';

/** 256 bits of randomness, URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

// The one-shot crypto.hash (Node 20.12+) is about twice as fast as a Hash object; every page view with a
// session cookie hashes it once.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'base64url') => string }).hash;

export function hashSecret(secret: string): string {
  return oneShot
    ? oneShot('sha256', secret, 'base64url')
    : createHash('sha256').update(secret).digest('base64url');
}

export function hmac(key: Buffer, ...parts: string[]): string {
  return createHmac('sha256', key).update(parts.join('\n')).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function loadSigningKey(db: Db, configured: string | null): Promise<Buffer> {
  if (configured) return createHash('sha256').update(configured).digest();
  // Two nodes starting at once both try to insert; the first wins and both read the winner.
  await db.kysely
    .insertInto('auth_secrets')
    .values({ name: 'signing-key', value: newSecret() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.kysely
    .selectFrom('auth_secrets')
    .select('value')
    .where('name', '=', 'signing-key')
    .executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}
