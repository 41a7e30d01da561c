// Story slugs: the last segment of a story's path, made from its headline. A slug keeps the headline's
// own script (Japanese stays Japanese, Cyrillic stays Cyrillic) so it stays meaningful to its readers,
// and folds only what has a faithful ASCII form (accents and ligatures on Latin letters). Slugs are stored
// as Unicode text and percent-encoded wherever they become part of a URL (storyPath), so every link,
// redirect and feed carries the same bytes a browser would send.
//
// A slug is never made of digits only: "2026" or a Japanese headline whose only ASCII is "12" must not
// look like an article id, whatever a client does with it.

/** Longest slug made from a headline, in characters (code points, not bytes). */
export const MAX_HEADLINE_SLUG_CHARS = 80;
/** Longest slug an editor may set, in characters. */
export const MAX_SLUG_CHARS = 100;
/** What a headline with no letters or digits at all becomes, and the prefix of an all-digit one. */
const FALLBACK = 'story';

// Latin letters that Unicode does not decompose into a base letter and an accent.
const LATIN_FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

const NOT_WORD = /[^\p{L}\p{M}\p{Nd}]+/u;
const DIGITS_ONLY = /^[\p{Nd}-]+$/u;
const APOSTROPHES = /['\u2019\u02bc]/g;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
// ICU finds word boundaries in text without spaces (Japanese, Chinese, Thai) from its dictionaries.
const words = new Intl.Segmenter('und', { granularity: 'word' });

const charCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * A slug from any text: NFKC-normalised, lowercase where the script has case, accents folded on Latin
 * letters only (so Cyrillic й and Japanese が keep theirs), words joined by single hyphens, at most `max`
 * characters and cut at a word boundary. Slugifying a slug gives the same slug.
 */
export function slugify(text: string, max = MAX_HEADLINE_SLUG_CHARS): string {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .replace(/[ßæœøłđðþı]/g, (c) => LATIN_FOLDS[c] ?? c)
    .normalize('NFKC')
    .replace(APOSTROPHES, '');
  const parts = folded.split(NOT_WORD).filter((w) => w !== '');
  if (parts.length === 0) return FALLBACK;
  const numeric = parts.every((w) => DIGITS_ONLY.test(w));
  const room = numeric ? max - FALLBACK.length - 1 : max;
  const slug = joinWithin(parts, room);
  return numeric ? `${FALLBACK}-${slug}` : slug;
}

/** Words joined by hyphens up to `max` characters; a first word longer than that is cut inside. */
function joinWithin(parts: string[], max: number): string {
  let out = '';
  let length = 0;
  for (const w of parts) {
    const n = charCount(w);
    const next = length === 0 ? n : length + 1 + n;
    if (next > max) {
      if (length === 0) return cutWord(w, max);
      break;
    }
    out = length === 0 ? w : `${out}-${w}`;
    length = next;
  }
  return out;
}

/** The longest start of a word within `max` characters that ends at a dictionary word boundary. */
function cutWord(word: string, max: number): string {
  let out = '';
  let length = 0;
  for (const { segment } of words.segment(word)) {
    const n = charCount(segment);
    if (length + n > max) break;
    out += segment;
    length += n;
  }
  if (out !== '') return out;
  // One dictionary word longer than the limit: cut between user-perceived characters.
  for (const { segment } of graphemes.segment(word)) {
    const n = charCount(segment);
    if (length + n > max) break;
    out += segment;
    length += n;
  }
  return out;
}

/** True when `s` is a slug as slugify makes them: an editor's explicit slug must already be in that form. */
export function isSlug(s: string): boolean {
  return s !== '' && charCount(s) <= MAX_SLUG_CHARS && slugify(s, MAX_SLUG_CHARS) === s;
}

// Paths may still name slugs stored before the rules above (ASCII, maybe with doubled hyphens, or
// digits only), so the router accepts any lowercase letters, marks, digits and hyphens.
const ROUTABLE = /^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{Nd}-]+$/u;

/** Whether a path segment can be a story slug at all (decoded, as the router hands it over). */
export function isRoutableSlug(s: string): boolean {
  return ROUTABLE.test(s) && charCount(s) <= MAX_SLUG_CHARS + 10;
}

/** A story's path on its site, percent-encoded: `/world/%E6%9D%B1%E4%BA%AC…` for a Japanese slug. */
export function storyPath(sectionSlug: string, slug: string): string {
  return `/${encodeURIComponent(sectionSlug)}/${encodeURIComponent(slug)}`;
}
