// Pieces every wire screen uses: whose clock times are shown in, a refusal notice that names its error code,
// the sites a staff member works the wire desk for, and reading whole numbers from forms.
import type { DatelineError } from '../../errors/catalogue.ts';
import type { SiteContext } from '../../sites/directory.ts';
import type { SiteScope } from '../../wire/desk-scope.ts';
import type { AdminContext } from '../route-kit.tsx';

/** Times on the desk read in the zone of the site in view; with all sites in view, in UTC. */
export function deskZone(a: AdminContext): string {
  return a.site?.site.timeZone ?? 'UTC';
}

const formats = new Map<string, Intl.DateTimeFormat>();

export function When(p: { at: Date | string; zone: string }) {
  const at = typeof p.at === 'string' ? new Date(p.at) : p.at;
  let f = formats.get(p.zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: p.zone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    formats.set(p.zone, f);
  }
  return <time dateTime={at.toISOString()}>{f.format(at)}</time>;
}

/** A refusal as the desk shows it: what happened and what to do, and the stable code to look up or quote. */
export function Refusal(p: { error: DatelineError }) {
  return (
    <div class="adm-notice adm-notice-problem wire-refusal" role="alert">
      <p>{p.error.message}</p>
      <p class="wire-code">
        Code: <code>{p.error.code}</code>
      </p>
    </div>
  );
}

/** The sites the staff member holds wire.review on, in the order the admin lists sites. */
export function reviewSites(a: AdminContext): SiteContext[] {
  return a.sites.filter((c) => a.can('wire.review', c.site.id));
}

/**
 * The sites the desk shows now: those in view (the site switcher) that the staff member reviews. A network-
 * wide reviewer with all sites in view sees everything, stories of agencies with no licence yet included.
 */
export function deskScope(a: AdminContext): SiteScope {
  if (a.site === null && a.can('wire.review', null)) return 'all';
  return a.siteIds.filter((id) => a.can('wire.review', id));
}

/** The sites in the scope by name, for the line that says what the screen shows. */
export function scopeNames(a: AdminContext, scope: SiteScope): string {
  if (scope === 'all') return 'every site';
  return (
    a.sites
      .filter((c) => scope.includes(c.site.id))
      .map((c) => c.site.name)
      .join(', ') || 'no site you review'
  );
}

/** The whole number a form field holds, or null when it is empty; NaN when it is not a whole number. */
export function wholeField(raw: string): number | null {
  const t = raw.trim();
  if (t === '') return null;
  return /^\d{1,9}$/.test(t) ? Number(t) : Number.NaN;
}

/** A positive id from the route's `:id`, or 0 (never found). */
export function idParam(params: unknown): number {
  const raw = (params as { id?: string }).id ?? '';
  return /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : 0;
}
