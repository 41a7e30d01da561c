// The one stylesheet a site's pages link: the web fonts' @font-face rules (fonts.ts), the reader styles
// (styles/reader.css and the .css files it imports, beside the views they style) and the site's theme
// (theme.ts), minified by Lightning CSS. The reader styles are bundled once per process; each distinct
// theme gets its own file, made once with its brotli and gzip bodies, and named by a hash of its content
// so it can be cached for a year. One request, render-blocking, and nothing inline, so the CSP can keep
// forbidding inline styles.
import { createHash } from 'node:crypto';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { bundle, type Targets, transform } from 'lightningcss';
import { FONT_FACE_CSS } from './fonts.ts';
import { themeCss } from './theme.ts';

/**
 * A file kept beside a module in src/. The compiled build (dist/src/...) has no .css files of its own, so
 * from there the source tree's copy is read: it is the one that is edited, and is never out of date.
 */
export function sourceFile(moduleUrl: string, relative: string): string {
  const path = fileURLToPath(new URL(relative, moduleUrl));
  const built = path.lastIndexOf(`${sep}dist${sep}src${sep}`);
  return built < 0 ? path : path.slice(0, built) + path.slice(built + `${sep}dist`.length);
}

/** Browsers the stylesheet is written for (Lightning CSS adds prefixes and fallbacks below these). */
const TARGETS: Targets = { chrome: 100 << 16, firefox: 100 << 16, safari: 15 << 16 };

let readerCss: string | null = null;

/**
 * The part every site shares, minified once per process: the fonts' @font-face rules (first, before any
 * use) and styles/reader.css bundled with its imports.
 */
export function readerStylesheet(): string {
  if (readerCss === null) {
    const fonts = transform({
      filename: 'fonts.css',
      code: Buffer.from(FONT_FACE_CSS),
      minify: true,
      targets: TARGETS,
    });
    const reader = bundle({
      filename: sourceFile(import.meta.url, './styles/reader.css'),
      minify: true,
      targets: TARGETS,
    });
    readerCss = Buffer.from(fonts.code).toString() + Buffer.from(reader.code).toString();
  }
  return readerCss;
}

export interface Stylesheet {
  path: string;
  hash: string;
  body: Buffer;
  /** The brotli (best quality) and gzip bodies, made once off the event loop, started with the sheet. */
  encoded: Promise<{ br: Buffer; gzip: Buffer }>;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** By the site's two colours as stored: every page render asks, so the answer is one map lookup. */
const byColours = new Map<string, Stylesheet>();

/**
 * The stylesheet for a site with these colours; made on first use (a page render, which needs its hash),
 * then kept. Compressing at brotli's best quality takes a good part of a second on a busy machine, so it
 * runs in the background: by the time a browser asks for the sheet it is usually done.
 */
export function siteStylesheet(site: { primaryColor: string; accentColor: string }): Stylesheet {
  const key = `${site.primaryColor} ${site.accentColor}`;
  let sheet = byColours.get(key);
  if (sheet) return sheet;
  // The theme comes last: its :root overrides the tokens' defaults.
  const body = Buffer.from(
    readerStylesheet() + themeCss(site.primaryColor, site.accentColor).replace(/\n/g, ''),
  );
  const hash = createHash('sha1').update(body).digest('hex').slice(0, 10);
  const encoded = Promise.all([
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzipped(body, { level: 9 }),
  ]).then(([br, gz]) => ({ br, gzip: gz }));
  sheet = { path: `/assets/${hash}/site.css`, hash, body, encoded };
  // Sites are few and their colours change rarely; a bound keeps a stream of edits from growing the map.
  if (byColours.size >= 256) byColours.clear();
  byColours.set(key, sheet);
  return sheet;
}
