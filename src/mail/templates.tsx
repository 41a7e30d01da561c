// The frame of every mail: the site's name in its colour, a heading, paragraphs, one button, a list of
// further links, and a plain
// text version with the same words. Mail clients ignore stylesheets, so the HTML uses inline styles; the
// page CSP does not apply to mail.
import { renderToString } from 'preact-render-to-string';

export interface MailBrand {
  siteName: string;
  color: string;
  /** The site's home page, for the footer link. */
  homeUrl: string;
}

export interface MailContent {
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Further links under the button, as a list (e.g. "Your registration", calendar links). */
  links?: { label: string; url: string }[];
  /** Small print under the button, e.g. "The link works once and expires in 24 hours." */
  note?: string;
}

export function renderMail(brand: MailBrand, content: MailContent): { html: string; text: string } {
  const html = `<!doctype html>${renderToString(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{content.heading}</title>
      </head>
      <body style="margin:0;padding:0;background:#f4f4f4;font-family:Arial,Helvetica,sans-serif;color:#1b1b1b">
        <table role="presentation" width="100%" cellPadding="0" cellSpacing="0">
          <tr>
            <td
              style={`background:${brand.color};padding:16px 24px;color:#ffffff;font-size:22px;font-weight:bold`}
            >
              {brand.siteName}
            </td>
          </tr>
          <tr>
            <td style="background:#ffffff;padding:24px">
              <h1 style="font-size:20px;margin:0 0 16px">{content.heading}</h1>
              {content.paragraphs.map((p) => (
                <p key={p} style="font-size:16px;line-height:1.5;margin:0 0 12px">
                  {p}
                </p>
              ))}
              {content.action ? (
                <p style="margin:24px 0">
                  <a
                    href={content.action.url}
                    style={`background:${brand.color};color:#ffffff;padding:12px 20px;text-decoration:none;font-weight:bold;display:inline-block`}
                  >
                    {content.action.label}
                  </a>
                </p>
              ) : null}
              {content.action ? (
                <p style="font-size:13px;color:#4a4a4a;word-break:break-all">
                  Or open this address: {content.action.url}
                </p>
              ) : null}
              {content.links?.length ? (
                <ul style="font-size:15px;line-height:1.6;padding-left:20px">
                  {content.links.map((l) => (
                    <li key={l.url}>
                      <a href={l.url} style={`color:${brand.color}`}>
                        {l.label}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
              {content.note ? <p style="font-size:13px;color:#4a4a4a">{content.note}</p> : null}
            </td>
          </tr>
          <tr>
            <td style="padding:16px 24px;font-size:12px;color:#4a4a4a">
              Sent by <a href={brand.homeUrl}>{brand.siteName}</a>.
            </td>
          </tr>
        </table>
      </body>
    </html>,
  )}`;
  const text = [
    brand.siteName,
    '',
    content.heading,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    ...(content.links?.length ? [...content.links.map((l) => `${l.label}: ${l.url}`), ''] : []),
    ...(content.note ? [content.note, ''] : []),
    `-- ${brand.siteName} ${brand.homeUrl}`,
  ].join('\n');
  return { html, text };
}
