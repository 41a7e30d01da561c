// Keys for the moderation queues and thread view, on top of pages that work without them: j/k move to the
// next/previous comment, a approves it, r opens its reject form on the reason list (Enter there rejects), x ticks it for a
// bulk action, o opens its details. The help line is shown only here, since the keys need this script. Keys
// are ignored while typing in a field or with a modifier held, so they never steal a letter from a form.
const items = () => [...document.querySelectorAll<HTMLElement>('.mod-item')];
let current = -1;

const help = document.getElementById('mod-keys');
if (help && items().length > 0) help.hidden = false;

function select(i: number): void {
  const list = items();
  if (list.length === 0) return;
  current = Math.max(0, Math.min(i, list.length - 1));
  for (const el of list) el.classList.remove('mod-current');
  const el = list[current]!;
  el.classList.add('mod-current');
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'nearest' });
}

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

document.addEventListener('focusin', (ev) => {
  const item = (ev.target as HTMLElement).closest?.('.mod-item');
  if (item) current = items().indexOf(item as HTMLElement);
});

// In an open reject form, Enter on the reason list sends it (a list does not submit its form by itself).
document.addEventListener('keydown', (ev) => {
  const el = ev.target as HTMLElement | null;
  if (ev.key !== 'Enter' || !el?.classList.contains('mod-reason-select')) return;
  const form = (el as HTMLSelectElement).form;
  const button = form?.querySelector<HTMLButtonElement>('button[data-key="reject"]');
  if (!form || !button) return;
  ev.preventDefault();
  form.requestSubmit(button);
});

document.addEventListener('keydown', (ev) => {
  if (ev.altKey || ev.ctrlKey || ev.metaKey || typing(ev.target)) return;
  const list = items();
  if (list.length === 0) return;
  const item = list[current];
  const button = (key: string) => item?.querySelector<HTMLButtonElement>(`button[data-key="${key}"]`);
  switch (ev.key) {
    case 'j':
      select(current + 1);
      break;
    case 'k':
      select(current < 0 ? 0 : current - 1);
      break;
    case 'a': {
      const b = button('approve');
      if (!b) return;
      b.form?.requestSubmit(b);
      break;
    }
    case 'r': {
      const details = item?.querySelector<HTMLDetailsElement>('.mod-reject');
      if (!details) return;
      details.open = true;
      details.querySelector<HTMLSelectElement>('select')?.focus();
      break;
    }
    case 'x': {
      const box = item?.querySelector<HTMLInputElement>('input[type=checkbox]');
      if (!box) return;
      box.checked = !box.checked;
      break;
    }
    case 'o': {
      if (!item?.dataset.comment) return;
      window.location.assign(`/comments/${item.dataset.comment}`);
      break;
    }
    default:
      return;
  }
  ev.preventDefault();
});
