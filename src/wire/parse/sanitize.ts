// How wire text is cleaned. Story bodies follow the one article HTML model (src/articles/body-html.ts),
// with relative links read against the feed's location; plain-text fields (headline, byline, caption,
// credit, ...) lose all markup. Both say what they removed, so the parser can tell editors and the ingester
// can refuse items that carried active content.

import { cleanArticleHtml, htmlToText, MarkupFindings } from '../../articles/body-html.ts';

export { MarkupFindings };

/** Cleaned text plus what cleaning removed. */
export interface Cleaned {
  value: string;
  findings: MarkupFindings;
}

/**
 * Reduce agency HTML to the article body model. Relative hrefs/srcs are resolved against `baseUrl`; links
 * that do not end up as http(s)/mailto (images: http(s)) lose their URL, so a relative link in a feed read
 * from disk does not survive as a useless file:// link.
 */
export function sanitizeWireHtml(html: string, baseUrl?: string): string {
  return cleanWireHtml(html, baseUrl).value;
}

/** `sanitizeWireHtml`, also saying what was removed so the parser and the ingester can act on it. */
export function cleanWireHtml(html: string, baseUrl?: string): Cleaned {
  const { html: value, findings } = cleanArticleHtml(html, { base: baseUrl });
  return { value, findings };
}

function isControl(code: number): boolean {
  // C0 and C1 controls except tab, line feed and carriage return, which are ordinary whitespace in text.
  if (code === 0x09 || code === 0x0a || code === 0x0d) return false;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function withoutControls(text: string): string {
  let out = '';
  let start = 0;
  // Stryker disable next-line EqualityOperator: equivalent, charCodeAt past the end is NaN, which is no control
  for (let i = 0; i < text.length; i++) {
    if (isControl(text.charCodeAt(i))) {
      out += text.slice(start, i);
      start = i + 1;
    }
  }
  // Stryker disable next-line ConditionalExpression: a shortcut only, with nothing removed out + the rest is the text
  return start === 0 ? text : out + text.slice(start);
}

// Entity-encoded markup ("&lt;script&gt;") decodes into tags on one round and is stripped on the next; each
// round of encoding needs one more. Feeds encode twice at most in practice: text still changing after this
// many rounds is not something anyone meant to publish.
const MAX_ROUNDS = 6;
// What could still turn into a tag or an entity on another round: a run of '<' and '&' before a letter,
// '#', '!', '/' or '?'. Removing the whole run cannot join a new '<' or '&' to what follows.
const MARKUP_START = /[<&]+(?=[a-zA-Z#!/?])/g;
const LOOKS_LIKE_TAG = /<[a-zA-Z!/?]/;

/**
 * Turn a wire text field (headline, byline, caption, credit, ...) into plain text: tags and control
 * characters removed, entities decoded, ends trimmed. Everything else, including inner spacing, case and
 * punctuation, is kept exactly, because captions and credit lines are contractual. The result is a fixed
 * point: cleaning it again gives it back unchanged, so text stored once never changes on a re-read, and no
 * result carries markup however many times the feed encoded it. It is NOT HTML-safe: escape it when
 * rendering.
 */
export function wirePlainText(value: string): string {
  return cleanWirePlainText(value).value;
}

/** `wirePlainText`, also saying what was removed so the parser and the ingester can act on it. */
export function cleanWirePlainText(value: string): Cleaned {
  const findings = new MarkupFindings();
  let text = withoutControls(value);
  let settled = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Without '<' or '&' there is nothing a round could change.
    // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: a shortcut only, the round gives such text back unchanged
    if (!text.includes('<') && !text.includes('&')) {
      // Stryker disable next-line BooleanLiteral: equivalent, text without '<' or '&' has no markup start to take off
      settled = true;
      break;
    }
    const next = withoutControls(htmlToText(text, findings));
    if (next === text) {
      settled = true;
      break;
    }
    text = next;
  }
  // Left-over tag starts (the parser keeps some malformed ones as text) and unsettled text lose every
  // '<' and '&' that could start markup, which leaves nothing another round could change.
  if (!settled || LOOKS_LIKE_TAG.test(text)) text = text.replace(MARKUP_START, '');
  return { value: text.trim(), findings };
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
