// Static files of the discovery features, served by the app at content-hashed URLs (cached for a year):
// the read-counting script and the stylesheet for the search form, search results, trending and most read.
// Same-origin files only, so the CSP (script-src 'self', style-src 'self') needs no exception.
import { createHash } from 'node:crypto';

// Sends one read per page view, when the page is actually visible (not prerendered, not a background tab
// that is never looked at). Automated browsers announce themselves with navigator.webdriver and are skipped.
const READ_JS = `(function(){
var el=document.querySelector('[data-dl-read]');
if(!el||navigator.webdriver)return;
var body='p='+el.getAttribute('data-dl-read');var sent=false;
function send(){
if(sent||document.visibilityState!=='visible'||document.prerendering)return;
sent=true;
try{if(navigator.sendBeacon&&navigator.sendBeacon('/api/beacon',new Blob([body],{type:'text/plain'})))return;}catch(e){}
fetch('/api/beacon',{method:'POST',body:body,keepalive:true,credentials:'omit',headers:{'content-type':'text/plain'}}).catch(function(){});
}
send();
document.addEventListener('visibilitychange',send);
document.addEventListener('prerenderingchange',send);
})();
`;

const DISCOVERY_CSS = `
.masthead__search{margin-left:auto;display:flex;gap:.25rem}
.masthead__search input{font:inherit;font-size:.9rem;padding:.3rem .5rem;border:1px solid #fff;border-radius:3px;min-width:10rem}
.masthead__search button{font:inherit;font-size:.9rem;padding:.3rem .7rem;border:1px solid #fff;border-radius:3px;background:transparent;color:#fff;cursor:pointer}
.trending,.most-read{max-width:44rem;margin:2.5rem auto 0;border-top:2px solid #1b1b1b;padding-top:1rem}
.trending__intro{margin:-.25rem 0 .75rem;font-size:.9rem;color:#4a4a4a}
.trending__list{list-style:none;margin:0;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr))}
.trending__item{display:flex;flex-direction:column;gap:.2rem;border-left:3px solid var(--accent);padding-left:.6rem}
.trending__category{font-size:.8rem;font-weight:700;color:var(--accent);text-transform:uppercase;letter-spacing:.03em}
.trending__title{color:#1b1b1b;font-weight:600;text-decoration:none;line-height:1.3}
.trending__title:hover{text-decoration:underline}
.trending__site{font-size:.85rem;color:#4a4a4a}
.most-read__list{margin:0;padding-left:1.5rem;display:grid;gap:.5rem}
.most-read__list a{color:#1b1b1b}
.search-form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:0 0 1.5rem}
.search-form label{display:flex;flex-direction:column;font-size:.85rem;font-weight:600;gap:.2rem}
.search-form input,.search-form select,.search-form button{font:inherit;padding:.35rem .5rem;border:1px solid #767676;border-radius:3px}
.search-form input[type=search]{min-width:16rem}
.search-form button{background:var(--brand);color:#fff;border-color:var(--brand);cursor:pointer}
.search-summary{color:#3b3b3b}
.search-results{list-style:none;margin:0;padding:0;display:grid;gap:1.5rem;max-width:48rem}
.search-result h2{font-size:1.15rem;margin:.2rem 0}
.search-result h2 a{color:#1b1b1b}
.search-result p{margin:.2rem 0;color:#3b3b3b}
.search-result mark{background:#fff2a8;color:inherit;padding:0 .1em}
.search-result__meta{font-size:.85rem;color:#4a4a4a}
.read-pixel{position:absolute;width:1px;height:1px}
`;

function hashed(body: string): string {
  return createHash('sha1').update(body).digest('hex').slice(0, 10);
}

const FILES: Record<string, { body: Buffer; type: string; hash: string }> = {
  'read.js': { body: Buffer.from(READ_JS), type: 'text/javascript; charset=utf-8', hash: hashed(READ_JS) },
  'discovery.css': {
    body: Buffer.from(DISCOVERY_CSS),
    type: 'text/css; charset=utf-8',
    hash: hashed(DISCOVERY_CSS),
  },
};

export type DiscoveryAsset = 'read.js' | 'discovery.css';

/** The cache-busting URL of a discovery asset. Three segments, so it never meets the /assets/:hash/:name route. */
export function discoveryAssetPath(name: DiscoveryAsset): string {
  return `/assets/discovery/${FILES[name]!.hash}/${name}`;
}

export function findDiscoveryAsset(name: string): { body: Buffer; type: string } | undefined {
  return FILES[name];
}
