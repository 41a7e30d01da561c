// The words of every mail the accounts feature sends, in the site's branding. Each returns what
// MailService.queue takes, with a key that makes the message unique.
import type { OutgoingMail } from '../mail/mailer.ts';
import { type MailBrand, renderMail } from '../mail/templates.tsx';

export interface MailSite {
  siteId: number | null;
  brand: MailBrand;
  /** Origin of the site the reader used, e.g. https://news.example.com; links go there. */
  origin: string;
}

type To = { userId: number | null; email: string };

function build(
  site: MailSite,
  to: To,
  key: string,
  kind: string,
  subject: string,
  content: Parameters<typeof renderMail>[1],
): OutgoingMail {
  const { html, text } = renderMail(site.brand, content);
  return { key, kind, to: to.email, subject, html, text, siteId: site.siteId, userId: to.userId };
}

export const accountMails = {
  verify(site: MailSite, to: To, token: string): OutgoingMail {
    return build(
      site,
      to,
      `verify:${to.userId}:${token.slice(0, 12)}`,
      'verify',
      `Confirm your email address for ${site.brand.siteName}`,
      {
        heading: 'Confirm your email address',
        paragraphs: [
          `Thank you for registering with ${site.brand.siteName}. One account works on every site of our network.`,
          'Confirm that this address is yours to finish.',
        ],
        action: { label: 'Confirm my email address', url: `${site.origin}/account/verify?t=${token}` },
        note: 'The link works once and expires in 48 hours. If you did not register, ignore this mail.',
      },
    );
  },

  alreadyRegistered(site: MailSite, to: To, nonce: string): OutgoingMail {
    return build(
      site,
      to,
      `exists:${to.userId}:${nonce}`,
      'already-registered',
      `You already have an account with ${site.brand.siteName}`,
      {
        heading: 'You already have an account',
        paragraphs: [
          'Someone, probably you, tried to register with this email address, which already has an account.',
          'Sign in instead, or set a new password if you have forgotten it.',
        ],
        action: { label: 'Sign in', url: `${site.origin}/account/login` },
        note: `Forgotten your password? ${site.origin}/account/forgot`,
      },
    );
  },

  reset(site: MailSite, to: To, token: string): OutgoingMail {
    return build(
      site,
      to,
      `reset:${to.userId}:${token.slice(0, 12)}`,
      'reset',
      `Set a new password for ${site.brand.siteName}`,
      {
        heading: 'Set a new password',
        paragraphs: [
          'We received a request to set a new password for your account.',
          'Setting one signs you out everywhere else.',
        ],
        action: { label: 'Set a new password', url: `${site.origin}/account/reset?t=${token}` },
        note: 'The link works once and expires in one hour. If you did not ask for it, ignore this mail: your password stays as it is.',
      },
    );
  },

  changeEmail(site: MailSite, to: To, token: string): OutgoingMail {
    return build(
      site,
      to,
      `change-email:${to.userId}:${token.slice(0, 12)}`,
      'change-email',
      `Confirm your new email address for ${site.brand.siteName}`,
      {
        heading: 'Confirm your new email address',
        paragraphs: [
          'You asked to use this address for your account. Confirm that it is yours to make the change.',
        ],
        action: { label: 'Use this address', url: `${site.origin}/account/email/confirm?t=${token}` },
        note: 'The link works once and expires in 24 hours.',
      },
    );
  },

  emailChangeNotice(site: MailSite, to: To, newEmail: string, nonce: string): OutgoingMail {
    return build(
      site,
      to,
      `email-notice:${to.userId}:${nonce}`,
      'email-change-notice',
      `Your email address is being changed`,
      {
        heading: 'Your email address is being changed',
        paragraphs: [
          `Someone signed in to your account asked to change its email address to ${newEmail}.`,
          'If this was not you, set a new password now: that signs everyone else out.',
        ],
        action: { label: 'Set a new password', url: `${site.origin}/account/forgot` },
      },
    );
  },

  emailTaken(site: MailSite, to: To, nonce: string): OutgoingMail {
    return build(
      site,
      to,
      `email-taken:${nonce}`,
      'email-taken',
      `About your email address at ${site.brand.siteName}`,
      {
        heading: 'This address already has an account',
        paragraphs: [
          'Someone asked to move another account to this email address, but this address already has an account of its own, so nothing was changed.',
        ],
      },
    );
  },

  locked(site: MailSite, to: To, minutes: number, nonce: string): OutgoingMail {
    return build(
      site,
      to,
      `locked:${to.userId}:${nonce}`,
      'login-locked',
      `Sign-in to your account is paused`,
      {
        heading: 'Sign-in to your account is paused',
        paragraphs: [
          `There were many failed attempts to sign in to your account, so signing in is paused for ${minutes} minutes.`,
          'If this was not you, someone may be guessing your password. Setting a new password keeps your account safe.',
        ],
        action: { label: 'Set a new password', url: `${site.origin}/account/forgot` },
      },
    );
  },

  newsAlertsInvite(site: MailSite, to: To, token: string): OutgoingMail {
    return build(
      site,
      to,
      `news-alerts:${to.userId}`,
      'news-alerts-invite',
      `Would you like news alerts from ${site.brand.siteName}?`,
      {
        heading: 'Would you like our news alerts?',
        paragraphs: [
          'You have just joined with a social login. We can send you our news alerts by email.',
          'You are not subscribed: we only send them if you confirm.',
        ],
        action: { label: 'Yes, send me news alerts', url: `${site.origin}/account/news-alerts?t=${token}` },
        note: 'If you do not want them, ignore this mail. We will not ask again.',
      },
    );
  },
};
