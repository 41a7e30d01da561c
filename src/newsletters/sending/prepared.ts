// An issue's MIME message built once per send, filled in per recipient. Building a 45 KB digest through
// nodemailer's composer for every recipient (quoted-printable encoding of both parts, header encoding and
// folding, a chain of streams) was most of the send's CPU and garbage; here the headers that are the same
// for everyone and both body parts are encoded once, into shared Buffers, and each recipient's copy is
// those Buffers with a few small per-recipient pieces between them: To, Date, Message-ID, the
// List-Unsubscribe header and the signed preference and unsubscribe links in the bodies.
//
// Why the substitutions cannot break the encoding: both parts are quoted-printable, and every place a
// link goes starts on a line of its own (the encoded text before it ends with a soft line break, "=" CRLF,
// which decoding removes) and ends with one too. A link is ASCII, so its only character QP must encode is
// "=", and it is cut into lines of at most 76 characters with soft breaks that never split an "=3D".
// Encoded lines therefore stay within RFC 2045's 76 characters whatever the link's length, and the decoded
// text is exactly the rendered content with the links put in (personalise()).
//
// A recipient address or sender that is not plain ASCII (an internationalised address needs SMTPUTF8 and
// nodemailer's handling) gets null, and the engine builds that copy through nodemailer instead.
import { randomBytes } from 'node:crypto';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { type RecipientLinks, recipientLinks } from '../links.ts';
import { PLACEHOLDER } from './content.ts';
import { bulkHeaders, bulkMessageId, domainOf, type IssueFrame } from './message.ts';

/** One recipient's copy: the envelope and the message's parts (see PreparedIssue.copy). */
export interface PreparedCopy {
  from: string;
  to: string;
  parts: Buffer[];
  stuffed: Buffer[];
}

/** What a recipient's copy needs besides the issue. */
export interface PreparedRecipient {
  email: string;
  subscriberId: number;
  linkVersion: number;
}

/** Longest encoded line (RFC 2045 §6.7), without its CRLF. */
const QP_LINE = 76;
const CRLF = '\r\n';
/** An address we can put in To: and RCPT TO: as it is: printable ASCII, no header or address syntax. */
const PLAIN_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}$/;

type Slot = 'preferences' | 'unsubscribe';
/** A part of the message: bytes that are the same for everyone, or the place of a recipient's value. */
type Piece = Buffer | Slot | 'headers';

/** A value for a header: as it is when printable ASCII, else RFC 2047 encoded words; no line breaks. */
function headerText(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(flat) ? flat : encodeWords(flat, 'Q', 52);
}

function header(name: string, value: string): string {
  return `${foldLines(`${name}: ${value}`, QP_LINE)}${CRLF}`;
}

/** A display name and address for From: quoted when it has specials, encoded words when not ASCII. */
function mailbox(name: string, email: string): string {
  const clean = name.replace(/[\r\n"\\]/g, ' ').trim();
  if (!clean) return email;
  return /^[\x20-\x7e]*$/.test(clean) ? `"${clean}" <${email}>` : `${encodeWords(clean, 'Q', 52)} <${email}>`;
}

/**
 * A link as quoted-printable lines: "=" becomes "=3D", and a soft break ends each line of at most 75
 * characters (76 with its "="), never inside an escape. The last line ends with a soft break too unless
 * `last` (nothing follows it in the part).
 */
export function qpLink(link: string, last: boolean): string {
  let out = '';
  let line = 0;
  for (let i = 0; i < link.length; i++) {
    const c = link.charCodeAt(i);
    // Links are ASCII; anything else is encoded byte by byte like any QP encoder would.
    let enc =
      c === 0x3d
        ? '=3D'
        : c >= 0x21 && c <= 0x7e
          ? link[i]!
          : qpEncode(Buffer.from(link[i]!, 'utf8')).replace(/ /g, '=20');
    if (line + enc.length > QP_LINE - 1) {
      out += `=${CRLF}`;
      line = 0;
    }
    // A dot opening a line is encoded, so the copy needs no SMTP dot-stuffing there.
    if (line === 0 && enc === '.') enc = '=2E';
    out += enc;
    line += enc.length;
  }
  return last ? out : `${out}=${CRLF}`;
}

/** One body part's content as pieces: encoded text, and the slots where links go, each on its own lines. */
function encodePart(body: string): Piece[] {
  const text = body.replace(/\r\n|\r|\n/g, CRLF);
  const pieces: Piece[] = [];
  // The markers are letters, '_' and '%': nothing a regular expression reads specially.
  const marker = new RegExp(`${PLACEHOLDER.preferences}|${PLACEHOLDER.unsubscribe}`, 'g');
  let at = 0;
  let pending = '';
  for (const m of text.matchAll(marker)) {
    // Wrapped one short so that the soft break put after the last line still fits in 76.
    const before = qpWrap(qpEncode(text.slice(at, m.index)), QP_LINE - 1);
    pending += before;
    if (pending !== '' && !pending.endsWith(CRLF)) pending += `=${CRLF}`;
    if (pending) pieces.push(Buffer.from(pending, 'latin1'));
    pending = '';
    pieces.push(m[0] === PLACEHOLDER.preferences ? 'preferences' : 'unsubscribe');
    at = m.index + m[0].length;
  }
  const rest = qpWrap(qpEncode(text.slice(at)), QP_LINE);
  if (rest) pieces.push(Buffer.from(rest, 'latin1'));
  return pieces;
}

/** The Date header's value (RFC 5322), remade at most once a second. */
let dateCache = { second: -1, value: '' };
function dateHeader(now: number): string {
  const second = Math.floor(now / 1000);
  if (dateCache.second !== second)
    dateCache = { second, value: new Date(second * 1000).toUTCString().replace(/GMT$/, '+0000') };
  return dateCache.value;
}

export class PreparedIssue {
  private readonly pieces: Piece[];
  private readonly domain: string;
  /** Whether the sender side can go out as is (else every copy goes through nodemailer). */
  readonly plain: boolean;

  constructor(
    private readonly frame: IssueFrame,
    private readonly signingKey: Buffer,
    boundary = `----=_dl_${randomBytes(12).toString('hex')}`,
  ) {
    this.domain = domainOf(frame.senderEmail);
    this.plain =
      PLAIN_ADDRESS.test(frame.senderEmail) && (!frame.replyTo || PLAIN_ADDRESS.test(frame.replyTo));
    // Headers every copy shares, after the per-recipient ones; List-Unsubscribe is per recipient.
    const shared = { ...bulkHeaders(frame, { unsubscribe: '', unsubscribeMailto: '', preferences: '' }) };
    delete (shared as Record<string, string>)['List-Unsubscribe'];
    let head = '';
    for (const [name, value] of Object.entries(shared)) head += header(name, headerText(value));
    head += `MIME-Version: 1.0${CRLF}`;
    head += `Content-Type: multipart/alternative; boundary="${boundary}"${CRLF}${CRLF}`;
    const partHead = (type: string) =>
      `--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`;
    const from =
      header('From', mailbox(frame.senderName, frame.senderEmail)) +
      (frame.replyTo ? header('Reply-To', frame.replyTo) : '') +
      header('Subject', headerText(frame.content.subject));
    this.pieces = [
      Buffer.from(from, 'latin1'),
      'headers',
      Buffer.from(head + partHead('text/plain'), 'latin1'),
      ...encodePart(frame.content.text),
      Buffer.from(`${CRLF}${partHead('text/html')}`, 'latin1'),
      ...encodePart(frame.content.html),
      Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1'),
    ];
    // A slot that ends its part must not leave a soft break before the boundary: mark which do.
    for (let i = 0; i < this.pieces.length; i++) {
      const p = this.pieces[i];
      if ((p === 'preferences' || p === 'unsubscribe') && Buffer.isBuffer(this.pieces[i + 1])) {
        const next = this.pieces[i + 1] as Buffer;
        if (next.subarray(0, 4).toString('latin1') === `${CRLF}--`) this.lastSlots.add(i);
      }
    }
    this.stuffedPieces = this.pieces.map((p) =>
      Buffer.isBuffer(p)
        ? Buffer.from(
            p
              .toString('latin1')
              .replace(/^\./, '..')
              .replace(/\r\n\./g, '\r\n..'),
            'latin1',
          )
        : null,
    );
  }

  private readonly lastSlots = new Set<number>();
  /**
   * The shared parts dot-stuffed for SMTP DATA (RFC 5321 §4.5.2), once per issue. Each begins a line: the
   * message's start, or after the headers, or after a link's closing soft break (a link that ends its part
   * is followed by CRLF and the boundary, which begins with "\r\n-").
   */
  private readonly stuffedPieces: (Buffer | null)[];

  /** The links of one recipient, as the body and List-Unsubscribe carry them. */
  links(r: PreparedRecipient): RecipientLinks {
    return recipientLinks(
      this.signingKey,
      this.frame.origin,
      { subscriberId: r.subscriberId, linkVersion: r.linkVersion },
      this.frame.newsletterId,
      this.frame.issueId,
    );
  }

  /**
   * One recipient's copy as the list of its parts, or null to build it the slow way (an address that is
   * not plain ASCII). `parts` is the message (CRLF line ends); `stuffed` the same dot-stuffed for DATA.
   */
  copy(r: PreparedRecipient, now = Date.now()): PreparedCopy | null {
    if (!this.plain || !PLAIN_ADDRESS.test(r.email)) return null;
    const links = this.links(r);
    const own =
      `To: ${r.email}${CRLF}Date: ${dateHeader(now)}${CRLF}` +
      `Message-ID: ${bulkMessageId(this.frame.issueId, r.subscriberId, this.domain)}${CRLF}` +
      `List-Unsubscribe: <${links.unsubscribe}>,${CRLF} <${links.unsubscribeMailto}>${CRLF}`;
    const parts: Buffer[] = new Array(this.pieces.length);
    const stuffed: Buffer[] = new Array(this.pieces.length);
    for (let i = 0; i < this.pieces.length; i++) {
      const p = this.pieces[i]!;
      if (Buffer.isBuffer(p)) {
        parts[i] = p;
        stuffed[i] = this.stuffedPieces[i] as Buffer;
        continue;
      }
      // The per-recipient parts never start a line with a dot (headers; qpLink encodes one): the same bytes.
      parts[i] = stuffed[i] = Buffer.from(
        p === 'headers'
          ? own
          : qpLink(p === 'preferences' ? links.preferences : links.unsubscribe, this.lastSlots.has(i)),
        'latin1',
      );
    }
    return { from: this.frame.senderEmail, to: r.email, parts, stuffed };
  }

  /** One recipient's copy as one Buffer (not dot-stuffed), or null as for copy(). */
  render(r: PreparedRecipient, now = Date.now()): Buffer | null {
    const c = this.copy(r, now);
    return c ? Buffer.concat(c.parts) : null;
  }
}
