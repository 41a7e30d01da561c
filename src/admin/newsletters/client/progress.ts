// The Sends page's progress, kept fresh while it is open: every few seconds each running send's progress
// JSON is read and its fields (marked data-k) and bar updated. The page works without it (Refresh link);
// when a send stops running the page is reloaded once, so its buttons and figures match the new status.
const EVERY_MS = 4000;

function eta(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${seconds} s`;
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

interface Progress {
  status: string;
  total: number;
  sent: number;
  failed: number;
  suppressed: number;
  cancelled: number;
  etaSeconds: number | null;
  note: string | null;
  [k: string]: unknown;
}

async function refresh(box: HTMLElement): Promise<boolean> {
  const url = box.dataset.progressUrl;
  if (!url) return false;
  const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) return false;
  const p = (await res.json()) as Progress;
  for (const el of box.querySelectorAll<HTMLElement>('[data-k]')) {
    const k = el.dataset.k!;
    el.textContent = k === 'eta' ? eta(p.etaSeconds) : k === 'note' ? (p.note ?? '') : String(p[k] ?? '');
  }
  const bar = box.querySelector('progress');
  if (bar) {
    bar.max = Math.max(1, p.total);
    bar.value = p.sent + p.failed + p.suppressed + p.cancelled;
  }
  const shownStatus = box.dataset.status ?? p.status;
  box.dataset.status = p.status;
  return p.status !== shownStatus || !['queued', 'sending', 'paused'].includes(p.status);
}

const boxes = [...document.querySelectorAll<HTMLElement>('[data-progress-url]')];
if (boxes.length > 0) {
  for (const b of boxes)
    b.dataset.status = b.querySelector<HTMLElement>('[data-k=status]')?.textContent ?? '';
  const timer = setInterval(async () => {
    if (document.hidden) return;
    try {
      const changed = await Promise.all(boxes.map(refresh));
      if (changed.some(Boolean)) {
        clearInterval(timer);
        location.reload();
      }
    } catch {
      // A missed poll is retried on the next tick; the Refresh link is always there.
    }
  }, EVERY_MS);
}
