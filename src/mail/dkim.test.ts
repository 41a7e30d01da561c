import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runDkimCommand } from '../cli/dkim-command.ts';
import { isDatelineError } from '../errors/catalogue.ts';
import { startBulkSink } from '../newsletters/sending/testing.ts';
import { SmtpBulkTransport } from '../newsletters/sending/transport.ts';
import { type DnsRecord, loadDkimKey } from './dkim.ts';

/**
 * Verifies a message's DKIM-Signature (RFC 6376, rsa-sha256, simple or relaxed canonicalisation) against
 * a public key given as the DNS record's p= value: written from the RFC, not from the signer's code.
 */
function verifyDkim(raw: string, publicKeyBase64: string): { ok: boolean; tags: Record<string, string> } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const fields = head.split(/\r\n(?![ \t])/).map((f) => ({ name: f.slice(0, f.indexOf(':')), field: f }));
  const sig = fields.find((f) => f.name.toLowerCase() === 'dkim-signature');
  assert.ok(sig, 'the message has a DKIM-Signature');
  const value = sig.field.slice(sig.field.indexOf(':') + 1);
  const tags: Record<string, string> = {};
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags[part.slice(0, eq).trim()] = part.slice(eq + 1).replace(/\s+/g, '');
  }
  const [hc, bc = 'simple'] = (tags.c ?? 'simple/simple').split('/');
  let canonBody: string;
  if (bc === 'relaxed') {
    const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    canonBody = lines.length ? `${lines.join('\r\n')}\r\n` : '';
  } else {
    canonBody = `${body.replace(/(\r\n)*$/, '')}\r\n`;
  }
  const bh = createHash('sha256').update(canonBody).digest('base64');
  if (bh !== tags.bh) return { ok: false, tags };
  const canon = (field: string) => {
    if (hc !== 'relaxed') return field;
    const i = field.indexOf(':');
    return `${field.slice(0, i).toLowerCase().trim()}:${field
      .slice(i + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim()}`;
  };
  const used = new Set<number>();
  const signed: string[] = [];
  for (const name of tags.h!.split(':')) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (!used.has(i) && fields[i]!.name.toLowerCase().trim() === name.toLowerCase()) {
        used.add(i);
        signed.push(`${canon(fields[i]!.field)}\r\n`);
        break;
      }
    }
  }
  const emptied = sig.field.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2');
  const data = signed.join('') + canon(emptied);
  const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
  return { ok: verify('sha256', Buffer.from(data), key, Buffer.from(tags.b!, 'base64')), tags };
}

function makeKey(dir: string, domain = 'example.com') {
  const lines: string[] = [];
  const code = runDkimCommand(
    { domain, selector: 'news2026', out: join(dir, 'dkim.pem'), json: true },
    'usage',
    (l) => lines.push(l),
  );
  assert.equal(code, 0);
  return JSON.parse(lines.join('\n')) as { keyFile: string; records: DnsRecord[] };
}

test('dateline mail dkim: a 2048-bit key in a 0600 file, the DKIM record to publish and the SPF and DMARC records to check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dkim-'));
  const out = makeKey(dir);
  assert.equal(statSync(out.keyFile).mode & 0o777, 0o600);
  const [dkim, spf, dmarc] = out.records;
  assert.equal(dkim!.name, 'news2026._domainkey.example.com');
  const p = /^v=DKIM1; k=rsa; p=([A-Za-z0-9+/=]+)$/.exec(dkim!.value)![1]!;
  const pub = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
  assert.equal(pub.asymmetricKeyDetails?.modulusLength, 2048);
  assert.match(spf!.value, /^v=spf1 /);
  assert.equal(dmarc!.name, '_dmarc.example.com');
  assert.match(dmarc!.value, /^v=DMARC1; p=none/);
  // An existing key is kept unless --force.
  const before = readFileSync(out.keyFile, 'utf8');
  assert.equal(
    runDkimCommand({ domain: 'example.com', out: out.keyFile }, 'usage', () => {}),
    1,
  );
  assert.equal(readFileSync(out.keyFile, 'utf8'), before);
  assert.throws(() => runDkimCommand({ domain: 'not a domain' }, 'usage', () => {}));
});

test('a bulk mail signed with the configured key verifies against the printed DNS record', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dkim-'));
  const out = makeKey(dir);
  const p = /p=([A-Za-z0-9+/=]+)$/.exec(out.records[0]!.value)![1]!;
  const key = loadDkimKey({ dkimDomain: 'example.com', dkimSelector: 'news2026', dkimKeyFile: out.keyFile });
  const sink = await startBulkSink({ keepRaw: true });
  const t = new SmtpBulkTransport({ smtpUrl: sink.url, maxConnections: 1, dkim: key });
  try {
    const res = await t.send({
      from: '"The Times" <news@example.com>',
      envelopeFrom: 'news@example.com',
      replyTo: null,
      to: 'reader@example.org',
      subject: 'Morning briefing — 2 December',
      html: '<p>Good morning.   Spaces  and ünïcode.</p>',
      text: 'Good morning.\n\n\n',
      messageId: '<nl.1.2@example.com>',
      headers: {
        'List-Unsubscribe': '<https://news.example.com/newsletters/unsubscribe?t=x>',
        Precedence: 'bulk',
      },
    });
    assert.deepEqual(res, { kind: 'sent' });
    const raw = sink.raw[0]!.data;
    const v = verifyDkim(raw, p);
    assert.equal(v.tags.d, 'example.com');
    assert.equal(v.tags.s, 'news2026');
    assert.equal(v.tags.a, 'rsa-sha256');
    assert.ok(v.ok, 'the signature verifies');
    // The verifier does check: a changed header or body no longer verifies.
    assert.ok(raw.includes('Precedence: bulk') && raw.includes('Good morning.'));
    assert.equal(verifyDkim(raw.replace('Precedence: bulk', 'Precedence: list'), p).ok, false);
    assert.equal(verifyDkim(raw.replace('Good morning.', 'Good evening.'), p).ok, false);
  } finally {
    t.close();
    await sink.close();
  }
});

test('DKIM settings: domain and key file go together; an unreadable key stops the start', () => {
  assert.equal(loadDkimKey({ dkimDomain: null, dkimSelector: 'dateline', dkimKeyFile: null }), null);
  assert.throws(
    () => loadDkimKey({ dkimDomain: 'example.com', dkimSelector: 'dateline', dkimKeyFile: null }),
    (e) => isDatelineError(e, 'CONFIG_INVALID'),
  );
  assert.throws(
    () =>
      loadDkimKey({
        dkimDomain: 'example.com',
        dkimSelector: 'dateline',
        dkimKeyFile: '/nonexistent/key.pem',
      }),
    (e) => isDatelineError(e, 'CONFIG_INVALID'),
  );
});
