// The mail a member gets when a moderator warns, suspends or bans them: the moderator's message, what it
// means (where, until when) and who to write to, in the site's branding. Queued through the mail outbox
// (MailService.queue, delivered by the mail.send job) under a key per sanction, so it goes once.
import type { MailSite } from '../../accounts/mails.ts';
import type { Sanction } from '../../comments/model.ts';
import type { OutgoingMail } from '../../mail/mailer.ts';
import { renderMail } from '../../mail/templates.tsx';
import { siteTime } from '../stories/times.ts';

export function sanctionMail(
  site: MailSite,
  to: { userId: number; email: string },
  s: Sanction,
  o: { where: string; zone: string },
): OutgoingMail {
  const until = s.endsAt ? siteTime(s.endsAt, o.zone) : null;
  const heading =
    s.kind === 'warning'
      ? 'A warning from the moderators'
      : s.kind === 'suspension'
        ? `Commenting suspended until ${until}`
        : until
          ? `Banned from commenting until ${until}`
          : 'Banned from commenting';
  const meaning =
    s.kind === 'warning'
      ? `You can still comment on ${o.where}. Please keep to the rules, or commenting may be suspended.`
      : `You cannot post, edit or vote on comments on ${o.where}${until ? ` until ${until} (${o.zone})` : ''}. Your account and everything else stay as they are.`;
  const { html, text } = renderMail(site.brand, {
    heading,
    paragraphs: [...(s.message.trim() ? [`The moderators wrote: “${s.message.trim()}”`] : []), meaning],
    note: 'If you think this is a mistake, reply to this message and a moderator will look at it again.',
  });
  return {
    key: `comment-sanction:${s.id}`,
    kind: `comment-${s.kind}`,
    to: to.email,
    subject: `${heading} · ${site.brand.siteName}`,
    html,
    text,
    siteId: site.siteId,
    userId: to.userId,
  };
}
