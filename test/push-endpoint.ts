// A local Web Push service for tests and the bench. It hands out subscriptions (an endpoint URL with a P-256
// key pair and an auth secret made with node:crypto, as a browser would), accepts pushes to them at
// POST /push/<id>, and for each one checks what a real push service and browser check: the VAPID
// Authorization header (RFC 8292: "vapid t=<JWT>, k=<key>", an ES256 JWT verified with that key, whose
// audience is this origin and which has not expired), the TTL, and the aes128gcm body (RFC 8188), which it
// decrypts with the subscription's private key and auth secret (RFC 8291) and records as JSON.
// An id can be told to answer 404, 410, 429 or 500 instead, and can be set "offline": pushes to it then wait,
// and a later push with the same Topic replaces the waiting one, as push services do.
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
  id: string;
  /** The decrypted body, parsed as JSON (null when it is not JSON). */
  payload: unknown;
  text: string;
  topic: string | null;
  urgency: string | null;
  ttl: number;
  /** The VAPID key the request was signed with, and the JWT's subject. */
  vapidKey: string;
  subject: string;
}

export interface PushEndpoint {
  origin: string;
  newSubscription(): LocalSubscription;
  /** Every push accepted, in arrival order. */
  received: ReceivedPush[];
  /** Requests refused (bad VAPID, undecryptable body): what was wrong with each. */
  refused: { id: string; why: string }[];
  /** Answer this status instead of accepting (404/410: the subscription is gone; 429/5xx: try later). */
  answer(id: string, status: number | null): void;
  /** Offline devices keep waiting pushes, one per Topic (a newer one replaces it). */
  setOffline(id: string, offline: boolean): void;
  /** What an offline device would show once back online: its waiting pushes. */
  waiting(id: string): ReceivedPush[];
  close(): Promise<void>;
}

interface Keys {
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  auth: Buffer;
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291 §3.4 and RFC 8188 §2: the content encryption key and nonce, then the records decrypted. */
export function decryptAes128gcm(body: Buffer, keys: Keys): Buffer {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, not the sender's 65-byte public key`);
  const secret = keys.ecdh.computeSecret(senderKey);
  const prkKey = hmac(keys.auth, secret);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    keys.publicKey,
    senderKey,
    Buffer.from([1]),
  ]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'binary')).subarray(0, 16);
  const baseNonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'binary')).subarray(0, 12);
  const records = body.subarray(21 + idlen);
  if (rs < 18) throw new Error(`record size ${rs} is below the minimum`);
  const out: Buffer[] = [];
  for (let seq = 0, at = 0; at < records.length; seq++, at += rs) {
    const record = records.subarray(at, Math.min(at + rs, records.length));
    const nonce = Buffer.from(baseNonce);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // Padding: a delimiter (2 in the last record, 1 before) and then zeros.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const last = at + rs >= records.length;
    if (end < 0 || plain[end] !== (last ? 2 : 1)) throw new Error('record padding delimiter missing');
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

/** Verifies "vapid t=<jwt>, k=<key>"; returns the key and subject, or throws saying what is wrong. */
export function verifyVapid(header: string | undefined, audience: string): { key: string; subject: string } {
  const m = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(
    header ?? '',
  );
  if (!m) throw new Error('no "vapid t=…, k=…" Authorization header');
  const [, jwt, k] = m as unknown as [string, string, string];
  const raw = Buffer.from(k, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const head = JSON.parse(Buffer.from(h, 'base64url').toString());
  if (head.alg !== 'ES256') throw new Error(`JWT alg is ${head.alg}, not ES256`);
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!ok) throw new Error('JWT signature does not verify with k');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (claims.aud !== audience) throw new Error(`JWT aud is ${claims.aud}, not ${audience}`);
  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp > now + 24 * 3600)
    throw new Error('JWT exp is missing, past, or more than 24 hours ahead');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
    throw new Error('JWT sub is not a mailto: or https: URL');
  return { key: k, subject: claims.sub };
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const subs = new Map<string, Keys>();
  const answers = new Map<string, number>();
  const offline = new Map<string, Map<string, ReceivedPush>>();
  const received: ReceivedPush[] = [];
  const refused: { id: string; why: string }[] = [];
  // The sender reuses one signed header per push service; verifying it once is enough.
  const verified = new Map<string, { key: string; subject: string }>();
  let origin = '';
  let counter = 0;

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const id = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1];
    const keys = id ? subs.get(id) : undefined;
    if (req.method !== 'POST' || !id || !keys) {
      res.writeHead(404).end();
      return;
    }
    const status = answers.get(id);
    if (status !== undefined) {
      res.writeHead(status).end();
      return;
    }
    try {
      const auth = req.headers.authorization ?? '';
      let vapid = verified.get(auth);
      if (!vapid) {
        vapid = verifyVapid(auth, origin);
        verified.set(auth, vapid);
      }
      if (req.headers['content-encoding'] !== 'aes128gcm')
        throw new Error('Content-Encoding is not aes128gcm');
      const ttl = Number(req.headers.ttl);
      if (!Number.isInteger(ttl) || ttl < 0) throw new Error('TTL header missing');
      const text = decryptAes128gcm(body, keys).toString('utf8');
      let payload: unknown = null;
      try {
        payload = JSON.parse(text);
      } catch {}
      const push: ReceivedPush = {
        id,
        payload,
        text,
        topic: (req.headers.topic as string | undefined) ?? null,
        urgency: (req.headers.urgency as string | undefined) ?? null,
        ttl,
        vapidKey: vapid.key,
        subject: vapid.subject,
      };
      received.push(push);
      const waiting = offline.get(id);
      if (waiting) waiting.set(push.topic ?? `untopical-${received.length}`, push);
      res.writeHead(201, { location: `/message/${received.length}` }).end();
    } catch (err) {
      refused.push({ id, why: (err as Error).message });
      res.writeHead(400).end((err as Error).message);
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    refused,
    newSubscription() {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = `s${++counter}${randomBytes(4).toString('hex')}`;
      subs.set(id, { ecdh, publicKey, auth });
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    answer(id, status) {
      if (status === null) answers.delete(id);
      else answers.set(id, status);
    },
    setOffline(id, on) {
      if (on) offline.set(id, offline.get(id) ?? new Map());
      else offline.delete(id);
    },
    waiting(id) {
      return [...(offline.get(id)?.values() ?? [])];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
