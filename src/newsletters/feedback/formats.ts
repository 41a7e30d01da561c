// Reading bounce and complaint notifications in the forms providers send them: Dateline's own generic JSON
// ({ type: hard_bounce | soft_bounce | complaint, email, id, messageId? }), Amazon SES through SNS (the
// SubscriptionConfirmation to confirm the topic, and Notifications carrying SES's Bounce or Complaint),
// and Postmark's Bounce and SpamComplaint webhooks. Everything else a provider may post (deliveries,
// opens, auto-replies) is ignored, not refused, so the provider does not retry it. Malformed input is
// refused with DATELINE_ERR_MAIL_WEBHOOK_INVALID and a message naming what is wrong.
import { DatelineError } from '../../errors/catalogue.ts';
import type { FeedbackKind } from '../tables.ts';
import type { FeedbackEvent } from './suppressions.ts';

export const PROVIDERS = ['generic', 'ses', 'postmark'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface ParsedFeedback {
  events: FeedbackEvent[];
  /** Notifications understood but not about a bounce or complaint. */
  ignored: number;
  /** SNS asks for its topic subscription to be confirmed by opening this URL (the operator does). */
  subscribeUrl?: string;
}

function invalid(msg: string): never {
  throw new DatelineError('MAIL_WEBHOOK_INVALID', msg);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function needObj(v: unknown, what: string): Obj {
  if (!isObj(v)) invalid(`${what} must be a JSON object.`);
  return v;
}

const KINDS: readonly FeedbackKind[] = ['hard_bounce', 'soft_bounce', 'complaint'];

function generic(body: unknown): ParsedFeedback {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0 || list.length > 1000) invalid('Send one notification, or a list of 1 to 1000.');
  const events = list.map((raw, i) => {
    const o = needObj(raw, `Notification ${i + 1}`);
    const kind = o.type;
    if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind))
      invalid(`Notification ${i + 1}: type must be one of ${KINDS.join(', ')}.`);
    const email = str(o.email);
    if (!email) invalid(`Notification ${i + 1}: email is missing.`);
    const id = str(o.id);
    if (!id) invalid(`Notification ${i + 1}: id is missing (the same id sent again counts once).`);
    return {
      provider: 'generic',
      providerEventId: id,
      email,
      kind: kind as FeedbackKind,
      detail: str(o.detail),
      messageId: str(o.messageId),
    };
  });
  return { events, ignored: 0 };
}

/** Our Message-ID as SES reports the original message's headers (SES's own mail.messageId is not ours). */
function sesOriginalMessageId(mail: Obj | null): string | null {
  if (!mail) return null;
  const common = isObj(mail.commonHeaders) ? str(mail.commonHeaders.messageId) : null;
  if (common) return common;
  if (Array.isArray(mail.headers)) {
    for (const h of mail.headers) {
      if (isObj(h) && typeof h.name === 'string' && h.name.toLowerCase() === 'message-id')
        return str(h.value);
    }
  }
  return null;
}

function ses(body: unknown): ParsedFeedback {
  const sns = needObj(body, 'The SNS message');
  const type = str(sns.Type);
  if (type === 'SubscriptionConfirmation' || type === 'UnsubscribeConfirmation') {
    const url = str(sns.SubscribeURL);
    if (!url || !/^https:\/\/sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(url))
      invalid('SubscriptionConfirmation without an SNS SubscribeURL.');
    return { events: [], ignored: 1, subscribeUrl: url };
  }
  if (type !== 'Notification') invalid('Type must be Notification or SubscriptionConfirmation.');
  const snsId = str(sns.MessageId);
  if (!snsId) invalid('The SNS Notification has no MessageId.');
  let msg: unknown;
  try {
    msg = typeof sns.Message === 'string' ? JSON.parse(sns.Message) : sns.Message;
  } catch {
    invalid('The SNS Message is not JSON.');
  }
  const m = needObj(msg, 'The SES notification');
  const what = str(m.notificationType) ?? str(m.eventType);
  const mail = isObj(m.mail) ? m.mail : null;
  const messageId = sesOriginalMessageId(mail);
  if (what === 'Bounce') {
    const b = needObj(m.bounce, 'bounce');
    const recipients = Array.isArray(b.bouncedRecipients) ? b.bouncedRecipients : [];
    if (recipients.length === 0) invalid('The Bounce lists no bouncedRecipients.');
    // Permanent bounces suppress; Transient and Undetermined count as soft.
    const kind: FeedbackKind = b.bounceType === 'Permanent' ? 'hard_bounce' : 'soft_bounce';
    const feedbackId = str(b.feedbackId) ?? snsId;
    const events = recipients.map((r) => {
      const rec = needObj(r, 'A bounced recipient');
      const email = str(rec.emailAddress);
      if (!email) invalid('A bounced recipient has no emailAddress.');
      return {
        provider: 'ses',
        providerEventId: `${feedbackId}:${email.toLowerCase()}`,
        email,
        kind,
        detail: str(rec.diagnosticCode) ?? `${String(b.bounceType)}/${String(b.bounceSubType ?? '')}`,
        messageId,
      };
    });
    return { events, ignored: 0 };
  }
  if (what === 'Complaint') {
    const c = needObj(m.complaint, 'complaint');
    const recipients = Array.isArray(c.complainedRecipients) ? c.complainedRecipients : [];
    if (recipients.length === 0) invalid('The Complaint lists no complainedRecipients.');
    const feedbackId = str(c.feedbackId) ?? snsId;
    const events = recipients.map((r) => {
      const email = str(needObj(r, 'A complained recipient').emailAddress);
      if (!email) invalid('A complained recipient has no emailAddress.');
      return {
        provider: 'ses',
        providerEventId: `${feedbackId}:${email.toLowerCase()}`,
        email,
        kind: 'complaint' as const,
        detail: str(c.complaintFeedbackType),
        messageId,
      };
    });
    return { events, ignored: 0 };
  }
  return { events: [], ignored: 1 };
}

const POSTMARK_HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'Blocked']);
const POSTMARK_SOFT = new Set(['SoftBounce', 'Transient', 'DnsError']);

function postmark(body: unknown): ParsedFeedback {
  const o = needObj(body, 'The Postmark webhook');
  const record = str(o.RecordType);
  const type = str(o.Type);
  const id = o.ID === undefined || o.ID === null ? null : String(o.ID);
  const email = str(o.Email);
  if (record !== 'Bounce' && record !== 'SpamComplaint') return { events: [], ignored: 1 };
  if (!id) invalid('The Postmark notification has no ID.');
  if (!email) invalid('The Postmark notification has no Email.');
  const kind: FeedbackKind | null =
    record === 'SpamComplaint' || type === 'SpamComplaint'
      ? 'complaint'
      : POSTMARK_HARD.has(type ?? '')
        ? 'hard_bounce'
        : POSTMARK_SOFT.has(type ?? '')
          ? 'soft_bounce'
          : null;
  if (!kind) return { events: [], ignored: 1 };
  return {
    events: [
      {
        provider: 'postmark',
        providerEventId: id,
        email,
        kind,
        detail: str(o.Details) ?? str(o.Description) ?? type,
        messageId: str(o.MessageID) && /@/.test(String(o.MessageID)) ? String(o.MessageID) : null,
      },
    ],
    ignored: 0,
  };
}

export function parseFeedback(provider: Provider, body: unknown): ParsedFeedback {
  if (body === undefined || body === null || body === '') invalid('The request has no body.');
  if (provider === 'ses') return ses(body);
  if (provider === 'postmark') return postmark(body);
  return generic(body);
}
