// The small in-page dialogs the toolbar opens (a link's address, a picture's address, description, caption
// and credit), built on <dialog> with showModal: the browser keeps focus inside, Escape cancels, and focus
// goes back to the story text when it closes. window.prompt is not used: it cannot be styled, labelled or
// validated, and some browsers suppress it.

export interface DialogField {
  name: string;
  label: string;
  value: string;
  hint?: string;
  required?: boolean;
  /** Returns a message saying what is wrong, or null when the value is usable. */
  check?: (value: string) => string | null;
  inputMode?: 'url' | 'text';
}

export interface DialogOptions {
  title: string;
  fields: DialogField[];
  submitLabel: string;
  /** An extra button (such as "Remove link") that closes the dialog with its own answer. */
  extra?: { label: string; answer: string };
}

export type DialogAnswer =
  | { kind: 'submit'; values: Record<string, string> }
  | { kind: 'extra' }
  | { kind: 'cancel' };

let dialogCount = 0;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) if (value !== undefined) el.setAttribute(name, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Opens a dialog and resolves with what the person chose; `returnFocus` gets focus back afterwards. */
export function openDialog(options: DialogOptions, returnFocus: () => void): Promise<DialogAnswer> {
  const id = `editor-dialog-${++dialogCount}`;
  const dialog = element('dialog', { class: 'editor-dialog', 'aria-labelledby': `${id}-title` });
  const form = element('form', { method: 'dialog', novalidate: '' });
  form.append(element('h2', { id: `${id}-title`, class: 'editor-dialog__title' }, options.title));
  const inputs = new Map<string, { input: HTMLInputElement; error: HTMLElement; field: DialogField }>();
  for (const field of options.fields) {
    const inputId = `${id}-${field.name}`;
    const row = element('div', { class: 'editor-dialog__field' });
    row.append(element('label', { for: inputId }, field.label));
    const described: string[] = [];
    if (field.hint) {
      row.append(element('p', { id: `${inputId}-hint`, class: 'editor-dialog__hint' }, field.hint));
      described.push(`${inputId}-hint`);
    }
    const error = element('p', { id: `${inputId}-error`, class: 'editor-dialog__error', hidden: '' });
    described.push(`${inputId}-error`);
    const input = element('input', {
      id: inputId,
      name: field.name,
      type: 'text',
      inputmode: field.inputMode,
      autocomplete: 'off',
      'aria-describedby': described.join(' '),
      ...(field.required ? { required: '', 'aria-required': 'true' } : {}),
    });
    input.value = field.value;
    row.append(input, error);
    form.append(row);
    inputs.set(field.name, { input, error, field });
  }
  const buttons = element('div', { class: 'editor-dialog__buttons' });
  const submit = element('button', { type: 'submit', class: 'editor-dialog__submit' }, options.submitLabel);
  buttons.append(submit);
  let answer: DialogAnswer = { kind: 'cancel' };
  if (options.extra) {
    const extra = element('button', { type: 'button' }, options.extra.label);
    extra.addEventListener('click', () => {
      answer = { kind: 'extra' };
      dialog.close();
    });
    buttons.append(extra);
  }
  const cancel = element('button', { type: 'button' }, 'Cancel');
  cancel.addEventListener('click', () => dialog.close());
  buttons.append(cancel);
  form.append(buttons);
  dialog.append(form);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values: Record<string, string> = {};
    let firstInvalid: HTMLInputElement | null = null;
    for (const [name, { input, error, field }] of inputs) {
      const value = input.value.trim();
      const problem =
        field.required && value === ''
          ? `${field.label} is needed.`
          : value
            ? (field.check?.(value) ?? null)
            : null;
      error.textContent = problem ?? '';
      error.hidden = problem === null;
      if (problem === null) input.removeAttribute('aria-invalid');
      else input.setAttribute('aria-invalid', 'true');
      if (problem !== null) firstInvalid ??= input;
      values[name] = value;
    }
    if (firstInvalid) {
      firstInvalid.focus();
      return;
    }
    answer = { kind: 'submit', values };
    dialog.close();
  });

  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      returnFocus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    inputs.values().next().value?.input.select();
  });
}
