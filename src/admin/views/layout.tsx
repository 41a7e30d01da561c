// The frame of every admin screen: the top bar (the newsroom's name, the site being worked on, the signed-in
// person), the menu, and the screen itself with its heading and any notice. Plain HTML and one stylesheet:
// every screen works without JavaScript; scripts only add to it.
import type { ComponentChildren } from 'preact';
import type { NavEntry, NavGroup } from '../nav.ts';

export interface LayoutSite {
  id: number;
  name: string;
}

export interface LayoutProps {
  title: string;
  cssPath: string;
  iconPath: string;
  /** Scripts of this screen (admin assets), loaded deferred. */
  scripts?: string[];
  /** The menu entry of this screen. */
  current?: string;
  staff?: { displayName: string; csrf: string };
  menu?: { group: NavGroup; entries: NavEntry[] }[];
  /** The site switcher: the chosen site (null: all sites) and those the staff member can choose. */
  switcher?: { chosen: number | null; sites: LayoutSite[]; allowAll: boolean; next: string };
  notice?: { kind: 'ok' | 'problem'; text: string } | null;
  children: ComponentChildren;
}

export function AdminLayout(p: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${p.title} · Dateline newsroom`}</title>
        <link rel="stylesheet" href={p.cssPath} />
        <link rel="icon" href={p.iconPath} type="image/svg+xml" />
        {(p.scripts ?? []).map((s) => (
          <script type="module" src={s} key={s} />
        ))}
      </head>
      <body class="adm">
        <a class="adm-skip" href="#main">
          Skip to content
        </a>
        <header class="adm-top">
          <a class="adm-brand" href="/">
            Dateline <span>newsroom</span>
          </a>
          {p.switcher && p.staff && <SiteSwitcher {...p.switcher} csrf={p.staff.csrf} />}
          {p.staff && (
            <form class="adm-me" method="post" action="/logout">
              <span class="adm-me-name">{p.staff.displayName}</span>
              <input type="hidden" name="csrf" value={p.staff.csrf} />
              <button type="submit" class="adm-link-button">
                Sign out
              </button>
            </form>
          )}
        </header>
        <div class="adm-frame">
          {p.menu && p.menu.length > 0 && (
            <nav class="adm-nav" aria-label="Admin menu">
              {p.menu.map((g) => (
                <div class="adm-nav-group" key={g.group}>
                  <h2 class="adm-nav-heading">{g.group}</h2>
                  <ul>
                    {g.entries.map((e) => (
                      <li key={e.id}>
                        <a href={e.href} aria-current={e.id === p.current ? 'page' : undefined}>
                          {e.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </nav>
          )}
          <main id="main" class="adm-main" tabIndex={-1}>
            <h1>{p.title}</h1>
            {p.notice && (
              <p
                class={`adm-notice adm-notice-${p.notice.kind}`}
                role={p.notice.kind === 'problem' ? 'alert' : 'status'}
              >
                {p.notice.text}
              </p>
            )}
            {p.children}
          </main>
        </div>
      </body>
    </html>
  );
}

function SiteSwitcher(p: {
  chosen: number | null;
  sites: LayoutSite[];
  allowAll: boolean;
  next: string;
  csrf: string;
}) {
  return (
    <form class="adm-switcher" method="post" action="/site">
      <label for="adm-site">Site</label>
      <select id="adm-site" name="site" data-autosubmit="">
        {p.allowAll && (
          <option value="all" selected={p.chosen === null}>
            All sites
          </option>
        )}
        {p.sites.map((s) => (
          <option value={String(s.id)} selected={p.chosen === s.id} key={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <input type="hidden" name="csrf" value={p.csrf} />
      <input type="hidden" name="next" value={p.next} />
      <button type="submit">Switch</button>
    </form>
  );
}

/** A form field with its label, hint and problem, the problem tied to the input for screen readers. */
export function Field(p: {
  name: string;
  label: string;
  value?: string;
  type?: string;
  hint?: string;
  problem?: string;
  required?: boolean;
  autocomplete?: string;
  inputMode?: 'numeric' | 'text' | 'email';
}) {
  const id = `f-${p.name}`;
  const described = [p.hint ? `${id}-hint` : '', p.problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return (
    <div class={`adm-field${p.problem ? ' adm-field-problem' : ''}`}>
      <label for={id}>{p.label}</label>
      {p.hint && (
        <p class="adm-hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.problem && (
        <p class="adm-problem" id={`${id}-problem`}>
          {p.problem}
        </p>
      )}
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        required={p.required}
        autocomplete={p.autocomplete}
        inputMode={p.inputMode}
        aria-invalid={p.problem ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}
