// The formatting toolbar above the story text: one tab stop (a WAI-ARIA toolbar with a roving tabindex;
// arrow keys, Home and End move between buttons, Escape goes back to the text, Alt+F10 in the text comes
// here), buttons with visible names, aria-pressed on the toggles and aria-disabled on what cannot be
// used where the cursor is, and each shortcut announced with aria-keyshortcuts.
import type { Command, EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';

export interface ToolbarItem {
  /** Stable name, also the button's data-command (tests and styles find buttons by it). */
  id: string;
  /** Visible text: short, since the toolbar fits a phone's width in two rows. */
  text: string;
  /** What a screen reader says, and the tooltip with the shortcut. */
  label: string;
  /** ProseMirror key name, e.g. "Mod-b"; shown in the tooltip and aria-keyshortcuts. */
  key?: string;
  /** Toggles report whether they are on; others are plain actions. */
  pressed?: (state: EditorState) => boolean;
  /** Whether the button does anything here (defaults to a dry run of `run`). */
  enabled?: (state: EditorState) => boolean;
  run: Command;
  /** Starts a new group after a separator. */
  group?: boolean;
}

const MAC = typeof navigator !== 'undefined' && /Mac|iP(hone|ad|od)/.test(navigator.platform);

/** "Mod-Alt-2" as people read it ("Ctrl+Alt+2") and as aria-keyshortcuts wants it ("Control+Alt+2"). */
export function describeKey(key: string): { shown: string; aria: string } {
  const parts = key.split('-').map((part) => (part === '' ? '-' : part));
  const shown = parts.map((part) =>
    part === 'Mod'
      ? MAC
        ? '⌘'
        : 'Ctrl'
      : part === 'Alt' && MAC
        ? '⌥'
        : part.length === 1
          ? part.toUpperCase()
          : part,
  );
  const aria = parts.map((part) =>
    part === 'Mod'
      ? MAC
        ? 'Meta'
        : 'Control'
      : part === 'Ctrl'
        ? 'Control'
        : part === '.'
          ? 'Period'
          : part.length === 1
            ? part.toUpperCase()
            : part,
  );
  return { shown: shown.join(MAC ? '' : '+'), aria: aria.join('+') };
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly buttons: { item: ToolbarItem; button: HTMLButtonElement }[] = [];
  private editable = true;

  constructor(
    items: ToolbarItem[],
    private readonly view: () => EditorView,
    controls: string,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'editor-toolbar';
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', 'Formatting');
    this.element.setAttribute('aria-controls', controls);
    let group = this.newGroup();
    for (const item of items) {
      if (item.group && group.childElementCount > 0) group = this.newGroup();
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'editor-toolbar__button';
      button.dataset.command = item.id;
      button.textContent = item.text;
      button.tabIndex = this.buttons.length === 0 ? 0 : -1;
      const key = item.key ? describeKey(item.key) : null;
      // The spoken name starts with the visible text ("H2, Heading"), so speech users can say what they see.
      const named = item.label.toLowerCase().includes(item.text.toLowerCase());
      button.setAttribute('aria-label', named ? item.label : `${item.text}, ${item.label}`);
      button.title = key ? `${item.label} (${key.shown})` : item.label;
      if (key) button.setAttribute('aria-keyshortcuts', key.aria);
      if (item.pressed) button.setAttribute('aria-pressed', 'false');
      // mousedown would move focus (and the selection) out of the text before the click runs.
      button.addEventListener('mousedown', (event) => event.preventDefault());
      button.addEventListener('click', () => this.run(item, button));
      group.append(button);
      this.buttons.push({ item, button });
    }
    this.element.addEventListener('keydown', (event) => this.onKeydown(event));
  }

  private newGroup(): HTMLElement {
    const group = document.createElement('div');
    group.className = 'editor-toolbar__group';
    group.setAttribute('role', 'group');
    this.element.append(group);
    return group;
  }

  private run(item: ToolbarItem, button: HTMLButtonElement): void {
    if (button.getAttribute('aria-disabled') === 'true') return;
    const view = this.view();
    // The roving tab stop stays on the button last used, so Tab brings a keyboard user back to it.
    this.focusIndex(
      this.buttons.findIndex((b) => b.button === button),
      false,
    );
    item.run(view.state, view.dispatch, view);
    if (!document.querySelector('dialog[open]')) view.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    const index = this.buttons.findIndex((b) => b.button === document.activeElement);
    if (index === -1) return;
    const last = this.buttons.length - 1;
    const next: Record<string, number> = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    };
    if (event.key in next) {
      event.preventDefault();
      this.focusIndex(next[event.key]!, true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.view().focus();
    }
  }

  private focusIndex(index: number, focus: boolean): void {
    this.buttons.forEach(({ button }, i) => {
      button.tabIndex = i === index ? 0 : -1;
    });
    if (focus) this.buttons[index]?.button.focus();
  }

  /** Moves focus to the toolbar's current tab stop. */
  focus(): void {
    (this.buttons.find((b) => b.button.tabIndex === 0) ?? this.buttons[0])?.button.focus();
  }

  setEditable(editable: boolean): void {
    this.editable = editable;
    this.update(this.view().state);
  }

  /** Reflects the selection: which toggles are on, which buttons can be used. */
  update(state: EditorState): void {
    for (const { item, button } of this.buttons) {
      const enabled =
        this.editable && (item.enabled ? item.enabled(state) : item.run(state, undefined, this.view()));
      button.setAttribute('aria-disabled', enabled ? 'false' : 'true');
      if (item.pressed) button.setAttribute('aria-pressed', item.pressed(state) ? 'true' : 'false');
    }
  }
}
