// Which brand colours a site may have: each must reach WCAG AA (4.5:1, normal-size text) against every
// colour the reader pages show it with. The primary colour is link and masthead text on the white page and
// the background of white button text (and of mails' headers); the accent is section-label text on white.
// The server refuses a save under AA (the rule); the sites screen's script runs the same check as colours
// are picked, so the editor sees the ratio before saving. Shared by both: no server-only imports here.
import { contrastRatio, WCAG_AA_NORMAL_TEXT } from '../../demo/content/contrast.ts';

export type BrandColour = 'primaryColor' | 'accentColor';

export interface BrandPair {
  colour: BrandColour;
  /** The colour it is shown with on reader pages. */
  against: string;
  /** Where readers see the two together. */
  where: string;
}

export const BRAND_PAIRS: readonly BrandPair[] = [
  {
    colour: 'primaryColor',
    against: '#ffffff',
    where: 'links and the site name on the white page, and white text on its buttons',
  },
  { colour: 'accentColor', against: '#ffffff', where: 'section labels on the white page' },
];

export const BRAND_MIN_RATIO = WCAG_AA_NORMAL_TEXT;

/** A background as people say it: white, or its hex. */
export function againstName(hex: string): string {
  return hex.toLowerCase() === '#ffffff' ? 'white' : hex;
}

export interface BrandCheck extends BrandPair {
  /** Rounded down to two decimals, so 4.499 never shows as a passing 4.5. */
  ratio: number;
  passes: boolean;
}

/** Each pair's ratio for these colours; a colour that is not #rrggbb is left out (the form checks it). */
export function checkBrandColours(colours: Record<BrandColour, string>): BrandCheck[] {
  const out: BrandCheck[] = [];
  for (const pair of BRAND_PAIRS) {
    const value = colours[pair.colour];
    if (!/^#[0-9a-f]{6}$/i.test(value)) continue;
    const exact = contrastRatio(value, pair.against);
    out.push({ ...pair, ratio: Math.floor(exact * 100) / 100, passes: exact >= BRAND_MIN_RATIO });
  }
  return out;
}
