// The sites screens: the list of the network's sites, a site's settings (name, hosts, language, time zone,
// tagline, footer line, brand colours with their contrast against what readers see them on, and the logo),
// adding a site, and a site's sections (add, rename, reorder with up/down buttons, hide). Plain forms that
// work without JavaScript; the brand script only adds the live contrast figures and a colour picker.
import type { DatelineError } from '../../errors/catalogue.ts';
import type { Section } from '../../sections/section.ts';
import type { Site } from '../../sites/site.ts';
import { Field } from '../views/layout.tsx';
import { againstName, BRAND_MIN_RATIO, type BrandColour, checkBrandColours } from './brand-contrast.ts';
import { ButtonForm, Csrf, RefusedPanel, SelectField, TextAreaField } from './form-parts.tsx';

export type Problems = Record<string, string>;

export interface SiteRow {
  site: Site;
  sections: number;
  canSettings: boolean;
  canSections: boolean;
}

export function SiteList(p: { rows: SiteRow[]; canAdd: boolean }) {
  return (
    <>
      {p.canAdd && (
        <div class="adm-toolbar">
          <a class="adm-button" href="/sites/new">
            Add a site
          </a>
        </div>
      )}
      <div class="adm-table-wrap">
        <table class="adm-table adm-table-stack">
          <caption class="adm-visually-hidden">The network's sites</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Hosts</th>
              <th scope="col">Language</th>
              <th scope="col">Time zone</th>
              <th scope="col" class="adm-num">
                Sections
              </th>
              <th scope="col">Manage</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr key={r.site.id}>
                <th scope="row">
                  {r.canSettings ? <a href={`/sites/${r.site.id}`}>{r.site.name}</a> : r.site.name}
                  <div class="adm-muted adm-small">{r.site.slug}</div>
                </th>
                <td data-label="Hosts">
                  {r.site.hosts.map((h) => (
                    <div key={h}>{h}</div>
                  ))}
                </td>
                <td data-label="Language">{r.site.language}</td>
                <td data-label="Time zone">{r.site.timeZone}</td>
                <td data-label="Sections" class="adm-num">
                  {r.sections}
                </td>
                <td data-label="Manage">
                  <div class="adm-actions">
                    {r.canSettings && (
                      <a class="adm-button adm-button-quiet adm-button-small" href={`/sites/${r.site.id}`}>
                        Settings<span class="adm-visually-hidden"> of {r.site.name}</span>
                      </a>
                    )}
                    {r.canSections && (
                      <a
                        class="adm-button adm-button-quiet adm-button-small"
                        href={`/sites/${r.site.id}/sections`}
                      >
                        Sections<span class="adm-visually-hidden"> of {r.site.name}</span>
                      </a>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export interface SiteFormValues {
  name: string;
  hosts: string;
  language: string;
  timeZone: string;
  tagline: string;
  footerText: string;
  primaryColor: string;
  accentColor: string;
}

export function siteFormValues(site: Site): SiteFormValues {
  return {
    name: site.name,
    hosts: site.hosts.join('\n'),
    language: site.language,
    timeZone: site.timeZone,
    tagline: site.tagline,
    footerText: site.footerText,
    primaryColor: site.primaryColor,
    accentColor: site.accentColor,
  };
}

const COLOUR_LABELS: Record<BrandColour, string> = {
  primaryColor: 'Primary colour',
  accentColor: 'Accent colour',
};

/** The contrast of a colour against what readers see it on, as the server works it out. */
function ContrastReport({ colour, values }: { colour: BrandColour; values: SiteFormValues }) {
  const checks = checkBrandColours(values).filter((c) => c.colour === colour);
  return (
    <div class="adm-contrast" id={`contrast-${colour}`} data-contrast-for={colour} aria-live="polite">
      {checks.length === 0 ? (
        <p class="adm-muted">Give a colour as #rrggbb to see its contrast.</p>
      ) : (
        checks.map((c) => (
          <p key={c.against} class="adm-contrast-line">
            <span class={`adm-badge ${c.passes ? 'adm-badge-ok' : 'adm-badge-bad'}`}>
              {c.passes ? 'AA' : 'Under AA'}
            </span>{' '}
            <span class="adm-contrast-ratio">{c.ratio.toFixed(2)}:1</span> against {againstName(c.against)},
            for {c.where}
            {c.passes ? '.' : `: needs ${BRAND_MIN_RATIO}:1, so it would be refused.`}
          </p>
        ))
      )}
    </div>
  );
}

/** SVG's `color` presentation attribute (not an inline style, so the CSP allows it); Preact's types lack it. */
function presentationColour(value: string): Record<string, string> {
  return { color: value };
}

/** What readers would see: the colour as text on white, and white text on it. SVG fills, not styles (CSP). */
function Swatch({ colour, value }: { colour: BrandColour; value: string }) {
  const fill = /^#[0-9a-f]{6}$/i.test(value) ? value : '#ffffff';
  return (
    <svg
      class="adm-swatch"
      data-swatch-for={colour}
      viewBox="0 0 240 40"
      width="240"
      height="40"
      role="img"
      aria-label={`Sample of ${COLOUR_LABELS[colour].toLowerCase()} as readers see it`}
    >
      <rect x="0" y="0" width="120" height="40" fill="#ffffff" stroke="#8a94a3" />
      {/* The colour as an SVG presentation attribute (no inline style), read by fill through currentColor. */}
      <text
        x="12"
        y="26"
        font-size="16"
        font-weight="700"
        data-swatch-text=""
        fill="currentColor"
        {...presentationColour(fill)}
      >
        Text
      </text>
      <rect x="120" y="0" width="120" height="40" data-swatch-fill="" fill={fill} stroke="#8a94a3" />
      <text
        x="132"
        y="26"
        font-size="16"
        font-weight="700"
        fill="currentColor"
        {...presentationColour('#ffffff')}
      >
        {colour === 'primaryColor' ? 'Button' : 'Border'}
      </text>
    </svg>
  );
}

function ColourField(p: { colour: BrandColour; values: SiteFormValues; problem?: string }) {
  const id = `f-${p.colour}`;
  const value = p.values[p.colour];
  return (
    <div class={`adm-field adm-colour-field${p.problem ? ' adm-field-problem' : ''}`}>
      <label for={id}>{COLOUR_LABELS[p.colour]}</label>
      <p class="adm-hint" id={`${id}-hint`}>
        A hex colour such as {p.colour === 'primaryColor' ? '#12355b' : '#b3261e'}.
      </p>
      {p.problem && (
        <p class="adm-problem" id={`${id}-problem`}>
          {p.problem}
        </p>
      )}
      <div class="adm-colour-inputs">
        <input
          id={id}
          name={p.colour}
          type="text"
          value={value}
          size={9}
          maxLength={7}
          spellcheck={false}
          autocomplete="off"
          data-brand-colour={p.colour}
          aria-invalid={p.problem ? 'true' : undefined}
          aria-describedby={`${id}-hint${p.problem ? ` ${id}-problem` : ''} contrast-${p.colour}`}
        />
        {/* Shown by the brand script, which keeps it and the text field in step. */}
        <input
          type="color"
          class="adm-colour-picker"
          value={/^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : '#000000'}
          data-picker-for={p.colour}
          aria-label={`Pick the ${COLOUR_LABELS[p.colour].toLowerCase()}`}
          hidden
        />
        <Swatch colour={p.colour} value={value} />
      </div>
      <ContrastReport colour={p.colour} values={p.values} />
    </div>
  );
}

export function SiteSettingsForm(p: {
  site: Site;
  values: SiteFormValues;
  problems: Problems;
  error?: DatelineError | null;
  timeZones: string[];
  csrf: string;
  logoProblem?: string;
  logoError?: DatelineError | null;
  maxLogoMb: string;
}) {
  const zones = p.timeZones.includes(p.values.timeZone) ? p.timeZones : [p.values.timeZone, ...p.timeZones];
  return (
    <>
      <p class="adm-muted">
        <a href="/sites">All sites</a> ·{' '}
        <a href={`/sites/${p.site.id}/sections`}>Sections of {p.site.name}</a>
      </p>
      <RefusedPanel error={p.error} />
      <form method="post" action={`/sites/${p.site.id}`} class="adm-panel" novalidate>
        <Csrf token={p.csrf} />
        <h2 class="adm-panel-title">Name and addresses</h2>
        <div class="adm-form-grid">
          <Field name="name" label="Name" value={p.values.name} problem={p.problems.name} required />
          <SelectField
            name="timeZone"
            label="Time zone"
            value={p.values.timeZone}
            options={zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
            hint="Schedules and dates on the site use it."
            problem={p.problems.timeZone}
          />
          <Field
            name="language"
            label="Language"
            value={p.values.language}
            hint="A language tag such as en, en-GB or ja."
            problem={p.problems.language}
          />
          <div class="adm-wide">
            <TextAreaField
              name="hosts"
              label="Hosts"
              value={p.values.hosts}
              hint="One host name per line, the main one first (links and mails use it). No scheme, no port."
              problem={p.problems.hosts}
            />
          </div>
        </div>
        <h2 class="adm-panel-title">Words</h2>
        <div class="adm-form-grid">
          <Field
            name="tagline"
            label="Tagline"
            value={p.values.tagline}
            hint="Under the site's name; up to 200 characters."
            problem={p.problems.tagline}
          />
          <Field
            name="footerText"
            label="Footer line"
            value={p.values.footerText}
            hint="At the foot of every page, e.g. ©2025 Publisher Inc."
            problem={p.problems.footerText}
          />
        </div>
        <h2 class="adm-panel-title">Colours</h2>
        <p class="adm-hint adm-colours-intro">
          Each colour must reach WCAG AA contrast ({BRAND_MIN_RATIO}:1) against what readers see it on, or it
          is refused.
        </p>
        <div class="adm-form-grid">
          <ColourField colour="primaryColor" values={p.values} problem={p.problems.primaryColor} />
          <ColourField colour="accentColor" values={p.values} problem={p.problems.accentColor} />
        </div>
        <button type="submit" class="adm-button">
          Save settings
        </button>
      </form>
      <LogoPanel
        site={p.site}
        csrf={p.csrf}
        problem={p.logoProblem}
        error={p.logoError}
        maxLogoMb={p.maxLogoMb}
      />
    </>
  );
}

function LogoPanel(p: {
  site: Site;
  csrf: string;
  problem?: string;
  error?: DatelineError | null;
  maxLogoMb: string;
}) {
  return (
    <section class="adm-panel" aria-labelledby="logo-title">
      <h2 class="adm-panel-title" id="logo-title">
        Logo
      </h2>
      <RefusedPanel error={p.error} />
      {p.site.logoMediaId ? (
        <div class="adm-logo-now">
          <img
            src={`/sites/${p.site.id}/logo.webp?v=${p.site.logoMediaId}`}
            alt={`The logo of ${p.site.name} now`}
            class="adm-logo-img"
          />
          <ButtonForm
            action={`/sites/${p.site.id}/logo/remove`}
            csrf={p.csrf}
            label="Remove the logo"
            kind="danger"
            confirm={`Remove the logo of ${p.site.name}? The site shows its name instead.`}
          />
        </div>
      ) : (
        <p class="adm-muted">No logo: the site shows its name in the masthead.</p>
      )}
      <form
        method="post"
        action={`/sites/${p.site.id}/logo`}
        enctype="multipart/form-data"
        class="adm-logo-form"
      >
        {/* First, before the file: the upload's checks read the token without reading the file. */}
        <Csrf token={p.csrf} />
        <div class={`adm-field${p.problem ? ' adm-field-problem' : ''}`}>
          <label for="f-logo">{p.site.logoMediaId ? 'Replace the logo' : 'Upload a logo'}</label>
          <p class="adm-hint" id="f-logo-hint">
            JPEG, PNG, WebP, GIF or AVIF, up to {p.maxLogoMb}. A wide picture on a clear background works
            best.
          </p>
          {p.problem && (
            <p class="adm-problem" id="f-logo-problem">
              {p.problem}
            </p>
          )}
          <input
            id="f-logo"
            name="logo"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
            aria-describedby={`f-logo-hint${p.problem ? ' f-logo-problem' : ''}`}
          />
        </div>
        <button type="submit" class="adm-button">
          Upload
        </button>
      </form>
    </section>
  );
}

export interface NewSiteValues {
  slug: string;
  name: string;
  hosts: string;
  language: string;
  timeZone: string;
}

export function NewSiteForm(p: {
  values: NewSiteValues;
  problems: Problems;
  error?: DatelineError | null;
  timeZones: string[];
  csrf: string;
}) {
  return (
    <>
      <p class="adm-muted">
        <a href="/sites">All sites</a>
      </p>
      <RefusedPanel error={p.error} />
      <form method="post" action="/sites/new" class="adm-panel adm-narrow-form" novalidate>
        <Csrf token={p.csrf} />
        <Field
          name="slug"
          label="Short name (slug)"
          value={p.values.slug}
          hint="Lowercase letters, digits and hyphens; the CLI and the API name the site by it. It cannot change later."
          problem={p.problems.slug}
          required
        />
        <Field name="name" label="Name" value={p.values.name} problem={p.problems.name} required />
        <TextAreaField
          name="hosts"
          label="Hosts"
          value={p.values.hosts}
          hint="One host name per line, the main one first. Empty: <slug>.localhost."
          problem={p.problems.hosts}
        />
        <Field
          name="language"
          label="Language"
          value={p.values.language}
          hint="A language tag such as en, en-GB or ja."
          problem={p.problems.language}
        />
        <SelectField
          name="timeZone"
          label="Time zone"
          value={p.values.timeZone}
          options={p.timeZones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
          problem={p.problems.timeZone}
        />
        <p class="adm-hint">Colours, tagline, footer line and logo are set on the site's page next.</p>
        <button type="submit" class="adm-button">
          Add the site
        </button>
      </form>
    </>
  );
}

export function SectionsView(p: {
  site: Site;
  sections: Section[];
  csrf: string;
  error?: DatelineError | null;
  problems: Problems;
  values: { slug: string; name: string; description: string };
  /** The section whose rename was refused, with what was typed. */
  rename?: { id: number; name: string; problem: string } | null;
  canSettings: boolean;
}) {
  const last = p.sections.length - 1;
  return (
    <>
      <p class="adm-muted">
        <a href="/sites">All sites</a>
        {p.canSettings && (
          <>
            {' '}
            · <a href={`/sites/${p.site.id}`}>Settings of {p.site.name}</a>
          </>
        )}
      </p>
      <RefusedPanel error={p.error} />
      <p class="adm-hint">
        The menu shows sections in this order. A hidden section keeps its pages and stories but leaves the
        menu and the home page.
      </p>
      <div class="adm-table-wrap">
        <table class="adm-table adm-table-stack adm-sections">
          <caption class="adm-visually-hidden">Sections of {p.site.name}, in menu order</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Shown</th>
            </tr>
          </thead>
          <tbody>
            {p.sections.map((s, i) => {
              const renaming = p.rename?.id === s.id ? p.rename : null;
              const fid = `section-${s.id}-name`;
              return (
                <tr key={s.id}>
                  <td data-label="Order">
                    <div class="adm-actions">
                      <ButtonForm
                        action={`/sites/${p.site.id}/sections/${s.id}/move`}
                        csrf={p.csrf}
                        fields={{ direction: 'up' }}
                        label="Up"
                        ariaLabel={`Move ${s.name} up`}
                        disabled={i === 0}
                      />
                      <ButtonForm
                        action={`/sites/${p.site.id}/sections/${s.id}/move`}
                        csrf={p.csrf}
                        fields={{ direction: 'down' }}
                        label="Down"
                        ariaLabel={`Move ${s.name} down`}
                        disabled={i === last}
                      />
                    </div>
                  </td>
                  <td data-label="Name">
                    <form method="post" action={`/sites/${p.site.id}/sections/${s.id}`} class="adm-rename">
                      <Csrf token={p.csrf} />
                      <label for={fid} class="adm-visually-hidden">
                        Name of the section {s.slug}
                      </label>
                      <input
                        id={fid}
                        name="name"
                        class="adm-input"
                        value={renaming ? renaming.name : s.name}
                        aria-invalid={renaming ? 'true' : undefined}
                        aria-describedby={renaming ? `${fid}-problem` : undefined}
                      />
                      <button
                        type="submit"
                        class="adm-button adm-button-quiet adm-button-small"
                        aria-label={`Rename ${s.name}`}
                      >
                        Rename
                      </button>
                      {renaming && (
                        <p class="adm-problem" id={`${fid}-problem`}>
                          {renaming.problem}
                        </p>
                      )}
                    </form>
                  </td>
                  <td data-label="Address">
                    <code>/{s.slug}</code>
                  </td>
                  <td data-label="Shown">
                    <div class="adm-actions">
                      <span class={`adm-badge ${s.hidden ? 'adm-badge-warn' : 'adm-badge-ok'}`}>
                        {s.hidden ? 'Hidden' : 'In the menu'}
                      </span>
                      <ButtonForm
                        action={`/sites/${p.site.id}/sections/${s.id}/visibility`}
                        csrf={p.csrf}
                        fields={{ hidden: s.hidden ? '0' : '1' }}
                        label={s.hidden ? 'Show' : 'Hide'}
                        ariaLabel={`${s.hidden ? 'Show' : 'Hide'} ${s.name}`}
                      />
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <form method="post" action={`/sites/${p.site.id}/sections`} class="adm-panel" novalidate>
        <Csrf token={p.csrf} />
        <h2 class="adm-panel-title">Add a section</h2>
        <div class="adm-form-grid">
          <Field name="name" label="Name" value={p.values.name} problem={p.problems.name} required />
          <Field
            name="slug"
            label="Address"
            value={p.values.slug}
            hint="Lowercase letters, digits and hyphens: the section's page is /<address>. It cannot change later."
            problem={p.problems.slug}
            required
          />
          <div class="adm-wide">
            <Field
              name="description"
              label="Description"
              value={p.values.description}
              hint="Optional; shown on the section's page and to search engines."
              problem={p.problems.description}
            />
          </div>
        </div>
        <button type="submit" class="adm-button">
          Add the section
        </button>
      </form>
    </>
  );
}

export const SITES_CSS = `
.adm-visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.adm-small{font-size:.85rem;font-weight:400}
.adm-colours-intro{margin:0 0 .75rem}
.adm-sections td{vertical-align:middle}
.adm-panel-title{font-size:1.1rem;margin:.25rem 0 .75rem}
.adm-panel-title:not(:first-of-type){margin-top:1.25rem}
.adm-colour-inputs{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.adm-colour-inputs input[type=text]{font:inherit;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;width:7.5rem}
.adm-colour-picker{width:2.75rem;height:2.4rem;padding:0 .15rem;border:1px solid var(--muted);border-radius:6px;background:var(--panel)}
.adm-swatch{max-width:100%;height:auto;border-radius:4px}
.adm-contrast p{margin:.2rem 0 0;font-size:.9rem}
.adm-contrast-ratio{font-weight:700;font-variant-numeric:tabular-nums}
.adm-logo-now{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:0 0 1rem}
.adm-logo-img{max-width:min(20rem,100%);max-height:6rem;background:#fff;border:1px solid var(--line);border-radius:6px;padding:.5rem}
.adm-logo-form{margin-top:.5rem}
.adm-narrow-form{max-width:36rem}
.adm-rename{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:0}
.adm-rename .adm-input{min-width:0;width:14rem;max-width:100%}
.adm-rename .adm-problem{flex-basis:100%}
`;
