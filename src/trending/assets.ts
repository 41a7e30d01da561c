// The read-counting script, served by the app at a content-hashed URL (cached for a year). Same-origin, so
// the CSP (script-src 'self') needs no exception. Its path keeps the /assets/discovery/ prefix that pages
// already cached by browsers and CDNs refer to.
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

const READ_SCRIPT = {
  body: Buffer.from(READ_JS),
  type: 'text/javascript; charset=utf-8',
  hash: createHash('sha1').update(READ_JS).digest('hex').slice(0, 10),
};

/** The cache-busting URL of the read script. Three segments, so it never meets the /assets/:hash/:name route. */
export const READ_SCRIPT_PATH = `/assets/discovery/${READ_SCRIPT.hash}/read.js`;

export function findTrendingAsset(name: string): { body: Buffer; type: string } | undefined {
  return name === 'read.js' ? READ_SCRIPT : undefined;
}
