// Times on the stories screens, always on a site's own clock with the zone named, so an editor in London
// scheduling for a Tokyo site reads the time Tokyo's readers will see.
const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'long',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** "12 Nov 2026, 09:30 Japan Standard Time" on the site's clock, the zone named as readers see it. */
export function siteTime(at: Date, timeZone: string): string {
  return format(timeZone).format(at);
}
