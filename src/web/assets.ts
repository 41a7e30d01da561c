// Static files served by the app itself at content-hashed URLs (/assets/<hash>/<name>, cached for a year):
// the web fonts (fonts.ts); and the favicon each site draws in its colour. The stylesheet has a route of its
// own, since each site's differs by its theme (stylesheet.ts).
import { FONT_FILES } from './fonts.ts';

const FILES: Record<string, { body: Buffer; type: string }> = Object.fromEntries(
  FONT_FILES.map((f) => [f.name, f]),
);

export function findAsset(name: string): { body: Buffer; type: string } | undefined {
  return FILES[name];
}

/** A favicon in the site's colour with its initial, so tabs of sister sites tell apart. */
export function faviconSvg(name: string, color: string): string {
  const initial = (name.trim()[0] ?? 'D').toUpperCase().replace(/[<&>"']/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${color}"/><text x="32" y="45" font-family="sans-serif" font-size="40" font-weight="700" text-anchor="middle" fill="#fff">${initial}</text></svg>`;
}
