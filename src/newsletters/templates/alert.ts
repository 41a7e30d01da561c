// The breaking-news alert mail (src/newsletters/alerts/ sends it): the site's nameplate, "Breaking news",
// the story's headline (linked), one line, a button to read it, and the footer every bulk mail has. Short
// on purpose: it is read on a lock screen. Rendered once per alert to HTML (MJML) and a plain-text part.
import { frameMjml, MAIL_COLOURS, type MailSite, textFooter } from './frame.ts';
import { compileMjml, esc, safeColour, textOn, wrapText } from './mail-markup.ts';

export interface AlertMailInput {
  site: MailSite;
  headline: string;
  /** One line: the story's dek, or what the editor wrote for the alert. */
  line: string;
  /** The story on the site. */
  url: string;
}

export interface RenderedMail {
  subject: string;
  /** With the PLACEHOLDER links (src/newsletters/sending/content.ts) for the send engine to fill in. */
  html: string;
  text: string;
}

export function alertMjml(a: AlertMailInput): string {
  const c = MAIL_COLOURS;
  const button = safeColour(a.site.primaryColor, '#1a3d6d');
  const body = `    <mj-section css-class="dl-card" padding="8px 0 16px">
      <mj-column>
        <mj-text css-class="dl-headline" font-size="24px" font-weight="bold" line-height="1.3" padding="0 24px 10px"><a href="${esc(a.url)}">${esc(a.headline)}</a></mj-text>
        ${a.line.trim() ? `<mj-text css-class="dl-muted" color="${c.muted}" font-size="16px" padding="0 24px 16px">${esc(a.line.trim())}</mj-text>` : ''}
        <mj-button href="${esc(a.url)}" background-color="${button}" color="${textOn(button)}" font-family="Helvetica, Arial, sans-serif" font-size="15px" font-weight="bold" border-radius="4px" align="left" padding="0 24px">Read the story</mj-button>
      </mj-column>
    </mj-section>`;
  return frameMjml({
    site: a.site,
    title: a.headline,
    preheader: a.line.trim() || a.headline,
    kicker: 'Breaking news',
    body,
  });
}

export function alertText(a: AlertMailInput): string {
  return `${[
    a.site.name,
    'Breaking news',
    '',
    wrapText(a.headline),
    ...(a.line.trim() ? [wrapText(a.line.trim())] : []),
    '',
    `Read the story: ${a.url}`,
    '',
    textFooter(a.site),
  ].join('\n')}\n`;
}

/** The alert as mailed; the subject is the headline (clients show "Breaking news" from the preheader). */
export async function renderAlertMail(a: AlertMailInput): Promise<RenderedMail> {
  return { subject: a.headline, html: await compileMjml(alertMjml(a)), text: alertText(a) };
}
