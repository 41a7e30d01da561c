// `dateline mail dkim --domain example.com [--selector dateline] [--out FILE] [--force]`: makes a 2048-bit
// RSA key for DKIM-signing bulk mail, writes it to a file only its owner can read (mode 0600; an existing
// file is kept unless --force), and prints the DNS record to publish, the SPF and DMARC records to check,
// and the settings that turn signing on. Needs no database.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/config.ts';
import { dkimRecords, generateDkimKey, validDkimDomain, validDkimSelector, zoneText } from '../mail/dkim.ts';
import { EXIT, UsageError } from './args.ts';

export interface DkimCommandValues {
  domain?: string;
  selector?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

export function runDkimCommand(
  values: DkimCommandValues,
  usage: string,
  print: (line: string) => void = console.log,
  cwd = process.cwd(),
): number {
  const domain = values.domain?.trim().toLowerCase();
  if (!domain || !validDkimDomain(domain))
    throw new UsageError(
      `mail dkim needs --domain, the domain of your sender addresses (e.g. example.com).\n\n${usage}`,
    );
  const selector = (values.selector ?? 'dateline').trim().toLowerCase();
  if (!validDkimSelector(selector))
    throw new UsageError(`--selector takes letters, digits and hyphens (e.g. dateline).\n\n${usage}`);
  const out = resolve(
    cwd,
    values.out ?? `${loadConfig(process.env, cwd).dataDir}/dkim-${selector}.${domain}.pem`,
  );
  if (existsSync(out) && !values.force) {
    console.error(
      `${out} exists already; it is kept. Use --force to replace it (the old DNS record then stops matching).`,
    );
    return EXIT.failure;
  }
  const key = generateDkimKey();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, key.privateKeyPem, { mode: 0o600 });
  const records = dkimRecords(domain, selector, key.publicKeyBase64);
  if (values.json) {
    print(JSON.stringify({ keyFile: out, domain, selector, records }, null, 2));
    return EXIT.ok;
  }
  print(`Wrote a 2048-bit RSA private key to ${out} (readable by its owner only).\n`);
  print('Turn DKIM signing of newsletters on with these settings:');
  print(`  DATELINE_DKIM_DOMAIN=${domain}`);
  print(`  DATELINE_DKIM_SELECTOR=${selector}`);
  print(`  DATELINE_DKIM_KEY_FILE=${out}\n`);
  for (const r of records) {
    print(r.note);
    print(`  ${r.name}. IN TXT ${zoneText(r.value)}\n`);
  }
  return EXIT.ok;
}
