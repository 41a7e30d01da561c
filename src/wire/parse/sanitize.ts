// The only place wire text is cleaned. Agency HTML is untrusted (feeds get hijacked, CMS exports carry
// tracking scripts), so bodies go through a strict allowlist and plain-text fields lose all markup.
// Keeping both here means there is one policy to review.

import { createRequire } from 'node:module';
import type sanitizeHtml from 'sanitize-html';

// The HTML parser loads on the first wire body: a server that only serves pages never needs it.
let loaded: typeof sanitizeHtml | null = null;
function sanitize(html: string, options: sanitizeHtml.IOptions): string {
  loaded ??= createRequire(import.meta.url)('sanitize-html') as typeof sanitizeHtml;
  return loaded(html, options);
}

const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const;
const IMAGE_PROTOCOLS = ['http:', 'https:'] as const;

const ALLOWED_TAGS = [
  'p',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'a',
  'em',
  'strong',
  'b',
  'i',
  'blockquote',
  'br',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'caption',
  'figure',
  'figcaption',
  'img',
];

// Elements whose text is code or fallback content, never story text: drop them with everything inside.
// (svg and math are not here: their text is kept as plain text, and no svg/math element is ever emitted,
// so namespace-confusion tricks have nothing to work with.)
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'noscript',
  'title',
  'head',
  'template',
  'iframe',
  'frame',
  'frameset',
  'noframes',
  'noembed',
  'object',
  'embed',
  'applet',
  'xmp',
];

const DIGITS = /^\d{1,5}$/;

function resolveAllowed(
  raw: string | undefined,
  base: string | undefined,
  protocols: readonly string[],
): string | null {
  const value = raw?.trim();
  if (!value) return null;
  try {
    // Resolving first also normalizes tricks like "java\tscript:" before the protocol check.
    const url = base === undefined ? new URL(value) : new URL(value, base);
    return protocols.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function keepDigits(attribs: sanitizeHtml.Attributes, names: readonly string[]): sanitizeHtml.Attributes {
  const kept: sanitizeHtml.Attributes = {};
  for (const name of names) {
    const value = attribs[name]?.trim();
    if (value !== undefined && DIGITS.test(value)) kept[name] = value;
  }
  return kept;
}

// Markup that has no business in agency copy: when it is removed the item gets a warning, because it
// usually means the agency's system (or the feed in transit) was tampered with.
const UNSAFE_TAGS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'base',
  'meta',
  'link',
]);
const SCRIPT_URL = /^(?:javascript|vbscript|data):/i;
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href'];

/** Records unsafe constructs seen while sanitize-html walks the markup (before anything is removed). */
class UnsafeMarkup {
  readonly found = new Set<string>();

  readonly onOpenTag = (name: string, attribs: sanitizeHtml.Attributes): void => {
    if (UNSAFE_TAGS.has(name)) this.found.add(`<${name}>`);
    for (const [attribute, value] of Object.entries(attribs)) {
      if (/^on/i.test(attribute)) this.found.add(`${attribute} attribute`);
      // Browsers ignore whitespace and control characters inside the scheme, so compare without them.
      const compact = value.replace(/[\s\p{Cc}]/gu, '');
      if (URL_ATTRIBUTES.includes(attribute) && SCRIPT_URL.test(compact)) {
        this.found.add(`${compact.slice(0, compact.indexOf(':') + 1).toLowerCase()} URL`);
      }
    }
  };

  get list(): string[] {
    return [...this.found];
  }
}

/** Cleaned text plus a description of any unsafe markup that was removed (empty when there was none). */
export interface Cleaned {
  value: string;
  unsafe: string[];
}

function bodyOptions(base: string | undefined, unsafe: UnsafeMarkup): sanitizeHtml.IOptions {
  const cell: sanitizeHtml.Transformer = (tagName, attribs) => ({
    tagName,
    attribs: keepDigits(attribs, ['colspan', 'rowspan']),
  });
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    onOpenTag: unsafe.onOpenTag,
    transformTags: {
      h1: 'h2',
      a: (_tagName, attribs) => {
        const href = resolveAllowed(attribs.href, base, LINK_PROTOCOLS);
        // rel is always ours: an agency-supplied rel could drop "nofollow" or add "opener".
        const kept: sanitizeHtml.Attributes = href === null ? {} : { href, rel: 'noopener nofollow' };
        return { tagName: 'a', attribs: kept };
      },
      img: (_tagName, attribs) => {
        const src = resolveAllowed(attribs.src, base, IMAGE_PROTOCOLS);
        const kept = keepDigits(attribs, ['width', 'height']);
        if (src !== null) kept.src = src;
        if (attribs.alt !== undefined) kept.alt = attribs.alt;
        return { tagName: 'img', attribs: kept };
      },
      td: cell,
      th: cell,
    },
    exclusiveFilter: (frame) => {
      // An image we could not give a safe absolute src is dropped; a link without a safe href keeps its text.
      if (frame.tag === 'img') return frame.attribs.src === undefined;
      if (frame.tag === 'a' && frame.attribs.href === undefined) return 'excludeTag';
      return false;
    },
  };
}

function isLineSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d;
}

/**
 * Indentation from pretty-printed XML and gaps left by removed elements collapse to one newline. HTML
 * renders any whitespace run the same and no allowed element (there is no <pre>) preserves it. Written as
 * a loop because the obvious regex is quadratic on long runs of spaces; U+00A0 is deliberately kept.
 */
function tidyLines(html: string): string {
  const kept: string[] = [];
  for (const line of html.split('\n')) {
    let start = 0;
    let end = line.length;
    while (start < end && isLineSpace(line.charCodeAt(start))) start++;
    while (end > start && isLineSpace(line.charCodeAt(end - 1))) end--;
    if (end > start) kept.push(line.slice(start, end));
  }
  return kept.join('\n');
}

function usableBase(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  try {
    return new URL(baseUrl).href;
  } catch {
    return undefined;
  }
}

/**
 * Reduce agency HTML to the small set of tags a story body may contain. Relative hrefs/srcs are resolved
 * against `baseUrl`; links that do not end up as http(s)/mailto (images: http(s)) lose their URL, so a
 * relative link in a feed read from disk does not survive as a useless file:// link.
 */
export function sanitizeWireHtml(html: string, baseUrl?: string): string {
  return cleanWireHtml(html, baseUrl).value;
}

/** `sanitizeWireHtml`, also saying which unsafe constructs were removed so the ingester can warn. */
export function cleanWireHtml(html: string, baseUrl?: string): Cleaned {
  const unsafe = new UnsafeMarkup();
  const value = tidyLines(sanitize(html, bodyOptions(usableBase(baseUrl), unsafe)));
  return { value, unsafe: unsafe.list };
}

function stripAll(unsafe: UnsafeMarkup): sanitizeHtml.IOptions {
  return {
    allowedTags: [],
    allowedAttributes: {},
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    onOpenTag: unsafe.onOpenTag,
  };
}

// sanitize-html escapes exactly these four in text it emits; undoing them yields the decoded text.
function unescapeSanitizerText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const LOOKS_LIKE_TAG = /<[a-zA-Z!/?]/;
const LOOKS_LIKE_TAG_ALL = /<(?=[a-zA-Z!/?])/g;
// Block boundaries become line breaks so "<p>a</p><p>b</p>" reads "a\nb", not "ab".
const BLOCK_END = /<br\s*\/?>|<\/(?:p|div|li|h[1-6]|tr|blockquote|figcaption)\s*>/gi;

function isControl(code: number): boolean {
  // C0 and C1 controls except tab, line feed and carriage return, which are ordinary whitespace in text.
  if (code === 0x09 || code === 0x0a || code === 0x0d) return false;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function withoutControls(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (isControl(text.charCodeAt(i))) {
      out += text.slice(start, i);
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/**
 * Turn a wire text field (headline, byline, caption, credit, ...) into plain text: tags and control
 * characters removed, entities decoded, ends trimmed. Everything else, including inner spacing, case and
 * punctuation, is kept exactly, because captions and credit lines are contractual. The result is NOT
 * HTML-safe: escape it when rendering.
 */
export function wirePlainText(value: string): string {
  return cleanWirePlainText(value).value;
}

/** `wirePlainText`, also saying which unsafe constructs were removed so the ingester can warn. */
export function cleanWirePlainText(value: string): Cleaned {
  const unsafe = new UnsafeMarkup();
  let text = withoutControls(value);
  // Up to three rounds: entity-encoded markup ("&lt;script&gt;") decodes into tags on the first round and
  // is stripped on the next, so no output string carries markup even from double-encoded feeds.
  for (let round = 0; round < 3 && (round === 0 || LOOKS_LIKE_TAG.test(text)); round++) {
    if (!text.includes('<') && !text.includes('&')) break;
    text = unescapeSanitizerText(sanitize(text.replace(BLOCK_END, '$&\n'), stripAll(unsafe)));
  }
  // Triple-encoded markup is not text anyone meant to publish; drop the '<' that would start a tag.
  if (LOOKS_LIKE_TAG.test(text)) text = text.replace(LOOKS_LIKE_TAG_ALL, '');
  return { value: withoutControls(text).trim(), unsafe: unsafe.list };
}

/** Escape text for embedding in HTML we build ourselves (e.g. re-serialized XHTML) before sanitizing. */
export function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A text/plain body as HTML: blank lines separate paragraphs, single newlines become <br>. */
export function plainTextToHtml(text: string): string {
  return withoutControls(text)
    .split(/\r?\n[ \t]*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => `<p>${escapeHtmlText(paragraph).replace(/\r?\n/g, '<br />')}</p>`)
    .join('');
}
