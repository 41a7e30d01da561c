// Public entry point of the demo content: three invented sites (news, lifestyle, travel) with sections,
// articles and generated pictures, as plain data for the first-start seeder. Pure and synchronous apart from
// picture rendering, which happens only when a picture's render() is called.

import { buildSite } from './assemble.ts';
import { Rng } from './prng.ts';
import { lifeSite } from './sites/life.ts';
import { newsSite } from './sites/news.ts';
import { travelSite } from './sites/travel.ts';
import type { BuildDemoNetworkOptions, DemoSite } from './types.ts';

export { contrastRatio, WCAG_AA_NORMAL_TEXT } from './contrast.ts';
export type { BuildDemoNetworkOptions, DemoArticle, DemoPicture, DemoSection, DemoSite } from './types.ts';

export const DEFAULT_ARTICLES_PER_SITE = 60;
export const DEFAULT_SEED = 2025;
/** Caption dates and copyright years are written relative to this unless `now` is given. */
export const DEMO_REFERENCE_DATE = new Date('2025-06-30T03:00:00Z');

export function buildDemoNetwork(opts: BuildDemoNetworkOptions = {}): DemoSite[] {
  const count = opts.articlesPerSite ?? DEFAULT_ARTICLES_PER_SITE;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`articlesPerSite must be a non-negative integer, got ${count}`);
  }
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const now = opts.now ?? DEMO_REFERENCE_DATE;
  if (Number.isNaN(now.getTime())) throw new RangeError('now must be a valid date');

  const root = new Rng(seed);
  // Each site draws from its own stream, so the sites are independent of each other's copy and size.
  return [newsSite, lifeSite, travelSite].map((spec) =>
    buildSite(spec, count, now, root.fork(`site:${spec.slug}`)),
  );
}
