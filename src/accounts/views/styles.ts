// Styles for the header's account links (brand colour on the masthead; on phones beside the nameplate) and
// the account pages (tables stack into labelled rows on phones), served as one hashed, immutable file
// (/account/assets/<hash>/accounts.css) so the CSP can keep forbidding inline styles.
import { createHash } from 'node:crypto';

export const ACCOUNTS_CSS = `
.masthead__account{order:1;margin-left:auto;display:flex;align-items:center;gap:.35rem;font-size:.95rem;color:var(--text-2)}
.masthead__account a{display:inline-flex;align-items:center;min-height:2rem;color:var(--brand);font-weight:600}
.masthead__account form{display:inline;margin:0}
.masthead__account button{min-height:2rem;background:var(--page);border:1px solid var(--brand);color:var(--brand);border-radius:3px;padding:.15rem .6rem;font:inherit;font-weight:600;cursor:pointer}
.masthead__account button:hover{background:var(--brand);color:var(--on-brand)}
@media (min-width:48rem){.masthead__account{order:0;margin-left:0}}
@media print{.masthead__account{display:none}}
.account{max-width:34rem;margin:1.5rem auto}
.account--wide{max-width:48rem}
.account h1{font-size:1.8rem;margin:0 0 1rem}
.account h2{font-size:1.25rem;margin:2rem 0 .75rem;border-top:1px solid var(--rule);padding-top:1.25rem}
.field{margin:0 0 1rem}
.field label{display:block;font-weight:600;margin-bottom:.25rem}
.field input{width:100%;font:inherit;padding:.5rem;border:1px solid var(--field-border);border-radius:3px;background:var(--field-bg);color:var(--text)}
.field input[aria-invalid=true]{border:2px solid var(--danger)}
.field__hint{font-size:.9rem;color:var(--text-3);margin:.2rem 0 0}
.field__error{color:var(--danger);font-weight:600;margin:.2rem 0 0}
.errors{border:3px solid var(--danger);padding:.75rem 1rem;margin:0 0 1.25rem}
.errors h2{border:0;margin:0 0 .5rem;padding:0;font-size:1.1rem}
.notice{border-left:4px solid var(--accent);background:var(--surface);padding:.75rem 1rem;margin:0 0 1.25rem}
.btn{display:inline-block;background:var(--brand);color:var(--on-brand);border:0;border-radius:3px;padding:.6rem 1.2rem;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
.btn--plain{background:none;color:var(--brand);border:1px solid var(--brand)}
.btn--danger{background:var(--danger-bg);color:#fff}
.providers{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.account table{border-collapse:collapse;width:100%;font-size:.95rem}
.account td,.account th{border-bottom:1px solid var(--rule);padding:.4rem .3rem;text-align:left;vertical-align:top}
.inline-form{display:inline;margin:0}
@media (max-width:40rem){
.account table.stacked,.stacked tbody,.stacked tr,.stacked td{display:block}
.stacked thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.account .stacked tr{border-bottom:1px solid var(--rule);padding:.5rem 0}
.account .stacked td{border:0;padding:.1rem 0;overflow-wrap:anywhere}
.stacked td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
}
`;

export const ACCOUNTS_CSS_HASH = createHash('sha1').update(ACCOUNTS_CSS).digest('hex').slice(0, 10);
export const ACCOUNTS_CSS_PATH = `/account/assets/${ACCOUNTS_CSS_HASH}/accounts.css`;
