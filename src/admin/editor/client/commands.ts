// What the toolbar buttons and their keyboard shortcuts do, and how each one tells whether it is pressed
// (the current block is a heading, the selection is bold, the cursor is in a list) or usable at all (row
// and column commands only inside a table). Both the toolbar and the keymap use these, so a shortcut and
// its button can never disagree.
import { lift, setBlockType, toggleMark, wrapIn } from 'prosemirror-commands';
import type { Mark, MarkType, Node, NodeType, ResolvedPos } from 'prosemirror-model';
import { liftListItem, wrapInList } from 'prosemirror-schema-list';
import { type Command, type EditorState, NodeSelection, TextSelection } from 'prosemirror-state';
import { isInTable } from 'prosemirror-tables';
import { schema } from './schema.ts';

const nodes = schema.nodes;

/** The textblock the selection starts in, when the selection stays within blocks of one kind. */
function currentBlock(state: EditorState): Node | null {
  const { $from, $to } = state.selection;
  if (!$from.parent.isTextblock) return null;
  return $from.parent.hasMarkup($to.parent.type, $to.parent.attrs) ? $from.parent : null;
}

export function isBlock(state: EditorState, type: NodeType, attrs?: Record<string, unknown>): boolean {
  const block = currentBlock(state);
  if (!block || block.type !== type) return false;
  return !attrs || Object.entries(attrs).every(([name, value]) => block.attrs[name] === value);
}

/** A heading button pressed again turns the heading back into a paragraph. */
export function toggleHeading(level: number): Command {
  return (state, dispatch) =>
    isBlock(state, nodes.heading!, { level })
      ? setBlockType(nodes.paragraph!)(state, dispatch)
      : setBlockType(nodes.heading!, { level })(state, dispatch);
}

export const setParagraph: Command = setBlockType(nodes.paragraph!);

export function isMarkActive(state: EditorState, type: MarkType): boolean {
  const { from, to, empty, $from } = state.selection;
  if (empty) return Boolean(type.isInSet(state.storedMarks ?? $from.marks()));
  return state.doc.rangeHasMark(from, to, type);
}

export const toggleBold: Command = toggleMark(schema.marks.strong!);
export const toggleItalic: Command = toggleMark(schema.marks.em!);

/** The nearest ancestor of the selection of one of the given types, with its depth. */
function ancestor($pos: ResolvedPos, types: readonly NodeType[]): { node: Node; depth: number } | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (types.includes(node.type)) return { node, depth };
  }
  return null;
}

const LISTS = [nodes.bullet_list!, nodes.ordered_list!];

export function isInList(state: EditorState, type: NodeType): boolean {
  return ancestor(state.selection.$from, LISTS)?.node.type === type;
}

/**
 * A list button: wraps the paragraphs in a list, turns a list of the other kind into this kind, or, when
 * already in such a list, lifts the selected items out of it.
 */
export function toggleList(type: NodeType): Command {
  return (state, dispatch) => {
    const list = ancestor(state.selection.$from, LISTS);
    if (list && list.node.type === type) return liftListItem(nodes.list_item!)(state, dispatch);
    if (list) {
      if (dispatch) dispatch(state.tr.setNodeMarkup(state.selection.$from.before(list.depth), type));
      return true;
    }
    return wrapInList(type)(state, dispatch);
  };
}

export function isInBlockquote(state: EditorState): boolean {
  return ancestor(state.selection.$from, [nodes.blockquote!]) !== null;
}

export const toggleBlockquote: Command = (state, dispatch) =>
  isInBlockquote(state) ? lift(state, dispatch) : wrapIn(nodes.blockquote!)(state, dispatch);

/** Where a link mark runs around the cursor, for editing or removing the whole link. */
export function linkAround(state: EditorState): { from: number; to: number; mark: Mark } | null {
  const type = schema.marks.link!;
  const { $from } = state.selection;
  const mark = type.isInSet($from.marks()) ?? type.isInSet($from.nodeAfter?.marks ?? []);
  if (!mark) return null;
  let pos = $from.start();
  let runFrom = -1;
  let runTo = -1;
  for (let index = 0; index < $from.parent.childCount; index++) {
    const child = $from.parent.child(index);
    if (mark.isInSet(child.marks)) {
      if (runFrom === -1) runFrom = pos;
      runTo = pos + child.nodeSize;
    } else {
      if (runFrom !== -1 && $from.pos >= runFrom && $from.pos <= runTo) break;
      runFrom = -1;
    }
    pos += child.nodeSize;
  }
  return runFrom !== -1 && $from.pos >= runFrom && $from.pos <= runTo
    ? { from: runFrom, to: runTo, mark }
    : null;
}

export function isLinkActive(state: EditorState): boolean {
  const { from, to, empty } = state.selection;
  if (empty) return linkAround(state) !== null;
  return state.doc.rangeHasMark(from, to, schema.marks.link!);
}

/** Sets (or replaces) the link on the selection or around the cursor; inserts the text when nothing is selected. */
export function applyLink(href: string, title: string | null, text: string | null): Command {
  return (state, dispatch) => {
    const type = schema.marks.link!;
    const mark = type.create({ href, title });
    const around = state.selection.empty ? linkAround(state) : null;
    if (!dispatch) return true;
    const tr = state.tr;
    if (around) {
      tr.removeMark(around.from, around.to, type).addMark(around.from, around.to, mark);
    } else if (state.selection.empty) {
      const words = text?.trim() || href;
      const from = state.selection.from;
      tr.insertText(words, from).addMark(from, from + words.length, mark);
      tr.setSelection(TextSelection.create(tr.doc, from + words.length));
    } else {
      tr.removeMark(state.selection.from, state.selection.to, type).addMark(
        state.selection.from,
        state.selection.to,
        mark,
      );
    }
    dispatch(tr.scrollIntoView());
    return true;
  };
}

export const removeLink: Command = (state, dispatch) => {
  const type = schema.marks.link!;
  const around = state.selection.empty ? linkAround(state) : null;
  const from = around?.from ?? state.selection.from;
  const to = around?.to ?? state.selection.to;
  if (!state.doc.rangeHasMark(from, to, type)) return false;
  dispatch?.(state.tr.removeMark(from, to, type));
  return true;
};

/** A new table: a header row and two rows of three cells, with the cursor in the first header cell. */
export const insertTable: Command = (state, dispatch) => {
  const row = (type: NodeType) =>
    nodes.table_row!.create(null, [type.createAndFill()!, type.createAndFill()!, type.createAndFill()!]);
  const table = nodes.table!.create(null, [
    row(nodes.table_header!),
    row(nodes.table_cell!),
    row(nodes.table_cell!),
  ]);
  if (isInTable(state) || !canInsert(state, nodes.table!)) return false;
  if (dispatch) {
    const tr = state.tr.replaceSelectionWith(table);
    // The selection now ends inside the new table; its first cell's text is four positions in (table,
    // row, cell and paragraph open).
    const $head = tr.selection.$head;
    for (let depth = $head.depth; depth > 0; depth--) {
      if ($head.node(depth).type === nodes.table) {
        tr.setSelection(TextSelection.near(tr.doc.resolve($head.before(depth) + 4)));
        break;
      }
    }
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/** Whether a block of this type can go where the selection is (it replaces the selection). */
export function canInsert(state: EditorState, type: NodeType): boolean {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth >= 0; depth--) {
    const index = $from.index(depth);
    if ($from.node(depth).canReplaceWith(index, index, type)) return true;
  }
  return false;
}

export interface PictureFields {
  src: string;
  alt: string;
  caption: string;
  credit: string;
}

/** The figure the selection is on or inside, with its position. */
export function figureAround(state: EditorState): { node: Node; pos: number } | null {
  const { selection } = state;
  if (selection instanceof NodeSelection && selection.node.type === nodes.figure) {
    return { node: selection.node, pos: selection.from };
  }
  const found = ancestor(selection.$from, [nodes.figure!]);
  return found ? { node: found.node, pos: selection.$from.before(found.depth) } : null;
}

/** A figure's picture fields as the picture dialog shows them: the caption's credit is its <cite> text. */
export function pictureFields(figure: Node): PictureFields {
  const image = figure.firstChild!;
  let caption = '';
  let credit = '';
  figure.lastChild?.forEach((child) => {
    if (!child.isText) return;
    if (schema.marks.cite!.isInSet(child.marks)) credit += child.text;
    else caption += child.text;
  });
  return {
    src: String(image.attrs.src),
    alt: String(image.attrs.alt),
    caption: caption.trim(),
    credit: credit.trim(),
  };
}

function captionContent(caption: string, credit: string): Node[] {
  const content: Node[] = [];
  if (caption) content.push(schema.text(credit ? `${caption} ` : caption));
  if (credit) content.push(schema.text(credit, [schema.marks.cite!.create()]));
  return content;
}

/**
 * Inserts a picture, or updates the one the selection is on. An unchanged caption keeps its formatting;
 * a changed caption or credit is written anew from the dialog's plain text.
 */
export function applyPicture(fields: PictureFields): Command {
  return (state, dispatch) => {
    const existing = figureAround(state);
    const previous = existing ? pictureFields(existing.node) : null;
    const image = nodes.figure_image!.create({
      src: fields.src,
      alt: fields.alt,
      width:
        existing?.node.firstChild?.attrs.src === fields.src ? existing.node.firstChild.attrs.width : null,
      height:
        existing?.node.firstChild?.attrs.src === fields.src ? existing.node.firstChild.attrs.height : null,
    });
    const captionUnchanged =
      previous && previous.caption === fields.caption && previous.credit === fields.credit;
    const caption =
      captionUnchanged && existing?.node.lastChild
        ? existing.node.lastChild
        : nodes.figcaption!.create(null, captionContent(fields.caption, fields.credit));
    const figure = nodes.figure!.create(null, [image, caption]);
    if (!existing && !canInsert(state, nodes.figure!)) return false;
    if (dispatch) {
      const tr = existing
        ? state.tr.replaceWith(existing.pos, existing.pos + existing.node.nodeSize, figure)
        : state.tr.replaceSelectionWith(figure);
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** Enter in a caption leaves the picture for a new paragraph below it. */
export const leaveCaption: Command = (state, dispatch) => {
  const { $from } = state.selection;
  if ($from.parent.type !== nodes.figcaption || !state.selection.empty) return false;
  if (dispatch) {
    const after = $from.after($from.depth - 1);
    const tr = state.tr.insert(after, nodes.paragraph!.create());
    tr.setSelection(TextSelection.create(tr.doc, after + 1));
    dispatch(tr.scrollIntoView());
  }
  return true;
};
