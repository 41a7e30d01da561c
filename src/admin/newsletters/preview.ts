// The next issue's preview: the mail exactly as the renderer makes it for the send, made safe to look at in
// the admin. Each recipient's own links become "#" (no one's unsubscribe link is shown), and the first-party
// counters are taken out, so looking at a preview never counts an open or a click on the issue. The HTML is
// served under its own strict policy: no script, nothing but its pictures and inline styles, sandboxed, and
// framed only by the admin itself.
import { PLACEHOLDER } from '../../newsletters/sending/content.ts';

export const PREVIEW_CSP = [
  "default-src 'none'",
  'img-src http: https: data:',
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox',
].join('; ');

const CLICK = /https?:\/\/[^\s"'<>]+\/newsletters\/c\/[1-9]\d*\.[A-Za-z0-9_-]+\?u=([^\s"'<>&]+)/g;
const PIXEL = /https?:\/\/[^\s"'<>]+\/newsletters\/o\/[1-9]\d*\.[A-Za-z0-9_-]+\.gif/g;
const BLANK_GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

function unwrapClick(_all: string, target: string): string {
  try {
    return decodeURIComponent(target).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  } catch {
    return '#';
  }
}

/** The mail's HTML for the preview: recipient links inert, counters removed. */
export function previewHtml(html: string): string {
  return html
    .split(PLACEHOLDER.preferences)
    .join('#')
    .split(PLACEHOLDER.unsubscribe)
    .join('#')
    .replace(CLICK, unwrapClick)
    .replace(PIXEL, BLANK_GIF);
}

/** The plain-text part for the preview, the same way. */
export function previewText(text: string): string {
  return text
    .split(PLACEHOLDER.preferences)
    .join('(your preferences link)')
    .split(PLACEHOLDER.unsubscribe)
    .join('(your unsubscribe link)')
    .replace(CLICK, (_a, t: string) => {
      try {
        return decodeURIComponent(t);
      } catch {
        return '';
      }
    });
}
