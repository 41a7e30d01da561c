// DKIM for bulk mail: the key nodemailer signs with (DATELINE_DKIM_DOMAIN, _SELECTOR, _KEY_FILE), and what
// `dateline mail dkim` makes: a 2048-bit RSA key written to a file only its owner can read, the DNS TXT
// record that publishes its public half, and the SPF and DMARC records a domain should have beside it.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DatelineError } from '../errors/catalogue.ts';

export interface DkimKey {
  domain: string;
  selector: string;
  /** PEM (PKCS#8 or PKCS#1). */
  privateKey: string;
}

export interface DkimSettings {
  dkimDomain: string | null;
  dkimSelector: string;
  dkimKeyFile: string | null;
}

const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const SELECTOR = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function validDkimDomain(d: string): boolean {
  return DOMAIN.test(d);
}

export function validDkimSelector(s: string): boolean {
  return SELECTOR.test(s);
}

/** The configured signing key, or null when DKIM is not set up. A key file that cannot be read stops the start. */
export function loadDkimKey(s: DkimSettings): DkimKey | null {
  if (!s.dkimDomain && !s.dkimKeyFile) return null;
  if (!s.dkimDomain || !s.dkimKeyFile) {
    throw new DatelineError(
      'CONFIG_INVALID',
      'DKIM needs both DATELINE_DKIM_DOMAIN and DATELINE_DKIM_KEY_FILE (make a key with `dateline mail dkim --domain example.com`).',
      { setting: s.dkimDomain ? 'DATELINE_DKIM_KEY_FILE' : 'DATELINE_DKIM_DOMAIN' },
    );
  }
  let pem: string;
  try {
    pem = readFileSync(s.dkimKeyFile, 'utf8');
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`a ${key.asymmetricKeyType} key, not RSA`);
  } catch (e) {
    throw new DatelineError(
      'CONFIG_INVALID',
      `DATELINE_DKIM_KEY_FILE ${s.dkimKeyFile} cannot be read as an RSA private key (${(e as Error).message}). Make one with \`dateline mail dkim --domain ${s.dkimDomain}\`.`,
      { setting: 'DATELINE_DKIM_KEY_FILE' },
    );
  }
  return { domain: s.dkimDomain, selector: s.dkimSelector, privateKey: pem };
}

/** A new 2048-bit RSA key pair: the private half as PKCS#8 PEM, the public half as base64 SPKI (DER). */
export function generateDkimKey(): { privateKeyPem: string; publicKeyBase64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/** The public half of a private key, as the p= value of the DNS record. */
export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
}

export interface DnsRecord {
  name: string;
  type: 'TXT';
  value: string;
  /** What the operator does with it. */
  note: string;
}

/** The TXT value split into quoted strings of at most 255 characters, as DNS zone files need. */
export function zoneText(value: string): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 255) parts.push(`"${value.slice(i, i + 255)}"`);
  return parts.join(' ');
}

export function dkimRecords(domain: string, selector: string, publicKeyBase64: string): DnsRecord[] {
  return [
    {
      name: `${selector}._domainkey.${domain}`,
      type: 'TXT',
      value: `v=DKIM1; k=rsa; p=${publicKeyBase64}`,
      note: 'Publish: the public key receivers check the DKIM-Signature against.',
    },
    {
      name: domain,
      type: 'TXT',
      value: 'v=spf1 mx include:<your SMTP provider> ~all',
      note: 'Check: the SPF record must allow the servers your SMTP_URL relays through (only one v=spf1 record per name).',
    },
    {
      name: `_dmarc.${domain}`,
      type: 'TXT',
      value: `v=DMARC1; p=none; rua=mailto:dmarc@${domain}; adkim=r; aspf=r`,
      note: 'Check: a DMARC policy; start with p=none, read the reports, then move to quarantine or reject.',
    },
  ];
}
