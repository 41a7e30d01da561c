// The editor's document model: the article HTML model of src/articles/body-html.ts, narrowed to what an
// editor needs and can keep. Every node and mark here serialises to elements and attributes the server's
// sanitiser leaves exactly as they are (serialize.ts writes them; schema.test.ts proves it), and anything
// else met while parsing (pasted markup, an old body) is dropped by the parse rules instead of being
// carried along: the schema, not contentEditable, decides what a body can contain.
//
// Pictures are <figure><img><figcaption>caption <cite>credit</cite></figcaption></figure>: the model has no
// classes, so the credit is the caption's <cite>, the element the model keeps for naming a source.
import { Fragment, type Node, type NodeSpec, Schema } from 'prosemirror-model';
import { tableNodes } from 'prosemirror-tables';
import { keptLinkUrl, keptPictureUrl } from './urls.ts';

const DIGITS = /^\d{1,5}$/;

/** Width and height are kept only as the plain numbers the sanitiser keeps. */
export function pictureDimension(value: unknown): string | null {
  const text = value === null || value === undefined ? '' : String(value).trim();
  return DIGITS.test(text) ? text : null;
}

function pictureAttrs(dom: HTMLElement): false | Record<string, string | null> {
  const src = keptPictureUrl(dom.getAttribute('src'));
  if (src === null) return false;
  return {
    src,
    alt: dom.getAttribute('alt') ?? '',
    width: pictureDimension(dom.getAttribute('width')),
    height: pictureDimension(dom.getAttribute('height')),
  };
}

function firstUsablePicture(dom: HTMLElement): HTMLElement | null {
  for (const img of Array.from(dom.querySelectorAll('img'))) {
    if (pictureAttrs(img) !== false) return img;
  }
  return null;
}

const table = tableNodes({ tableGroup: 'block', cellContent: 'block+', cellAttributes: {} });

const figure: NodeSpec = {
  group: 'block',
  content: 'figure_image figcaption',
  defining: true,
  draggable: true,
  parseDOM: [
    // A figure without a picture the model can keep is not a picture: its caption is read as text.
    { tag: 'figure', getAttrs: (dom) => (firstUsablePicture(dom as HTMLElement) ? {} : false) },
    // A bare <img> (pasted, or an old body) becomes a picture with an empty caption.
    {
      tag: 'img[src]',
      getAttrs: (dom) => (pictureAttrs(dom as HTMLElement) === false ? false : {}),
      getContent: (dom, schema) => {
        const attrs = pictureAttrs(dom as HTMLElement) || {};
        return Fragment.from([
          schema.nodes.figure_image!.create(attrs),
          schema.nodes.figcaption!.createAndFill()!,
        ]);
      },
    },
  ],
  toDOM: () => ['figure', 0],
};

export const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: {
      group: 'block',
      content: 'inline*',
      parseDOM: [{ tag: 'p' }],
      toDOM: () => ['p', 0],
    },
    heading: {
      group: 'block',
      content: 'inline*',
      attrs: { level: { default: 2, validate: 'number' } },
      defining: true,
      // The page's own headline is the h1, so a pasted h1 becomes an h2, as the sanitiser does.
      parseDOM: [
        { tag: 'h1', attrs: { level: 2 } },
        { tag: 'h2', attrs: { level: 2 } },
        { tag: 'h3', attrs: { level: 3 } },
        { tag: 'h4', attrs: { level: 4 } },
        { tag: 'h5', attrs: { level: 5 } },
        { tag: 'h6', attrs: { level: 6 } },
      ],
      toDOM: (node) => [`h${headingLevel(node)}`, 0],
    },
    blockquote: {
      group: 'block',
      content: 'block+',
      defining: true,
      parseDOM: [{ tag: 'blockquote' }],
      toDOM: () => ['blockquote', 0],
    },
    horizontal_rule: {
      group: 'block',
      parseDOM: [{ tag: 'hr' }],
      toDOM: () => ['hr'],
    },
    code_block: {
      group: 'block',
      content: 'text*',
      marks: '',
      code: true,
      defining: true,
      parseDOM: [{ tag: 'pre', preserveWhitespace: 'full' }],
      toDOM: () => ['pre', 0],
    },
    bullet_list: {
      group: 'block',
      content: 'list_item+',
      parseDOM: [{ tag: 'ul' }],
      toDOM: () => ['ul', 0],
    },
    ordered_list: {
      group: 'block',
      content: 'list_item+',
      parseDOM: [{ tag: 'ol' }],
      toDOM: () => ['ol', 0],
    },
    list_item: {
      content: 'paragraph block*',
      defining: true,
      parseDOM: [{ tag: 'li' }],
      toDOM: () => ['li', 0],
    },
    figure,
    figure_image: {
      attrs: {
        // A default only so ProseMirror accepts the figure's content expression; an image without an
        // address the sanitiser keeps is never written (serialize.ts), and parsing never creates one.
        src: { default: '', validate: 'string' },
        alt: { default: '', validate: 'string' },
        width: { default: null },
        height: { default: null },
      },
      // Clicking the picture selects the whole figure, so Backspace removes picture and caption together
      // and never leaves a caption without its picture.
      selectable: false,
      parseDOM: [
        {
          tag: 'img[src]',
          context: 'figure/',
          priority: 60,
          getAttrs: (dom) => pictureAttrs(dom as HTMLElement),
        },
      ],
      toDOM: (node) => [
        'img',
        {
          src: node.attrs.src,
          alt: node.attrs.alt,
          ...(node.attrs.width ? { width: node.attrs.width } : {}),
          ...(node.attrs.height ? { height: node.attrs.height } : {}),
        },
      ],
    },
    figcaption: {
      content: 'inline*',
      // Deleting at the start of a caption stops there instead of merging into the picture.
      isolating: true,
      parseDOM: [{ tag: 'figcaption', context: 'figure/' }],
      toDOM: () => ['figcaption', 0],
    },
    ...table,
    text: { group: 'inline' },
    hard_break: {
      inline: true,
      group: 'inline',
      selectable: false,
      parseDOM: [{ tag: 'br' }],
      toDOM: () => ['br'],
    },
  },
  // Outermost first: a link stays one <a> across bold and plain words inside it.
  marks: {
    link: {
      attrs: { href: { validate: 'string' }, title: { default: null } },
      inclusive: false,
      parseDOM: [
        {
          tag: 'a[href]',
          getAttrs: (dom) => {
            const href = keptLinkUrl((dom as HTMLElement).getAttribute('href'));
            if (href === null) return false;
            return { href, title: (dom as HTMLElement).getAttribute('title') || null };
          },
        },
      ],
      toDOM: (mark) => [
        'a',
        {
          href: mark.attrs.href,
          rel: 'noopener nofollow',
          ...(mark.attrs.title ? { title: mark.attrs.title } : {}),
        },
        0,
      ],
    },
    strong: {
      parseDOM: [
        { tag: 'strong' },
        // Google Docs wraps a whole paste in <b style="font-weight:normal">, which is not bold.
        { tag: 'b', getAttrs: (dom) => (dom as HTMLElement).style.fontWeight !== 'normal' && null },
        { style: 'font-weight=400', clearMark: (mark) => mark.type.name === 'strong' },
        { style: 'font-weight', getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value) && null },
      ],
      toDOM: () => ['strong', 0],
    },
    em: {
      parseDOM: [
        { tag: 'em' },
        { tag: 'i', getAttrs: (dom) => (dom as HTMLElement).style.fontStyle !== 'normal' && null },
        { style: 'font-style=italic' },
      ],
      toDOM: () => ['em', 0],
    },
    underline: { parseDOM: [{ tag: 'u' }], toDOM: () => ['u', 0] },
    strike: { parseDOM: [{ tag: 's' }, { tag: 'strike' }, { tag: 'del' }], toDOM: () => ['s', 0] },
    sub: { excludes: 'sup', parseDOM: [{ tag: 'sub' }], toDOM: () => ['sub', 0] },
    sup: { excludes: 'sub', parseDOM: [{ tag: 'sup' }], toDOM: () => ['sup', 0] },
    q: { parseDOM: [{ tag: 'q' }], toDOM: () => ['q', 0] },
    abbr: {
      attrs: { title: { default: null } },
      parseDOM: [
        { tag: 'abbr', getAttrs: (dom) => ({ title: (dom as HTMLElement).getAttribute('title') || null }) },
      ],
      toDOM: (mark) => ['abbr', mark.attrs.title ? { title: mark.attrs.title } : {}, 0],
    },
    /** A source's name; inside a picture's caption, the picture's credit. */
    cite: { parseDOM: [{ tag: 'cite' }], toDOM: () => ['cite', 0] },
    code: { parseDOM: [{ tag: 'code' }], toDOM: () => ['code', 0] },
  },
});

/** Headings are h2 to h6; anything else stored in the attribute is read as the nearest of them. */
export function headingLevel(node: Node): number {
  const level = Number(node.attrs.level);
  if (!Number.isInteger(level) || level < 2) return 2;
  return Math.min(level, 6);
}
