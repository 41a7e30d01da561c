// The admin shell's styles: a calm working surface, light and dark, with AA contrast for text and controls
// and a visible focus ring everywhere. Screens add their own rules through AdminAssets.addCss and use these
// pieces: .adm-table, .adm-field, .adm-button, .adm-notice, .adm-toolbar, .adm-badge, .adm-grid.
export const ADMIN_SHELL_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--panel:#fff;--ink:#1b1f24;--muted:#4d5763;--line:#d5dae1;
--accent:#1d4ed8;--accent-ink:#fff;--ok-bg:#e7f6ec;--ok-ink:#14532d;--bad-bg:#fdecec;--bad-ink:#8a1c1c;
--focus:#c2410c;--nav-bg:#111827;--nav-ink:#e5e7eb;--nav-muted:#aab3c0;--nav-current:#1f2937;--warn-bg:#fff7e0;--warn-ink:#6b4400}
@media (prefers-color-scheme:dark){:root{--bg:#0f1318;--panel:#171c23;--ink:#e8ebef;--muted:#a9b3bf;--line:#323a45;
--accent:#7aa2ff;--accent-ink:#0b1020;--ok-bg:#12301d;--ok-ink:#b7f0c9;--bad-bg:#3a1515;--bad-ink:#ffc9c9;
--focus:#fb923c;--nav-bg:#0a0d11;--nav-ink:#e5e7eb;--nav-muted:#9aa4b1;--nav-current:#1c232d;--warn-bg:#3a2d0a;--warn-ink:#ffe3a3}}
*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
body{margin:0}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.adm-skip{position:absolute;left:-999px;top:0;background:var(--panel);color:var(--ink);padding:.5rem 1rem;z-index:10}
.adm-skip:focus{left:.5rem}
.adm-top{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1.25rem;padding:.6rem 1rem;background:var(--nav-bg);color:var(--nav-ink)}
.adm-brand{color:var(--nav-ink);font-weight:700;text-decoration:none;font-size:1.1rem;margin-right:auto}
.adm-brand span{font-weight:400;color:var(--nav-muted)}
.adm-switcher{display:flex;align-items:center;gap:.4rem}
.adm-switcher label{color:var(--nav-muted);font-size:.9rem}
.adm-switcher select,.adm-switcher button{font:inherit;font-size:.9rem;padding:.25rem .5rem;border-radius:6px;border:1px solid #9ca3af;background:#1f2937;color:#f3f4f6}
.adm-me{display:flex;align-items:center;gap:.6rem;margin:0}
.adm-me-name{color:var(--nav-ink)}
.adm-link-button{font:inherit;background:none;border:0;color:var(--accent);text-decoration:underline;cursor:pointer;padding:.25rem}
.adm-top .adm-link-button{color:#bcd0ff}
.adm-frame{display:flex;min-height:calc(100vh - 3rem)}
.adm-nav{flex:0 0 13rem;background:var(--nav-bg);color:var(--nav-ink);padding:.5rem 0 2rem}
.adm-nav-heading{font-size:.75rem;letter-spacing:.06em;text-transform:uppercase;color:var(--nav-muted);margin:1rem 1rem .25rem}
.adm-nav ul{list-style:none;margin:0;padding:0}
.adm-nav a{display:block;padding:.4rem 1rem;color:var(--nav-ink);text-decoration:none}
.adm-nav a:hover{background:var(--nav-current)}
.adm-nav a[aria-current=page]{background:var(--nav-current);box-shadow:inset 4px 0 0 #7aa2ff;font-weight:600}
.adm-main{flex:1;min-width:0;padding:1.25rem 1.5rem 3rem;max-width:78rem}
.adm-main:focus{outline:none}
h1{font-size:1.6rem;line-height:1.2;margin:.25rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.adm-notice{padding:.6rem .9rem;border-radius:6px;margin:0 0 1rem}
.adm-notice-ok{background:var(--ok-bg);color:var(--ok-ink)}
.adm-notice-problem{background:var(--bad-bg);color:var(--bad-ink)}
.adm-notice-warn{background:var(--warn-bg);color:var(--warn-ink)}
.adm-panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
.adm-narrow{max-width:28rem}
.adm-field{margin:0 0 1rem;display:flex;flex-direction:column;gap:.25rem}
.adm-field label,.adm-label{font-weight:600}
.adm-field input,.adm-field select,.adm-field textarea,.adm-input{font:inherit;padding:.45rem .6rem;border:1px solid var(--muted);border-radius:6px;background:var(--panel);color:var(--ink);max-width:100%}
.adm-field textarea{min-height:8rem}
.adm-hint{margin:0;color:var(--muted);font-size:.9rem}
::placeholder{color:var(--muted);opacity:1}
.adm input[type=checkbox],.adm input[type=radio]{appearance:none;margin:0 .35rem 0 0;width:1.15rem;height:1.15rem;border:2px solid var(--muted);border-radius:3px;background:var(--panel);display:inline-grid;place-content:center;vertical-align:-.2em;cursor:pointer}
.adm input[type=radio]{border-radius:50%}
.adm input[type=checkbox]:checked,.adm input[type=radio]:checked{border-color:var(--accent)}
.adm input[type=checkbox]:checked{background:var(--accent)}
.adm input[type=checkbox]:checked::before{content:"";width:.55rem;height:.3rem;border:solid var(--accent-ink);border-width:0 0 2px 2px;transform:translateY(-1px) rotate(-45deg)}
.adm input[type=radio]:checked::before{content:"";width:.55rem;height:.55rem;border-radius:50%;background:var(--accent)}
.adm-problem{margin:0;color:var(--bad-ink);background:var(--bad-bg);padding:.2rem .5rem;border-radius:4px;font-size:.9rem}
.adm-field-problem input{border-color:var(--bad-ink);border-width:2px}
.adm-button,button.adm-button{display:inline-block;font:inherit;font-weight:600;padding:.45rem 1rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-ink);text-decoration:none;cursor:pointer}
.adm-button-quiet,button.adm-button-quiet{background:var(--panel);color:var(--accent)}
.adm-button-danger,button.adm-button-danger{background:var(--bad-ink);border-color:var(--bad-ink);color:var(--panel)}
.adm-toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0 0 1rem}
.adm-toolbar .adm-field{margin:0}
.adm-table-wrap{overflow-x:auto;background:var(--panel);border:1px solid var(--line);border-radius:8px}
.adm-table{border-collapse:collapse;width:100%}
.adm-table th,.adm-table td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid var(--line);vertical-align:top}
.adm-table th{font-size:.85rem;color:var(--muted);font-weight:600}
.adm-table tr:last-child td{border-bottom:0}
.adm-badge{display:inline-block;font-size:.8rem;padding:.05rem .45rem;border-radius:999px;border:1px solid var(--line);color:var(--muted);white-space:nowrap}
.adm-badge-ok{background:var(--ok-bg);color:var(--ok-ink);border-color:transparent}
.adm-badge-bad{background:var(--bad-bg);color:var(--bad-ink);border-color:transparent}
.adm-badge-warn{background:var(--warn-bg);color:var(--warn-ink);border-color:transparent}
.adm-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem}
.adm-muted{color:var(--muted)}
.adm-pager{display:flex;gap:1rem;margin:1rem 0}
.adm-sign{max-width:26rem;margin:3rem auto;padding:0 1rem}
@media (max-width:760px){
.adm-frame{display:block}
.adm-nav{display:flex;overflow-x:auto;padding:0;gap:0;white-space:nowrap}
.adm-nav-group{display:flex;align-items:center}
.adm-nav-heading{display:none}
.adm-nav ul{display:flex}
.adm-nav a{padding:.6rem .8rem}
.adm-nav a[aria-current=page]{box-shadow:inset 0 -4px 0 #7aa2ff}
.adm-main{padding:1rem}
.adm-table-wrap{border-radius:0;margin:0 -1rem}
}
`;
