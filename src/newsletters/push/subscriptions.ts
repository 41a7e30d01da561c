// Browsers' push subscriptions, one per endpoint (the push service URL the browser was handed). A reader
// sends one when they press "Get breaking news alerts in this browser"; it is checked here at the edge: an
// https endpoint (plain http only to this machine, under DATELINE_PUSH_ALLOW_HTTP_LOOPBACK, for tests and
// the local push endpoint), no credentials in it, and keys of the right kind: p256dh an uncompressed P-256
// point (65 bytes, which must lie on the curve), auth 16 bytes, both base64url. The push service removes a
// subscription by answering 404 or 410 (sender.ts); the reader removes it by unsubscribing.
import { ECDH } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { toDbTime } from '../../db/values.ts';
import { DatelineError } from '../../errors/catalogue.ts';

export interface PushSubscriptionInput {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Longest endpoint accepted; the push services in use hand out URLs of a few hundred characters. */
export const MAX_ENDPOINT_LENGTH = 1024;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function invalid(message: string, field: string): never {
  throw new DatelineError('PUSH_SUBSCRIPTION_INVALID', message, { field });
}

function decodeKey(value: unknown, field: string, bytes: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || !BASE64URL.test(value))
    invalid(`The browser sent no usable ${field} key (base64url text). Press the button again.`, field);
  const raw = Buffer.from(value, 'base64url');
  if (raw.length !== bytes)
    invalid(`The browser's ${field} key is ${raw.length} bytes long where ${bytes} were expected.`, field);
  return raw.toString('base64url');
}

/**
 * The subscription a browser posted (PushSubscription.toJSON(): { endpoint, keys: { p256dh, auth } }),
 * checked, with the keys in canonical base64url. Throws PUSH_SUBSCRIPTION_INVALID naming the field.
 */
export function parseSubscription(body: unknown, o: { allowHttpLoopback: boolean }): PushSubscriptionInput {
  const sub = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const endpoint = sub.endpoint;
  if (typeof endpoint !== 'string' || endpoint === '' || endpoint.length > MAX_ENDPOINT_LENGTH)
    invalid(
      `The subscription needs its push service endpoint, a URL of at most ${MAX_ENDPOINT_LENGTH} characters.`,
      'endpoint',
    );
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return invalid('The push service endpoint is not a URL.', 'endpoint');
  }
  const loopbackHttp = url.protocol === 'http:' && o.allowHttpLoopback && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp)
    invalid('The push service endpoint must be an https:// URL.', 'endpoint');
  if (url.username || url.password || url.hash)
    invalid('The push service endpoint must not carry a user name, password or fragment.', 'endpoint');
  const keys = sub.keys && typeof sub.keys === 'object' ? (sub.keys as Record<string, unknown>) : {};
  const p256dh = decodeKey(keys.p256dh, 'p256dh', 65);
  try {
    // Throws unless the bytes are an uncompressed point on P-256.
    ECDH.convertKey(Buffer.from(p256dh, 'base64url'), 'prime256v1', undefined, undefined, 'uncompressed');
  } catch {
    invalid("The browser's p256dh key is not a P-256 public key.", 'p256dh');
  }
  const auth = decodeKey(keys.auth, 'auth', 16);
  return { endpoint: url.href, p256dh, auth };
}

export interface StoredPushSubscription extends PushSubscriptionInput {
  id: number;
  siteId: number;
}

export class PushSubscriptions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds a subscription, or moves an endpoint the browser sends again to its new keys, site and reader. */
  async save(siteId: number, sub: PushSubscriptionInput, userId: number | null): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('push_subscriptions')
        .values({
          site_id: siteId,
          endpoint: sub.endpoint,
          p256dh: sub.p256dh,
          auth: sub.auth,
          user_id: userId,
          created_at: toDbTime(this.now()),
        })
        .onConflict((oc) =>
          oc.column('endpoint').doUpdateSet({
            site_id: siteId,
            p256dh: sub.p256dh,
            auth: sub.auth,
            user_id: userId,
            failure_count: 0,
          }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
  }

  /** Removes the subscription of an endpoint on a site; whether there was one. */
  async remove(siteId: number, endpoint: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('push_subscriptions')
      .where('site_id', '=', siteId)
      .where('endpoint', '=', endpoint)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async find(endpoint: string): Promise<StoredPushSubscription | null> {
    const r = await this.db
      .selectFrom('push_subscriptions')
      .select(['id', 'site_id', 'endpoint', 'p256dh', 'auth'])
      .where('endpoint', '=', endpoint)
      .executeTakeFirst();
    return r ? { id: r.id, siteId: r.site_id, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth } : null;
  }

  async countForSite(siteId: number): Promise<number> {
    const r = await this.db
      .selectFrom('push_subscriptions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('site_id', '=', siteId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
