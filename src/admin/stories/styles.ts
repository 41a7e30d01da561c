// The stories screens' rules, added to the admin stylesheet: the list's filters and its table (rows become
// labelled blocks on a phone), the editor's two columns (form, then publishing and previews beside it from
// 70rem), and the revisions comparison side by side (stacked on a phone), with removed words struck through
// and added ones underlined, in colours that keep AA contrast in light and dark.
export const STORIES_CSS = `
.stories-filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.75rem 1rem;align-items:end}
.stories-filters .adm-field{margin:0}
.stories-filter-q{grid-column:1/-1}
.stories-filter-hint{grid-column:1/-1}
.stories-filter-actions{display:flex;gap:.5rem;align-items:center}
.stories-headline{font-weight:600}
.stories-urgent,.stories-lock,.stories-when{display:inline-block;margin-left:.4rem;font-size:.85rem}
.stories-lock{display:block;margin:.15rem 0 0}
.story-status{margin:0 0 1rem}
.story-columns{display:grid;gap:1rem}
@media (min-width:70rem){.story-columns{grid-template-columns:minmax(0,1fr) 22rem;align-items:start}}
.story-form-row{display:grid;gap:0 1rem}
@media (min-width:44rem){.story-form-row{grid-template-columns:1fr 1fr}}
.story-form .adm-field input[type=text],.story-form .adm-field textarea,.story-form .adm-field select{width:100%}
.story-body-field textarea{min-height:24rem;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9rem}
.story-urgent label{font-weight:600;display:flex;gap:.5rem;align-items:center}
.story-urgent input{width:1.25rem;height:1.25rem}
.story-save{margin:1rem 0 0}
.story-publish h2,.story-previews h2{font-size:1.1rem;margin:0 0 .75rem}
.story-publish form{margin:0 0 1rem}
.story-publish-actions{display:flex;flex-direction:column;gap:.25rem}
.story-publish .adm-field input,.story-publish .adm-field select,.story-publish .adm-field textarea{width:100%}
.story-placements,.story-preview-links{margin:0 0 1rem;padding-left:1.2rem}
.story-placements li,.story-preview-links li{margin:.25rem 0;overflow-wrap:anywhere}
.story-inline-form{display:inline;margin:0 0 0 .4rem}
.story-lock p,.story-autosave p,.story-conflict p{margin:0 0 .5rem}
.story-lock form,.story-autosave form{margin:0}
.story-autosave-actions{display:flex;flex-wrap:wrap;gap:.5rem}
.story-facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
.story-facts dt{font-weight:600}
.story-facts dd{margin:0;overflow-wrap:anywhere}
.story-readonly-body{border-top:1px solid var(--line);padding-top:1rem;overflow-wrap:anywhere}
.story-readonly-body img{max-width:100%;height:auto}
.story-previews .adm-notice a{overflow-wrap:anywhere}
.revisions-pick{align-items:flex-end}
.revisions-compare h2{font-size:1.15rem;margin:0 0 .75rem}
.revisions-compare h3{font-size:1rem;margin:1rem 0 .5rem}
.revisions-body{display:grid;gap:1rem}
@media (min-width:44rem){.revisions-body{grid-template-columns:1fr 1fr}}
.revisions-side h4{margin:0 0 .25rem;font-size:.9rem;color:var(--muted)}
.revisions-text{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--line);border-radius:6px;padding:.75rem;line-height:1.6}
.revisions del{background:var(--bad-bg);color:var(--bad-ink);text-decoration:line-through}
.revisions ins{background:var(--ok-bg);color:var(--ok-ink);text-decoration:underline}
.revisions-fields td{overflow-wrap:anywhere}
.revisions-mine p{margin:0 0 .5rem}
@media (max-width:40rem){
.stories-table thead{position:absolute;left:-9999px}
.stories-table tr,.stories-table td,.revisions-list tr,.revisions-list td{display:block}
.stories-table tr,.revisions-list tr{border-bottom:1px solid var(--line);padding:.4rem 0}
.stories-table td,.revisions-list td{border:0;padding:.15rem .75rem}
.stories-table td[data-label]:not([data-label=Story])::before,.revisions-list td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}
.revisions-list thead{position:absolute;left:-9999px}
}
`;
