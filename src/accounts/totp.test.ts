// TOTP against the RFCs' own test vectors (RFC 4226 appendix D for HOTP, RFC 6238 appendix B for TOTP in
// SHA-1, SHA-256 and SHA-512), the window of one step either side, base32 both ways (RFC 4648 section 10
// vectors) and the otpauth:// URL an app reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  newTotpSecret,
  otpauthUrl,
  type TotpAlgorithm,
  timeStep,
  totpCode,
} from './totp.ts';

test('HOTP gives the RFC 4226 values for counters 0 to 9', () => {
  const key = Buffer.from('12345678901234567890');
  const expected = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  assert.deepEqual(
    expected.map((_, counter) => hotp(key, counter)),
    expected,
  );
});

test('TOTP gives the RFC 6238 values at each test time, in all three hashes', () => {
  const seeds: Record<TotpAlgorithm, Buffer> = {
    sha1: Buffer.from('12345678901234567890'),
    sha256: Buffer.from('12345678901234567890123456789012'),
    sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const table: [number, Record<TotpAlgorithm, string>][] = [
    [59, { sha1: '94287082', sha256: '46119246', sha512: '90693936' }],
    [1111111109, { sha1: '07081804', sha256: '68084774', sha512: '25091201' }],
    [1111111111, { sha1: '14050471', sha256: '67062674', sha512: '99943326' }],
    [1234567890, { sha1: '89005924', sha256: '91819424', sha512: '93441116' }],
    [2000000000, { sha1: '69279037', sha256: '90698825', sha512: '38618901' }],
    [20000000000, { sha1: '65353130', sha256: '77737706', sha512: '47863826' }],
  ];
  for (const [seconds, codes] of table) {
    for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
      const at = new Date(seconds * 1000);
      assert.equal(
        totpCode(seeds[algorithm], at, { period: 30, digits: 8, algorithm }),
        codes[algorithm],
        `${algorithm} at ${seconds}`,
      );
    }
  }
  // Six digits, as apps show them, are the last six of the eight.
  assert.equal(totpCode(seeds.sha1, new Date(59_000)), '287082');
  assert.equal(timeStep(new Date(59_000)), 1);
  assert.equal(timeStep(new Date(1111111109_000)), 0x023523ec);
});

test('a code is accepted one step either side of now and no further, and names its step', () => {
  const key = newTotpSecret();
  const now = new Date('2026-03-01T09:00:10Z');
  const step = timeStep(now);
  const codeAt = (s: number) => hotp(key, s);
  assert.equal(matchTotp(key, codeAt(step), now), step);
  assert.equal(matchTotp(key, codeAt(step - 1), now), step - 1);
  assert.equal(matchTotp(key, codeAt(step + 1), now), step + 1);
  assert.equal(matchTotp(key, codeAt(step - 2), now), null);
  assert.equal(matchTotp(key, codeAt(step + 2), now), null);
  // As people type it: a space or dash in the middle, spaces around.
  const code = codeAt(step);
  assert.equal(matchTotp(key, ` ${code.slice(0, 3)} ${code.slice(3)} `, now), step);
  assert.equal(matchTotp(key, `${code.slice(0, 3)}-${code.slice(3)}`, now), step);
  // Not six digits: refused before any comparison.
  for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`, code.slice(1)]) {
    assert.equal(matchTotp(key, bad, now), null, JSON.stringify(bad));
  }
  // Another secret's code is refused.
  assert.equal(matchTotp(newTotpSecret(), code, now), null);
});

test('base32 encodes and decodes the RFC 4648 vectors, and reads secrets as people copy them', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  for (const [plain, encoded] of vectors) {
    assert.equal(base32Encode(Buffer.from(plain)), encoded);
    assert.equal(base32Decode(encoded)?.toString(), plain);
  }
  assert.equal(base32Decode('mzxw 6ytb-oi======')?.toString(), 'foobar');
  for (let i = 0; i < 50; i++) {
    const secret = newTotpSecret();
    assert.deepEqual(base32Decode(base32Encode(secret)), secret);
  }
  assert.equal(base32Encode(newTotpSecret()).length, 32);
  assert.equal(base32Decode('MZXW1'), null, '1 is not base32');
  assert.equal(base32Decode('MZX'), null, 'three characters end inside a byte');
});

test('the otpauth URL names issuer and account and carries the secret in base32', () => {
  const secret = Buffer.from('12345678901234567890');
  const url = new URL(otpauthUrl({ issuer: 'Dateline Newsroom', account: 'ed@example.com', secret }));
  assert.equal(url.protocol, 'otpauth:');
  assert.equal(url.host, 'totp');
  assert.equal(decodeURIComponent(url.pathname), '/Dateline Newsroom:ed@example.com');
  assert.equal(url.searchParams.get('secret'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(url.searchParams.get('issuer'), 'Dateline Newsroom');
  assert.equal(url.searchParams.get('algorithm'), 'SHA1');
  assert.equal(url.searchParams.get('digits'), '6');
  assert.equal(url.searchParams.get('period'), '30');
  assert.ok(!url.href.includes('+'), 'spaces are %20, not +');
});
