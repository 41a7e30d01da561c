// Conditional GET for everything Dateline serves: pages, personal page variants and media. A CDN may weaken
// an ETag (`W/"…"`) and a client may send several, so a plain `===` misses a match and sends the whole body.
// RFC 9110 asks for the weak comparison on If-None-Match: ignore `W/`, accept any tag in the list, and `*`.

/** True when the client's If-None-Match names this ETag. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  const mine = strip(etag);
  return ifNoneMatch.split(',').some((tag) => strip(tag) === mine);
}
