// Keeps the story safe while it is written: a copy in the browser on every change, an autosave to the
// server 1.5 s after the last change (and at least every 10 s while typing goes on), the edit lock's
// heartbeat every 30 s, and the banners for what the server answers: a newer revision by someone else
// (409: nothing is overwritten, the comparison is offered), a lost session (401: kept here, retried when
// the tab is back in focus), a lost connection (kept here, retried when the browser is online again), a
// lock taken over (the editor turns read-only). On load it offers a browser copy the server does not have.
import type { Notices } from './notices.ts';
import type { StoryEditor } from './story-editor.ts';
import {
  type BrowserCopy,
  type BrowserCopyStore,
  readFields,
  sameFields,
  writeFields,
} from './story-fields.ts';

export const AUTOSAVE_DELAY_MS = 1500;
const AUTOSAVE_MAX_WAIT_MS = 10_000;
const HEARTBEAT_MS = 30_000;
const OFFLINE_RETRY_MS = 15_000;

export interface StorySyncOptions {
  form: HTMLFormElement;
  storyId: string;
  baseRevision: number;
  autosaveUrl: string;
  lockUrl: string;
  csrf: string;
  editor: StoryEditor;
  notices: Notices;
  copies: BrowserCopyStore;
}

type SyncState = 'ok' | 'offline' | 'signed-out' | 'conflict' | 'locked';

interface ErrorBody {
  error?: { code?: string; message?: string };
  current?: { revision?: number; by?: string; at?: string | number };
}

function lang(): string | undefined {
  return document.documentElement.lang || undefined;
}

/** A time as people read it in a banner: the clock time today, with the date on other days. */
export function formatWhen(value: unknown, now = new Date()): string {
  const date = new Date(typeof value === 'number' || typeof value === 'string' ? value : Number.NaN);
  if (Number.isNaN(date.getTime())) return 'an unknown time';
  const sameDay = date.toDateString() === now.toDateString();
  return date.toLocaleString(lang(), {
    ...(sameDay ? {} : { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  });
}

export class StorySync {
  private baseRevision: number;
  private state: SyncState = 'ok';
  private changes = 0;
  private savedChanges = 0;
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstUnsavedAt: number | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  /** A copy offered on load, held here so typing before answering the offer cannot overwrite it. */
  private offered: BrowserCopy | null = null;

  constructor(private readonly options: StorySyncOptions) {
    this.baseRevision = options.baseRevision;
  }

  start(): void {
    const { form } = this.options;
    this.offerBrowserCopy();
    form.addEventListener('input', (event) => this.onFormEvent(event));
    form.addEventListener('change', (event) => this.onFormEvent(event));
    // An explicit Save posts the whole form; an autosave starting now would race it.
    form.addEventListener('submit', () => clearTimeout(this.timer));
    window.addEventListener('focus', () => void this.retry());
    window.addEventListener('online', () => void this.retry());
    void this.heartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
  }

  private onFormEvent(event: Event): void {
    // The rich-text editor reports its own changes; its DOM events bubble up here too.
    const editorBody = this.options.form.querySelector('.editor-body');
    if (event.target instanceof Node && editorBody?.contains(event.target)) return;
    this.changed();
  }

  /** Called on every change of the body or a field. */
  changed(): void {
    if (this.state === 'locked') return;
    this.changes++;
    this.firstUnsavedAt ??= Date.now();
    this.keepCopy();
    if (this.state === 'ok' || this.state === 'offline') {
      this.options.notices.setStatus(
        this.state === 'offline' ? 'Offline, kept in this browser' : 'Unsaved changes',
      );
    }
    this.schedule();
  }

  private keepCopy(): void {
    const kept = this.options.copies.write({
      fields: readFields(this.options.form),
      baseRevision: this.baseRevision,
      time: new Date().toISOString(),
    });
    if (!kept) this.options.notices.setStatus('This browser cannot keep a copy (storage is full or off)');
  }

  private schedule(): void {
    if (this.state !== 'ok') return;
    clearTimeout(this.timer);
    const waited = this.firstUnsavedAt === null ? 0 : Date.now() - this.firstUnsavedAt;
    const delay = Math.max(0, Math.min(AUTOSAVE_DELAY_MS, AUTOSAVE_MAX_WAIT_MS - waited));
    this.timer = setTimeout(() => void this.save(), delay);
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', 'x-csrf-token': this.options.csrf };
  }

  /** Sends the current fields to the server unless nothing changed since the last save. */
  async save(): Promise<void> {
    if (this.inFlight || this.state !== 'ok' || this.changes === this.savedChanges) return;
    const sentChanges = this.changes;
    const fields = readFields(this.options.form);
    this.inFlight = true;
    this.options.notices.setStatus('Saving…');
    let response: Response;
    try {
      response = await fetch(this.options.autosaveUrl, {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify({ baseRevision: this.baseRevision, fields }),
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch {
      this.inFlight = false;
      this.wentOffline();
      return;
    }
    const body = (await response.json().catch(() => null)) as (ErrorBody & Record<string, unknown>) | null;
    this.inFlight = false;
    if (response.ok) this.saved(sentChanges, body ?? {});
    else if (response.status === 409) this.conflict(body ?? {});
    else if (response.status === 401) this.signedOut();
    else {
      const message = body?.error?.message ?? `the server answered ${response.status}`;
      this.options.notices.setStatus(`Not saved: ${message} Your text is kept in this browser.`);
      this.options.notices.show('problem', {
        text: `The story could not be saved: ${message} Your text is kept in this browser; it is saved again on your next change.`,
        urgent: true,
        dismissible: true,
      });
      return;
    }
    // Changes made while this save was on its way go in the next one.
    if (this.state === 'ok' && this.changes !== this.savedChanges) this.schedule();
  }

  private saved(sentChanges: number, body: Record<string, unknown>): void {
    const { notices, copies, form } = this.options;
    if (typeof body.revision === 'number') {
      this.baseRevision = body.revision;
      form.dataset.baseRevision = String(body.revision);
      // A form that also posts its revision (the explicit Save) must not conflict with this autosave.
      const field = form.elements.namedItem('base_revision');
      if (field instanceof HTMLInputElement) field.value = String(body.revision);
    }
    this.savedChanges = sentChanges;
    this.state = 'ok';
    notices.hide('signed-out');
    notices.hide('problem');
    clearTimeout(this.offlineTimer);
    if (this.changes === sentChanges) {
      this.firstUnsavedAt = null;
      copies.clear();
    } else {
      // The copy holds newer changes; it is now based on the revision just written.
      this.keepCopy();
    }
    notices.setStatus(`Saved ${formatWhen(body.savedAt ?? Date.now())}`);
  }

  private conflict(body: ErrorBody): void {
    this.state = 'conflict';
    clearTimeout(this.timer);
    const by = body.current?.by ?? 'someone else';
    const theirs = body.current?.revision;
    const compare =
      `/stories/${encodeURIComponent(this.options.storyId)}/revisions` +
      (typeof theirs === 'number' ? `?compare=${theirs}..${this.baseRevision}` : '');
    this.options.notices.show('conflict', {
      text: `This story was changed by ${by} at ${formatWhen(body.current?.at)}. Your text is kept here;`,
      urgent: true,
      actions: [{ label: 'open the comparison', href: compare }],
    });
    this.options.notices.setStatus('Not saved: the story was changed elsewhere');
  }

  private signedOut(): void {
    this.state = 'signed-out';
    clearTimeout(this.timer);
    this.options.notices.show('signed-out', {
      text: 'You are signed out. Your work is kept in this browser; sign in in another tab, then press Save.',
      urgent: true,
    });
    this.options.notices.setStatus('Signed out, kept in this browser');
  }

  private wentOffline(): void {
    if (this.state === 'ok') this.state = 'offline';
    this.options.notices.setStatus('Offline, kept in this browser');
    clearTimeout(this.offlineTimer);
    this.offlineTimer = setTimeout(() => void this.retry(), OFFLINE_RETRY_MS);
  }

  /** Back in focus or online: try again what a lost session or connection held up. */
  private async retry(): Promise<void> {
    if (this.state !== 'offline' && this.state !== 'signed-out') return;
    // Signed in again (in another tab): the new session has a new CSRF token; the page's is the old one's.
    if (this.state === 'signed-out' && !(await this.refreshToken())) return;
    this.state = 'ok';
    void this.heartbeat();
    if (this.changes !== this.savedChanges) void this.save();
  }

  /** The signed-in session's CSRF token from the admin, or false while still signed out. */
  private async refreshToken(): Promise<boolean> {
    try {
      const response = await fetch('/session', {
        headers: { accept: 'application/json' },
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (!response.ok) return false;
      const body = (await response.json().catch(() => null)) as { csrf?: unknown } | null;
      if (typeof body?.csrf !== 'string') return false;
      this.options.csrf = body.csrf;
      this.options.form.dataset.csrf = body.csrf;
      for (const input of this.options.form.querySelectorAll<HTMLInputElement>('input[name=csrf]'))
        input.value = body.csrf;
      return true;
    } catch {
      return false;
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.state === 'locked') return;
    let response: Response;
    try {
      response = await fetch(this.options.lockUrl, {
        method: 'POST',
        headers: this.headers(),
        body: '{}',
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch {
      // Autosave reports the lost connection; the next beat tries again.
      return;
    }
    if (response.status === 401) {
      this.signedOut();
      return;
    }
    if (!response.ok) return;
    const body = (await response.json().catch(() => null)) as {
      held?: boolean;
      by?: string;
      since?: unknown;
    } | null;
    if (body?.held === false) this.lockLost(body.by ?? 'Someone else', body.since);
  }

  private lockLost(by: string, since: unknown): void {
    this.state = 'locked';
    clearTimeout(this.timer);
    clearInterval(this.heartbeatTimer);
    this.options.editor.setEditable(false);
    for (const control of Array.from(this.options.form.elements)) {
      if (
        control instanceof HTMLInputElement &&
        !['checkbox', 'radio', 'hidden', 'submit', 'button'].includes(control.type)
      ) {
        control.readOnly = true;
      } else if (control instanceof HTMLTextAreaElement) {
        control.readOnly = true;
      } else if (
        control instanceof HTMLSelectElement ||
        control instanceof HTMLButtonElement ||
        control instanceof HTMLInputElement
      ) {
        if (!(control instanceof HTMLInputElement && control.type === 'hidden')) control.disabled = true;
      }
    }
    this.options.notices.show('lock', {
      text: `${by} took over this story at ${formatWhen(since)}. Your changes are kept in this browser.`,
      urgent: true,
    });
    this.options.notices.setStatus('Read only');
  }

  private offerBrowserCopy(): void {
    const { copies, form, notices, editor } = this.options;
    const copy = copies.read();
    if (!copy) return;
    const current = readFields(form);
    if (sameFields({ ...current, ...copy.fields }, current)) {
      copies.clear();
      return;
    }
    this.offered = copy;
    const older = copy.baseRevision < this.options.baseRevision;
    notices.show('restore', {
      text:
        `Unsaved changes from ${formatWhen(copy.time)} were found in this browser.` +
        (older
          ? ' They were made on an earlier version of the story, so saving them asks you to compare first.'
          : ''),
      urgent: false,
      actions: [
        {
          label: 'Restore',
          onClick: () => {
            const offered = this.offered;
            if (!offered) return;
            this.offered = null;
            notices.hide('restore');
            writeFields(form, offered.fields);
            // Saving against the revision the copy was made on: if the story moved on since, the
            // server answers with a conflict instead of the copy silently replacing newer text.
            this.baseRevision = offered.baseRevision;
            if (typeof offered.fields.body_html === 'string') editor.setHtml(offered.fields.body_html);
            this.changed();
            editor.focus();
          },
        },
        {
          label: 'Discard',
          onClick: () => {
            this.offered = null;
            copies.clear();
            notices.hide('restore');
            editor.focus();
          },
        },
      ],
    });
  }
}
