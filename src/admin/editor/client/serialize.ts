// Writes an editor document as article body HTML, byte for byte in the form the server's sanitiser emits
// (src/articles/body-html.ts through sanitize-html): its attribute order, `<br />`-style void elements,
// escaping, `rel="noopener nofollow"` on links and no line breaks outside <pre>. Saving therefore never
// changes a body the editor produced, and a comparison of two revisions shows only what a person changed.
// A string writer rather than the browser's innerHTML, which writes `<br>`, orders attributes as they were
// set and escapes differently; it also runs in Node, where the unit test checks it against the sanitiser.
import { Fragment, type Mark, type Node } from 'prosemirror-model';
import { headingLevel, pictureDimension } from './schema.ts';
import { keptLinkUrl, keptPictureUrl } from './urls.ts';

// Line breaks become spaces (HTML reads them the same outside <pre>, and the sanitiser's line tidying would
// otherwise trim around them); other control characters are never story text.
function plain(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\n\r\f]/g, ' ').replace(/[\x00-\x08\x0b\x0e-\x1f\x7f]/g, '');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(plain(value)).replace(/"/g, '&quot;');
}

type Attributes = [name: string, value: string][];

function attributes(list: Attributes): string {
  return list.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
}

/** A text attribute worth writing: an attribute left empty reads back differently from no attribute. */
function nonEmpty(value: unknown): string | null {
  const written = typeof value === 'string' ? plain(value) : '';
  return written === '' ? null : written;
}

/** The opening tag of a mark, or null when the mark cannot be written (a link whose address is refused). */
function openMark(mark: Mark): string | null {
  switch (mark.type.name) {
    case 'link': {
      const href = keptLinkUrl(mark.attrs.href);
      if (href === null) return null;
      const list: Attributes = [
        ['href', href],
        ['rel', 'noopener nofollow'],
      ];
      const title = nonEmpty(mark.attrs.title);
      if (title !== null) list.push(['title', title]);
      return `<a${attributes(list)}>`;
    }
    case 'abbr': {
      const title = nonEmpty(mark.attrs.title);
      return `<abbr${title === null ? '' : attributes([['title', title]])}>`;
    }
    default:
      return `<${MARK_TAGS[mark.type.name]}>`;
  }
}

const MARK_TAGS: Record<string, string> = {
  link: 'a',
  strong: 'strong',
  em: 'em',
  underline: 'u',
  strike: 's',
  sub: 'sub',
  sup: 'sup',
  q: 'q',
  abbr: 'abbr',
  cite: 'cite',
  code: 'code',
};

function inlineHtml(content: Fragment): string {
  let html = '';
  // Marks come sorted outermost first (schema order), so the open ones are a prefix to keep or close.
  const open: Mark[] = [];
  const close = (keep: number) => {
    while (open.length > keep) html += `</${MARK_TAGS[open.pop()!.type.name]}>`;
  };
  content.forEach((child) => {
    const marks = child.marks.filter((mark) => openMark(mark) !== null);
    let keep = 0;
    while (keep < open.length && keep < marks.length && open[keep]!.eq(marks[keep]!)) keep++;
    close(keep);
    for (const mark of marks.slice(keep)) {
      html += openMark(mark)!;
      open.push(mark);
    }
    if (child.isText) html += escapeText(plain(child.text ?? ''));
    else if (child.type.name === 'hard_break') html += '<br />';
  });
  close(0);
  return html;
}

/** A list item or table cell holding one paragraph is written without it, as such HTML usually arrives. */
function itemContent(node: Node): string {
  const only = node.childCount === 1 ? node.firstChild : null;
  if (only?.type.name === 'paragraph') return inlineHtml(only.content);
  return blocksHtml(node.content);
}

function cellSpans(cell: Node): Attributes {
  const list: Attributes = [];
  for (const name of ['colspan', 'rowspan'] as const) {
    const span = Number(cell.attrs[name]);
    if (Number.isInteger(span) && span > 1 && span <= 99999) list.push([name, String(span)]);
  }
  return list;
}

function cellHtml(cell: Node, headerScope: 'col' | 'row'): string {
  const header = cell.type.name === 'table_header';
  const list = cellSpans(cell);
  if (header) list.push(['scope', headerScope]);
  const tag = header ? 'th' : 'td';
  return `<${tag}${attributes(list)}>${itemContent(cell)}</${tag}>`;
}

function rowHtml(row: Node, headerScope: 'col' | 'row'): string {
  let html = '<tr>';
  row.forEach((cell) => {
    html += cellHtml(cell, headerScope);
  });
  return `${html}</tr>`;
}

function tableHtml(table: Node): string {
  const rows: Node[] = [];
  table.forEach((row) => {
    rows.push(row);
  });
  const first = rows[0];
  // A first row of header cells is the table's head, unless a cell in it spans into the rows below.
  const headed =
    first !== undefined &&
    rows.length > 1 &&
    first.childCount > 0 &&
    everyChild(
      first,
      (cell) => cell.type.name === 'table_header' && cellSpans(cell).every(([n]) => n !== 'rowspan'),
    );
  let html = '<table>';
  if (headed) html += `<thead>${rowHtml(first, 'col')}</thead>`;
  html += '<tbody>';
  for (const row of headed ? rows.slice(1) : rows) html += rowHtml(row, 'row');
  return `${html}</tbody></table>`;
}

function everyChild(node: Node, test: (child: Node) => boolean): boolean {
  let all = true;
  node.forEach((child) => {
    if (!test(child)) all = false;
  });
  return all;
}

function imgHtml(picture: Node): string | null {
  const src = picture.type.name === 'figure_image' ? keptPictureUrl(picture.attrs.src) : null;
  if (src === null) return null;
  const list: Attributes = [];
  const width = pictureDimension(picture.attrs.width);
  const height = pictureDimension(picture.attrs.height);
  if (width !== null) list.push(['width', width]);
  if (height !== null) list.push(['height', height]);
  list.push(['src', src]);
  // alt="" (a decorative picture) is written too: the sanitiser keeps an empty alt.
  list.push(['alt', typeof picture.attrs.alt === 'string' ? picture.attrs.alt : '']);
  return `<img${attributes(list)} />`;
}

function figureHtml(figure: Node): string {
  const picture = figure.firstChild;
  const caption = figure.lastChild?.type.name === 'figcaption' ? figure.lastChild : null;
  const captionHtml = caption ? inlineHtml(caption.content) : '';
  const img = picture ? imgHtml(picture) : null;
  // Without a picture the server would keep, the caption's words are kept as a paragraph.
  if (img === null) return captionHtml === '' ? '' : `<p>${captionHtml}</p>`;
  const figcaption = captionHtml === '' ? '' : `<figcaption>${captionHtml}</figcaption>`;
  return `<figure>${img}${figcaption}</figure>`;
}

function codeHtml(code: Node): string {
  const text = (code.textContent ?? '').replace(/\r\n?/g, '\n');
  // A browser drops one newline right after <pre>, so a leading one is doubled to survive reading back.
  return `<pre>${text.startsWith('\n') ? '\n' : ''}${escapeText(text)}</pre>`;
}

function blockHtml(node: Node): string {
  switch (node.type.name) {
    case 'paragraph':
      return `<p>${inlineHtml(node.content)}</p>`;
    case 'heading': {
      const tag = `h${headingLevel(node)}`;
      return `<${tag}>${inlineHtml(node.content)}</${tag}>`;
    }
    case 'blockquote':
      return `<blockquote>${blocksHtml(node.content)}</blockquote>`;
    case 'horizontal_rule':
      return '<hr />';
    case 'code_block':
      return codeHtml(node);
    case 'bullet_list':
    case 'ordered_list': {
      const tag = node.type.name === 'bullet_list' ? 'ul' : 'ol';
      let items = '';
      node.forEach((item) => {
        items += `<li>${itemContent(item)}</li>`;
      });
      return `<${tag}>${items}</${tag}>`;
    }
    case 'figure':
      return figureHtml(node);
    case 'table':
      return tableHtml(node);
    // The rest appear on their own only in a slice cut out of a document (a copied list item, a row of
    // cells, a caption), which the paste report reads.
    case 'list_item':
      return `<li>${itemContent(node)}</li>`;
    case 'table_row':
      return rowHtml(node, 'row');
    case 'table_cell':
    case 'table_header':
      return cellHtml(node, 'row');
    case 'figure_image':
      return imgHtml(node) ?? '';
    case 'figcaption':
      return `<figcaption>${inlineHtml(node.content)}</figcaption>`;
    default:
      // A node type this writer does not know would be a schema change without a writer change: its
      // text is kept rather than lost.
      return node.isTextblock ? `<p>${inlineHtml(node.content)}</p>` : blocksHtml(node.content);
  }
}

function blocksHtml(content: Fragment): string {
  if (content.firstChild?.isInline) return inlineHtml(content);
  let html = '';
  content.forEach((child) => {
    html += blockHtml(child);
  });
  return html;
}

/** The document (or any run of its blocks) as article body HTML. */
export function serializeBody(content: Node | Fragment): string {
  return blocksHtml(content instanceof Fragment ? content : content.content);
}
