// The wire screens' own rules, added to the admin stylesheet: a queue entry lays the story and the agency's
// words to editors side by side on a wide screen and one under the other on a phone; tokens and long feed
// addresses wrap instead of widening the page.
export const WIRE_CSS = `
.wire-sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
/* Visually hidden text is positioned: its scrolling table must hold it, or it widens the page. */
.wire-table-wrap{position:relative}
.wire-table-wrap tr:last-child th{border-bottom:0}
.wire-list{display:flex;flex-direction:column;gap:1rem}
.wire-entry{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:1rem 1.5rem;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem}
.wire-entry h2{margin:0 0 .25rem;font-size:1.15rem}
.wire-entry h2 a{color:var(--ink)}
.wire-meta{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0 0 .5rem;color:var(--muted);font-size:.9rem}
.wire-story{min-width:0;overflow-wrap:anywhere}
.wire-reason{margin:0 0 .5rem;font-size:.85rem;color:var(--muted);overflow-wrap:anywhere}
.wire-preview{margin:0 0 .5rem}
.wire-dek{font-size:1.05rem;margin:.5rem 0}
.wire-body{grid-column:1;border-top:1px solid var(--line);padding-top:.5rem;overflow-wrap:anywhere;max-width:44rem}
.wire-body img{max-width:100%;height:auto}
.wire-body table{border-collapse:collapse}
.wire-body td,.wire-body th{border:1px solid var(--line);padding:.25rem .5rem}
.wire-editorial{background:var(--warn-bg);color:var(--warn-ink);border-radius:6px;padding:.75rem 1rem;font-size:.95rem;overflow-wrap:anywhere}
.wire-editorial h3{font-size:.85rem;text-transform:uppercase;letter-spacing:.04em;margin:.5rem 0 .1rem}
.wire-editorial p{margin:0 0 .25rem}
.wire-editorial .adm-muted{color:inherit;opacity:.85}
.wire-editorial-head{font-weight:600}
.wire-embargo{margin-top:.5rem!important}
.wire-actions{grid-column:1/-1;display:flex;flex-wrap:wrap;align-items:flex-start;justify-content:space-between;gap:.75rem 1.5rem;border-top:1px solid var(--line);padding-top:.75rem}
.wire-publish{flex:1 1 100%;display:grid;grid-template-columns:minmax(12rem,20rem) max-content auto;justify-content:start;gap:.4rem 1.25rem;align-items:end;margin:0}
.wire-publish .adm-field{margin:0;min-width:0}
.wire-publish select{width:100%}
.wire-zone{grid-column:1/-1;contain:inline-size;max-width:52rem}
.wire-when{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;min-width:0;max-width:32rem}
.wire-when legend{font-weight:600;padding:0;margin-bottom:.25rem}
.wire-when .adm-problem{flex-basis:100%}
.wire-when .adm-input{padding:.35rem .5rem}
.wire-choice{display:inline-flex;align-items:center;gap:.35rem;margin-right:.5rem}
.wire-choice input{width:1.1rem;height:1.1rem}
.wire-side-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.75rem}
.wire-side-actions form{margin:0}
.wire-discard{margin:0}
.wire-edit textarea{width:100%;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9rem}
.wire-edit input{width:100%}
.adm-field-problem textarea,.adm-field-problem select{border-color:var(--bad-ink);border-width:2px}
.wire-refusal p{margin:0}
.wire-refusal .wire-code{margin-top:.25rem;font-size:.9rem}
.wire-filter [hidden]{display:none}
.wire-editorial{align-self:start}
.wire-scope{margin:0 0 .45rem;flex-basis:100%}
.wire-nowrap{white-space:nowrap}
.wire-problems td p{margin:0}
.wire-problem-where{font-size:.85rem;overflow-wrap:anywhere}
.wire-problem-message{overflow-wrap:anywhere}
.wire-break{overflow-wrap:anywhere;word-break:break-word}
.wire-add{margin-top:.75rem}
.wire-entry-page{margin-bottom:1rem}
.wire-add summary{cursor:pointer;font-weight:600}
.wire-add form{margin-top:1rem;max-width:36rem}
.wire-add .adm-field input,.wire-add .adm-field select{width:100%}
.wire-boxes{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;margin:0 0 1rem}
.wire-boxes legend{font-weight:600;padding:0 .25rem}
.wire-row-actions{display:flex;gap:.75rem;align-items:center}
.wire-row-actions form{margin:0}
.wire-danger-link{color:var(--bad-ink)}
.wire-token-value{display:block;padding:.5rem .75rem;background:var(--bg);border:1px solid var(--line);border-radius:6px;overflow-wrap:anywhere;user-select:all}
.wire-token-form{margin-top:1rem}
.wire-token-form input{width:100%}
.wire-lede{max-width:48rem}
@media (max-width:760px){
.wire-entry{grid-template-columns:minmax(0,1fr);padding:.75rem}
.wire-publish{grid-template-columns:minmax(0,1fr);flex-basis:100%}
.wire-publish .adm-button{justify-self:start}
.wire-when .adm-input{flex:1 1 12rem}
.wire-problems thead{display:none}
.wire-problems tr{display:block;border-bottom:1px solid var(--line);padding:.25rem 0}
.wire-problems td{display:block;border:0;padding:.15rem .75rem}
}
`;
