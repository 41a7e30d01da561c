// What the editor tells the person writing: a one-line save status in a polite live region ("Saved 12:03",
// "Offline, kept in this browser"), and banners at the top of the form for what needs a decision or
// attention (a conflicting edit, being signed out, a lost lock, a restorable copy, a cleaned paste). One
// banner per kind: showing a kind again replaces its text.

export type NoticeKind = 'conflict' | 'signed-out' | 'lock' | 'restore' | 'paste' | 'problem';

export interface NoticeAction {
  label: string;
  /** A link (the revision comparison) or a button. */
  href?: string;
  onClick?: () => void;
}

export interface Notice {
  /** Plain words; the actions (links, buttons) follow them. */
  text: string;
  /** alert for what stops saving (conflict, signed out, lock lost); status for the rest. */
  urgent: boolean;
  actions?: NoticeAction[];
  dismissible?: boolean;
}

export class Notices {
  readonly region: HTMLElement;
  readonly status: HTMLElement;
  private readonly shown = new Map<NoticeKind, HTMLElement>();

  constructor() {
    this.region = document.createElement('div');
    this.region.className = 'editor-notices';
    this.status = document.createElement('p');
    this.status.className = 'editor-status';
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
  }

  setStatus(text: string): void {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  show(kind: NoticeKind, notice: Notice): void {
    const banner = document.createElement('div');
    banner.className = `editor-notice editor-notice--${kind}${notice.urgent ? ' editor-notice--urgent' : ''}`;
    banner.dataset.notice = kind;
    banner.setAttribute('role', notice.urgent ? 'alert' : 'status');
    const text = document.createElement('p');
    text.className = 'editor-notice__text';
    text.textContent = notice.text;
    banner.append(text);
    const actions = [...(notice.actions ?? [])];
    if (notice.dismissible) actions.push({ label: 'Dismiss', onClick: () => this.hide(kind) });
    if (actions.length > 0) {
      const row = document.createElement('p');
      row.className = 'editor-notice__actions';
      for (const action of actions) {
        if (action.href !== undefined) {
          const link = document.createElement('a');
          link.href = action.href;
          link.textContent = action.label;
          row.append(link);
        } else {
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = action.label;
          button.addEventListener('click', () => action.onClick?.());
          row.append(button);
        }
      }
      banner.append(row);
    }
    const previous = this.shown.get(kind);
    if (previous) previous.replaceWith(banner);
    else this.region.append(banner);
    this.shown.set(kind, banner);
  }

  hide(kind: NoticeKind): void {
    this.shown.get(kind)?.remove();
    this.shown.delete(kind);
  }

  has(kind: NoticeKind): boolean {
    return this.shown.has(kind);
  }
}
