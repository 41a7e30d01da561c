import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { after, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { readRecipientToken } from '../links.ts';
import { PLACEHOLDER, personalise } from './content.ts';
import { buildMessage, type IssueFrame } from './message.ts';
import { PreparedIssue, qpLink } from './prepared.ts';
import { type BulkSink, startBulkSink } from './testing.ts';
import { SmtpBulkTransport } from './transport.ts';

const key = randomBytes(32);
const P = PLACEHOLDER;

// Content that tries the encoder: non-ASCII, a line over 76 characters, lines starting with a dot, trailing
// spaces right before a link, runs of spaces, links at the very start and very end of a part.
const html = [
  '<!doctype html>',
  `<p>Grüße aus Tōkyō — ${'long line of words '.repeat(12)}</p>`,
  '.starts with a dot',
  `<a href="${P.preferences}">Preferences</a>    <a href="${P.unsubscribe}">Unsubscribe</a>`,
  `<p>again   ${P.unsubscribe}</p>`,
  `<a href="${P.unsubscribe}">`,
].join('\n');
const text = `${P.preferences}\nCafé ☕ news.\n.\nUnsubscribe:   \t${P.unsubscribe}\n${'x'.repeat(200)}\n${P.unsubscribe}`;

function frame(over: Partial<IssueFrame> = {}): IssueFrame {
  return {
    issueId: 41,
    newsletterId: 7,
    newsletterSlug: 'morning',
    newsletterName: 'Morgen-Überblick',
    siteId: 1,
    siteSlug: 'news',
    siteHost: 'news.example.com',
    origin: 'https://news.example.com',
    senderName: 'Die Zeitung, Köln',
    senderEmail: 'news@example.com',
    replyTo: 'desk@example.com',
    content: { subject: 'Morgen: Überschwemmung in der Altstadt', html, text, campaign: 'morning' },
    ...over,
  };
}

const sinks: BulkSink[] = [];
const transports: SmtpBulkTransport[] = [];
after(async () => {
  for (const t of transports) t.close();
  for (const s of sinks) await s.close();
});

/** Lines of the raw message: CRLF only, headers ≤ 998, body lines ≤ 76 (quoted-printable). */
function checkLines(raw: string): void {
  assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(raw), 'only CRLF line ends');
  const [head, ...rest] = raw.split('\r\n\r\n');
  for (const l of head!.split('\r\n')) assert.ok(l.length <= 998, `header line of ${l.length}`);
  for (const l of rest.join('\r\n\r\n').split('\r\n'))
    assert.ok(l.length <= 76, `body line of ${l.length}: ${l}`);
}

test('a recipient’s copy parses as the issue with their own links, headers and encoding valid', async () => {
  const f = frame();
  const p = new PreparedIssue(f, key);
  const r = { email: 'reader.one@example.org', subscriberId: 1234, linkVersion: 3 };
  const raw = p.render(r, Date.parse('2026-12-03T06:00:00Z'))!;
  const s = raw.toString('latin1');
  checkLines(s);
  const m = await simpleParser(raw);
  const links = p.links(r);
  const put = { preferences: links.preferences, unsubscribe: links.unsubscribe };
  const lf = (x: string) => x.replace(/\r\n/g, '\n');
  assert.equal(lf(m.html as string), personalise(html, put));
  assert.equal(lf(m.text!).replace(/\n$/, ''), personalise(text, put));
  assert.equal(m.subject, f.content.subject);
  assert.equal(m.from?.value[0]?.name, 'Die Zeitung, Köln');
  assert.equal(m.from?.value[0]?.address, 'news@example.com');
  assert.equal((m.to as { text: string }).text, 'reader.one@example.org');
  assert.equal(m.messageId, '<nl.41.1234@example.com>');
  assert.equal(m.date?.toISOString(), '2026-12-03T06:00:00.000Z');
  assert.equal(m.headers.get('precedence'), 'bulk');
  assert.equal(m.headers.get('feedback-id'), '41:morning:news:dateline');
  assert.match(s, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
  assert.match(s, /^Reply-To: desk@example\.com\r$/m);
  assert.ok(
    s.includes(`List-Unsubscribe: <${links.unsubscribe}>,\r\n <${links.unsubscribeMailto}>\r\n`),
    'List-Unsubscribe carries the https and mailto links, folded between them',
  );
  // The links are this recipient's, signed, and carry the issue.
  const token = new URL(links.unsubscribe).searchParams.get('t')!;
  assert.deepEqual(readRecipientToken(key, token), { subscriberId: 1234, linkVersion: 3, newsletterId: 7 });
  assert.equal(new URL(links.unsubscribe).searchParams.get('i'), '41');
  // The same headers and decoded parts as the nodemailer-built copy the outbox keeps.
  const slow = buildMessage(f, { email: r.email, subscriberId: r.subscriberId }, links);
  assert.equal(lf(m.html as string), slow.html);
  assert.equal(slow.headers['List-Unsubscribe'], `<${links.unsubscribe}>, <${links.unsubscribeMailto}>`);
});

test('two recipients’ copies differ only in their own parts; odd addresses go the slow way', () => {
  const p = new PreparedIssue(frame(), key);
  const at = Date.now();
  const a = p.render({ email: 'a@example.org', subscriberId: 1, linkVersion: 1 }, at)!.toString('latin1');
  const b = p.render({ email: 'b@example.org', subscriberId: 2, linkVersion: 1 }, at)!.toString('latin1');
  assert.notEqual(a, b);
  const strip = (x: string) =>
    x
      .replace(/=\r\n/g, '')
      .replace(/t=3D[^&"\s<>]+|t=[^&"\s<>]+|unsubscribe%20[^>\s]+|nl\.41\.\d+|To: \S+/g, '');
  assert.equal(strip(a), strip(b));
  assert.equal(p.render({ email: 'rené@exämple.org', subscriberId: 3, linkVersion: 1 }), null);
  assert.equal(p.render({ email: 'a@b>c', subscriberId: 3, linkVersion: 1 }), null);
  assert.equal(
    new PreparedIssue(frame({ senderEmail: 'nachrichten@zeitung.köln' }), key).render({
      email: 'a@example.org',
      subscriberId: 1,
      linkVersion: 1,
    }),
    null,
    'a sender address that is not ASCII is nodemailer’s to encode',
  );
});

test('a link is cut into QP lines of at most 76, never inside an escape, never starting with a dot', () => {
  const link = `https://news.example.com/newsletters/unsubscribe?t=${'a.='.repeat(60)}&i=9`;
  const enc = qpLink(link, false);
  for (const l of enc.split('\r\n').slice(0, -1)) {
    assert.ok(l.length <= 76 && l.endsWith('='), l);
    assert.ok(!l.startsWith('.'), 'a dot at a line start would need SMTP dot-stuffing');
  }
  assert.equal(enc.replace(/=\r\n/g, '').replace(/=3D/g, '=').replace(/=2E/g, '.'), link);
  assert.ok(!qpLink('https://x/y', true).endsWith('\r\n'));
});

/** A minimal DKIM verifier (relaxed/relaxed, rsa-sha256, RFC 6376 §3.4 and §3.7) for the signed copies. */
function dkimVerifies(raw: string, publicKeyPem: string): { ok: boolean; signed: string[] } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split + 2);
  const body = raw.slice(split + 4);
  const fields = head.split(/\r\n(?![ \t])/).filter(Boolean);
  const sigField = fields.find((f) => /^dkim-signature:/i.test(f))!;
  const tags = Object.fromEntries(
    sigField
      .slice(sigField.indexOf(':') + 1)
      .replace(/\s+/g, '')
      .split(';')
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const relaxedHeader = (f: string) => {
    const i = f.indexOf(':');
    return `${f.slice(0, i).trim().toLowerCase()}:${f
      .slice(i + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim()}`;
  };
  let canonBody = body
    .split('\r\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
    .join('\r\n');
  canonBody = `${canonBody.replace(/(\r\n)*$/, '')}\r\n`;
  const bh = createHash('sha256').update(canonBody, 'latin1').digest('base64');
  if (bh !== tags.bh) return { ok: false, signed: [] };
  const names = tags.h!.split(':');
  const used = new Set<number>();
  let data = '';
  for (const n of names) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (
        used.has(i) ||
        fields[i]!.slice(0, fields[i]!.indexOf(':')).trim().toLowerCase() !== n.toLowerCase()
      )
        continue;
      used.add(i);
      data += `${relaxedHeader(fields[i]!)}\r\n`;
      break;
    }
  }
  data += relaxedHeader(sigField)
    .replace(/b=[^;]*$/, 'b=')
    .replace(/([; ])b=[^;]*(;|$)/, '$1b=$2');
  const ok = verify(
    'sha256',
    Buffer.from(data, 'latin1'),
    createPublicKey(publicKeyPem),
    Buffer.from(tags.b!, 'base64'),
  );
  return { ok, signed: names.map((n) => n.toLowerCase()) };
}

test('over SMTP through nodemailer with DKIM: the prepared copy arrives signed, the signature verifies and covers the bulk headers', async () => {
  const sink = await startBulkSink({ keepRaw: true });
  sinks.push(sink);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // A URL with an option is nodemailer's: it signs the raw copy with its own DKIM signer, which checks
  // this test's verifier against an independent implementation.
  const t = new SmtpBulkTransport({
    smtpUrl: `${sink.url}?ignoreTLS=true`,
    maxConnections: 1,
    dkim: {
      domain: 'example.com',
      selector: 'dl1',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  });
  transports.push(t);
  const p = new PreparedIssue(frame(), key);
  const r = { email: 'signed@example.org', subscriberId: 5, linkVersion: 1 };
  const out = await t.sendCopy(p.copy(r)!);
  assert.deepEqual(out, { kind: 'sent' });
  await sink.waitForTotal(1);
  const raw = sink.raw[0]!.data;
  assert.match(raw, /^DKIM-Signature: /m);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const v = dkimVerifies(raw, pem);
  assert.ok(v.ok, 'the DKIM signature verifies');
  for (const h of [
    'from',
    'to',
    'subject',
    'message-id',
    'list-unsubscribe',
    'list-unsubscribe-post',
    'precedence',
    'feedback-id',
  ])
    assert.ok(v.signed.includes(h), `${h} is signed`);
  // A changed link breaks it: the body hash covers the recipient's links.
  assert.equal(dkimVerifies(raw.replace('t=3D5.', 't=3D6.'), pem).ok, false);
  const m = await simpleParser(raw);
  assert.ok((m.html as string).includes(p.links(r).unsubscribe));
});

test('DKIM by the prepared issue itself (the bulk pool’s path): each copy’s signature verifies', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dkim = {
    domain: 'example.com',
    selector: 'dl1',
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const p = new PreparedIssue(frame(), key);
  for (const r of [
    { email: 'one@example.org', subscriberId: 5, linkVersion: 1 },
    { email: 'two@example.org', subscriberId: 6, linkVersion: 2 },
  ]) {
    const c = p.copy(r)!;
    const signed = Buffer.concat([p.dkimHeader(c, dkim), ...c.parts]).toString('latin1');
    checkLines(signed);
    const v = dkimVerifies(signed, pem);
    assert.ok(v.ok, `the signature of ${r.email}’s copy verifies`);
    assert.deepEqual(v.signed, [
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
    ]);
    assert.equal(dkimVerifies(signed.replace(r.email, 'x@example.org'), pem).ok, false);
  }
  // And over the wire through the pool, signed by the transport.
  const sink = await startBulkSink({ keepRaw: true });
  sinks.push(sink);
  const t = new SmtpBulkTransport({ smtpUrl: sink.url, maxConnections: 1, dkim });
  transports.push(t);
  const c = p.copy({ email: 'wire@example.org', subscriberId: 9, linkVersion: 1 })!;
  assert.deepEqual(await t.sendCopy(c), { kind: 'sent' });
  await sink.waitForTotal(1);
  assert.ok(dkimVerifies(sink.raw.at(-1)!.data, pem).ok);
});
