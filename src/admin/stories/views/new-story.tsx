// Starting a story: where it goes (site and section) and its headline; the editor takes it from there.
import { Csrf } from './parts.tsx';

export interface NewStoryProps {
  csrf: string;
  /** "siteId:sectionId" choices, grouped by site. */
  places: { site: string; sections: { value: string; label: string }[] }[];
  chosen: string;
  headline: string;
  problem: string | null;
}

export function NewStoryView(p: NewStoryProps) {
  const several = p.places.length > 1;
  return (
    <form method="post" action="/stories/new" class="adm-panel adm-narrow">
      <Csrf token={p.csrf} />
      {p.problem && (
        <p class="adm-notice adm-notice-problem" role="alert">
          {p.problem}
        </p>
      )}
      <div class="adm-field">
        <label for="f-place">{several ? 'Site and section' : 'Section'}</label>
        <select id="f-place" name="place" required>
          {p.places.map((site) =>
            several ? (
              <optgroup label={site.site} key={site.site}>
                {site.sections.map((s) => (
                  <option value={s.value} selected={p.chosen === s.value} key={s.value}>
                    {s.label}
                  </option>
                ))}
              </optgroup>
            ) : (
              site.sections.map((s) => (
                <option value={s.value} selected={p.chosen === s.value} key={s.value}>
                  {s.label}
                </option>
              ))
            ),
          )}
        </select>
      </div>
      <div class="adm-field">
        <label for="f-headline">Headline</label>
        <p class="adm-hint" id="f-headline-hint">
          A working headline is fine: the address follows it until the story is first published.
        </p>
        <input
          id="f-headline"
          name="headline"
          type="text"
          required
          value={p.headline}
          aria-describedby="f-headline-hint"
        />
      </div>
      <button type="submit" class="adm-button">
        Start writing
      </button>
    </form>
  );
}
