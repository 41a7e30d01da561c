// Banned and suspect words: folding text so look-alikes match, compiling a site's lists (its own plus the
// network's) into one regular expression each, and caching them per site.
//
// Matching rules (README, "Word lists"):
// - Both the pattern and the comment are folded the same way: NFKC (full-width "ｂａｄ" is "bad"), lower case
//   (with ß → ss, final ς → σ), accents on Latin letters dropped, common Cyrillic and Greek look-alikes of
//   Latin letters folded to them, and leetspeak digits/signs (0→o 1→i 3→e 4→a 5→s @→a $→s) read as letters.
// - '*' stands for any run of letters or digits (also none) inside a word: "spam*" matches "spammer".
// - Words of scripts written with spaces (Latin, Cyrillic, Greek, Arabic…) match whole words only: the
//   letters either side of a match must not be letters of such a script. So "ass" does not match "class",
//   and "bad" matches in "これはbadです".
// - Japanese, Chinese, Korean, Thai, Lao, Khmer and Burmese are written without spaces between words (Korean
//   attaches particles to words), so a word of those scripts matches wherever it appears in the text: "馬鹿"
//   matches "大馬鹿者" and "馬鹿だ". Finding word edges there needs a dictionary; a moderator who wants fewer
//   hits chooses a longer pattern. A pattern mixing both kinds checks each edge by the script at that edge.
import type { Db } from '../db/connection.ts';
import { DatelineError } from '../errors/catalogue.ts';
import type { WordKind } from './tables.ts';

const UNSPACED =
  '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}\\u30FC\\u3005';
/** A letter or digit of a script written with spaces between words. */
const SPACED_WORD = `[[\\p{L}\\p{M}\\p{N}]--[${UNSPACED}]]`;
const SPACED_WORD_RE = new RegExp(`^${SPACED_WORD}$`, 'v');
const ANY_WORD = '[\\p{L}\\p{M}\\p{N}]';

// Cyrillic and Greek letters that look like Latin ones (lower case: folding lower-cases first).
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  ү: 'y',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ς: 'c',
  ϲ: 'c',
  μ: 'u',
  ı: 'i',
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '@': 'a',
  $: 's',
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(LOOKALIKES).join('').replace(/\$/g, '\\$')}]`, 'gu');

/**
 * Folds text for matching (see the header). Whitespace runs become one space. Used on comments and on
 * patterns alike, so what a moderator types matches however a reader disguises it.
 */
export function foldForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/(\p{sc=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(LOOKALIKE_RE, (c) => LOOKALIKES[c] ?? c)
    .replace(/\s+/gu, ' ');
}

function escapeRegExp(s: string): string {
  // Only syntax characters may be escaped outside a class with the u/v flags.
  return s.replace(/[\\^$.*+?()[\]{}|/]/gu, (c) => `\\${c}`);
}

const MAX_PATTERN = 100;

/** The pattern as stored (trimmed, whitespace collapsed); refuses one that would match nothing or everything. */
export function checkPattern(raw: string): string {
  const pattern = (raw ?? '').trim().replace(/\s+/gu, ' ');
  const letters = foldForMatching(pattern).replace(/[*\s]/g, '');
  if (letters === '' || [...pattern].length > MAX_PATTERN) {
    throw new DatelineError(
      'COMMENT_WORD_INVALID',
      `The word "${pattern.slice(0, MAX_PATTERN)}" cannot be used: a pattern needs at least one letter or digit ` +
        `besides '*', and at most ${MAX_PATTERN} characters. Change it, then add it again.`,
    );
  }
  return pattern;
}

/** One pattern as a regular expression source (v flag), with its word-edge rules. */
export function patternSource(pattern: string): string {
  const folded = foldForMatching(pattern.trim());
  const parts = folded.split('*');
  const body = parts
    .map((p) => [...p].map((c) => (c === ' ' ? '\\s+' : escapeRegExp(c))).join(''))
    .join(`${ANY_WORD}*`);
  const chars = [...folded];
  const first = chars[0] ?? '';
  const last = chars.at(-1) ?? '';
  // At an edge written with spaces, the neighbour must not be a letter of such a script; an edge that is '*'
  // already takes in the rest of the word.
  const before = first !== '*' && SPACED_WORD_RE.test(first) ? `(?<!${SPACED_WORD})` : '';
  const after = last !== '*' && SPACED_WORD_RE.test(last) ? `(?!${SPACED_WORD})` : '';
  return `${before}${body}${after}`;
}

export interface WordListEntry {
  kind: WordKind;
  pattern: string;
}

export interface WordHit {
  kind: WordKind;
  /** The pattern as the moderator typed it. */
  pattern: string;
  /** The text that matched, as folded (what the author is shown). */
  matched: string;
}

/** A site's banned and suspect words, compiled. */
export class CompiledWords {
  private readonly lists: { kind: WordKind; re: RegExp | null; patterns: string[] }[];

  constructor(entries: readonly WordListEntry[]) {
    this.lists = (['banned', 'suspect'] as const).map((kind) => {
      const patterns = [...new Set(entries.filter((e) => e.kind === kind).map((e) => e.pattern))];
      if (patterns.length === 0) return { kind, re: null, patterns };
      // One alternation with a group per pattern: one pass over the text finds the first hit and its pattern.
      const source = patterns.map((p) => `(${patternSource(p)})`).join('|');
      return { kind, re: new RegExp(source, 'v'), patterns };
    });
  }

  get size(): number {
    return this.lists.reduce((n, l) => n + l.patterns.length, 0);
  }

  /** The first banned word in the text, else the first suspect one, else null. */
  check(text: string): WordHit | null {
    const folded = foldForMatching(text);
    for (const list of this.lists) {
      if (!list.re) continue;
      const m = list.re.exec(folded);
      if (!m) continue;
      const i = m.slice(1).findIndex((g) => g !== undefined);
      return { kind: list.kind, pattern: list.patterns[i] ?? '', matched: m[0] };
    }
    return null;
  }
}

/**
 * Compiled lists per site (the site's own and the network's), built on first use and dropped when a list
 * changes in this process. Other processes drop theirs after CACHE_MS at most.
 */
export class WordCache {
  static readonly CACHE_MS = 30_000;
  private readonly bySite = new Map<number, { words: CompiledWords; at: number }>();
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async forSite(siteId: number): Promise<CompiledWords> {
    const hit = this.bySite.get(siteId);
    if (hit && this.now() - hit.at < WordCache.CACHE_MS) return hit.words;
    const generation = this.generation;
    const rows = await this.db.kysely
      .selectFrom('comment_words')
      .select(['kind', 'pattern'])
      .where((eb) => eb.or([eb('site_id', '=', siteId), eb('site_id', 'is', null)]))
      .execute();
    const words = new CompiledWords(rows);
    // A change made while the lists were read must not be hidden behind what was read before it.
    if (generation === this.generation) this.bySite.set(siteId, { words, at: this.now() });
    return words;
  }

  /** A site's lists changed (or, with null, the network's: every site's). */
  drop(siteId: number | null): void {
    this.generation += 1;
    if (siteId === null) this.bySite.clear();
    else this.bySite.delete(siteId);
  }
}
