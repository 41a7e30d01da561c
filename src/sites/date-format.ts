// How reader pages print an instant: in the site's language and time zone, with the zone's full name as ICU
// writes it ("Japan Standard Time", "British Summer Time" in summer and "Greenwich Mean Time" in winter),
// as the reference pages do. timeZoneName 'short' gave English readers "GMT+9" for most zones, since ICU
// keeps abbreviations like JST only for the zone's own locale; the names come from ICU, never a table of
// our own, so every IANA zone and every language has one.
//
// One formatter per language and zone for the whole process: the directory builds a SiteContext on every
// reload (each site or section change), and building an Intl.DateTimeFormat costs more than the rest of a
// teaser's render. Each remembers its recent results too, since lists, related stories and trending show
// the same few dozen instants over and over.

export interface DateFormat {
  format(at: Date): string;
  /**
   * The same text in two parts, the date and clock, then the zone's name with the space before it
   * ("December 2, 2026 at 5:56 PM", " Japan Standard Time"), so a page can keep the name from breaking;
   * the second part is empty where a language does not end with the zone.
   */
  split(at: Date): [string, string];
}

const formats = new Map<string, DateFormat>();

/** The date format of a site's reader pages: the same object for the same language and zone. */
export function readerDateFormat(language: string, timeZone: string): DateFormat {
  const key = `${language} ${timeZone}`;
  let f = formats.get(key);
  if (!f) {
    f = remembered(
      new Intl.DateTimeFormat(language, {
        timeZone,
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'long',
      }),
    );
    formats.set(key, f);
  }
  return f;
}

function remembered(format: Intl.DateTimeFormat, max = 4096): DateFormat {
  const seen = new Map<number, [string, string]>();
  const parts = (at: Date): [string, string] => {
    const t = at.getTime();
    let known = seen.get(t);
    if (known === undefined) {
      const all = format.formatToParts(at);
      const text = all.map((p) => p.value).join('');
      const zone = all.at(-1)?.type === 'timeZoneName' ? all.at(-1)!.value : '';
      const clock = zone ? text.slice(0, -zone.length).trimEnd() : text;
      known = zone ? [clock, text.slice(clock.length)] : [text, ''];
      // A full cache starts again rather than tracking use: the instants shown change slowly.
      if (seen.size >= max) seen.clear();
      seen.set(t, known);
    }
    return known;
  };
  return {
    format: (at) => {
      const [clock, zone] = parts(at);
      return clock + zone;
    },
    split: parts,
  };
}
