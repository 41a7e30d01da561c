// Comment text: what is kept of what a reader typed, and how it is printed. Text is stored as plain text,
// normalised once on the way in (so word lists, the repeat check and every reader see the same string), and
// turned into HTML only by renderCommentHtml: escaped, paragraphs and line breaks, bare http(s) addresses as
// links that show their domain. No other markup exists, so nothing a reader writes can become markup.
import { DatelineError } from '../errors/catalogue.ts';

export interface TextLimits {
  /** Longest comment in characters (code points), after normalisation. */
  maxLength: number;
}

export interface NormalisedText {
  text: string;
  /** Bare http(s) addresses in the text (what renderCommentHtml turns into links). */
  links: number;
}

// Input this much longer than the limit is refused before any work: normalising never shortens text by more
// than the characters it removes, and nobody types 4x the limit in invisible characters.
const RAW_FACTOR = 4;
const RAW_SLACK = 1000;

// Bidirectional embeddings, overrides and isolates (the "Trojan Source" characters), the Arabic letter mark,
// and invisible characters that only hide text from people and word lists: zero-width space, word joiner,
// BOM, Mongolian vowel separator, soft hyphen, invisible math operators, interlinear annotations, tags.
const INVISIBLE =
  /[\u202A-\u202E\u2066-\u2069\u061C\u200B\u200E\u200F\u2060-\u2064\uFEFF\u180E\u00AD\u115F\u1160\u3164\uFFA0\uFFF9-\uFFFB]/gu;
const TAGS = /[\u{E0000}-\u{E007F}]/gu;
// Control characters except the newline (tabs become spaces first).
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;
// ZWJ and ZWNJ are kept only where they mean something: ZWJ between emoji (family and profession emoji),
// ZWNJ between letters (Persian and Indic spelling). Anywhere else they only hide text.
const JOINERS = /\u200D|\u200C/g;
const EMOJI_BEFORE = /\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;
const LETTER_BEFORE = /[\p{L}\p{M}]$/u;
const LETTER_AFTER = /^\p{L}/u;

/** A bare web address as written in a comment; trailing punctuation is trimmed off by trimUrl. */
const URL_RE = /\bhttps?:\/\/[^\s<>"'`\u3000-\u303F\uFF01-\uFF0F]+/giu;

function keepJoiner(text: string, at: number, ch: string): boolean {
  const before = text.slice(Math.max(0, at - 3), at);
  const after = text.slice(at + 1, at + 3);
  if (ch === '\u200D') return EMOJI_BEFORE.test(before) && EMOJI_AFTER.test(after);
  return LETTER_BEFORE.test(before) && LETTER_AFTER.test(after);
}

/**
 * Normalises a comment and checks its length: NFC; CRLF/CR and Unicode line separators become newlines;
 * bidi controls, zero-width and other invisible characters and control characters (except newlines) go;
 * each line's trailing spaces go; more than two blank lines in a row become two; the whole is trimmed.
 * Refuses empty text (COMMENT_INVALID) and text over the limit (COMMENT_TOO_LONG) — very long input at once.
 */
export function normaliseCommentText(input: string, limits: TextLimits): NormalisedText {
  if (typeof input !== 'string') {
    throw new DatelineError(
      'COMMENT_INVALID',
      'The comment has no text. Write something, then send it again.',
    );
  }
  if (input.length > limits.maxLength * RAW_FACTOR + RAW_SLACK) {
    throw tooLong(limits, input.length);
  }
  let text = input
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/\t/g, ' ')
    .replace(INVISIBLE, '')
    .replace(TAGS, '')
    .replace(CONTROLS, '');
  text = text.replace(JOINERS, (ch, at: number, whole: string) => (keepJoiner(whole, at, ch) ? ch : ''));
  text = text
    .replace(/[ \u00A0\u3000]+$/gmu, '')
    .replace(/\n{4,}/g, '\n\n\n')
    .trim();
  if (text === '') {
    throw new DatelineError(
      'COMMENT_INVALID',
      'The comment is empty (or held only spaces and invisible characters). Write something, then send it again.',
    );
  }
  const length = codePoints(text);
  if (length > limits.maxLength) throw tooLong(limits, length);
  return { text, links: countLinks(text) };
}

function tooLong(limits: TextLimits, length: number): DatelineError {
  return new DatelineError(
    'COMMENT_TOO_LONG',
    `The comment is ${length.toLocaleString('en')} characters long; comments here may be at most ` +
      `${limits.maxLength.toLocaleString('en')}. Shorten it, then send it again.`,
    { length, max: limits.maxLength },
  );
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/** How many links renderCommentHtml will make of the text. */
export function countLinks(text: string): number {
  let n = 0;
  for (const m of text.matchAll(URL_RE)) if (parseLink(trimUrl(m[0]))) n += 1;
  return n;
}

/** Trailing punctuation belongs to the sentence, not the address; a closing bracket only if it is unmatched. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1) ?? '';
    if (/[.,;:!?*'"]/.test(last)) {
      url = url.slice(0, -1);
      continue;
    }
    const pair = last === ')' ? '(' : last === ']' ? '[' : null;
    if (pair && count(url, pair) < count(url, last)) {
      url = url.slice(0, -1);
      continue;
    }
    return url;
  }
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/** The address as a link target, or null when it is not a plain http(s) address with a host. */
function parseLink(raw: string): URL | null {
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  if (url.username || url.password) return null;
  // A single-label name ("http://intranet") is not an address on the web.
  if (!url.hostname.includes('.') && !url.hostname.startsWith('[')) return null;
  return url;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The domain a link shows: the host (in its ASCII form, so look-alike domains show as xn--) without www. */
export function linkDomain(url: URL): string {
  return url.hostname.replace(/^www\./, '');
}

function renderLine(line: string): string {
  let html = '';
  let last = 0;
  for (const m of line.matchAll(URL_RE)) {
    const raw = trimUrl(m[0]);
    const url = parseLink(raw);
    if (!url) continue;
    const at = m.index ?? 0;
    html += escapeHtml(line.slice(last, at));
    html +=
      `<a href="${escapeHtml(url.href)}" rel="ugc nofollow noopener" title="${escapeHtml(url.href)}">` +
      `${escapeHtml(linkDomain(url))}</a>`;
    last = at + raw.length;
  }
  return html + escapeHtml(line.slice(last));
}

/**
 * A stored comment as HTML: everything escaped; blank lines separate paragraphs, single newlines are line
 * breaks; bare http(s) addresses become links (rel="ugc nofollow noopener") whose text is their domain.
 * No other markup is ever produced, and only http and https addresses become links (never javascript:).
 */
export function renderCommentHtml(text: string): string {
  const paragraphs = text
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return paragraphs.map((p) => `<p>${p.split('\n').map(renderLine).join('<br>')}</p>`).join('');
}
