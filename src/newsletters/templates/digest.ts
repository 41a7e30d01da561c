// The digest mail: the site's nameplate, the newsletter's name and date, the editor's intro, the top
// stories, then one block per chosen section; each story with its headline (linked), dek and picture (a
// fixed-width JPEG rendition linked from the site), and the footer every bulk mail has. Two templates:
// 'standard' (pictures: the first top story wide, the rest beside their text) and 'compact' (headlines and
// deks only). Rendered once per issue to HTML (MJML) and a plain-text part.
import { frameMjml, MAIL_COLOURS, type MailSite, textFooter } from './frame.ts';
import { compileMjml, esc, paragraphs, wrapText } from './mail-markup.ts';

export const DIGEST_TEMPLATES = ['standard', 'compact'] as const;
export type DigestTemplate = (typeof DIGEST_TEMPLATES)[number];

export function isDigestTemplate(t: string): t is DigestTemplate {
  return (DIGEST_TEMPLATES as readonly string[]).includes(t);
}

export interface DigestItem {
  headline: string;
  dek: string;
  /** Where the headline links: the story on the site (or the first-party click redirect to it). */
  url: string;
  /** The story as printed in the plain-text part: always the story's own address. */
  plainUrl: string;
  picture: { src: string; alt: string } | null;
}

export interface DigestBlock {
  /** 'Top stories' or the section's name. */
  title: string;
  items: DigestItem[];
}

export interface DigestMailInput {
  site: MailSite;
  newsletterName: string;
  /** The issue's date as the site's readers write it. */
  dateLine: string;
  subject: string;
  intro: string;
  blocks: DigestBlock[];
  template: DigestTemplate;
  openPixel?: string | null;
}

const SANS = 'Helvetica, Arial, sans-serif';

function itemMjml(item: DigestItem, wide: boolean, pictures: boolean): string {
  const c = MAIL_COLOURS;
  const headline = `<mj-text css-class="dl-headline" font-size="${wide ? 22 : 18}px" font-weight="bold" line-height="1.3" padding="0 24px 6px"><a href="${esc(item.url)}">${esc(item.headline)}</a></mj-text>`;
  const dek = item.dek.trim()
    ? `<mj-text css-class="dl-muted" color="${c.muted}" font-size="15px" padding="0 24px">${esc(item.dek)}</mj-text>`
    : '';
  const pic = pictures ? item.picture : null;
  if (pic && wide)
    return `    <mj-section css-class="dl-card" padding="8px 0 16px">
      <mj-column>
        <mj-image src="${esc(pic.src)}" alt="${esc(pic.alt)}" href="${esc(item.url)}" width="552px" padding="0 24px 12px" />
        ${headline}
        ${dek}
      </mj-column>
    </mj-section>`;
  if (pic)
    return `    <mj-section css-class="dl-card" padding="8px 0 16px">
      <mj-column width="36%" vertical-align="top">
        <mj-image src="${esc(pic.src)}" alt="${esc(pic.alt)}" href="${esc(item.url)}" width="180px" padding="0 12px 8px 24px" />
      </mj-column>
      <mj-column width="64%" vertical-align="top">
        ${headline.replace('padding="0 24px 6px"', 'padding="0 24px 6px 12px"')}
        ${dek.replace('padding="0 24px"', 'padding="0 24px 0 12px"')}
      </mj-column>
    </mj-section>`;
  return `    <mj-section css-class="dl-card" padding="6px 0 14px">
      <mj-column>
        ${headline}
        ${dek}
      </mj-column>
    </mj-section>`;
}

function blockMjml(block: DigestBlock, first: boolean, pictures: boolean): string {
  const c = MAIL_COLOURS;
  const heading = `    <mj-section css-class="dl-card" padding="${first ? 8 : 16}px 0 8px">
      <mj-column>
        <mj-text font-family="${SANS}" font-size="13px" font-weight="bold" letter-spacing="0.08em" text-transform="uppercase" color="${c.text}" padding="0 24px"><p style="margin:0;padding:0 0 6px;border-bottom:2px solid ${c.text}">${esc(block.title)}</p></mj-text>
      </mj-column>
    </mj-section>`;
  return [heading, ...block.items.map((it, i) => itemMjml(it, first && i === 0, pictures))].join('\n');
}

/** The digest's MJML (exported for the template test and the admin's preview). */
export function digestMjml(d: DigestMailInput): string {
  const blocks = d.blocks.filter((b) => b.items.length > 0);
  const intro = paragraphs(d.intro);
  const introMjml = intro.length
    ? `    <mj-section css-class="dl-card" padding="8px 0 8px">
      <mj-column>
        ${intro.map((p) => `<mj-text padding="0 24px 12px">${p}</mj-text>`).join('\n        ')}
      </mj-column>
    </mj-section>`
    : '';
  const body = [introMjml, ...blocks.map((b, i) => blockMjml(b, i === 0, d.template === 'standard'))]
    .filter(Boolean)
    .join('\n');
  const first = blocks[0]?.items[0];
  return frameMjml({
    site: d.site,
    title: d.subject,
    preheader: d.intro.trim().split('\n')[0] || first?.headline || d.newsletterName,
    kicker: `${d.newsletterName} · ${d.dateLine}`,
    body,
    openPixel: d.openPixel ?? null,
  });
}

/** The plain-text part: the same stories, each with its address. */
export function digestText(d: DigestMailInput): string {
  const lines: string[] = [d.site.name, `${d.newsletterName} · ${d.dateLine}`, ''];
  if (d.intro.trim()) lines.push(wrapText(d.intro.trim()), '');
  for (const b of d.blocks.filter((x) => x.items.length > 0)) {
    lines.push(b.title.toUpperCase(), '');
    for (const it of b.items) {
      lines.push(wrapText(it.headline));
      if (it.dek.trim()) lines.push(wrapText(it.dek.trim()));
      lines.push(it.plainUrl, '');
    }
  }
  lines.push(textFooter(d.site));
  return `${lines.join('\n')}\n`;
}

export async function renderDigestMail(d: DigestMailInput): Promise<{ html: string; text: string }> {
  return { html: await compileMjml(digestMjml(d)), text: digestText(d) };
}
