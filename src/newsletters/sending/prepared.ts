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
import { createHash, createPrivateKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import type { DkimKey } from '../../mail/dkim.ts';
import { type RecipientLinks, recipientLinks } from '../links.ts';
import { PLACEHOLDER } from './content.ts';
import { bulkHeaders, bulkMessageId, domainOf, type IssueFrame } from './message.ts';

/** One recipient's copy: the envelope and the message's parts (see PreparedIssue.copy). */
export interface PreparedCopy {
  from: string;
  to: string;
  parts: Buffer[];
  stuffed: Buffer[];
  /** The recipient's own headers as written (To, Date, Message-ID, List-Unsubscribe). */
  own: string;
  issue: PreparedIssue;
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
  // The common case, a printable ASCII link, in a few slices: building it a character at a time made ~4 KB
  // of cons-strings per link, most of the sending process's garbage (and, through promotion, its RSS).
  if (!/^[\x21-\x7e]*$/.test(link)) return qpLinkSlow(link, last);
  const enc = link.replace(/=/g, '=3D');
  const lines: string[] = [];
  for (let at = 0; at < enc.length; ) {
    // A dot opening a line is encoded, so the copy needs no SMTP dot-stuffing there.
    const dot = enc[at] === '.';
    let end = Math.min(enc.length, at + (dot ? QP_LINE - 3 : QP_LINE - 1));
    // Never end a line inside an "=3D".
    if (end < enc.length) {
      if (enc[end - 1] === '=') end -= 1;
      else if (enc[end - 2] === '=') end -= 2;
    }
    lines.push(dot ? `=2E${enc.slice(at + 1, end)}` : enc.slice(at, end));
    at = end;
  }
  const out = lines.join(`=${CRLF}`);
  return last ? out : `${out}=${CRLF}`;
}

/** qpLink for a link with characters outside printable ASCII: encoded byte by byte. */
function qpLinkSlow(link: string, last: boolean): string {
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

/** The piece where the body begins (after the From block, the recipient's headers and the shared ones). */
const BODY_START = 3;

/** The headers a DKIM signature covers when present, in the signing order (as the nodemailer transport). */
const DKIM_SIGNED = [
  'from',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'mime-version',
  'content-type',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'precedence',
  'feedback-id',
];

/** RFC 6376 §3.4.4: white space runs become one space, none is left at line ends. */
function relaxedBody(text: string): string {
  return text.replace(/[ \t]+/g, ' ').replace(/ \r\n/g, CRLF);
}

/** RFC 6376 §3.4.2, per header field of a block: lower-case name, unfolded, white space runs as one. */
function relaxedHeaders(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const field of block.split(/\r\n(?![ \t])/)) {
    const at = field.indexOf(':');
    if (at <= 0) continue;
    const name = field.slice(0, at).trim().toLowerCase();
    const value = field
      .slice(at + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim();
    out.set(name, `${name}:${value}`);
  }
  return out;
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
    head += `Content-Type: multipart/alternative; boundary="${boundary}"${CRLF}`;
    const partHead = (type: string) =>
      `--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`;
    const from =
      header('From', mailbox(frame.senderName, frame.senderEmail)) +
      (frame.replyTo ? header('Reply-To', frame.replyTo) : '') +
      header('Subject', headerText(frame.content.subject));
    this.staticHeaders = `${from}${head}`;
    this.pieces = [
      Buffer.from(from, 'latin1'),
      'headers',
      Buffer.from(head, 'latin1'),
      // The body starts after this piece's first CRLF (the empty line after the headers).
      Buffer.from(CRLF + partHead('text/plain'), 'latin1'),
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
  /** The headers every copy shares, as written (for DKIM's header hash). */
  private readonly staticHeaders: string;
  /** DKIM's relaxed form of the shared pieces, made on the first signed copy (see dkimHeader). */
  private dkimState: {
    key: DkimKey;
    privateKey: KeyObject;
    body: (Buffer | null)[];
    headers: Map<string, string>;
  } | null = null;
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
    return { from: this.frame.senderEmail, to: r.email, parts, stuffed, own, issue: this };
  }

  /**
   * The DKIM-Signature header (with its CRLF) for a copy of this issue: rsa-sha256, relaxed/relaxed
   * (RFC 6376), over SIGNED_HEADERS as present. The body hash runs over the shared pieces' relaxed form,
   * made once per issue (every shared body piece starts a line and no per-recipient piece has white space,
   * so the pieces' relaxed forms put together are the body's), and the recipient's links; the RSA signature
   * per copy is what costs (about a millisecond).
   */
  dkimHeader(copy: PreparedCopy, key: DkimKey): Buffer {
    if (this.dkimState?.key !== key) {
      const body = this.pieces.map((p, i) => {
        if (!Buffer.isBuffer(p) || i < BODY_START) return null;
        const text = i === BODY_START ? p.toString('latin1').slice(CRLF.length) : p.toString('latin1');
        return Buffer.from(relaxedBody(text), 'latin1');
      });
      this.dkimState = {
        key,
        privateKey: createPrivateKey(key.privateKey),
        body,
        headers: relaxedHeaders(this.staticHeaders),
      };
    }
    const st = this.dkimState;
    const hash = createHash('sha256');
    for (let i = BODY_START; i < copy.parts.length; i++) hash.update(st.body[i] ?? copy.parts[i]!);
    const own = relaxedHeaders(copy.own);
    const names: string[] = [];
    let data = '';
    for (const name of DKIM_SIGNED) {
      const line = own.get(name) ?? st.headers.get(name);
      if (line === undefined) continue;
      names.push(name);
      data += `${line}${CRLF}`;
    }
    const value = `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${key.domain}; q=dns/txt; s=${key.selector}; bh=${hash.digest('base64')}; h=${names.join(':')}; b=`;
    const b = sign('sha256', Buffer.from(`${data}dkim-signature:${value}`, 'latin1'), st.privateKey).toString(
      'base64',
    );
    // Folded where relaxed canonicalization undoes it: after each "; " and inside the b= value.
    const folded = `${value.replace(/; /g, `;${CRLF} `)}${b.replace(/.{1,72}/g, `${CRLF} $&`)}`;
    return Buffer.from(`DKIM-Signature: ${folded}${CRLF}`, 'latin1');
  }

  /** One recipient's copy as one Buffer (not dot-stuffed), or null as for copy(). */
  render(r: PreparedRecipient, now = Date.now()): Buffer | null {
    const c = this.copy(r, now);
    return c ? Buffer.concat(c.parts) : null;
  }
}
