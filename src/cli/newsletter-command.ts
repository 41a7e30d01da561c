// `dateline newsletter …`: an operator's view of the newsletters and their sends, on the same services the
// admin uses. list shows per site its digests and alert list: the schedule in words, the next issue in the
// site's zone, confirmed subscribers and the last send. send-now composes a digest's next issue at once and
// starts its send (rt.digests.sendNow); the server's job worker sends it, or with --wait this process runs
// the worker until the send is over (so it works with no server running). status, pause, resume and cancel
// work on one issue (rt.newsletterSender); a change the issue's state does not allow is the engine's
// DATELINE_ERR_NEWSLETTER_ISSUE_STATE, which main.ts prints with its code and a non-zero exit.
import { userInfo } from 'node:os';
import type { Newsletter } from '../newsletters/lists.ts';
import type { SendProgress } from '../newsletters/sending/engine.ts';
import { howOften } from '../newsletters/signup/schedule-words.ts';
import type { IssueStatus } from '../newsletters/tables.ts';
import type { Runtime } from '../runtime.ts';
import { type Command, EXIT, numericId, parse, showHelp, siteIdOf, UsageError } from './args.ts';
import { withRuntime } from './with-runtime.ts';

const USAGE = `Usage:
  dateline newsletter list [--site SITE] [--json]
      Every site's newsletters and alert list: schedule, next issue (in the site's time zone), confirmed
      subscribers, and the last send with its status.
  dateline newsletter send-now NEWSLETTER --site SITE [--wait [--timeout SECONDS]] [--json]
      Composes the digest's next issue now and starts its send (NEWSLETTER is its slug or id). The server's
      job worker sends it; with --wait this command sends it itself and prints the figures when it is done.
      --timeout (default 3600) stops waiting after that many seconds and leaves the rest to the server's
      worker. The schedule carries on as it was.
  dateline newsletter status ISSUE [--json]
      A send's progress: sent of total, failed, deferred, bounced, unsubscribed, rate, time left, note.
  dateline newsletter pause ISSUE | resume ISSUE | cancel ISSUE
      Pause a send, resume a paused one, or stop one for good (messages not yet handed over are dropped).`;

const OPTIONS = {
  site: { type: 'string' },
  json: { type: 'boolean' },
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

/** How long send-now --wait sends before it leaves the rest to the server, unless --timeout says. */
const DEFAULT_WAIT_SECONDS = 3600;

// ------------------------------------------------------------------------------------------------ list

export interface LastSend {
  issueId: number;
  status: IssueStatus;
  startedAt: string | null;
  finishedAt: string | null;
  recipients: number;
  sent: number;
  failed: number;
  note: string | null;
}

export interface NewsletterRow {
  id: number;
  slug: string;
  name: string;
  kind: Newsletter['kind'];
  active: boolean;
  schedule: string;
  nextIssueAt: string | null;
  /** The next issue's time as the site's readers would read it. */
  nextIssueLocal: string | null;
  confirmedSubscribers: number;
  pendingSubscribers: number;
  lastSend: LastSend | null;
}

export interface SiteNewsletters {
  site: { slug: string; name: string; timeZone: string };
  newsletters: NewsletterRow[];
}

/** "Thu 3 Dec 2026, 07:00 GMT+9" in the given zone. */
export function localTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(at);
}

const iso = (v: unknown): string | null => (v == null ? null : new Date(v as string | Date).toISOString());

export async function listNewsletters(rt: Runtime, siteSlug?: string): Promise<SiteNewsletters[]> {
  const contexts = rt.directory
    .all()
    .filter((c) => siteSlug === undefined || c.site.slug === siteSlug)
    .sort((a, b) => a.site.slug.localeCompare(b.site.slug));
  if (siteSlug !== undefined && contexts.length === 0) siteIdOf(rt, siteSlug, USAGE);
  const out: SiteNewsletters[] = [];
  for (const ctx of contexts) {
    const lists = await rt.newsletterSignup.lists.listBySite(ctx.site.id);
    const ids = lists.map((l) => l.id);
    const counts = new Map<string, number>();
    const last = new Map<number, LastSend>();
    if (ids.length > 0) {
      const rows = await rt.db.kysely
        .selectFrom('newsletter_subscriptions')
        .select(['newsletter_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('newsletter_id', 'in', ids)
        .groupBy(['newsletter_id', 'status'])
        .execute();
      for (const r of rows) counts.set(`${r.newsletter_id}:${r.status}`, Number(r.n));
      // The newest issue that left the draft stage, per list: what was sent (or refused) last.
      const issues = await rt.db.kysely
        .selectFrom('newsletter_issues')
        .selectAll()
        .where('newsletter_id', 'in', ids)
        .where('status', '!=', 'draft')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('newsletter_issues')
            .select((x) => x.fn.max('id').as('id'))
            .where('newsletter_id', 'in', ids)
            .where('status', '!=', 'draft')
            .groupBy('newsletter_id'),
        )
        .execute();
      for (const i of issues)
        last.set(i.newsletter_id, {
          issueId: i.id,
          status: i.status,
          startedAt: iso(i.started_at),
          finishedAt: iso(i.finished_at),
          recipients: Number(i.recipient_count),
          sent: Number(i.sent_count),
          failed: Number(i.failed_count),
          note: i.status_note,
        });
    }
    out.push({
      site: { slug: ctx.site.slug, name: ctx.site.name, timeZone: ctx.site.timeZone },
      newsletters: lists.map((l) => ({
        id: l.id,
        slug: l.slug,
        name: l.name,
        kind: l.kind,
        active: l.active,
        schedule: howOften(l, ctx.site.timeZone),
        nextIssueAt: l.kind === 'digest' && l.nextIssueAt ? l.nextIssueAt.toISOString() : null,
        nextIssueLocal:
          l.kind === 'digest' && l.nextIssueAt ? localTime(l.nextIssueAt, ctx.site.timeZone) : null,
        confirmedSubscribers: counts.get(`${l.id}:active`) ?? 0,
        pendingSubscribers: counts.get(`${l.id}:pending`) ?? 0,
        lastSend: last.get(l.id) ?? null,
      })),
    });
  }
  return out;
}

function lastSendInWords(s: LastSend | null, timeZone: string): string {
  if (!s) return 'nothing sent yet';
  const when = s.startedAt ?? s.finishedAt;
  const at = when ? `, ${localTime(new Date(when), timeZone)}` : '';
  const figures =
    s.recipients > 0 ? `, ${s.sent} of ${s.recipients} sent${s.failed ? `, ${s.failed} failed` : ''}` : '';
  const note = s.status === 'cancelled' && s.note ? ` (${s.note})` : '';
  return `issue ${s.issueId}, ${s.status}${at}${figures}${note}`;
}

export function formatList(sites: SiteNewsletters[]): string {
  const lines: string[] = [];
  for (const s of sites) {
    lines.push(`${s.site.slug}  ${s.site.name}  (${s.site.timeZone})`);
    if (s.newsletters.length === 0) lines.push('  No newsletters.');
    for (const n of s.newsletters) {
      lines.push(
        `  ${String(n.id).padStart(4)}  ${n.slug}  "${n.name}"  ${n.kind === 'alerts' ? 'alert list' : 'digest'}${n.active ? '' : '  (inactive)'}`,
      );
      const next = n.kind === 'digest' ? `; next issue ${n.nextIssueLocal ?? 'not scheduled'}` : '';
      lines.push(`        ${n.schedule}${next}`);
      const pending = n.pendingSubscribers ? ` (${n.pendingSubscribers} not yet confirmed)` : '';
      lines.push(`        ${n.confirmedSubscribers} confirmed subscribers${pending}`);
      lines.push(`        Last send: ${lastSendInWords(n.lastSend, s.site.timeZone)}`);
    }
  }
  return lines.join('\n');
}

// -------------------------------------------------------------------------------------------- send-now

export interface SendNowResult {
  issueId: number;
  newsletter: { id: number; slug: string; name: string };
  outcome: 'started' | 'empty' | 'lost';
  /** The figures when the command waited for the send to end. */
  progress: SendProgress | null;
}

/** The site's digest named by slug or id; an alert list or another site's list is a usage error. */
async function digestOf(rt: Runtime, siteSlug: string, ref: string): Promise<Newsletter> {
  const siteId = siteIdOf(rt, siteSlug, USAGE);
  const lists = rt.newsletterSignup.lists;
  const n = /^[1-9]\d{0,9}$/.test(ref)
    ? await lists.get(Number(ref)).then((l) => (l?.siteId === siteId ? l : null))
    : await lists.getBySlug(siteId, ref.trim().toLowerCase());
  if (!n)
    throw new UsageError(
      `Site "${siteSlug}" has no newsletter "${ref}". Run "dateline newsletter list --site ${siteSlug}" to see them.\n\n${USAGE}`,
    );
  if (n.kind === 'alerts')
    throw new UsageError(
      `"${n.name}" is the site's alert list: alerts go out when an urgent story is published, not on demand.\n\n${USAGE}`,
    );
  return n;
}

/**
 * Runs the job worker in this process until the issue's send is over (sent, cancelled or paused), calling
 * `onProgress` now and then. Every due job runs, as in the server's worker; several workers share the work.
 * At `deadline` (epoch ms) it stops and returns the send still 'sending': an SMTP server that stays away
 * must not hold a terminal or a cron job for ever, and what is left is the server's worker's to finish
 * (batches this process had claimed come back when their lease ends).
 */
export async function waitForSend(
  rt: Runtime,
  issueId: number,
  onProgress?: (p: SendProgress) => void,
  deadline = Number.POSITIVE_INFINITY,
): Promise<SendProgress> {
  let told = 0;
  for (;;) {
    await rt.jobs.drain();
    const p = await rt.newsletterSender.progress(issueId);
    // Queued but not started: the process that queued it stopped first. start() is idempotent.
    if (p.status === 'queued') await rt.newsletterSender.start(issueId);
    else if (p.status !== 'sending') return p;
    if (Date.now() >= deadline) return p;
    if (onProgress && Date.now() - told > 2_000) {
      told = Date.now();
      onProgress(p);
    }
    // Deliveries deferred by the server's 4xx answers, or batches another worker holds, come due later.
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function sendNow(
  rt: Runtime,
  o: {
    site: string;
    newsletter: string;
    wait?: boolean;
    /** How long --wait sends before leaving the rest to the server's worker. */
    waitSeconds?: number;
    onProgress?: (p: SendProgress) => void;
  },
): Promise<SendNowResult> {
  const n = await digestOf(rt, o.site, o.newsletter);
  const { issueId, outcome } = await rt.digests.sendNow(n.id);
  const deadline = Date.now() + (o.waitSeconds ?? DEFAULT_WAIT_SECONDS) * 1000;
  const progress =
    outcome === 'started' && o.wait ? await waitForSend(rt, issueId, o.onProgress, deadline) : null;
  return { issueId, newsletter: { id: n.id, slug: n.slug, name: n.name }, outcome, progress };
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

export function formatProgress(issueId: number, p: SendProgress): string {
  const lines = [
    `Issue ${issueId}: ${p.status}`,
    `  Sent ${p.sent} of ${p.total}; failed ${p.failed}, deferred ${p.deferred}, bounced ${p.bounced}, unsubscribed ${p.unsubscribed}` +
      (p.suppressed ? `, suppressed ${p.suppressed}` : '') +
      (p.cancelled ? `, cancelled ${p.cancelled}` : '') +
      (p.inFlight ? `, in flight ${p.inFlight}` : ''),
    `  Rate ${p.ratePerSecond} messages/s; time left ${p.etaSeconds === null ? '—' : duration(p.etaSeconds)}`,
  ];
  if (p.note) lines.push(`  Note: ${p.note}`);
  return lines.join('\n');
}

function printSendNow(rt: Runtime, r: SendNowResult, json: boolean): number {
  if (json) {
    console.log(JSON.stringify(r, null, 2));
    return r.outcome === 'started' ? EXIT.ok : EXIT.failure;
  }
  const name = `"${r.newsletter.name}"`;
  if (r.outcome === 'empty') {
    console.error(
      `Nothing new was published since the last issue of ${name}, so issue ${r.issueId} was not sent (it is cancelled). The schedule carries on as it was.`,
    );
    return EXIT.failure;
  }
  if (r.outcome === 'lost') {
    console.error(
      `Issue ${r.issueId} of ${name} was started or changed elsewhere at the same moment; this command did not send it. See: dateline newsletter status ${r.issueId}`,
    );
    return EXIT.failure;
  }
  const where =
    rt.newsletterSender.mode === 'outbox'
      ? ' No SMTP_URL is set, so the mails go to the outbox (dateline mail outbox).'
      : '';
  if (!r.progress) {
    console.log(
      `Issue ${r.issueId} of ${name} is queued to send.${where} The server's job worker sends it; follow it with "dateline newsletter status ${r.issueId}", or send it from here with --wait.`,
    );
    return EXIT.ok;
  }
  console.log(`Issue ${r.issueId} of ${name}.${where}\n${formatProgress(r.issueId, r.progress)}`);
  if (r.progress.status === 'sending')
    console.error(
      `Stopped waiting after the --timeout; the send goes on in the server's job worker. Follow it with "dateline newsletter status ${r.issueId}".`,
    );
  return r.progress.status === 'sent' ? EXIT.ok : EXIT.failure;
}

// ------------------------------------------------------------------------------------- the command

/** Who paused it, for the issue's note: the login name, where the system has one. */
function operator(): string {
  try {
    return userInfo().username || 'an operator';
  } catch {
    return 'an operator';
  }
}

export const newsletterCommand: Command = {
  name: 'newsletter',
  summary: 'List newsletters; send a digest now; follow, pause, resume or cancel a send',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parse(argv, OPTIONS, USAGE);
    if (values.help) return showHelp(USAGE);
    const [action, arg, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`Unexpected "${extra}".\n\n${USAGE}`);
    const json = values.json ?? false;
    switch (action) {
      case 'list': {
        if (arg !== undefined) throw new UsageError(`list takes no argument; use --site SITE.\n\n${USAGE}`);
        return withRuntime(async (rt) => {
          const sites = await listNewsletters(rt, values.site);
          console.log(json ? JSON.stringify(sites, null, 2) : formatList(sites));
          return EXIT.ok;
        });
      }
      case 'send-now': {
        if (!arg) throw new UsageError(`Say which newsletter to send: its slug or id.\n\n${USAGE}`);
        if (!values.site) throw new UsageError(`Say which site's newsletter: --site SITE.\n\n${USAGE}`);
        const site = values.site;
        if (values.timeout !== undefined && !values.wait)
          throw new UsageError(`--timeout goes with --wait.\n\n${USAGE}`);
        const waitSeconds = values.timeout === undefined ? DEFAULT_WAIT_SECONDS : Number(values.timeout);
        if (!Number.isFinite(waitSeconds) || waitSeconds <= 0 || waitSeconds > 86_400)
          throw new UsageError(
            `--timeout is a number of seconds from 1 to 86400, not "${values.timeout}".\n\n${USAGE}`,
          );
        return withRuntime(async (rt) => {
          const r = await sendNow(rt, {
            site,
            newsletter: arg,
            wait: values.wait,
            waitSeconds,
            onProgress: json ? undefined : (p) => console.log(`  … ${p.sent} of ${p.total} sent`),
          });
          return printSendNow(rt, r, json);
        });
      }
      case 'status':
      case 'pause':
      case 'resume':
      case 'cancel': {
        if (values.site !== undefined || values.wait)
          throw new UsageError(`${action} takes an issue id only.\n\n${USAGE}`);
        const issueId = numericId(arg, 'issue id', USAGE);
        return withRuntime(async (rt) => {
          const sender = rt.newsletterSender;
          if (action === 'pause') await sender.pause(issueId, `${operator()} (command line)`);
          if (action === 'resume') await sender.resume(issueId);
          if (action === 'cancel') await sender.cancel(issueId);
          const p = await sender.progress(issueId);
          console.log(json ? JSON.stringify({ issueId, ...p }, null, 2) : formatProgress(issueId, p));
          return EXIT.ok;
        });
      }
      default:
        throw new UsageError(
          `${action ? `Unknown newsletter action "${action}". ` : ''}newsletter takes list, send-now, status, pause, resume or cancel.\n\n${USAGE}`,
        );
    }
  },
};
