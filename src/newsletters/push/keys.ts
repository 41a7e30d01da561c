// The network's VAPID key pair (RFC 8292), with which every push request says who sends it. Generated on the
// first start and kept in web_push_keys (one row), so every app node signs with the same key and browsers'
// subscriptions, which are bound to the public key, stay valid across restarts and nodes.
import webpush from 'web-push';
import type { Db } from '../../db/connection.ts';

export interface VapidKeys {
  /** Uncompressed P-256 point, base64url: what the browser's pushManager.subscribe() is given. */
  publicKey: string;
  privateKey: string;
}

/** The one key row's id. */
const KEY_ROW = 1;

export async function loadVapidKeys(db: Db): Promise<VapidKeys> {
  // Two nodes starting at once both try to insert; the first wins and both read the winner.
  const fresh = webpush.generateVAPIDKeys();
  await db.kysely
    .insertInto('web_push_keys')
    .values({ id: KEY_ROW, public_key: fresh.publicKey, private_key: fresh.privateKey })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.kysely
    .selectFrom('web_push_keys')
    .select(['public_key', 'private_key'])
    .where('id', '=', KEY_ROW)
    .executeTakeFirstOrThrow();
  return { publicKey: row.public_key, privateKey: row.private_key };
}

/** The VAPID subject: a mailto: of the network's From address ("The Times <news@example.com>"). */
export function vapidSubject(mailFrom: string): string {
  const address = /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `mailto:${address}`;
}
