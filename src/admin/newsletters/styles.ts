// The newsletters screens' own rules, added to the admin stylesheet once: the list, the form's day and
// section choices, the next issue's two columns (one below 960 px), its story lines and preview frame, and
// the sends with their progress.
export const NEWSLETTERS_CSS = `
.nl-head{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;margin:0 0 1rem}
.nl-head .adm-button{margin-left:auto}
.nl-panel-title{margin:0 0 .5rem;font-size:1.2rem}
.nl-subhead{font-size:1rem;margin:1rem 0 .4rem}
.nl-count{font-weight:400}
.nl-slug{font-size:.85rem;font-weight:400}
.nl-figures{font-size:.9rem;color:var(--muted)}
.nl-table td,.nl-table th{vertical-align:top}
.nl-sites{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem}
.nl-site-line{margin:0}
.nl-form{max-width:52rem}
.nl-days{display:flex;flex-wrap:wrap;gap:.1rem 1.2rem}
.nl-time,.nl-count{margin:.6rem 0 .4rem;max-width:12rem}
.nl-sections{list-style:none;margin:.5rem 0 0;padding:0;display:grid;gap:.3rem}
.nl-sections li{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.3rem 1rem;border-top:1px solid var(--line);padding-top:.3rem}
.nl-section-count{display:flex;align-items:center;gap:.4rem;font-size:.9rem;color:var(--muted)}
.nl-section-count input{width:4rem;font:inherit;padding:.25rem .4rem;border:1px solid var(--muted);border-radius:6px;background:var(--panel);color:var(--ink)}
.nl-grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;align-items:start}
.nl-block+.nl-block{margin-top:.5rem}
.nl-items{list-style:none;margin:0;padding:0}
.nl-item{display:flex;flex-wrap:wrap;gap:.4rem 1rem;justify-content:space-between;align-items:flex-start;border-top:1px solid var(--line);padding:.5rem 0}
.nl-item:last-child{border-bottom:1px solid var(--line)}
.nl-item-text{flex:1 1 16rem;min-width:0}
.nl-item-headline{margin:0;font-weight:600;line-height:1.3;overflow-wrap:break-word}
.nl-item-headline a{color:var(--ink);text-decoration:none}
.nl-item-headline a:hover{text-decoration:underline}
.nl-item-meta{margin:.15rem 0 0;font-size:.85rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:.2rem .75rem}
.nl-item-moves{display:flex;flex-wrap:wrap;gap:.4rem}
.nl-paste{display:grid;grid-template-columns:minmax(0,1fr) auto auto;gap:0 .75rem;align-items:end;margin:0 0 1rem}
.nl-paste .adm-field{margin:0}
.nl-search{margin:.5rem 0 0}
.nl-search-row{display:flex;gap:.5rem}
.nl-search-row input{flex:1;min-width:0}
.nl-results{list-style:none;margin:0;padding:0}
.nl-results li{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .6rem;border-top:1px solid var(--line);padding:.4rem 0}
.nl-result-headline{font-weight:600;flex:1 1 12rem}
.nl-result-section{font-size:.85rem}
.nl-frame{display:block;width:100%;height:36rem;border:1px solid var(--line);border-radius:6px;background:#fff}
.nl-text pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;max-height:24rem;overflow:auto;background:var(--bg);padding:.6rem;border-radius:6px}
.nl-text summary{cursor:pointer;margin:.6rem 0;font-weight:600}
.nl-send-line{margin:.8rem 0}
.nl-sends{list-style:none;margin:0;padding:0}
.nl-send-meta{margin:0 0 .5rem;color:var(--muted);font-size:.9rem}
.nl-progress progress{width:100%;height:1rem;margin:.2rem 0 .6rem}
.nl-kv{grid-template-columns:max-content 1fr max-content 1fr;font-size:.95rem}
.nl-note{margin:.6rem 0;font-weight:600;color:var(--warn-ink)}
.nl-note:empty{display:none}
@media (max-width:960px){.nl-grid{grid-template-columns:1fr}}
@media (max-width:560px){.nl-paste{grid-template-columns:1fr;gap:.6rem}.nl-kv{grid-template-columns:max-content 1fr}.nl-head .adm-button{margin-left:0}}
`;
