// `dateline mail outbox`: read the mail the network has sent or queued. Without SMTP_URL this is where
// mail goes, so the demo works with no mail server; with SMTP it is the record of what was handed over.
import pino from 'pino';
import { loadConfig } from '../config/config.ts';
import { openRuntime } from '../runtime.ts';
import { type Command, EXIT, parse, showHelp, UsageError } from './args.ts';
import { runDkimCommand } from './dkim-command.ts';

const USAGE = `Usage:
  dateline mail outbox [--to EMAIL] [--limit N] [--show ID] [--json]
  dateline mail dkim --domain DOMAIN [--selector dateline] [--out FILE] [--force] [--json]

outbox lists the newest messages first. --show prints one message's text in full. Queued mail is delivered by
the server's job worker; run this while or after the server runs.
dkim makes a 2048-bit DKIM key for newsletters and prints the DNS records to publish and check.`;

const OPTIONS = {
  to: { type: 'string' },
  limit: { type: 'string' },
  show: { type: 'string' },
  json: { type: 'boolean' },
  domain: { type: 'string' },
  selector: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
} as const;

export const mailCommand: Command = {
  name: 'mail',
  summary: 'Read the mail outbox; make a DKIM key',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parse(argv, OPTIONS, USAGE);
    if (values.help) return showHelp(USAGE);
    if (positionals[0] === 'dkim') return runDkimCommand(values, USAGE);
    if (positionals[0] !== 'outbox') throw new UsageError(`mail takes outbox or dkim.\n\n${USAGE}`);
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new UsageError(`--limit takes a whole number from 1 to 1000.\n\n${USAGE}`);
    const rt = await openRuntime(loadConfig(), pino({ level: 'error' }));
    try {
      const mails = await rt.mail.outbox({ to: values.to, limit: values.show ? 1000 : limit });
      if (values.show) {
        const m = mails.find((x) => String(x.id) === values.show);
        if (!m) {
          console.error(`No message ${values.show}. List them with: dateline mail outbox`);
          return EXIT.failure;
        }
        console.log(
          `To: ${m.to}\nSubject: ${m.subject}\nDate: ${m.createdAt.toISOString()}\nState: ${m.sentAt ? `delivered (${m.transport})` : m.transport === 'capped' ? 'not sent: over the per-recipient hourly cap' : 'queued'}\n\n${m.text}`,
        );
        return EXIT.ok;
      }
      if (values.json) console.log(JSON.stringify(mails, null, 2));
      else if (mails.length === 0) console.log('The outbox is empty.');
      else {
        for (const m of mails) {
          console.log(
            `${String(m.id).padEnd(6)} ${m.createdAt.toISOString().slice(0, 19)}  ${(m.sentAt ? m.transport : (m.transport ?? 'queued'))?.padEnd(7)} ${m.to.padEnd(30)} ${m.subject}`,
          );
        }
      }
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
