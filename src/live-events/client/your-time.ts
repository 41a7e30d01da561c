// "Your time" on event pages and listings: for each event time the page printed in the event's own zone
// (data-starts, data-ends as UTC instants, data-zone), the same range in the reader's zone, written into the
// element after it, when that reads differently. Without JavaScript the page shows the event's own time
// only, which is complete on its own. Uses the same wording code as the server (event-times.ts).
import { readerTime } from '../event-times.ts';

function show(): void {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;
  for (const el of document.querySelectorAll<HTMLElement>('[data-event-when]')) {
    const { starts, ends, zone: eventZone, lang } = el.dataset;
    const target = el.nextElementSibling as HTMLElement | null;
    if (!starts || !ends || !eventZone || !target?.hasAttribute('data-your-time')) continue;
    const text = readerTime(
      { startsAt: new Date(starts), endsAt: new Date(ends), timeZone: eventZone },
      zone,
      lang || 'en',
    );
    if (!text) continue;
    // The zone's name stays on one line, as in the event's own time above.
    const at = text.lastIndexOf(' (');
    const name = document.createElement('span');
    name.className = 'time__zone';
    name.textContent = at < 0 ? '' : text.slice(at + 1);
    target.textContent = `Your time: ${at < 0 ? text : text.slice(0, at + 1)}`;
    target.append(name);
    target.hidden = false;
  }
}

show();
