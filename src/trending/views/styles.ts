// The trending and most-read blocks and the no-script read pixel; part of the shared stylesheet
// (web/assets.ts).
export const TRENDING_CSS = `
.trending,.most-read{max-width:44rem;margin:2.5rem auto 0;border-top:2px solid var(--rule-strong);padding-top:1rem}
.trending__intro{margin:-.25rem 0 .75rem;font-size:.9rem;color:var(--text-3)}
.trending__list{list-style:none;margin:0;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr))}
.trending__item{display:flex;flex-direction:column;gap:.2rem;border-left:3px solid var(--accent);padding-left:.6rem}
.trending__category{font-size:.8rem;font-weight:700;color:var(--accent);text-transform:uppercase;letter-spacing:.03em}
.trending__title{color:var(--text);font-weight:600;text-decoration:none;line-height:1.3}
.trending__title:hover{text-decoration:underline}
.trending__site{font-size:.85rem;color:var(--text-3)}
.most-read__list{margin:0;padding-left:1.5rem;display:grid;gap:.5rem}
.most-read__list a{color:var(--text)}
.read-pixel{position:absolute;width:1px;height:1px}
@media print{.trending,.most-read,.read-pixel{display:none}}
`;
