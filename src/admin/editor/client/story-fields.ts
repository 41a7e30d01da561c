// The story form's fields as the autosave endpoint and the browser copy hold them, and the copy itself:
// `dateline:draft:<storyId>` in localStorage with the fields, the revision they were based on and when
// they were written. Storage can be full or switched off; the editor then keeps working without a copy.

/** The form's field names, in the order the autosave body lists them. */
export const FIELD_NAMES = [
  'headline',
  'dek',
  'byline',
  'dateline',
  'section_id',
  'tags',
  'slug',
  'lead_media_id',
  'source_copyright',
  'urgent',
  'body_html',
] as const;

/** Text fields as strings, the urgent checkbox as a boolean. Fields the page does not have are left out. */
export type StoryFields = Partial<Record<(typeof FIELD_NAMES)[number], string | boolean>>;

function control(
  form: HTMLFormElement,
  name: string,
): HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null {
  const found = form.elements.namedItem(name);
  return found instanceof HTMLInputElement ||
    found instanceof HTMLTextAreaElement ||
    found instanceof HTMLSelectElement
    ? found
    : null;
}

export function readFields(form: HTMLFormElement): StoryFields {
  const fields: StoryFields = {};
  for (const name of FIELD_NAMES) {
    const input = control(form, name);
    if (!input) continue;
    fields[name] =
      input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
  }
  return fields;
}

/** Puts fields back into the form (not the body, which the editor sets itself). */
export function writeFields(form: HTMLFormElement, fields: StoryFields): void {
  for (const name of FIELD_NAMES) {
    const value = fields[name];
    const input = control(form, name);
    if (!input || value === undefined || name === 'body_html') continue;
    if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = value === true;
    else input.value = String(value);
  }
}

export function sameFields(a: StoryFields, b: StoryFields): boolean {
  return FIELD_NAMES.every((name) => a[name] === b[name]);
}

export interface BrowserCopy {
  fields: StoryFields;
  baseRevision: number;
  /** ISO time of the change the copy holds. */
  time: string;
}

export class BrowserCopyStore {
  private readonly key: string;

  constructor(storyId: string) {
    this.key = `dateline:draft:${storyId}`;
  }

  read(): BrowserCopy | null {
    try {
      const raw = window.localStorage.getItem(this.key);
      if (raw === null) return null;
      const copy = JSON.parse(raw) as Partial<BrowserCopy>;
      if (!copy || typeof copy !== 'object' || typeof copy.fields !== 'object' || copy.fields === null)
        return null;
      if (typeof copy.baseRevision !== 'number' || typeof copy.time !== 'string') return null;
      return { fields: copy.fields, baseRevision: copy.baseRevision, time: copy.time };
    } catch {
      return null;
    }
  }

  /** False when the browser refused to keep it (storage full or disabled). */
  write(copy: BrowserCopy): boolean {
    try {
      window.localStorage.setItem(this.key, JSON.stringify(copy));
      return true;
    } catch {
      return false;
    }
  }

  clear(): void {
    try {
      window.localStorage.removeItem(this.key);
    } catch {
      // Nothing kept, nothing to clear.
    }
  }
}
