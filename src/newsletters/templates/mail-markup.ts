// Turning MJML into the HTML a newsletter is mailed as, and the rules for putting text into MJML. MJML (a
// kept library for responsive email markup) writes the table layouts Outlook, Gmail and Apple Mail need; it
// is CommonJS and heavy, so it is loaded once, on first use (or at start-up through warmUp), and a template
// is compiled once per issue, never per recipient: per-recipient links are placeholders filled in by the
// send engine (src/newsletters/sending/content.ts).
import { createRequire } from 'node:module';

interface MjmlResult {
  html: string;
  errors: { formattedMessage?: string; message?: string }[];
}
type Mjml2Html = (mjml: string, options: Record<string, unknown>) => MjmlResult | Promise<MjmlResult>;

let compiler: Mjml2Html | null = null;

function load(): Mjml2Html {
  if (!compiler) {
    const require = createRequire(import.meta.url);
    const mod = require('mjml') as Mjml2Html | { default: Mjml2Html };
    compiler = typeof mod === 'function' ? mod : mod.default;
  }
  return compiler;
}

/**
 * Compiles one MJML document. Validation is strict: a template that MJML would have to guess about is a bug
 * here, not something to mail to a hundred thousand people.
 */
export async function compileMjml(mjml: string): Promise<string> {
  const out = await load()(mjml, { validationLevel: 'strict', keepComments: false });
  if (out.errors.length > 0)
    throw new Error(
      `The mail template does not compile: ${out.errors.map((e) => e.formattedMessage ?? e.message).join('; ')}`,
    );
  // Light and dark: the client may switch the colours (the template's dark styles), and must not invert
  // them on its own where it honours these.
  return out.html.replace(
    /<head>/i,
    '<head><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">',
  );
}

/** Loads MJML and compiles a small document, so the first issue does not pay for it. */
export async function warmUpMjml(): Promise<void> {
  await compileMjml(
    '<mjml><mj-body><mj-section><mj-column><mj-text>.</mj-text></mj-column></mj-section></mj-body></mjml>',
  );
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text (a headline, a dek, an editor's intro) or an attribute value, escaped for MJML's HTML. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** An editor's plain-text intro as paragraphs: blank lines part them, single line breaks stay. */
export function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => esc(p).replace(/\n/g, '<br />'));
}

/** A #rrggbb colour, or the fallback: a colour is written into CSS, so nothing else gets through. */
export function safeColour(c: string | undefined, fallback: string): string {
  return c && /^#[0-9a-f]{6}$/i.test(c) ? c : fallback;
}

/** The WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const ch = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = ch.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]!;
}

/** White or near-black, whichever reads better on the background (the nameplate bar in the site's colour). */
export function textOn(background: string): string {
  const l = luminance(background);
  return (1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#1a1a1a') as string;
}

/** Wraps text to lines of at most `width` characters for the plain-text part (words are never cut). */
export function wrapText(text: string, width = 72): string {
  const out: string[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out.join('\n');
}
