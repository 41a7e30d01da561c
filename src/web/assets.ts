// Static assets served by the app itself: the shared stylesheet (content-hashed URL, cached for a year),
// made of the pages' own rules and those of the search and trending blocks, the web fonts (fonts.ts),
// and each site's theme colours as CSS custom properties. No inline styles, so the CSP can forbid them.
import { createHash } from 'node:crypto';
import { SEARCH_CSS } from '../search/views/styles.ts';
import { TRENDING_CSS } from '../trending/views/styles.ts';
import { FONT_FACE_CSS, FONT_FILES } from './fonts.ts';
import { SITE_CSS } from './styles.ts';

function hashed(body: string) {
  return createHash('sha1').update(body).digest('hex').slice(0, 10);
}

const SHARED_CSS = `${FONT_FACE_CSS}\n${SITE_CSS}${SEARCH_CSS}${TRENDING_CSS}`;

const FILES: Record<string, { body: Buffer; type: string; hash: string }> = {
  'site.css': { body: Buffer.from(SHARED_CSS), type: 'text/css; charset=utf-8', hash: hashed(SHARED_CSS) },
  ...Object.fromEntries(FONT_FILES.map((f) => [f.name, f])),
};

/** The cache-busting URL of a static asset. */
export function assetPath(name: keyof typeof FILES & string): string {
  const f = FILES[name];
  return f ? `/assets/${f.hash}/${name}` : `/assets/${name}`;
}

export function findAsset(name: string): { body: Buffer; type: string } | undefined {
  return FILES[name];
}

/** Each site's theme.css (its colours for the light and dark schemes) is made in theme.ts. */
export { themeCss } from './theme.ts';

/** A favicon in the site's colour with its initial, so tabs of sister sites tell apart. */
export function faviconSvg(name: string, color: string): string {
  const initial = (name.trim()[0] ?? 'D').toUpperCase().replace(/[<&>"']/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${color}"/><text x="32" y="45" font-family="sans-serif" font-size="40" font-weight="700" text-anchor="middle" fill="#fff">${initial}</text></svg>`;
}
