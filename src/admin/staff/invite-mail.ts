// The mails the Staff screen sends, in the branding of the site the role is for (the network's first site
// for network-wide roles): an invitation with a link to set a first password, valid 24 hours and once, on the
// admin's own host; and, for someone who already has an account, word that they now have a newsroom role.
// Queued through the mail service like every other mail, so they go out with the mail jobs.
import type { MailSite } from '../../accounts/mails.ts';
import type { RoleName } from '../../accounts/repository.ts';
import type { OutgoingMail } from '../../mail/mailer.ts';
import { renderMail } from '../../mail/templates.tsx';

export interface InviteFacts {
  to: { userId: number; email: string };
  inviter: string;
  role: RoleName;
  /** The site the role is for, or null for the whole network. */
  siteName: string | null;
  adminOrigin: string;
}

function where(f: InviteFacts): string {
  return f.siteName ? `on ${f.siteName}` : 'on every site of the network';
}

function mail(
  site: MailSite,
  f: InviteFacts,
  key: string,
  kind: string,
  subject: string,
  content: Parameters<typeof renderMail>[1],
): OutgoingMail {
  const { html, text } = renderMail(site.brand, content);
  return { key, kind, to: f.to.email, subject, html, text, siteId: site.siteId, userId: f.to.userId };
}

export const staffMails = {
  invite(site: MailSite, f: InviteFacts, setPasswordUrl: string): OutgoingMail {
    return mail(
      site,
      f,
      `staff-invite:${f.to.userId}:${setPasswordUrl.slice(-12)}`,
      'staff-invite',
      `You are invited to the ${site.brand.siteName} newsroom`,
      {
        heading: 'You are invited to the newsroom',
        paragraphs: [
          `${f.inviter} has invited you to work ${where(f)} as ${f.role}.`,
          'Set a password to sign in to the newsroom admin. You will be asked to sign in with it straight after.',
        ],
        action: { label: 'Set your password', url: setPasswordUrl },
        note: `The link works once and expires in 24 hours. The newsroom admin is at ${f.adminOrigin}/. If you did not expect this, ignore this mail.`,
      },
    );
  },

  roleGranted(site: MailSite, f: InviteFacts, nonce: string): OutgoingMail {
    return mail(
      site,
      f,
      `staff-role:${f.to.userId}:${nonce}`,
      'staff-role-granted',
      `You now work in the ${site.brand.siteName} newsroom`,
      {
        heading: 'You have a role in the newsroom',
        paragraphs: [
          `${f.inviter} has given your account the ${f.role} role ${where(f)}.`,
          'Sign in to the newsroom admin with the email address and password of your account.',
        ],
        action: { label: 'Open the newsroom admin', url: `${f.adminOrigin}/login` },
        note: 'No password yet, or forgotten it? Use "Forgot your password?" on any of our sites first.',
      },
    );
  },
};
