// Speed figures of guards whose tests check what they do, not how long they take (a loaded machine
// makes any time bound in a test flaky): a sign-in for an unknown email costs as much as one for a known
// account, a decompression bomb is refused from its header before any pixel is decoded, the demo network
// builds fast enough to run on every first start, and the wire parsers and sanitiser stay linear on
// hostile input (bad fixtures, entity bombs, 3 MB bodies, long runs that invite backtracking).
// bench/run.ts prints them beside their targets.
import { readdirSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { buildDemoNetwork } from '../src/demo/content/index.ts';
import { isDatelineError } from '../src/errors/catalogue.ts';
import type { Runtime } from '../src/runtime.ts';
import { fixturePath, readFixture } from '../src/wire/fixtures/fixtures.ts';
import { parseWireDocument, sanitizeWireHtml } from '../src/wire/parse/index.ts';

export interface GuardTimings {
  /** Fastest of several failed sign-ins, ms: the cost itself, not whatever else the machine was doing. */
  signInKnownMs: number;
  signInUnknownMs: number;
  /** |known − unknown| over the larger; the target is below 0.35. */
  signInGap: number;
  /** Refusing a PNG whose header claims 400 megapixels, ms; the target is below 500. */
  bombRefusedMs: number;
  /** Whether it was refused as too large (a time for an accepted bomb would mean nothing). */
  bombRefused: boolean;
  /** Building the demo network's content, ms; the budget is 50. */
  demoBuildMs: number;
  parser: ParserTimings;
}

/** Wire parser and sanitiser times on hostile input, ms, each the fastest of a few runs. */
export interface ParserTimings {
  /** The slowest file of fixtures/bad (its fastest parse); the target is below 1,000. */
  badFixtureMs: number;
  badFixture: string;
  /** Refusing a DOCTYPE that declares a 50 KB entity referenced 50,000 times; the target is below 2,000. */
  entityBombMs: number;
  /** Whether it was refused for its entity declaration (a time for a parsed bomb would mean nothing). */
  entityBombRefused: boolean;
  /** The slowest format (ninjs, NewsML-G2, RSS) reading a 3 MB body; the target is below 5,000. */
  bigBodyMs: number;
  /** Whether every format read the body whole, with no problem reported. */
  bigBodyRead: boolean;
  /** 100,000-character runs of "(" and spaces in an RSS and a ninjs item; the target is below 2,000. */
  backtrackingMs: number;
  /** Sanitising a paragraph holding 500,000 spaces; the target is below 2,000. */
  whitespaceMs: number;
}

const fastest = (xs: number[]) => Math.min(...xs);

function fastestOf(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return fastest(times);
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function measureParserTimings(): ParserTimings {
  let badFixtureMs = 0;
  let badFixture = '';
  for (const name of readdirSync(fixturePath('bad')).sort()) {
    const text = readFixture(`bad/${name}`);
    const ms = fastestOf(3, () => parseWireDocument(text, { source: fixturePath(`bad/${name}`) }));
    if (ms >= badFixtureMs) [badFixtureMs, badFixture] = [ms, name];
  }

  const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "${'x'.repeat(50_000)}">]><rss><channel><item><title>${'&a;'.repeat(50_000)}</title></item></channel></rss>`;
  let entityBombRefused = true;
  const entityBombMs = fastestOf(3, () => {
    const result = parseWireDocument(bomb, { source: 'bomb.xml' });
    if (result.problems[0]?.code !== 'DATELINE_ERR_WIRE_XML_ENTITIES') entityBombRefused = false;
  });

  const paragraph = `<p>${'Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit &amp; more. '.repeat(20)}</p>`;
  const body = paragraph.repeat(Math.ceil((3 * 1024 * 1024) / paragraph.length));
  const bigDocuments = [
    JSON.stringify({ uri: 'urn:x:big', headlines: [{ value: 'Big' }], bodies: [{ value: body }] }),
    `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:big"><contentMeta><headline>Big</headline></contentMeta><contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>${body}</body></html></inlineXML></contentSet></newsItem>`,
    `<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><guid>urn:x:big</guid><title>Big</title><content:encoded><![CDATA[${body}]]></content:encoded></item></channel></rss>`,
  ];
  let bigBodyMs = 0;
  let bigBodyRead = true;
  for (const doc of bigDocuments) {
    const ms = fastestOf(2, () => {
      const result = parseWireDocument(doc, { source: 'https://wire.example/big' });
      const read = result.problems.length === 0 && (result.items[0]?.bodyHtml.length ?? 0) > 3_000_000;
      if (!read) bigBodyRead = false;
    });
    bigBodyMs = Math.max(bigBodyMs, ms);
  }

  const long = '('.repeat(100_000);
  const slowXml = `<rss><channel><item><guid>g</guid><title>t</title><author>${long}</author><pubDate>${' '.repeat(100_000)}1</pubDate></item></channel></rss>`;
  const slowJson = JSON.stringify({
    uri: 'u',
    headline: 'h',
    urgency: `${' '.repeat(100_000)}x`,
    version: `${'1'.repeat(100_000)}x`,
  });
  const backtrackingMs = fastestOf(3, () => {
    parseWireDocument(slowXml, { source: 'slow.xml' });
    parseWireDocument(slowJson, { source: 'slow.json' });
  });

  const spaces = `<p>a${' '.repeat(500_000)}b</p>`;
  const whitespaceMs = fastestOf(3, () => sanitizeWireHtml(spaces));

  return {
    badFixtureMs: round(badFixtureMs),
    badFixture,
    entityBombMs: round(entityBombMs),
    entityBombRefused,
    bigBodyMs: round(bigBodyMs),
    bigBodyRead,
    backtrackingMs: round(backtrackingMs),
    whitespaceMs: round(whitespaceMs),
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work().catch((e: unknown) => {
    if (!isDatelineError(e)) throw e;
  });
  return performance.now() - start;
}

export async function measureGuardTimings(
  rt: Runtime,
  siteId: number,
  origin: string,
): Promise<GuardTimings> {
  const email = 'bench.timing@example.invalid';
  if (!(await rt.accounts.findByEmail(email))) {
    await rt.accounts.createUser({ email, displayName: 'Bench Timing', password: 'bench-timing-passphrase' });
  }
  // Each try from its own address, and the pause reset, so the limits never stand in for the hash.
  const ctx = (i: number) => ({ ip: `10.77.${i >> 8}.${i & 255}`, userAgent: 'bench', siteId, origin });
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 9; i++) {
    known.push(await timed(() => rt.accounts.login({ email, password: 'not-the-password' }, ctx(2 * i))));
    await rt.accounts.limits.loginPause.reset(email);
    const ghost = `ghost${i}@example.invalid`;
    unknown.push(
      await timed(() => rt.accounts.login({ email: ghost, password: 'not-the-password' }, ctx(2 * i + 1))),
    );
    await rt.accounts.limits.loginPause.reset(ghost);
  }
  const [k, u] = [fastest(known), fastest(unknown)];

  // A valid PNG whose header claims 20,000 × 20,000 pixels, far past any sensible limit: refusing it must
  // not decode (or allocate) a single row.
  const bomb = Buffer.from(
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer(),
  );
  bomb.writeUInt32BE(20_000, 16);
  bomb.writeUInt32BE(20_000, 20);
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
  const bombTimes: number[] = [];
  let bombRefused = true;
  for (let i = 0; i < 3; i++) {
    bombTimes.push(
      await timed(() =>
        rt.media.addImage(bomb, {}).then(
          () => {
            bombRefused = false;
          },
          (e: unknown) => {
            if (!isDatelineError(e) || e.code !== 'DATELINE_ERR_MEDIA_TOO_LARGE') bombRefused = false;
          },
        ),
      ),
    );
  }

  buildDemoNetwork({ seed: 3 });
  const demoTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    buildDemoNetwork({ seed: 4 + i });
    demoTimes.push(performance.now() - start);
  }

  return {
    signInKnownMs: round(k),
    signInUnknownMs: round(u),
    signInGap: Math.round((Math.abs(k - u) / Math.max(k, u)) * 100) / 100,
    bombRefusedMs: round(fastest(bombTimes)),
    bombRefused,
    demoBuildMs: round(fastest(demoTimes)),
    parser: measureParserTimings(),
  };
}
