// Writing XML safely: every text and attribute value goes through xml(), which escapes markup characters
// and drops the characters XML 1.0 forbids (control characters that would make a feed reader reject the
// whole document).

const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xml(s: string | number): string {
  return String(s)
    .replace(INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An element with escaped attributes and already-built children (or escaped text via xml()). */
export function tag(
  name: string,
  attrs: Record<string, string | number | null | undefined>,
  inner?: string,
): string {
  let out = `<${name}`;
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) out += ` ${k}="${xml(v)}"`;
  return inner === undefined ? `${out}/>` : `${out}>${inner}</${name}>`;
}

/** An element holding text. */
export function text(
  name: string,
  value: string | number,
  attrs: Record<string, string | number | null | undefined> = {},
): string {
  return tag(name, attrs, xml(value));
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** RFC 822 dates, as RSS 2.0 requires (e.g. "Thu, 09 Oct 2025 09:00:00 GMT"). */
export function rfc822(d: Date): string {
  return d.toUTCString();
}
