// The moderation screens' own rules, added to the admin stylesheet: comment cards (story and author lines
// that wrap on a phone, reasons as badges, the text at a readable measure), the queue tabs, the bulk bar, the
// current card the keys move through, indented replies in a thread view, and hidden comments marked by a
// dashed edge as well as their badge (never by colour alone).
export const MODERATION_CSS = `
.mod-panel>h2:first-child{margin-top:0}
.mod-sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.mod-tabs{display:flex;flex-wrap:wrap;gap:.25rem;margin:0 0 .75rem;border-bottom:1px solid var(--line)}
.mod-tabs a{padding:.45rem .8rem;text-decoration:none;border-radius:6px 6px 0 0;color:var(--accent)}
.mod-tabs a[aria-current=page]{background:var(--panel);border:1px solid var(--line);border-bottom-color:var(--panel);margin-bottom:-1px;color:var(--ink);font-weight:600}
.mod-count{display:inline-block;margin-left:.35rem;font-size:.8rem;padding:0 .4rem;border-radius:999px;background:var(--bg);color:var(--ink);border:1px solid var(--line)}
.mod-scope{margin:0 0 .5rem}
.mod-keys{margin:0 0 .75rem;font-size:.9rem;color:var(--muted)}
.mod-keys kbd{font:inherit;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;border:1px solid var(--muted);border-radius:4px;padding:0 .3rem;color:var(--ink);background:var(--panel)}
.mod-bulk{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem .75rem;position:sticky;top:0;z-index:2;padding:.6rem 1rem}
.mod-bulk select{padding:.35rem .5rem}
.mod-list{display:flex;flex-direction:column;gap:.75rem}
.mod-item{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.85rem 1.1rem;min-width:0;overflow-wrap:anywhere}
.mod-item{margin:0 0 1rem}
.mod-list .mod-item{margin:0}
.mod-item:focus,.mod-item.mod-current{outline:3px solid var(--focus);outline-offset:2px}
.mod-hidden{border-style:dashed;border-color:var(--muted)}
.mod-depth-1{margin-left:1.5rem}.mod-depth-2{margin-left:3rem}.mod-depth-3{margin-left:4.5rem}
.mod-item-head{display:flex;gap:.6rem;align-items:flex-start}
.mod-item-meta{min-width:0;flex:1}
.mod-pick{padding-top:.15rem}
.mod-story,.mod-author{margin:0 0 .25rem;display:flex;flex-wrap:wrap;gap:.15rem .75rem;align-items:baseline}
.mod-headline{font-weight:600;color:var(--ink)}
.mod-links{display:inline-flex;flex-wrap:wrap;gap:.15rem .75rem;font-size:.9rem}
.mod-author{font-size:.9rem;color:var(--muted)}
.mod-author-name{font-weight:600}
.mod-reasons{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem;margin:.35rem 0;padding:0}
.mod-reasons li{white-space:normal}
.mod-text{max-width:44rem;margin:.4rem 0}
.mod-text p{margin:0 0 .5rem}
.mod-note{margin:.25rem 0;font-style:italic;color:var(--muted)}
.mod-when{font-size:.9rem;margin:.25rem 0 .5rem}
.mod-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-start}
.mod-inline{display:inline;margin:0}
.mod-reject summary{list-style:none;display:inline-block}
.mod-reject summary::-webkit-details-marker{display:none}
.mod-reject[open]{flex-basis:100%}
.mod-reject-form{margin-top:.5rem;max-width:28rem}
.mod-reject-form .adm-field{margin-bottom:.5rem}
.mod-recent,.mod-sanctions,.mod-notes,.mod-word-list{padding-left:1.1rem;margin:.25rem 0 .75rem}
.mod-recent li,.mod-sanctions li,.mod-notes li{margin:0 0 .5rem;overflow-wrap:anywhere}
.mod-notes p{margin:0}
.mod-quote{display:block;margin:.2rem 0}
.mod-word-list li{margin:0 0 .25rem}
.mod-word-list code{margin-right:.5rem}
.mod-words h3{font-size:1rem;margin:.75rem 0 .25rem}
.mod-word-add{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.mod-word-add .adm-field{margin:0}
.mod-policy{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:0 1rem}
.mod-section-policy{border-top:1px solid var(--line);padding:.5rem 0}
.mod-section-policy summary,.mod-override summary,.mod-sanction-form>summary{cursor:pointer;font-weight:600}
.mod-section-policy form,.mod-override form,.mod-sanction-form form{margin-top:.75rem}
.mod-sanction-form form{max-width:32rem}
.mod-choices{border:0;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem}
.mod-choices legend{font-weight:600;margin-bottom:.25rem;padding:0}
.mod-check{display:block;margin:0 0 1rem}
.mod-break{overflow-wrap:anywhere}
.mod-help{margin:0 0 1rem}
@media (max-width:760px){
.mod-depth-1{margin-left:.75rem}.mod-depth-2{margin-left:1.25rem}.mod-depth-3{margin-left:1.75rem}
.mod-bulk{position:static}
}
`;
