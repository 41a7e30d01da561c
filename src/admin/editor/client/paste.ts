// Pasted HTML, from Word, Google Docs or any web page, made into article text. Cleaning here turns what
// those programs express with styles into the model's own elements (bold and italic spans, Word's list
// paragraphs) and removes their wrappers and formatting; the schema's parse rules then drop everything
// else. What was removed that an editor should know about (scripts, styles, event handlers, frames,
// pictures that cannot be kept) is worked out by comparing the pasted elements with what was kept, and
// named in the same words the server uses for wire copy ("a ‹script› element", "an onclick attribute").
import type { Slice } from 'prosemirror-model';
import { prepareForSchema } from './prepare.ts';

// Elements whose insides are never story text: removed with their content, as the server's sanitiser does.
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'noscript',
  'title',
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
  'meta',
  'link',
  'base',
]);

// Elements the article model has (or maps to its own: b to strong, h1 to h2, a table caption to a
// paragraph): never reported, even where the schema rearranges them.
const MODEL_ELEMENTS = new Set(
  (
    'p h1 h2 h3 h4 h5 h6 ul ol li a strong b em i u s strike del sub sup q abbr cite code pre blockquote br hr ' +
    'table thead tbody tfoot tr th td caption figure figcaption img'
  ).split(' '),
);

// Wrappers and formatting whose text is kept: removing them loses nothing an editor would miss, so they are
// not listed (the server does not list them either). Chrome adds <meta charset> to every copy.
const WRAPPERS = new Set(
  (
    'html head body span div font section article header footer main aside nav center small big mark ins ' +
    'label tt kbd var samp dfn address dl dt dd details summary picture source hgroup colgroup col bdi bdo ' +
    'time data wbr nobr meta'
  ).split(' '),
);

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);
const SCRIPT_URL = /^(?:javascript|vbscript|data):/i;

// The few attributes the schema reads; every other one (style, class, id, lang, Word's and Google's own)
// is removed before parsing. data-pm-slice is ProseMirror's marker in copies made inside the editor.
const KEPT_ATTRIBUTES = new Set([
  'href',
  'src',
  'alt',
  'title',
  'width',
  'height',
  'colspan',
  'rowspan',
  'data-pm-slice',
]);

function withArticle(noun: string): string {
  const first = noun.replace(/^‹/, '').charAt(0).toLowerCase();
  return `${'aeio'.includes(first) ? 'an' : 'a'} ${noun}`;
}

interface Finding {
  singular: string;
  plural: string;
  count: number;
}

/** What a paste held that the editor will not keep, counted before cleaning. */
export class PasteInventory {
  private readonly found = new Map<string, Finding>();
  /** Pictures outside removed elements: compared with the pictures kept to find the ones dropped. */
  pictures = 0;

  add(key: string, singular: string, plural: string): void {
    const seen = this.found.get(key);
    if (seen) seen.count++;
    else this.found.set(key, { singular, plural, count: 1 });
  }

  /** Counts what a parsed paste holds (after stripInlineCode took out what it counts itself). */
  count(document: Document): void {
    const walk = (element: Element, insideRemoved: boolean) => {
      const name = element.localName.toLowerCase();
      // Office namespaces (o:p, w:sdt, st1:place) are Word's wrappers around text it keeps.
      const reported =
        !insideRemoved && !name.includes(':') && !MODEL_ELEMENTS.has(name) && !WRAPPERS.has(name);
      if (reported) this.add(`<${name}>`, withArticle(`‹${name}› element`), `‹${name}› elements`);
      if (name === 'img' && !insideRemoved && !reported) this.pictures++;
      for (const attribute of Array.from(element.attributes)) {
        const lower = attribute.name.toLowerCase().replace(/[^a-z0-9_:-]/g, '');
        if (lower.startsWith('on')) this.add(lower, withArticle(`${lower} attribute`), `${lower} attributes`);
        const compact = attribute.value.replace(/[\s\p{Cc}]/gu, '');
        if (URL_ATTRIBUTES.has(lower) && SCRIPT_URL.test(compact)) {
          const scheme = compact.slice(0, compact.indexOf(':') + 1).toLowerCase();
          this.add(scheme, withArticle(`${scheme} URL`), `${scheme} URLs`);
        }
      }
      for (const child of Array.from(element.children)) walk(child, insideRemoved || reported);
    };
    walk(document.documentElement, false);
  }

  /** The list for the editor, given how many pictures the pasted slice kept. */
  removed(picturesKept: number): string[] {
    const list = [...this.found.values()].map((f) => (f.count === 1 ? f.singular : `${f.count} ${f.plural}`));
    const lost = this.pictures - picturesKept;
    if (lost === 1) list.push('a picture whose address cannot be used');
    else if (lost > 1) list.push(`${lost} pictures whose addresses cannot be used`);
    return list;
  }
}

/** Pictures in a parsed paste. */
export function picturesIn(slice: Slice): number {
  let count = 0;
  slice.content.descendants((node) => {
    if (node.type.name === 'figure_image') count++;
  });
  return count;
}

function unwrap(element: Element): void {
  element.replaceWith(...Array.from(element.childNodes));
}

/** Where stripInlineCode keeps a pasted element's style attribute, out of the CSP's sight. */
const PASTED_STYLE = 'data-pasted-style';

function styleOf(element: Element): string {
  return (element.getAttribute(PASTED_STYLE) ?? '').toLowerCase().replace(/\s+/g, '');
}

// Word writes list items as paragraphs styled mso-list:l0 level1 lfo1, with the bullet or number as text
// in a span marked mso-list:Ignore. Runs of them become real, nested lists.
function convertWordLists(body: HTMLElement): void {
  const items = Array.from(body.querySelectorAll('p')).filter((p) =>
    /mso-list:l\d+level\d+/.test(styleOf(p)),
  );
  let stack: { list: HTMLElement; level: number }[] = [];
  let previous: Element | null = null;
  for (const item of items) {
    if (previous === null || item.previousElementSibling !== previous) stack = [];
    const level = Number(/level(\d+)/.exec(styleOf(item))?.[1] ?? 1);
    const marker = Array.from(item.querySelectorAll('span')).find((span) =>
      styleOf(span).includes('mso-list:ignore'),
    );
    const markerText = marker?.textContent?.replace(/\u00a0/g, ' ').trim() ?? '';
    marker?.remove();
    const ordered = /^\(?([0-9]+|[a-z]|[ivxlcdm]+)[.)]/i.test(markerText);
    while (stack.length > 0 && stack[stack.length - 1]!.level > level) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.level < level) {
      const list = item.ownerDocument.createElement(ordered ? 'ol' : 'ul');
      const parentItem = top?.list.lastElementChild;
      if (parentItem) parentItem.append(list);
      else item.before(list);
      top = { list, level };
      stack.push(top);
    }
    const li = item.ownerDocument.createElement('li');
    li.append(...Array.from(item.childNodes));
    top.list.append(li);
    // The next item of this list follows the list itself now that the paragraph is gone.
    previous = stack[0]!.list;
    item.remove();
  }
}

// Google Docs and Word say bold, italic, underline, strike-through, superscript and subscript with styles
// on spans; those become the model's elements before spans are removed.
// Each property is matched at a declaration's start: Word's mso-bidi-font-weight:normal is not a weight.
const STYLE_ELEMENTS: [RegExp, string][] = [
  [/(^|;)font-weight:(bold|bolder|[6-9]00)/, 'strong'],
  [/(^|;)font-style:italic/, 'em'],
  [/(^|;)text-decoration(-line)?:[^;]*underline/, 'u'],
  [/(^|;)text-decoration(-line)?:[^;]*line-through/, 's'],
  [/(^|;)vertical-align:super/, 'sup'],
  [/(^|;)vertical-align:sub/, 'sub'],
];

function spansToElements(body: HTMLElement): void {
  for (const span of Array.from(body.querySelectorAll('span, font')).reverse()) {
    const style = styleOf(span);
    let content: Node[] = Array.from(span.childNodes);
    for (const [pattern, tag] of STYLE_ELEMENTS) {
      // Links are underlined by their own look, not by the writer's choice.
      if (!pattern.test(style) || (tag === 'u' && span.closest('a'))) continue;
      const wrapper = span.ownerDocument.createElement(tag);
      wrapper.append(...content);
      content = [wrapper];
    }
    span.replaceWith(...content);
  }
}

function removeComments(root: Node): void {
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const comment of comments) comment.parentNode?.removeChild(comment);
}

function isBlank(element: Element): boolean {
  return (element.textContent ?? '').replace(/[\s\u00a0]/g, '') === '' && !element.querySelector('img');
}

// Elements whose content the HTML tokenizer reads as raw text, not markup.
const RAW_TEXT = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
]);
// Of those, the ones taken out of the text before it is parsed at all.
const CODE_ELEMENTS = new Set(['script', 'style']);

/**
 * Takes <script> and <style> elements and on… attributes out of pasted HTML before the browser parses it,
 * counting them, and renames style attributes (cleaning reads them, then removes them). Parsing is safe without this (a parsed document runs nothing, the schema keeps
 * none of it), but the admin's CSP makes Chrome report every inline style and handler it parses, even in
 * a detached document: a Word paste would fill the console with blocked-style reports. The scan follows
 * the HTML tokenizer's reading of tags (a "<" before a letter, quoted or bare attribute values, comments
 * and raw-text elements skipped whole), so text outside tags is never changed.
 */
export function stripInlineCode(html: string, inventory: PasteInventory): string {
  const lower = html.toLowerCase();
  const length = html.length;
  const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
  let out = '';
  let i = 0;
  while (i < length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      const stop = end === -1 ? length : end + 3;
      out += html.slice(lt, stop);
      i = stop;
      continue;
    }
    const after = html.charAt(lt + 1);
    if (after === '!' || after === '?') {
      const end = html.indexOf('>', lt);
      const stop = end === -1 ? length : end + 1;
      out += html.slice(lt, stop);
      i = stop;
      continue;
    }
    const closing = after === '/';
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!/[a-z]/i.test(html.charAt(nameStart))) {
      out += '<';
      i = lt + 1;
      continue;
    }
    let j = nameStart;
    while (j < length && !isSpace(html.charAt(j)) && html.charAt(j) !== '/' && html.charAt(j) !== '>') j++;
    const name = lower.slice(nameStart, j);
    let tag = html.slice(lt, j);
    while (j < length && html.charAt(j) !== '>') {
      const c = html.charAt(j);
      if (isSpace(c) || c === '/') {
        tag += c;
        j++;
        continue;
      }
      let k = j + 1;
      while (k < length && !isSpace(html.charAt(k)) && !'/>='.includes(html.charAt(k))) k++;
      const attribute = lower.slice(j, k);
      let end = k;
      let m = k;
      while (m < length && isSpace(html.charAt(m))) m++;
      if (html.charAt(m) === '=') {
        m++;
        while (m < length && isSpace(html.charAt(m))) m++;
        const quote = html.charAt(m);
        if (quote === '"' || quote === "'") {
          const close = html.indexOf(quote, m + 1);
          end = close === -1 ? length : close + 1;
        } else {
          end = m;
          while (end < length && !isSpace(html.charAt(end)) && html.charAt(end) !== '>') end++;
        }
      }
      if (attribute.startsWith('on')) {
        const clean = attribute.replace(/[^a-z0-9_:-]/g, '');
        inventory.add(clean, withArticle(`${clean} attribute`), `${clean} attributes`);
      } else if (attribute === 'style') {
        // Kept under another name: Word's list levels and Docs' bold and italic are read from it.
        tag += `${PASTED_STYLE}${html.slice(k, end)}`;
      } else {
        tag += html.slice(j, end);
      }
      j = end;
    }
    const tagEnd = j < length ? j + 1 : length;
    if (!closing && CODE_ELEMENTS.has(name)) {
      inventory.add(`<${name}>`, withArticle(`‹${name}› element`), `‹${name}› elements`);
      const close = lower.indexOf(`</${name}`, tagEnd);
      const closeEnd = close === -1 ? -1 : html.indexOf('>', close);
      i = closeEnd === -1 ? length : closeEnd + 1;
      continue;
    }
    out += `${tag}${j < length ? '>' : ''}`;
    i = tagEnd;
    if (!closing && RAW_TEXT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      const stop = close === -1 ? length : close;
      out += html.slice(i, stop);
      i = stop;
    }
  }
  return out;
}

/** The paste's HTML made ready for the schema, and an inventory of what it held that will not be kept. */
export function cleanPastedHtml(html: string): { html: string; inventory: PasteInventory } {
  const inventory = new PasteInventory();
  const document = new DOMParser().parseFromString(stripInlineCode(html, inventory), 'text/html');
  inventory.count(document);
  const body = document.body;
  const fromOffice = /mso-|urn:schemas-microsoft-com|docs-internal-guid/i.test(html);

  for (const element of Array.from(body.querySelectorAll('*'))) {
    if (DROPPED_WITH_CONTENT.has(element.localName)) element.remove();
  }
  removeComments(body);
  // Word's <o:p> holds the &nbsp; that keeps an empty paragraph open.
  for (const element of Array.from(body.querySelectorAll('*'))) {
    if (element.localName.toLowerCase() === 'o:p') element.remove();
  }
  // Google Docs wraps a whole copy in <b id="docs-internal-guid-…" style="font-weight:normal">.
  for (const b of Array.from(body.querySelectorAll('b, strong'))) {
    if (b.id.startsWith('docs-internal-guid') || /(^|;)font-weight:(normal|[1-4]00)/.test(styleOf(b)))
      unwrap(b);
  }
  convertWordLists(body);
  spansToElements(body);
  for (const element of Array.from(body.querySelectorAll('*'))) {
    // Other Office elements (st1:place, w:sdt) only wrap text.
    if (element.localName.includes(':')) {
      unwrap(element);
      continue;
    }
    for (const attribute of Array.from(element.attributes)) {
      const keep =
        KEPT_ATTRIBUTES.has(attribute.name) &&
        ((attribute.name !== 'width' && attribute.name !== 'height') || element.localName === 'img');
      if (!keep) element.removeAttribute(attribute.name);
    }
  }
  // Word and Docs separate paragraphs with empty ones; the article's layout spaces paragraphs itself.
  if (fromOffice) {
    for (const p of Array.from(body.querySelectorAll('p')))
      if (isBlank(p) && !p.querySelector('br')) p.remove();
  }
  prepareForSchema(body);
  return { html: body.innerHTML, inventory };
}
