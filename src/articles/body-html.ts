// Article body HTML: the one allowed model (elements, attributes, link rules) for every way a body arrives
// (staff copy, imports, wire ingest) and the one place sanitize-html runs. Whoever wrote a body, it is
// cleaned on the way in, because staff accounts get phished and feeds get hijacked. Cleaning also reports
// what it removed, so editors can be told, and whether any of it was active content (scripts, event
// handlers, script links, frames, forms, plugins) that agency copy never legitimately carries.
// `trustedBodyHtml` is the only way views print raw HTML.
import { createRequire } from 'node:module';
import type { Parser as HtmlParser } from 'htmlparser2';
import type sanitizeHtmlModule from 'sanitize-html';

// Loaded on the first write: a server that only reads never needs the HTML parser in memory.
const requireModule = createRequire(import.meta.url);
let sanitizeHtml: typeof sanitizeHtmlModule | null = null;
function sanitize(html: string, options: sanitizeHtmlModule.IOptions): string {
  sanitizeHtml ??= requireModule('sanitize-html') as typeof sanitizeHtmlModule;
  return sanitizeHtml(html, options);
}
let htmlParser: typeof HtmlParser | null = null;
function parser(): typeof HtmlParser {
  htmlParser ??= (requireModule('htmlparser2') as typeof import('htmlparser2')).Parser;
  return htmlParser;
}

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
  'u',
  's',
  'sub',
  'sup',
  'blockquote',
  'br',
  'hr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'figure',
  'figcaption',
  'img',
  'cite',
  'q',
  'abbr',
  'code',
  'pre',
];

// Elements whose text is code, styling or fallback content, never story text: dropped with everything
// inside. (svg and math are not here: their text is kept as plain text, and no svg/math element is ever
// emitted, so namespace-confusion tricks have nothing to work with.)
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
  // frame and embed are void elements with no content to drop; listed so the list reads as the set of
  // elements whose insides never reach a reader.
  // Stryker disable next-line StringLiteral: equivalent, a void element holds no text
  'frame',
  'frameset',
  'noframes',
  'noembed',
  'object',
  // Stryker disable next-line StringLiteral: equivalent, a void element holds no text
  'embed',
  'applet',
  'xmp',
];

// Active content: it runs code, loads other pages or submits data. Removing it makes a body safe, but its
// presence in agency copy means the agency's system or the feed was tampered with.
const REJECTABLE_TAGS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'form',
  'object',
  'embed',
  'applet',
]);
// Not story text but harmless once removed (CMS exports carry them): listed for editors, nothing more.
const LISTED_TAGS = new Set([
  // Stryker disable next-line MethodExpression: equivalent, onOpenTag checks REJECTABLE_TAGS first
  ...DROPPED_WITH_CONTENT.filter((tag) => !REJECTABLE_TAGS.has(tag)),
  'base',
  'meta',
  'link',
]);
const SCRIPT_URL = /^(?:javascript|vbscript|data):/i;
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href'];

function withArticle(noun: string): string {
  // "an onclick attribute", "an ‹iframe› element", "a ‹script› element", "an HTML comment".
  // Stryker disable next-line Regex: equivalent, a noun holds ‹ only at its start
  const first = noun.replace(/^‹/, '').charAt(0).toLowerCase();
  return `${'aeio'.includes(first) || noun.startsWith('HTML') ? 'an' : 'a'} ${noun}`;
}

interface Finding {
  singular: string;
  plural: string;
  count: number;
  rejectable: boolean;
}

/**
 * What cleaning removed, in the words an editor reads ("a ‹style› element", "2 HTML comments",
 * "an onclick attribute"). Element names are written with look-alike brackets, as every report is, so no
 * report ever carries markup. Pass one instance to several calls to collect the findings of all of them.
 * Formatting wrappers whose text is kept (div, span, font) and presentational attributes (class, style)
 * are not listed: removing them loses no text.
 */
export class MarkupFindings {
  private readonly found = new Map<string, Finding>();

  private add(key: string, singular: string, plural: string, rejectable: boolean): void {
    const seen = this.found.get(key);
    if (seen) seen.count++;
    else this.found.set(key, { singular, plural, count: 1, rejectable });
  }

  /** Records what sanitize-html is about to see (it calls this before it removes anything). */
  readonly onOpenTag = (name: string, attribs: sanitizeHtmlModule.Attributes): void => {
    const rejectable = REJECTABLE_TAGS.has(name);
    if (rejectable || LISTED_TAGS.has(name)) {
      this.add(`<${name}>`, withArticle(`‹${name}› element`), `‹${name}› elements`, rejectable);
    }
    for (const [attribute, value] of Object.entries(attribs)) {
      // The name is feed text: only the characters of real attribute names are repeated in a report.
      const lower = attribute.toLowerCase().replace(/[^a-z0-9_:-]/g, '');
      if (lower.startsWith('on'))
        this.add(lower, withArticle(`${lower} attribute`), `${lower} attributes`, true);
      // Browsers ignore whitespace and control characters inside the scheme, so compare without them.
      const compact = value.replace(/[\s\p{Cc}]/gu, '');
      if (URL_ATTRIBUTES.includes(lower) && SCRIPT_URL.test(compact)) {
        const scheme = compact.slice(0, compact.indexOf(':') + 1).toLowerCase();
        this.add(scheme, withArticle(`${scheme} URL`), `${scheme} URLs`, true);
      }
    }
  };

  comment(): void {
    this.add('<!--', 'an HTML comment', 'HTML comments', false);
  }

  private list(filter: (finding: Finding) => boolean): string[] {
    return [...this.found.values()]
      .filter(filter)
      .map((f) => (f.count === 1 ? f.singular : `${f.count} ${f.plural}`));
  }

  /** Everything listed that was removed, rejectable or not. */
  get removed(): string[] {
    return this.list(() => true);
  }

  /** Only the active content: a body with any of it should be refused where copy is not trusted. */
  get rejectable(): string[] {
    return this.list((f) => f.rejectable);
  }

  /** Only what is harmless once removed (styles, comments, document head). */
  get harmless(): string[] {
    return this.list((f) => !f.rejectable);
  }
}

// sanitize-html drops comments without telling its caller, so they are counted in a pass of their own,
// made only when the text could hold one.
function countComments(html: string, findings: MarkupFindings): void {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut only, the parse finds none
  if (!html.includes('<!')) return;
  const Parser = parser();
  const counter = new Parser({ oncomment: () => findings.comment() }, { decodeEntities: true });
  counter.end(html);
}

/**
 * How relative links in a body are read.
 * - `site`: staff copy; a relative link points within the site and stays as written.
 * - `{ base }`: agency copy; relative links are resolved against the feed's own location, and one that
 *   does not end up as http(s) (no base, a file:// base) loses its URL, as a link to the feed's disk is
 *   useless to a reader.
 */
export type RelativeLinks = 'site' | { base: string | undefined };

const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const;
const IMAGE_PROTOCOLS = ['http:', 'https:'] as const;
// Relative links in staff copy are checked by resolving them against a host that cannot exist.
const SITE_PLACEHOLDER = 'https://site.invalid/';
const SITE_ORIGIN = new URL(SITE_PLACEHOLDER).origin;
const DIGITS = /^\d{1,5}$/;

function usableBase(baseUrl: string | undefined): string | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent, new URL(undefined) throws and is caught
  if (baseUrl === undefined) return undefined;
  try {
    return new URL(baseUrl).href;
    // Stryker disable next-line BlockStatement: equivalent, falling out returns undefined too
  } catch {
    return undefined;
  }
}

function allowedUrl(
  raw: string | undefined,
  links: RelativeLinks,
  protocols: readonly string[],
): string | null {
  const value = raw?.trim();
  if (!value) return null;
  const base = links === 'site' ? SITE_PLACEHOLDER : links.base;
  try {
    // Resolving first also normalizes tricks like "java\tscript:" before the protocol check.
    // Stryker disable next-line ConditionalExpression: new URL(value, undefined) is new URL(value)
    const url = base === undefined ? new URL(value) : new URL(value, base);
    if (!protocols.includes(url.protocol)) return null;
    return links === 'site' && url.origin === SITE_ORIGIN ? value : url.href;
    // Stryker disable next-line BlockStatement: equivalent, undefined drops the URL as null does
  } catch {
    return null;
  }
}

function keepDigits(
  attribs: sanitizeHtmlModule.Attributes,
  names: readonly string[],
): sanitizeHtmlModule.Attributes {
  const kept: sanitizeHtmlModule.Attributes = {};
  for (const name of names) {
    const value = attribs[name]?.trim();
    if (value !== undefined && DIGITS.test(value)) kept[name] = value;
  }
  return kept;
}

function bodyOptions(links: RelativeLinks, findings: MarkupFindings): sanitizeHtmlModule.IOptions {
  const cell = (tagName: string, attribs: sanitizeHtmlModule.Attributes) => {
    const kept = keepDigits(attribs, ['colspan', 'rowspan']);
    if (tagName === 'th' && attribs.scope !== undefined) kept.scope = attribs.scope;
    return { tagName, attribs: kept };
  };
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      th: ['colspan', 'rowspan', 'scope'],
      td: ['colspan', 'rowspan'],
      abbr: ['title'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    // Stryker disable next-line BooleanLiteral: equivalent, allowedUrl has already made such a URL absolute
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    onOpenTag: findings.onOpenTag,
    transformTags: {
      h1: 'h2',
      a: (_tagName, attribs) => {
        const href = allowedUrl(attribs.href, links, LINK_PROTOCOLS);
        // rel is always ours: a supplied rel could drop "nofollow" or add "opener".
        const kept: sanitizeHtmlModule.Attributes = href === null ? {} : { href, rel: 'noopener nofollow' };
        // Stryker disable next-line ConditionalExpression: equivalent, a link without href loses its tag
        if (href !== null && attribs.title !== undefined) kept.title = attribs.title;
        return { tagName: 'a', attribs: kept };
      },
      img: (_tagName, attribs) => {
        const src = allowedUrl(attribs.src, links, IMAGE_PROTOCOLS);
        const kept = keepDigits(attribs, ['width', 'height']);
        if (src !== null) kept.src = src;
        if (attribs.alt !== undefined) kept.alt = attribs.alt;
        return { tagName: 'img', attribs: kept };
      },
      td: cell,
      th: cell,
    },
    exclusiveFilter: (frame) => {
      // An image without a safe src is dropped; a link without a safe href keeps its text.
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
 * Indentation from pretty-printed XML and gaps left by removed elements collapse to one newline: HTML
 * renders any whitespace run the same outside <pre>, whose content is left exactly as it is. Written as a
 * loop because the obvious regex is quadratic on long runs of spaces; U+00A0 is deliberately kept.
 */
function tidyLines(html: string): string {
  const kept: string[] = [];
  for (const line of html.split('\n')) {
    let start = 0;
    let end = line.length;
    // Bounds equal at the end of a blank line: charCodeAt past it is NaN, and an emptied line is skipped.
    // Stryker disable next-line EqualityOperator: equivalent, see above
    while (start < end && isLineSpace(line.charCodeAt(start))) start++;
    // Stryker disable next-line EqualityOperator: equivalent, see above
    while (end > start && isLineSpace(line.charCodeAt(end - 1))) end--;
    if (end > start) kept.push(line.slice(start, end));
  }
  return kept.join('\n');
}

const PRE_BLOCK = /(<pre>[\s\S]*?<\/pre>)/;

function tidyOutsidePre(html: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut only, the split finds no block
  if (!html.includes('<pre>')) return tidyLines(html);
  return html
    .split(PRE_BLOCK)
    .map((part, index) => (index % 2 === 1 ? part : tidyLines(part)))
    .join('');
}

export interface CleanedHtml {
  html: string;
  findings: MarkupFindings;
}

/** Reduces a body to the allowed model, saying what was removed (added to `findings` when given). */
export function cleanArticleHtml(
  html: string,
  links: RelativeLinks,
  findings: MarkupFindings = new MarkupFindings(),
): CleanedHtml {
  const readLinks = links === 'site' ? links : { base: usableBase(links.base) };
  countComments(html, findings);
  return { html: tidyOutsidePre(sanitize(html, bodyOptions(readLinks, findings))), findings };
}

/** Staff copy and imports: the cleaned body alone; what was removed is not reported to anyone. */
export function sanitizeArticleHtml(html: string): string {
  return cleanArticleHtml(html, 'site').html;
}

// sanitize-html escapes exactly these four in text it emits; undoing them yields the decoded text.
function unescapeSanitizerText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

// Block boundaries become line breaks so "<p>a</p><p>b</p>" reads "a\nb", not "ab".
const BLOCK_END = /<br\s*\/?>|<\/(?:p|div|li|h[1-6]|tr|blockquote|figcaption)\s*>/gi;

const STRIP_ALL = (findings: MarkupFindings): sanitizeHtmlModule.IOptions => ({
  // Stryker disable next-line ArrayDeclaration: equivalent, no element has the name Stryker puts here
  allowedTags: [],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
  onOpenTag: findings.onOpenTag,
});

/**
 * One pass of HTML to text: every tag removed (the content of code and styling elements with it), entities
 * decoded once. Text that decodes into markup ("&lt;b&gt;") comes out as markup: callers that need none
 * run it again. The result is NOT HTML-safe.
 */
export function htmlToText(html: string, findings: MarkupFindings = new MarkupFindings()): string {
  countComments(html, findings);
  return unescapeSanitizerText(sanitize(html.replace(BLOCK_END, '$&\n'), STRIP_ALL(findings)));
}

/** Marks already-sanitised body HTML for printing; the one place raw HTML enters a view. */
export function trustedBodyHtml(sanitized: string): { __html: string } {
  return { __html: sanitized };
}
