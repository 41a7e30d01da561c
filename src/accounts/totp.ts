// Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226) as authenticator apps compute them: a
// shared secret, the number of 30-second steps since the epoch, HMAC-SHA-1, six digits. Written here on
// node:crypto rather than taken from a package because it is forty lines and the sign-in of every admin
// rests on it; totp.test.ts checks it against the RFCs' own test vectors. Also base32 (RFC 4648), the form
// in which apps take the secret, and the otpauth:// URL that carries it to them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpParams {
  /** Seconds per step. */
  period: number;
  digits: number;
  algorithm: TotpAlgorithm;
}

/** What every common authenticator app assumes when a URL says nothing else. */
export const TOTP_DEFAULTS: TotpParams = { period: 30, digits: 6, algorithm: 'sha1' };

/**
 * How many steps either side of now a code is still accepted: one, so a code typed in the last seconds of
 * its step, or read off a phone whose clock is a little out, still works (RFC 6238 section 5.2).
 */
export const TOTP_WINDOW = 1;

/** 160 bits, the secret length RFC 4226 recommends for HMAC-SHA-1. */
export function newTotpSecret(): Buffer {
  return randomBytes(20);
}

/** RFC 4226: the HOTP value of `counter`, as a string of `digits` digits with leading zeros. */
export function hotp(key: Buffer, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  // Dynamic truncation: the low four bits of the last byte pick where four bytes are read, high bit cleared.
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The step a moment falls in. */
export function timeStep(at: Date, period = TOTP_DEFAULTS.period): number {
  return Math.floor(at.getTime() / 1000 / period);
}

/** The code an app shows at a moment. */
export function totpCode(key: Buffer, at: Date, params: TotpParams = TOTP_DEFAULTS): string {
  return hotp(key, timeStep(at, params.period), params.digits, params.algorithm);
}

/** What a person typed, as digits only: spaces and dashes (apps show "123 456") are dropped. */
export function normaliseCode(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

/**
 * The step whose code `typed` is, within TOTP_WINDOW steps of `at`, or null. Every step in the window is
 * computed and compared in constant time, so the answer's timing says nothing about which step (if any)
 * was close. Refusing a step already used is the caller's job: it alone knows the last one.
 */
export function matchTotp(
  key: Buffer,
  typed: string,
  at: Date,
  params: TotpParams = TOTP_DEFAULTS,
): number | null {
  const code = normaliseCode(typed);
  if (!new RegExp(`^\\d{${params.digits}}$`).test(code)) return null;
  const now = timeStep(at, params.period);
  let matched: number | null = null;
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const expected = hotp(key, step, params.digits, params.algorithm);
    // Later steps win: with replay protection, the newest matching step is the one to remember.
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(code))) matched = step;
  }
  return matched;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as authenticator apps expect a secret. */
export function base32Encode(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * Base32 as people copy it: any case, spaces, dashes and padding ignored. Null when a character is not
 * base32 or the length cannot come from whole bytes.
 */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  // 1, 3 and 6 characters of a final group cannot end on a byte boundary.
  if ([1, 3, 6].includes(clean.length % 8)) return null;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The otpauth:// URL (Google Authenticator's key URI format, which every common app reads) that hands the
 * secret to an app: as a link on a phone, or inside a QR code. The label is "Issuer:account".
 */
export function otpauthUrl(opts: { issuer: string; account: string; secret: Buffer }): string {
  const label = `${encodeURIComponent(opts.issuer)}:${encodeURIComponent(opts.account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(opts.secret),
    issuer: opts.issuer,
    algorithm: TOTP_DEFAULTS.algorithm.toUpperCase(),
    digits: String(TOTP_DEFAULTS.digits),
    period: String(TOTP_DEFAULTS.period),
  });
  // URLSearchParams writes spaces as '+', which some apps show literally; %20 reads the same everywhere.
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}
