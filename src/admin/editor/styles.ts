// The rich-text editor's stylesheet, served as a file by the admin (the CSP allows no inline style; the
// editor itself only touches styles through the CSSOM, which the CSP permits). It uses the admin shell's
// colour variables, with fallbacks so it also reads on a bare page, and carries the few rules ProseMirror
// needs to behave (white-space, selected nodes, the gap cursor, table cells). The toolbar wraps onto two
// rows at 390 px; every control has a visible focus ring and at least 2.5rem of height to tap.
export const EDITOR_CSS = `
.editor-body{border:1px solid var(--line,#c3c9d1);border-radius:8px;background:var(--panel,#fff);color:var(--ink,#1b1f24)}
.editor-body:focus-within{border-color:var(--accent,#1d4ed8)}
.editor-toolbar{display:flex;flex-wrap:wrap;gap:.25rem .5rem;padding:.4rem;border-bottom:1px solid var(--line,#c3c9d1);position:sticky;top:0;z-index:3;background:var(--panel,#fff);border-radius:8px 8px 0 0}
.editor-toolbar__group{display:flex;flex-wrap:wrap;gap:.25rem}
.editor-toolbar__group+.editor-toolbar__group{border-left:1px solid var(--line,#c3c9d1);padding-left:.5rem}
.editor-toolbar__button{font:inherit;font-size:.9rem;min-height:2.5rem;min-width:2.5rem;padding:.25rem .6rem;border:1px solid transparent;border-radius:6px;background:transparent;color:var(--ink,#1b1f24);cursor:pointer}
.editor-toolbar__button:hover{border-color:var(--line,#c3c9d1)}
.editor-toolbar__button[aria-pressed=true]{background:var(--accent,#1d4ed8);color:var(--accent-ink,#fff)}
.editor-toolbar__button[aria-disabled=true]{color:var(--muted,#4d5763);border:1px dashed var(--line,#d5dae1);cursor:default}
.editor-toolbar__button:focus-visible{outline:3px solid var(--focus,#c2410c);outline-offset:1px}
.editor-toolbar__button[data-command=bold]{font-weight:700}
.editor-toolbar__button[data-command=italic]{font-style:italic}
.editor-text{min-height:16rem;padding:1rem 1.25rem;line-height:1.6;font-size:1.05rem;outline:none}
.editor-text:focus-visible{box-shadow:inset 0 0 0 3px var(--focus,#c2410c)}
.editor-text>*:first-child{margin-top:0}
.editor-text p{margin:0 0 1em}
.editor-text h2{font-size:1.45rem;margin:1.2em 0 .5em}
.editor-text h3{font-size:1.2rem;margin:1.1em 0 .5em}
.editor-text blockquote{margin:1em 0;padding-left:1rem;border-left:4px solid var(--line,#c3c9d1);color:var(--muted,#4d5763)}
.editor-text figure{margin:1.25em 0}
.editor-text figure img{display:block;max-width:100%;height:auto}
.editor-text figcaption{font-size:.9rem;color:var(--muted,#4d5763);margin-top:.4rem;min-height:1.4em;border-bottom:1px dashed var(--line,#c3c9d1)}
.editor-text figcaption cite{font-style:italic}
.editor-text table{border-collapse:collapse;table-layout:fixed;width:100%;margin:1em 0;overflow:hidden}
.editor-text td,.editor-text th{border:1px solid var(--line,#c3c9d1);padding:.35rem .5rem;vertical-align:top;box-sizing:border-box;position:relative;min-width:4rem}
.editor-text th{background:var(--bg,#f6f7f9);text-align:left}
.editor-text td>p:last-child,.editor-text th>p:last-child{margin-bottom:0}
.editor-text .selectedCell::after{content:"";position:absolute;inset:0;background:rgba(29,78,216,.18);pointer-events:none;z-index:2}
.editor-text pre{white-space:pre-wrap;background:var(--bg,#f6f7f9);padding:.5rem;border-radius:4px}
.editor-status{margin:0;padding:.35rem .75rem;font-size:.85rem;color:var(--muted,#4d5763);border-top:1px solid var(--line,#c3c9d1);min-height:2rem}
.editor-notices{display:grid;gap:.5rem;margin-bottom:.75rem}
.editor-notices:empty{display:none}
.editor-notice{border:1px solid var(--line,#c3c9d1);border-left-width:6px;border-radius:6px;padding:.6rem .9rem;background:var(--warn-bg,#fff7e0);color:var(--warn-ink,#6b4400)}
.editor-notice--urgent{background:var(--bad-bg,#fdecec);color:var(--bad-ink,#8a1c1c);border-left-color:var(--bad-ink,#8a1c1c)}
.editor-notice--restore,.editor-notice--paste{border-left-color:var(--accent,#1d4ed8)}
.editor-notice p{margin:0}
.editor-notice__actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.4rem!important}
.editor-notice a{color:inherit;font-weight:600}
.editor-notice button,.editor-dialog button{font:inherit;min-height:2.5rem;padding:.3rem .9rem;border-radius:6px;border:1px solid var(--line,#c3c9d1);background:var(--panel,#fff);color:var(--ink,#1b1f24);cursor:pointer}
.editor-dialog{border:1px solid var(--line,#c3c9d1);border-radius:10px;padding:1.25rem;width:min(34rem,calc(100vw - 2rem));background:var(--panel,#fff);color:var(--ink,#1b1f24)}
.editor-dialog::backdrop{background:rgba(15,19,24,.55)}
.editor-dialog__title{margin:0 0 1rem;font-size:1.2rem}
.editor-dialog__field{display:grid;gap:.25rem;margin-bottom:.9rem}
.editor-dialog__field label{font-weight:600}
.editor-dialog__field input{font:inherit;padding:.45rem .6rem;border:1px solid var(--muted,#4d5763);border-radius:6px;background:var(--panel,#fff);color:var(--ink,#1b1f24);width:100%}
.editor-dialog__field input[aria-invalid=true]{border-color:var(--bad-ink,#8a1c1c);border-width:2px}
.editor-dialog__hint{margin:0;font-size:.85rem;color:var(--muted,#4d5763)}
.editor-dialog__error{margin:0;font-size:.9rem;font-weight:600;color:var(--bad-ink,#8a1c1c)}
.editor-dialog__buttons{display:flex;flex-wrap:wrap;gap:.5rem;justify-content:flex-end}
.editor-dialog__submit{background:var(--accent,#1d4ed8)!important;color:var(--accent-ink,#fff)!important;border-color:transparent!important}
.editor-dialog :focus-visible,.editor-notice :focus-visible{outline:3px solid var(--focus,#c2410c);outline-offset:2px}
.ProseMirror{position:relative;word-wrap:break-word;white-space:pre-wrap;white-space:break-spaces;font-variant-ligatures:none;font-feature-settings:"liga" 0}
.ProseMirror pre{white-space:pre-wrap}
.ProseMirror li{position:relative}
.ProseMirror-hideselection *::selection{background:transparent}
.ProseMirror-hideselection{caret-color:transparent}
.ProseMirror [draggable][contenteditable=false]{user-select:text}
.ProseMirror-selectednode{outline:3px solid var(--accent,#1d4ed8);outline-offset:2px}
li.ProseMirror-selectednode{outline:none}
img.ProseMirror-separator{display:inline!important;border:none!important;margin:0!important}
.ProseMirror-gapcursor{display:none;pointer-events:none;position:absolute}
.ProseMirror-gapcursor::after{content:"";display:block;position:absolute;top:-2px;width:20px;border-top:1px solid currentColor;animation:editor-gapcursor-blink 1.1s steps(2,start) infinite}
@keyframes editor-gapcursor-blink{to{visibility:hidden}}
.ProseMirror-focused .ProseMirror-gapcursor{display:block}
.ProseMirror[contenteditable=false]{background:var(--bg,#f6f7f9)}
@media (max-width:40rem){.editor-text{padding:.75rem}.editor-toolbar__group+.editor-toolbar__group{border-left:0;padding-left:0}}
`;
