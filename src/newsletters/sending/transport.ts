// The bulk mail transport: nodemailer's pooled SMTP transport (SMTP_URL, up to DATELINE_BULK_MAX_CONNECTIONS
// connections kept open and reused), with DKIM signing when a key is configured. Each message's outcome is
// sorted the way the send engine acts on it: accepted; deferred (a 4xx answer: try again later); failed (a
// 5xx answer: record it and never retry); unreachable (no answer at all: connection refused, timeout, TLS
// failure: the whole send waits and resumes, and nothing counts against the recipient).
// Copies built already by PreparedIssue go through sendCopy: the bulk pool of smtp-pool.ts when the URL is
// a plain one (DKIM signed by PreparedIssue.dkimHeader), else nodemailer as raw messages.
// Not used for transactional mail (src/mail/mailer.ts), which keeps its one-job-per-message outbox.
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import type nodemailerModule from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { DkimKey } from '../../mail/dkim.ts';
import type { PreparedCopy } from './prepared.ts';
import { BulkSmtpPool, poolTarget } from './smtp-pool.ts';

/** The EHLO name: this host's name when it is a domain name, as nodemailer does, else a literal. */
function clientName(): string {
  const h = hostname();
  return h.includes('.') && /^[A-Za-z0-9.-]+$/.test(h) ? h : '[127.0.0.1]';
}

export interface BulkMessage {
  from: string;
  /** The envelope sender (MAIL FROM): where bounces go. */
  envelopeFrom: string;
  replyTo: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

export type SendOutcome = { kind: 'sent' } | { kind: 'deferred' | 'failed' | 'unreachable'; error: string };

export interface BulkTransportOptions {
  smtpUrl: string;
  maxConnections: number;
  dkim: DkimKey | null;
  /** Seconds to wait for a connection and for an answer before treating the server as unreachable. */
  timeoutSeconds?: number;
}

interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/** Sorts a nodemailer error by what the server answered, if it answered. */
export function classifySmtpError(err: unknown): SendOutcome {
  const e = (err ?? {}) as SmtpError;
  const detail = String(e.response ?? e.message ?? err).slice(0, 500);
  const code = e.responseCode;
  if (typeof code === 'number' && code >= 500 && code < 600) return { kind: 'failed', error: detail };
  if (typeof code === 'number' && code >= 400 && code < 500) return { kind: 'deferred', error: detail };
  return { kind: 'unreachable', error: `${e.code ? `${e.code}: ` : ''}${detail}` };
}

// The headers the DKIM signature covers: nodemailer's list (RFC 6376 §5.4 plus List-Unsubscribe-Post, which
// RFC 8058 wants signed for one-click unsubscribe) and the bulk headers a receiver judges us by, so that a
// relay cannot add or change Precedence or Feedback-ID without breaking the signature.
const SIGNED_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'In-Reply-To',
  'References',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'Precedence',
  'Feedback-ID',
].join(':');

export class SmtpBulkTransport {
  private readonly transport: Transporter;
  /** The fast path for prepared copies, when the URL and the set-up allow it (see sendCopy). */
  private readonly pool: BulkSmtpPool | null;
  private readonly dkim: DkimKey | null;

  constructor(opts: BulkTransportOptions) {
    const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof nodemailerModule;
    const timeout = (opts.timeoutSeconds ?? 30) * 1000;
    this.transport = nodemailer.createTransport({
      url: opts.smtpUrl,
      pool: true,
      maxConnections: opts.maxConnections,
      maxMessages: Number.POSITIVE_INFINITY,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 2,
      ...(opts.dkim && {
        dkim: {
          domainName: opts.dkim.domain,
          keySelector: opts.dkim.selector,
          privateKey: opts.dkim.privateKey,
          headerFieldNames: SIGNED_HEADERS,
        },
      }),
    } as Parameters<typeof nodemailer.createTransport>[0]);
    this.dkim = opts.dkim;
    const target = poolTarget(opts.smtpUrl);
    this.pool = target
      ? new BulkSmtpPool({
          target,
          maxConnections: opts.maxConnections,
          timeoutMs: timeout,
          clientName: clientName(),
        })
      : null;
  }

  async send(m: BulkMessage): Promise<SendOutcome> {
    try {
      await this.transport.sendMail({
        from: m.from,
        to: m.to,
        ...(m.replyTo && { replyTo: m.replyTo }),
        envelope: { from: m.envelopeFrom, to: m.to },
        subject: m.subject,
        html: m.html,
        text: m.text,
        messageId: m.messageId,
        headers: m.headers,
        // Bulk mail carries no X-Mailer naming the library and version.
        xMailer: false,
      });
      return { kind: 'sent' };
    } catch (err) {
      return classifySmtpError(err);
    }
  }

  /**
   * A copy built already (PreparedIssue.copy). On a plain smtp:// or smtps:// URL it goes through the bulk
   * pool (smtp-pool.ts: pipelined, written from the issue's shared Buffers), signed by PreparedIssue's DKIM
   * signer when a key is configured; with any other URL nodemailer takes it as a raw message, signs it and
   * sends it on its pooled connections.
   */
  async sendCopy(copy: PreparedCopy): Promise<SendOutcome> {
    if (this.pool) {
      // The signature is a header of its own before the rest; it never starts a line with a dot.
      const parts = this.dkim ? [copy.issue.dkimHeader(copy, this.dkim), ...copy.stuffed] : copy.stuffed;
      return this.pool.send(copy.from, copy.to, parts);
    }
    try {
      await this.transport.sendMail({
        envelope: { from: copy.from, to: copy.to },
        raw: Buffer.concat(copy.parts),
      });
      return { kind: 'sent' };
    } catch (err) {
      return classifySmtpError(err);
    }
  }

  close(): void {
    this.pool?.close();
    this.transport.close();
  }
}
