// The rich-text body editor: a ProseMirror view on the article schema with its toolbar, shortcuts, input
// rules (## for a heading, * or 1. for lists, > for a quote), history, table editing and cleaned pasting.
// It knows nothing about saving: it reports each change of the document and each paste that lost
// something, and the page script (editor.ts) decides what to do with them.
import { baseKeymap, chainCommands, exitCode } from 'prosemirror-commands';
import { dropCursor } from 'prosemirror-dropcursor';
import { gapCursor } from 'prosemirror-gapcursor';
import { history, redo, undo } from 'prosemirror-history';
import { inputRules, textblockTypeInputRule, wrappingInputRule } from 'prosemirror-inputrules';
import { keymap } from 'prosemirror-keymap';
import type { Node } from 'prosemirror-model';
import { liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list';
import { type Command, EditorState, NodeSelection, Plugin } from 'prosemirror-state';
import {
  addColumnAfter,
  addRowAfter,
  deleteColumn,
  deleteRow,
  deleteTable,
  fixTables,
  goToNextCell,
  isInTable,
  tableEditing,
} from 'prosemirror-tables';
import { EditorView } from 'prosemirror-view';
import {
  applyLink,
  applyPicture,
  canInsert,
  figureAround,
  insertTable,
  isBlock,
  isInBlockquote,
  isInList,
  isLinkActive,
  isMarkActive,
  leaveCaption,
  linkAround,
  pictureFields,
  removeLink,
  setParagraph,
  toggleBlockquote,
  toggleBold,
  toggleHeading,
  toggleItalic,
  toggleList,
} from './commands.ts';
import { openDialog } from './dialogs.ts';
import { cleanPastedHtml, type PasteInventory, picturesIn } from './paste.ts';
import { parseBody } from './prepare.ts';
import { schema } from './schema.ts';
import { serializeBody } from './serialize.ts';
import { Toolbar, type ToolbarItem } from './toolbar.ts';
import { keptLinkUrl, keptPictureUrl } from './urls.ts';

const nodes = schema.nodes;

const LINK_HINT =
  'A web address (https://…), a mail address (mailto:…) or a page of this site (/section/story).';

function linkCommand(): Command {
  return (state, dispatch, view) => {
    if (state.selection.$from.parent.type.spec.code) return false;
    if (!dispatch || !view) return true;
    const around = state.selection.empty ? linkAround(state) : null;
    const mark = around?.mark ?? schema.marks.link!.isInSet(state.doc.resolve(state.selection.from).marks());
    const asksForText = state.selection.empty && !around;
    void openDialog(
      {
        title: mark ? 'Edit link' : 'Add link',
        fields: [
          ...(asksForText ? [{ name: 'text', label: 'Text to show', value: '' }] : []),
          {
            name: 'href',
            label: 'Address',
            value: mark ? String(mark.attrs.href) : '',
            hint: LINK_HINT,
            required: true,
            inputMode: 'url' as const,
            check: (value: string) =>
              keptLinkUrl(value) === null ? `This address cannot be used. ${LINK_HINT}` : null,
          },
          {
            name: 'title',
            label: 'Title (optional)',
            value: mark?.attrs.title ? String(mark.attrs.title) : '',
          },
        ],
        submitLabel: mark ? 'Update link' : 'Add link',
        extra: mark ? { label: 'Remove link', answer: 'remove' } : undefined,
      },
      () => view.focus(),
    ).then((answer) => {
      if (answer.kind === 'extra') removeLink(view.state, view.dispatch);
      if (answer.kind !== 'submit') return;
      const href = keptLinkUrl(answer.values.href)!;
      applyLink(href, answer.values.title || null, answer.values.text ?? null)(view.state, view.dispatch);
    });
    return true;
  };
}

const PICTURE_HINT = 'Where the picture is: a page of this site (/media/…) or https://…';

function pictureCommand(): Command {
  return (state, dispatch, view) => {
    const existing = figureAround(state);
    if (!existing && !canInsert(state, nodes.figure!)) return false;
    if (!dispatch || !view) return true;
    const fields = existing ? pictureFields(existing.node) : { src: '', alt: '', caption: '', credit: '' };
    void openDialog(
      {
        title: existing ? 'Edit picture' : 'Add picture',
        fields: [
          {
            name: 'src',
            label: 'Picture address',
            value: fields.src,
            hint: PICTURE_HINT,
            required: true,
            inputMode: 'url',
            check: (value) =>
              keptPictureUrl(value) === null ? `This address cannot be used. ${PICTURE_HINT}` : null,
          },
          {
            name: 'alt',
            label: 'Description for people who cannot see it',
            value: fields.alt,
            hint: 'What the picture shows. Leave empty only for a purely decorative picture.',
          },
          { name: 'caption', label: 'Caption', value: fields.caption },
          {
            name: 'credit',
            label: 'Credit',
            value: fields.credit,
            hint: 'For example: Photo: A. Person/Agency',
          },
        ],
        submitLabel: existing ? 'Update picture' : 'Add picture',
      },
      () => view.focus(),
    ).then((answer) => {
      if (answer.kind !== 'submit') return;
      const { src, alt, caption, credit } = answer.values as Record<string, string>;
      applyPicture({
        src: keptPictureUrl(src)!,
        alt: alt ?? '',
        caption: caption ?? '',
        credit: credit ?? '',
      })(view.state, view.dispatch);
    });
    return true;
  };
}

function toolbarItems(): ToolbarItem[] {
  const tableOnly = (command: Command) => (state: EditorState) => isInTable(state) && command(state);
  return [
    {
      id: 'paragraph',
      text: 'Text',
      label: 'Paragraph',
      key: 'Mod-Alt-0',
      run: setParagraph,
      pressed: (state) => isBlock(state, nodes.paragraph!),
      enabled: (state) => isBlock(state, nodes.paragraph!) || setParagraph(state),
    },
    {
      id: 'heading2',
      text: 'H2',
      label: 'Heading',
      key: 'Mod-Alt-2',
      run: toggleHeading(2),
      pressed: (state) => isBlock(state, nodes.heading!, { level: 2 }),
    },
    {
      id: 'heading3',
      text: 'H3',
      label: 'Subheading',
      key: 'Mod-Alt-3',
      run: toggleHeading(3),
      pressed: (state) => isBlock(state, nodes.heading!, { level: 3 }),
    },
    {
      id: 'bold',
      text: 'B',
      label: 'Bold',
      key: 'Mod-b',
      run: toggleBold,
      pressed: (state) => isMarkActive(state, schema.marks.strong!),
      group: true,
    },
    {
      id: 'italic',
      text: 'I',
      label: 'Italic',
      key: 'Mod-i',
      run: toggleItalic,
      pressed: (state) => isMarkActive(state, schema.marks.em!),
    },
    { id: 'link', text: 'Link', label: 'Link', key: 'Mod-k', run: linkCommand(), pressed: isLinkActive },
    {
      id: 'bullet_list',
      text: '• List',
      label: 'Bulleted list',
      key: 'Shift-Mod-8',
      run: toggleList(nodes.bullet_list!),
      pressed: (state) => isInList(state, nodes.bullet_list!),
      group: true,
    },
    {
      id: 'ordered_list',
      text: '1. List',
      label: 'Numbered list',
      key: 'Shift-Mod-9',
      run: toggleList(nodes.ordered_list!),
      pressed: (state) => isInList(state, nodes.ordered_list!),
    },
    {
      id: 'blockquote',
      text: 'Quote',
      label: 'Quote',
      key: 'Shift-Mod-.',
      run: toggleBlockquote,
      pressed: isInBlockquote,
    },
    { id: 'picture', text: 'Picture', label: 'Picture', run: pictureCommand(), group: true },
    { id: 'table', text: 'Table', label: 'Insert table', run: insertTable, group: true },
    {
      id: 'add_row',
      text: '+ Row',
      label: 'Add row below',
      run: addRowAfter,
      enabled: tableOnly(addRowAfter),
    },
    {
      id: 'add_column',
      text: '+ Column',
      label: 'Add column after',
      run: addColumnAfter,
      enabled: tableOnly(addColumnAfter),
    },
    { id: 'delete_row', text: '− Row', label: 'Delete row', run: deleteRow, enabled: tableOnly(deleteRow) },
    {
      id: 'delete_column',
      text: '− Column',
      label: 'Delete column',
      run: deleteColumn,
      enabled: tableOnly(deleteColumn),
    },
    {
      id: 'delete_table',
      text: '− Table',
      label: 'Delete table',
      run: deleteTable,
      enabled: tableOnly(deleteTable),
    },
  ];
}

/**
 * A figure whose picture went (an edit that removed only the image, which ProseMirror refills with an empty
 * one) becomes a paragraph with its caption's words, or nothing: the editor then shows what the body
 * saves, since the writer never writes a figure without a picture.
 */
function picturelessFigures(): Plugin {
  return new Plugin({
    appendTransaction: (transactions, _old, state) => {
      if (!transactions.some((tr) => tr.docChanged)) return null;
      const broken: { pos: number; node: Node }[] = [];
      state.doc.descendants((node, pos) => {
        if (node.type === nodes.figure && keptPictureUrl(node.firstChild?.attrs.src) === null)
          broken.push({ pos, node });
        return !node.isTextblock && node.type !== nodes.figure;
      });
      if (broken.length === 0) return null;
      const tr = state.tr;
      for (const { pos, node } of broken.reverse()) {
        const caption = node.lastChild?.type === nodes.figcaption ? node.lastChild.content : null;
        if (caption && caption.size > 0)
          tr.replaceWith(pos, pos + node.nodeSize, nodes.paragraph!.create(null, caption));
        else tr.delete(pos, pos + node.nodeSize);
      }
      return tr;
    },
  });
}

function buildInputRules() {
  return inputRules({
    rules: [
      textblockTypeInputRule(/^(#{2,3})\s$/, nodes.heading!, (match) => ({ level: match[1]!.length })),
      wrappingInputRule(/^\s*>\s$/, nodes.blockquote!),
      wrappingInputRule(/^\s*([-+*])\s$/, nodes.bullet_list!),
      wrappingInputRule(/^(\d+)\.\s$/, nodes.ordered_list!),
    ],
  });
}

export interface StoryEditorOptions {
  /** The element the editor's toolbar and text go into. */
  place: HTMLElement;
  /** The body's HTML as the server rendered it. */
  html: string;
  /** The id of the label that names the text (the textarea's label). */
  labelledBy: string | null;
  onChange: () => void;
  /** Called after a paste with what it held that was not kept (empty when nothing was lost). */
  onPasteCleaned: (removed: string[]) => void;
}

export class StoryEditor {
  readonly view: EditorView;
  readonly toolbar: Toolbar;
  private editable = true;

  constructor(options: StoryEditorOptions) {
    const textId = `editor-text-${Math.random().toString(36).slice(2, 8)}`;
    this.toolbar = new Toolbar(toolbarItems(), () => this.view, textId);
    options.place.append(this.toolbar.element);
    const keys: Record<string, Command> = {};
    for (const item of toolbarItems()) if (item.key) keys[item.key] = item.run;
    let inventory: PasteInventory | null = null;

    const toolbar = this.toolbar;
    const plugins = [
      buildInputRules(),
      keymap({
        ...keys,
        'Mod-z': undo,
        'Shift-Mod-z': redo,
        'Mod-y': redo,
        'Alt-F10': () => {
          toolbar.focus();
          return true;
        },
        Enter: chainCommands(leaveCaption, splitListItem(nodes.list_item!)),
        'Shift-Enter': chainCommands(exitCode, (state, dispatch) => {
          dispatch?.(state.tr.replaceSelectionWith(nodes.hard_break!.create()).scrollIntoView());
          return true;
        }),
        'Mod-[': liftListItem(nodes.list_item!),
        'Mod-]': sinkListItem(nodes.list_item!),
        // Tab moves between cells inside a table only; elsewhere it leaves the text, as a keyboard user expects.
        Tab: goToNextCell(1),
        'Shift-Tab': goToNextCell(-1),
      }),
      keymap(baseKeymap),
      history(),
      dropCursor(),
      gapCursor(),
      tableEditing(),
      picturelessFigures(),
      new Plugin({ view: () => ({ update: (view) => toolbar.update(view.state) }) }),
    ];
    let state = EditorState.create({ doc: parseBody(options.html), plugins });
    const fixed = fixTables(state);
    if (fixed) state = state.apply(fixed);

    this.view = new EditorView(options.place, {
      state,
      editable: () => this.editable,
      attributes: {
        id: textId,
        class: 'editor-text',
        role: 'textbox',
        'aria-multiline': 'true',
        ...(options.labelledBy ? { 'aria-labelledby': options.labelledBy } : { 'aria-label': 'Story text' }),
      },
      // A click on a picture selects its figure (the picture alone is not selectable, so a caption is never
      // left without it): Delete then removes both, and the Picture button edits it.
      handleClickOn: (view, _pos, node, nodePos, _event, direct) => {
        if (!direct || node.type !== nodes.figure_image) return false;
        view.dispatch(view.state.tr.setSelection(NodeSelection.create(view.state.doc, nodePos - 1)));
        return true;
      },
      transformPastedHTML: (html) => {
        const cleaned = cleanPastedHtml(html);
        inventory = cleaned.inventory;
        return cleaned.html;
      },
      transformPasted: (slice) => {
        if (inventory) options.onPasteCleaned(inventory.removed(picturesIn(slice)));
        inventory = null;
        return slice;
      },
      dispatchTransaction: (tr) => {
        this.view.updateState(this.view.state.apply(tr));
        if (tr.docChanged) options.onChange();
      },
    });
    this.toolbar.update(this.view.state);
  }

  /** The body as article HTML, as the server's sanitiser would keep it. */
  html(): string {
    return serializeBody(this.view.state.doc);
  }

  /** Replaces the body (restoring a copy kept in the browser); undo brings the previous text back. */
  setHtml(html: string): void {
    const doc: Node = parseBody(html);
    const { state } = this.view;
    this.view.dispatch(state.tr.replaceWith(0, state.doc.content.size, doc.content));
  }

  setEditable(editable: boolean): void {
    this.editable = editable;
    this.view.setProps({ editable: () => editable });
    this.toolbar.setEditable(editable);
  }

  focus(): void {
    this.view.focus();
  }
}
