// What every newsletter mail has around its stories: the site's nameplate (text, in the site's colour), the
// colours for light and dark reading, and the footer with the site's own footer text and the two links every
// bulk mail carries, "Manage preferences" and "Unsubscribe" (placeholders the send engine fills in for each
// recipient). Digests and alerts both draw their MJML inside this frame.
import { PLACEHOLDER } from '../sending/content.ts';
import { esc, safeColour, textOn, wrapText } from './mail-markup.ts';

/** The site as a mail shows it. */
export interface MailSite {
  name: string;
  /** The site's origin, e.g. https://news.example.com: every link and picture is on it. */
  origin: string;
  /** The site's footer text (its postal address, its publisher's line); may be ''. */
  footerText: string;
  /** #rrggbb: the nameplate bar. */
  primaryColor: string;
  /** BCP 47, for the html lang attribute. */
  language: string;
}

export interface FrameInput {
  site: MailSite;
  /** The mail's title (the subject) for the html title. */
  title: string;
  /** Shown by mail clients beside the subject in the inbox list; never seen in the mail itself. */
  preheader: string;
  /** The line under the nameplate: the newsletter's name and date, or "Breaking news". */
  kicker: string;
  /** MJML sections. */
  body: string;
  /** A first-party open pixel URL (only when the list counts opens). */
  openPixel?: string | null;
}

/** Light colours, and their dark counterparts (never pure black: softer on OLED screens and in Outlook). */
export const MAIL_COLOURS = {
  page: '#f2f1ee',
  card: '#ffffff',
  text: '#1c1c1c',
  muted: '#55534e',
  rule: '#dcd9d2',
  darkPage: '#161617',
  darkCard: '#232325',
  darkText: '#ecebe8',
  darkMuted: '#b3b0aa',
  darkRule: '#3a3a3d',
} as const;

export function frameMjml(f: FrameInput): string {
  const c = MAIL_COLOURS;
  const bar = safeColour(f.site.primaryColor, '#1a3d6d');
  const onBar = textOn(bar);
  const lang = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(f.site.language) ? f.site.language : 'en';
  const footer = f.site.footerText.trim();
  const pixel = f.openPixel
    ? `<mj-raw><img src="${esc(f.openPixel)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" /></mj-raw>`
    : '';
  return `<mjml lang="${esc(lang)}" dir="auto">
  <mj-head>
    <mj-title>${esc(f.title)}</mj-title>
    <mj-preview>${esc(f.preheader)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Georgia, 'Times New Roman', serif" />
      <mj-text color="${c.text}" font-size="16px" line-height="1.5" padding="0 24px" />
      <mj-section background-color="${c.card}" padding="0" />
      <mj-image padding="0" />
      <mj-divider border-color="${c.rule}" border-width="1px" padding="16px 24px" />
    </mj-attributes>
    <mj-style>
      a { color: inherit; }
      .dl-headline a { color: ${c.text}; text-decoration: none; }
      .dl-footer a { color: ${c.muted}; text-decoration: underline; }
      @media (prefers-color-scheme: dark) {
        .dl-page, .dl-page > table { background: ${c.darkPage} !important; }
        .dl-card, .dl-card > table, .dl-card td { background: ${c.darkCard} !important; background-color: ${c.darkCard} !important; }
        .dl-card div, .dl-headline a { color: ${c.darkText} !important; }
        .dl-card .dl-muted div, .dl-footer div, .dl-footer a { color: ${c.darkMuted} !important; }
        .dl-card p { border-color: ${c.darkRule} !important; }
      }
    </mj-style>
  </mj-head>
  <mj-body background-color="${c.page}" width="600px" css-class="dl-page">
    <mj-section background-color="${bar}" padding="20px 0">
      <mj-column>
        <mj-text align="center" color="${onBar}" font-size="28px" font-weight="bold" line-height="1.2">
          <a href="${esc(f.site.origin)}/" style="color:${onBar};text-decoration:none">${esc(f.site.name)}</a>
        </mj-text>
      </mj-column>
    </mj-section>
    <mj-section css-class="dl-card" padding="16px 0 4px">
      <mj-column>
        <mj-text css-class="dl-muted" color="${c.muted}" font-family="Helvetica, Arial, sans-serif" font-size="13px" letter-spacing="0.04em" align="center">${esc(f.kicker)}</mj-text>
      </mj-column>
    </mj-section>
${f.body}
    <mj-section css-class="dl-card" padding="8px 0 24px">
      <mj-column>
        <mj-divider />
        <mj-text css-class="dl-footer" color="${c.muted}" font-family="Helvetica, Arial, sans-serif" font-size="13px" align="center">
          ${footer ? `${esc(footer).replace(/\n/g, '<br />')}<br /><br />` : ''}<a href="${PLACEHOLDER.preferences}">Manage preferences</a> &nbsp;·&nbsp; <a href="${PLACEHOLDER.unsubscribe}">Unsubscribe</a>
        </mj-text>
        ${pixel}
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

/** The plain-text part's footer: the site's footer text and the two links, spelled out. */
export function textFooter(site: MailSite): string {
  const footer = site.footerText.trim();
  return [
    '-- ',
    ...(footer ? [wrapText(footer), ''] : []),
    `Manage preferences: ${PLACEHOLDER.preferences}`,
    `Unsubscribe: ${PLACEHOLDER.unsubscribe}`,
  ].join('\n');
}
