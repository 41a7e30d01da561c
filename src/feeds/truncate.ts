// Bounds the body a feed carries for one story. Feeds hold up to 50 stories and are rebuilt after every
// change, so one huge story (a 3 MB body) would make every copy of the feed huge too; past the configured
// size the body is cut between top-level elements, the way a reader would stop at a paragraph, and ends
// with a link to the whole story.
//
// Bodies are sanitised on the way in (articles/body-html.ts), so their markup is well formed: tags are
// balanced, attribute values are quoted with `<`, `>` and `"` escaped, and there are no comments, scripts
// or CDATA. That is what lets a plain scan over tags find the top-level boundaries; every cut falls between
// two complete top-level nodes, so what is kept is itself sanitised, balanced HTML.

import { decodeEntities } from '../search/text.ts';

/** Elements that never have a closing tag. */
const VOID = new Set([
  'br',
  'hr',
  'img',
  'wbr',
  'area',
  'base',
  'col',
  'embed',
  'input',
  'link',
  'meta',
  'source',
]);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g;

export interface FeedBody {
  html: string;
  truncated: boolean;
}

/**
 * The body as it goes into a feed: unchanged when it fits in `maxBytes` (UTF-8), else its longest run of
 * whole top-level elements that fits with the "read more" link, or failing that (a first paragraph larger
 * than the limit) the start of its text. `html` may be only the start of the stored body (see feedRows);
 * a prefix shorter than the limit is taken to be the whole body.
 */
export function feedBody(html: string, maxBytes: number, storyUrl: string): FeedBody {
  if (Buffer.byteLength(html) <= maxBytes) return { html, truncated: false };
  const more = readMore(storyUrl);
  const budget = Math.max(0, maxBytes - Buffer.byteLength(more));
  const cut = lastTopLevelBoundary(html, budget);
  const kept = cut > 0 ? html.slice(0, cut) : textLead(html, budget);
  return { html: `${kept}${more}`, truncated: true };
}

function readMore(storyUrl: string): string {
  return `<p><a href="${escapeHtml(storyUrl)}">Read the full story</a></p>`;
}

/**
 * The largest index at which `html` can be cut between top-level nodes with at most `budget` UTF-8 bytes
 * before it; 0 when not even the first node fits. Scans only as far as the budget reaches.
 */
function lastTopLevelBoundary(html: string, budget: number): number {
  let depth = 0;
  let best = 0;
  let bytes = 0;
  let counted = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m !== null; m = TAG.exec(html)) {
    const start = m.index;
    const end = start + m[0].length;
    // A top-level opening tag starts a new node: the text before it is complete.
    if (depth === 0 && m[1] === '') best = withinBudget(start) ? start : best;
    bytes += Buffer.byteLength(html.slice(counted, end));
    counted = end;
    if (bytes > budget) break;
    const name = m[2]!.toLowerCase();
    if (m[1] === '/') depth = Math.max(0, depth - 1);
    else if (m[3] !== '/' && !VOID.has(name)) depth++;
    if (depth === 0) best = end;
  }
  return best;

  function withinBudget(at: number): boolean {
    return bytes + Buffer.byteLength(html.slice(counted, at)) <= budget;
  }
}

/** The start of the body's text, cut at a space, as one escaped paragraph of at most `budget` bytes. */
function textLead(html: string, budget: number): string {
  // Only the start can matter: no more characters than bytes are needed.
  const text = decodeEntities(
    html
      .slice(0, budget * 2)
      .replace(/<[^>]*>?/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  const wrap = (s: string) => `<p>${escapeHtml(s)}…</p>`;
  let lo = 0;
  let hi = text.length;
  // The longest prefix whose escaped paragraph fits: escaping grows the text, so search for it.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(wrap(text.slice(0, mid))) <= budget) lo = mid;
    else hi = mid - 1;
  }
  let cut = text.slice(0, lo);
  // Never split a surrogate pair, and prefer to end at a word.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (lo < text.length && space > cut.length / 2) cut = cut.slice(0, space);
  return cut === '' ? '' : wrap(cut);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
