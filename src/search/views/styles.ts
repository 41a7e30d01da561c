// The search form in the masthead and the results page; part of the shared stylesheet (web/assets.ts).
export const SEARCH_CSS = `
.masthead__search{order:3;flex:1 1 100%;display:flex;gap:.35rem}
.masthead__search input{flex:1;min-width:0;min-height:2.25rem;font:inherit;font-size:.95rem;padding:.3rem .6rem;border:1px solid var(--field-border);border-radius:3px;background:var(--field-bg);color:var(--text)}
.masthead__search input::placeholder,.search-form input::placeholder{color:var(--placeholder)}
.masthead__search button{min-height:2.25rem;font:inherit;font-size:.95rem;font-weight:600;padding:.3rem .8rem;border:1px solid var(--brand);border-radius:3px;background:var(--brand);color:var(--on-brand);cursor:pointer}
@media (min-width:48rem){.masthead__search{order:0;flex:0 1 auto;margin-left:auto}.masthead__search input{min-width:12rem}}
.search-form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:0 0 1.5rem}
.search-form label{display:flex;flex-direction:column;font-size:.85rem;font-weight:600;gap:.2rem}
.search-form input,.search-form select,.search-form button{font:inherit;padding:.35rem .5rem;border:1px solid var(--field-border);border-radius:3px;background:var(--field-bg);color:var(--text)}
.search-form input[type=search]{min-width:min(16rem,100%)}
.search-form__hint{font-weight:400;color:var(--text-3)}
.search-form button{background:var(--brand);color:var(--on-brand);border-color:var(--brand);cursor:pointer}
.search-summary{color:var(--text-2)}
.search-results{list-style:none;margin:0;padding:0;display:grid;gap:1.5rem;max-width:48rem}
.search-result h2{font-size:1.15rem;margin:.2rem 0}
.search-result h2 a{color:var(--text)}
.search-result p{margin:.2rem 0;color:var(--text-2)}
.search-result mark{background:var(--mark);color:inherit;padding:0 .1em}
.search-result__meta{font-size:.85rem;color:var(--text-3)}
@media print{.masthead__search{display:none}}
`;
