// A site's theme as CSS custom properties: its brand (primary) and accent colours, as the editor chose
// them for the light scheme, and variants of the same hues for the dark scheme. The reader stylesheet uses
// the brand colour for links, the site name and button backgrounds, and the accent for section labels and
// focus rings; on the dark page a dark brand colour would vanish, so each is lightened (keeping its hue and
// saturation) until it reaches AA against every dark surface it is drawn on. The light values are kept as
// chosen unless they fall short of AA on white (the admin refuses such colours; older rows may have them),
// in which case they are darkened the same way. Buttons put --on-brand text on the brand colour: white in
// the light scheme, the dark page colour in the dark one. The dark values apply on screens only: printed
// pages keep the light ones, dark ink on white paper.

/** The dark scheme's page and raised-surface colours; tokens.css must use the same values. */
export const DARK_PAGE = '#121417';
export const DARK_SURFACE = '#1e2126';
const LIGHT_PAGE = '#ffffff';
/** AA for normal text, with a little room so rounding in the browser never lands under it. */
const AA = 4.6;
/**
 * On the dark page colours just at AA look dim beside the light body text, so brand links and labels are
 * lifted a little further.
 */
const DARK_TARGET = 6;

type RGB = [number, number, number];

function parse(hex: string): RGB | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m?.[1]) return null;
  const d = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => Number.parseInt(d.slice(i, i + 2), 16)) as RGB;
}

function hex([r, g, b]: RGB): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

function luminance(c: RGB): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as RGB;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const la = luminance(parse(a) ?? [0, 0, 0]);
  const lb = luminance(parse(b) ?? [0, 0, 0]);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function toHsl([r, g, b]: RGB): [number, number, number] {
  const [rr, gg, bb] = [r / 255, g / 255, b / 255];
  const max = Math.max(rr, gg, bb);
  const min = Math.min(rr, gg, bb);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h =
    max === rr
      ? ((gg - bb) / d + (gg < bb ? 6 : 0)) / 6
      : max === gg
        ? ((bb - rr) / d + 2) / 6
        : ((rr - gg) / d + 4) / 6;
  return [h, s, l];
}

function fromHsl([h, s, l]: [number, number, number]): RGB {
  if (s === 0) return [l * 255, l * 255, l * 255];
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (u < 1 / 6) return p + (q - p) * 6 * u;
    if (u < 1 / 2) return q;
    if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6;
    return p;
  };
  return [channel(h + 1 / 3) * 255, channel(h) * 255, channel(h - 1 / 3) * 255];
}

/**
 * The colour itself when it already reaches the target against every background, otherwise the nearest
 * lighter (or darker) colour of the same hue and saturation that does. White or black at the end of the
 * range always does, so the loop ends.
 */
export function readableOn(
  colour: string,
  backgrounds: string[],
  direction: 'lighter' | 'darker',
  target = AA,
): string {
  const rgb = parse(colour);
  if (!rgb) return direction === 'lighter' ? '#ffffff' : '#000000';
  const passes = (c: string) => backgrounds.every((bg) => contrast(c, bg) >= target);
  const own = hex(rgb);
  if (passes(own)) return own;
  const [h, s, l] = toHsl(rgb);
  for (let step = 1; step <= 100; step++) {
    const next = direction === 'lighter' ? Math.min(1, l + step / 100) : Math.max(0, l - step / 100);
    const candidate = hex(fromHsl([h, s, next]));
    if (passes(candidate)) return candidate;
  }
  return direction === 'lighter' ? '#ffffff' : '#000000';
}

export interface ThemeColours {
  light: { brand: string; accent: string };
  dark: { brand: string; accent: string };
}

export function themeColours(primary: string, accent: string): ThemeColours {
  return {
    light: {
      brand: readableOn(primary, [LIGHT_PAGE], 'darker'),
      accent: readableOn(accent, [LIGHT_PAGE], 'darker'),
    },
    dark: {
      brand: readableOn(primary, [DARK_PAGE, DARK_SURFACE], 'lighter', DARK_TARGET),
      accent: readableOn(accent, [DARK_PAGE, DARK_SURFACE], 'lighter', DARK_TARGET),
    },
  };
}

/** The site's theme: its colours as custom properties, for the light and the dark scheme (the end of its stylesheet). */
export function themeCss(primary: string, accent: string): string {
  const { light, dark } = themeColours(primary, accent);
  return (
    `:root{--brand:${light.brand};--accent:${light.accent};--on-brand:#fff}\n` +
    `@media screen and (prefers-color-scheme:dark){:root{--brand:${dark.brand};--accent:${dark.accent};--on-brand:${DARK_PAGE}}}\n`
  );
}
