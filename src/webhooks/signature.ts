// Webhook signatures: HMAC-SHA256 with the endpoint's secret over "<timestamp>.<body>", sent as
// `Dateline-Signature: t=<unix seconds>,v1=<hex>`. The timestamp inside the signed text lets a receiver
// refuse replays of an old delivery; comparing in constant time keeps the secret from leaking by timing.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(
  secret: string,
  body: string,
  now: Date = new Date(),
): { header: string; timestamp: number } {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { header: `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`, timestamp };
}

/**
 * What a receiver runs: true when the header carries a valid v1 signature of exactly this body, made within
 * `toleranceSeconds` of now. The body must be the raw bytes received, before any JSON parsing.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  opts: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  if (!header) return false;
  let timestamp = Number.NaN;
  const given: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't') timestamp = Number(v);
    else if (k === 'v1' && v) given.push(v);
  }
  if (!Number.isInteger(timestamp) || given.length === 0) return false;
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(secret, timestamp, body), 'hex');
  return given.some((g) => {
    const b = Buffer.from(g, 'hex');
    return b.length === expected.length && timingSafeEqual(b, expected);
  });
}
