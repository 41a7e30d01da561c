// Comment text from an export: Disqus messages are HTML, WordPress comments are text with a little HTML.
// Both become the plain text Dateline stores (paragraphs split by a blank line; a link kept as its address),
// so nothing from the source is ever printed as markup. Invisible and direction-override characters are
// dropped, as the posting form's rules do for new comments.

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  szlig: 'ß',
};

function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,8}|#\d{1,10}|[a-zA-Z]{2,10});/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const code = hex ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      const ok = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return ok ? String.fromCodePoint(code) : '';
    }
    return Object.hasOwn(NAMED, ref) ? NAMED[ref]! : whole;
  });
}

// Zero-width characters, direction overrides and isolates, and C0/C1 controls other than the line break.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

/** Plain text of an exported comment: tags removed, links kept as their address, paragraphs kept. */
export function commentTextFromHtml(html: string): string {
  let s = html.replace(/\r\n?/g, '\n');
  // Script and style content is never text a reader wrote.
  s = s.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  // A link whose text differs from its address keeps both; javascript: and other schemes keep the text only.
  s = s.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_w, attrs: string, inner: string) => {
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
    const url = decodeHtmlEntities((href?.[1] ?? href?.[2] ?? href?.[3] ?? '').trim());
    const text = inner.replace(/<[^>]*>/g, '');
    if (!/^https?:\/\//i.test(url)) return text;
    const shown = decodeHtmlEntities(text).trim();
    return shown === '' || shown === url || url.endsWith(shown.replace(/…$/, '')) ? url : `${text} (${url})`;
  });
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/(p|div|blockquote|li|h[1-6])\s*>/gi, '\n\n');
  s = s.replace(/<li\b[^>]*>/gi, '• ');
  s = s.replace(/<[^>]*>/g, '');
  s = decodeHtmlEntities(s).normalize('NFC').replace(INVISIBLE, '');
  return s
    .split('\n')
    .map((line) => line.replace(/[ \t\u00A0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A display name from the source: one line, visible characters, at most 60 of them; a stand-in when empty. */
export function authorName(raw: string | undefined): string {
  const name = decodeHtmlEntities(raw ?? '')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...name];
  const cut = chars.length > 60 ? chars.slice(0, 60).join('').trim() : name;
  return /[\p{L}\p{N}]/u.test(cut) ? cut : 'Guest';
}
