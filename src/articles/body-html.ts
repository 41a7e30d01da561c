// Article bodies are HTML. Whoever wrote them (wire, staff, importer), they are sanitised on the way in,
// because staff accounts get phished too. `trustedBodyHtml` is the only way views print raw HTML.
import { createRequire } from 'node:module';
import type sanitizeHtmlModule from 'sanitize-html';

// Loaded on the first write: a server that only reads never needs the HTML parser in memory.
const requireModule = createRequire(import.meta.url);
let sanitizeHtml: typeof sanitizeHtmlModule | null = null;
function sanitizer(): typeof sanitizeHtmlModule {
  sanitizeHtml ??= requireModule('sanitize-html') as typeof sanitizeHtmlModule;
  return sanitizeHtml;
}

const options = (sanitizeHtml: typeof sanitizeHtmlModule): sanitizeHtmlModule.IOptions => ({
  allowedTags: [
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
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
    abbr: ['title'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    h1: 'h2',
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener nofollow' }),
  },
  // Drop the content of elements that are never text, rather than leaving their source as text.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'iframe',
    'object',
    'embed',
    'form',
    'template',
  ],
});
let OPTIONS: sanitizeHtmlModule.IOptions | null = null;

export function sanitizeArticleHtml(html: string): string {
  const sanitize = sanitizer();
  OPTIONS ??= options(sanitize);
  return sanitize(html, OPTIONS).trim();
}

/** Marks already-sanitised body HTML for printing; the one place raw HTML enters a view. */
export function trustedBodyHtml(sanitized: string): { __html: string } {
  return { __html: sanitized };
}
