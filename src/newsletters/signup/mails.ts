// The one mail the signup side sends: the double opt-in confirmation, in the site's branding (the accounts
// feature's mail frame), naming the newsletters it confirms. Its key makes each sending unique; the signup
// service decides when one may go (never twice within 10 minutes for one address on one site).
import type { MailSite } from '../../accounts/mails.ts';
import type { OutgoingMail } from '../../mail/mailer.ts';
import { renderMail } from '../../mail/templates.tsx';

export function confirmationMail(
  site: MailSite,
  to: { email: string; userId: number | null; subscriberId: number },
  names: string[],
  link: string,
  sentAt: Date,
): OutgoingMail {
  const list = names.length === 1 ? `“${names[0]}”` : names.map((n) => `“${n}”`).join(', ');
  const { html, text } = renderMail(site.brand, {
    heading: 'Confirm your subscription',
    paragraphs: [
      `Someone, probably you, asked to receive ${list} from ${site.brand.siteName} at this address.`,
      'Confirm to start receiving it. Until you do, we send you nothing else.',
    ],
    action: { label: 'Yes, subscribe me', url: link },
    note: 'The link works for 7 days. If you did not ask for this, ignore this mail: we forget the address after 7 days.',
  });
  return {
    key: `newsletter-confirm:${to.subscriberId}:${site.siteId}:${sentAt.getTime()}`,
    kind: 'newsletter-confirm',
    to: to.email,
    subject: `Confirm your subscription to ${site.brand.siteName}`,
    html,
    text,
    siteId: site.siteId,
    userId: to.userId,
  };
}
