// Speed figures of three guards whose tests check what they do, not how long they take (a loaded machine
// makes any time bound in a test flaky): a sign-in for an unknown email costs as much as one for a known
// account, a decompression bomb is refused from its header before any pixel is decoded, and the demo
// network builds fast enough to run on every first start. bench/run.ts prints them beside their targets.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { buildDemoNetwork } from '../src/demo/content/index.ts';
import { isDatelineError } from '../src/errors/catalogue.ts';
import type { Runtime } from '../src/runtime.ts';

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
}

const fastest = (xs: number[]) => Math.min(...xs);

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

  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    signInKnownMs: round(k),
    signInUnknownMs: round(u),
    signInGap: Math.round((Math.abs(k - u) / Math.max(k, u)) * 100) / 100,
    bombRefusedMs: round(fastest(bombTimes)),
    bombRefused,
    demoBuildMs: round(fastest(demoTimes)),
  };
}
