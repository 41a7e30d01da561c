// One recipient's copy of an issue: the issue's rendered content with that recipient's signed links put
// in, and the headers every bulk mail carries: List-Unsubscribe (https and mailto) with
// List-Unsubscribe-Post (RFC 8058 one-click), Precedence: bulk, List-Id, a Feedback-ID naming issue,
// campaign and site, and a Message-ID derived from issue and subscriber, so a copy sent again after a
// crash has the same id and a receiving server can drop it.
import type { RecipientLinks } from '../links.ts';
import { type IssueContent, personalise } from './content.ts';
import type { BulkMessage } from './transport.ts';

/** What a send knows about its issue, its list and its site, read once when the send starts. */
export interface IssueFrame {
  issueId: number;
  newsletterId: number;
  newsletterSlug: string;
  newsletterName: string;
  siteId: number;
  siteSlug: string;
  siteHost: string;
  origin: string;
  senderName: string;
  senderEmail: string;
  replyTo: string | null;
  content: IssueContent;
}

/** `<nl.<issue>.<subscriber>@<domain>>`: the same for every attempt at one recipient of one issue. */
export function bulkMessageId(issueId: number, subscriberId: number, domain: string): string {
  return `<nl.${issueId}.${subscriberId}@${domain}>`;
}

/** The issue and subscriber a bulk Message-ID names (bounce reports quote it), or null. */
export function readBulkMessageId(id: string): { issueId: number; subscriberId: number } | null {
  const m = /^<?nl\.(\d{1,15})\.(\d{1,15})@[^>\s]+>?$/.exec(id.trim());
  return m ? { issueId: Number(m[1]), subscriberId: Number(m[2]) } : null;
}

/** The domain of the sender's address: Message-IDs and the envelope are in the sender's own domain. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase() || 'dateline.invalid';
}

/** A display name in quotes, with what would break the header taken out. */
function mailbox(name: string, email: string): string {
  const clean = name.replace(/[\r\n"\\]/g, ' ').trim();
  return clean ? `"${clean}" <${email}>` : email;
}

export function bulkHeaders(frame: IssueFrame, links: RecipientLinks): Record<string, string> {
  const listId = `${frame.newsletterName.replace(/[\r\n<>"]/g, ' ').trim()} <${frame.newsletterSlug}.${frame.siteHost}>`;
  return {
    'List-Unsubscribe': `<${links.unsubscribe}>, <${links.unsubscribeMailto}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': listId,
    Precedence: 'bulk',
    'Auto-Submitted': 'auto-generated',
    'Feedback-ID': `${frame.issueId}:${frame.content.campaign.replace(/[^A-Za-z0-9_.-]/g, '-')}:${frame.siteSlug}:dateline`,
  };
}

export function buildMessage(
  frame: IssueFrame,
  to: { email: string; subscriberId: number },
  links: RecipientLinks,
): BulkMessage {
  const put = { preferences: links.preferences, unsubscribe: links.unsubscribe };
  return {
    from: mailbox(frame.senderName, frame.senderEmail),
    envelopeFrom: frame.senderEmail,
    replyTo: frame.replyTo,
    to: to.email,
    subject: frame.content.subject,
    html: personalise(frame.content.html, put),
    text: personalise(frame.content.text, put),
    messageId: bulkMessageId(frame.issueId, to.subscriberId, domainOf(frame.senderEmail)),
    headers: bulkHeaders(frame, links),
  };
}
