// Reads article HTML (the textarea's body, or a cleaned paste) into the editor's schema. Two shapes the
// article model allows but a ProseMirror table or picture cannot hold are rearranged first, so their words
// are kept instead of being lost or breaking the document: a table's <caption> becomes a paragraph above
// it, and a figure is reduced to its picture and one caption (anything else in it follows the figure; a
// figure with no picture the model keeps is unwrapped into its text).
import { type Node, DOMParser as ProseMirrorParser } from 'prosemirror-model';
import { schema } from './schema.ts';
import { keptPictureUrl } from './urls.ts';

function replaceWithChildren(element: Element): void {
  element.replaceWith(...Array.from(element.childNodes));
}

function asParagraph(element: Element): HTMLParagraphElement {
  const p = element.ownerDocument.createElement('p');
  p.append(...Array.from(element.childNodes));
  return p;
}

function moveTableCaptions(root: ParentNode): void {
  for (const caption of Array.from(root.querySelectorAll('table > caption'))) {
    caption.parentElement!.before(asParagraph(caption));
    caption.remove();
  }
}

function tidyFigures(root: ParentNode): void {
  // Innermost first, so a figure inside a figure is settled before its container is read.
  for (const figure of Array.from(root.querySelectorAll('figure')).reverse()) {
    const picture = Array.from(figure.querySelectorAll('img')).find((img) =>
      keptPictureUrl(img.getAttribute('src')),
    );
    const caption = Array.from(figure.children).find((child) => child.localName === 'figcaption');
    if (!picture) {
      for (const other of Array.from(figure.querySelectorAll('figcaption')))
        other.replaceWith(asParagraph(other));
      replaceWithChildren(figure);
      continue;
    }
    const rest = Array.from(figure.childNodes);
    figure.replaceChildren(picture);
    if (caption) figure.append(caption);
    // A picture wrapped in a link or a paragraph inside the figure leaves its wrapper behind; the wrapper's
    // other content (and any second caption) reads on after the figure.
    const after = rest.filter((node) => node !== picture && node !== caption);
    for (const node of after.reverse()) {
      if (node instanceof Element && node.localName === 'figcaption') figure.after(asParagraph(node));
      else figure.after(node);
    }
  }
}

/** Rearranges a parsed body in place so the schema's parse rules can keep all of its text. */
export function prepareForSchema(root: ParentNode): void {
  moveTableCaptions(root);
  tidyFigures(root);
}

/** Article HTML as an editor document (an empty body gives one empty paragraph). */
export function parseBody(html: string): Node {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  prepareForSchema(parsed.body);
  return ProseMirrorParser.fromSchema(schema).parse(parsed.body);
}
