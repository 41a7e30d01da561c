// The reader pages' typefaces, self-hosted from npm font packages: Source Serif 4 for headlines and the
// nameplate, Source Sans 3 for the interface and body text. Only the Latin subset's woff2 files are served
// (each declares the subset's unicode-range, so text outside it, Japanese for one, never downloads them and
// falls through to the CJK faces in the font stacks, see styles/tokens.css), with font-display: swap so
// text shows in a fallback face at once. The files are read from the packages when the server starts and
// served from /assets/<content hash>/<file> with a year's immutable caching; the headline face is preloaded.
// Four files of 69 KB together, of which a page fetches those its text uses: within the 80 KB font budget
// of an article page (test/browser/reader-design.test.ts measures it).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const requireModule = createRequire(import.meta.url);

/** The Latin subset's code points, as the font packages declare them (unicode.json). */
const LATIN =
  'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';

interface Face {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  /** The package and its woff2 file. */
  pkg: string;
  file: string;
}

const FACES: readonly Face[] = [
  {
    family: 'Source Serif 4',
    weight: 700,
    style: 'normal',
    pkg: '@fontsource/source-serif-4',
    file: 'source-serif-4-latin-700-normal.woff2',
  },
  {
    family: 'Source Sans 3',
    weight: 400,
    style: 'normal',
    pkg: '@fontsource/source-sans-3',
    file: 'source-sans-3-latin-400-normal.woff2',
  },
  {
    family: 'Source Sans 3',
    weight: 400,
    style: 'italic',
    pkg: '@fontsource/source-sans-3',
    file: 'source-sans-3-latin-400-italic.woff2',
  },
  {
    family: 'Source Sans 3',
    weight: 700,
    style: 'normal',
    pkg: '@fontsource/source-sans-3',
    file: 'source-sans-3-latin-700-normal.woff2',
  },
];

export interface FontFile {
  name: string;
  body: Buffer;
  hash: string;
  type: string;
}

export const FONT_FILES: readonly FontFile[] = FACES.map((f) => {
  const body = readFileSync(requireModule.resolve(`${f.pkg}/files/${f.file}`));
  return {
    name: f.file,
    body,
    hash: createHash('sha1').update(body).digest('hex').slice(0, 10),
    type: 'font/woff2',
  };
});

const pathOf = (file: FontFile) => `/assets/${file.hash}/${file.name}`;

/** The headline face, which every page preloads: headlines are most of what shows first. */
export const HEADLINE_FONT_PATH = pathOf(FONT_FILES[0]!);

/**
 * Every page preloads the headline face first, then the text's regular and bold: fetched only once the
 * stylesheet is read, they arrived after the first paint and the swap reflowed the home page's teasers
 * (Lighthouse measured a layout shift of 0.10 from them). The italic is rarer and is left to the sheet.
 */
export const PRELOADED_FONT_PATHS = [HEADLINE_FONT_PATH, pathOf(FONT_FILES[1]!), pathOf(FONT_FILES[3]!)];

/** The @font-face rules, for the top of the reader stylesheet. */
export const FONT_FACE_CSS = FACES.map(
  (f, i) =>
    `@font-face{font-family:"${f.family}";font-style:${f.style};font-weight:${f.weight};font-display:swap;src:url(${pathOf(FONT_FILES[i]!)}) format("woff2");unicode-range:${LATIN}}`,
).join('\n');
