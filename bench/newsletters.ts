// The newsletters feature's measurements (issue 10, "Speed"), beside its targets: one digest issue to
// 100,000 recipients (messages/s, the sending process's peak RSS, the article page's throughput during the
// send against its quiet warm throughput); kill -9 of that process at 50% of a second send and a restart
// (copies per recipient at the sink against the deliveries in flight at the kill); a breaking alert from
// publish to the last of 10,000 mails accepted; a breaking alert by web push to 10,000 subscriptions on the
// local push endpoint (test/push-endpoint.ts, which checks VAPID and decrypts every payload); and the
// signup, confirmation and one-click unsubscribe requests' p95.
// Everything sent goes through the real server process (the compiled build, `dateline serve`, which runs
// the job worker and so the send engine) to the SMTP sink of bench/newsletter-sink.ts (its own process),
// with the sending rate limit off (DATELINE_BULK_RATE_PER_SECOND=0). Subscribers and push subscriptions
// are written as rows in one transaction each (set-based inserts: 100,000 in a second or two); what is
// timed goes through the server. Works on a copy of the bench's SQLite database.
// `npm run bench` (BENCH_ONLY=newsletters for these alone) calls measureNewsletters;
// `node --import tsx bench/newsletters.ts` runs it alone on a fresh database (BENCH_ARTICLES stories,
// BENCH_NL_RECIPIENTS recipients for a quicker try).
import { type ChildProcess, execSync, fork } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { type PushEndpoint, startPushEndpoint } from '../test/push-endpoint.ts';
import {
  alertListOf,
  copyIssue,
  deliveryCounts,
  measureSignupRequests,
  type Percentiles,
  savePushSubscriptions,
  subscribeMany,
  urgentStory,
} from './newsletter-parts.ts';
import { load, type ServerProcess, startServer } from './web.ts';

export interface NewsletterFigures {
  recipients: number;
  seedSeconds: number;
  send: {
    seconds: number;
    perSecond: number;
    /** From the first message accepted to the last. */
    steadyPerSecond: number;
    peakRssMb: number;
    rssBeforeMb: number;
    /** RSS every second from send-now to the last message accepted. */
    rssTimelineMb: number[];
    quietRps: number;
    busyRps: number;
    ratio: number;
    /** Whether the whole busy load ran while the send was going on. */
    loadInsideSend: boolean;
    busyNon2xx: number;
  };
  kill: {
    killedAt: number;
    inFlight: number;
    recordedAtKill: number;
    zero: number;
    one: number;
    twoPlus: number;
    duplicatesAllInFlight: boolean;
    resumeSeconds: number;
    sentCount: number;
  };
  alert: { recipients: number; ms: number; issueStatus: string };
  push: {
    subscriptions: number;
    ms: number;
    received: number;
    distinct: number;
    refused: number;
    checked: number;
    bad: string[];
  };
  requests: { signup: Percentiles; confirm: Percentiles; unsubscribe: Percentiles };
  uptime: string;
}

type SinkReply = { id: number; total?: number; at?: number; counts?: [string, number][]; url?: string };

/** The sink process and a promise-per-request over its IPC channel. */
export async function startSink(): Promise<{
  url: string;
  ask: (op: string, n?: number) => Promise<SinkReply>;
  stop: () => void;
}> {
  const child: ChildProcess = fork(join(import.meta.dirname, 'newsletter-sink.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (r: SinkReply) => void>();
  let next = 1;
  const first = new Promise<SinkReply>((resolve) => waiting.set(0, resolve));
  child.on('message', (m: SinkReply) => {
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  const { url } = await first;
  return {
    url: url!,
    ask: (op, n) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        child.send({ id, op, n });
      }),
    stop: () => child.disconnect(),
  };
}

function configFor(file: string, extra: Record<string, string> = {}) {
  return loadConfig({
    ...process.env,
    DATELINE_DATA_DIR: file.slice(0, file.lastIndexOf('/')),
    DATABASE_URL: file,
    DATELINE_DEMO: 'false',
    LOG_LEVEL: 'silent',
    ...extra,
  });
}

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const out = await Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms / 1000} s`)), ms);
    }),
  ]);
  clearTimeout(timer);
  return out;
}

async function issueStatus(rt: Runtime, issueId: number): Promise<string> {
  const r = await rt.db.kysely
    .selectFrom('newsletter_issues')
    .select('status')
    .where('id', '=', issueId)
    .executeTakeFirst();
  return r?.status ?? 'missing';
}

/**
 * Measures on a copy of `sourceDb` (the bench's closed SQLite file); `port` is the loaded server's port.
 */
export async function measureNewsletters(
  sourceDb: string,
  port: number,
  log: (s: string) => void = console.log,
  seconds = Number(process.env.BENCH_SECONDS ?? 10),
): Promise<NewsletterFigures> {
  const N = Number(process.env.BENCH_NL_RECIPIENTS ?? 100_000);
  const profDir = process.env.BENCH_NL_CPU_PROF;
  const cpuProf = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  // BENCH_NL_NODE_ARGS: more V8 flags for the first send's server (trying heap settings), space-separated.
  const nodeArgs = (process.env.BENCH_NL_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const ALERT_N = Math.min(10_000, N);
  const dir = mkdtempSync(join(tmpdir(), 'dateline-newsletters-'));
  const file = join(dir, 'dateline.db');
  const sink = await startSink();
  const endpoint: PushEndpoint = await startPushEndpoint();
  let server: ServerProcess | null = null;
  let rt: Runtime | null = null;
  try {
    copyFileSync(sourceDb, file);
    rt = await openRuntime(configFor(file), pino({ level: 'silent' }));
    const sites = rt.directory.all();
    const news = sites.find((c) => c.site.slug === 'news') ?? sites[0]!;
    const other = sites.find((c) => c.site.id !== news.site.id)!;
    const host = news.site.hosts[0]!;
    const section = news.sections[0]!;
    const top = (await rt.reader.sectionPage(news, section.id, 1))!.teasers[0]!;
    const articlePath = `/${section.slug}/${top.slug}`;

    log(
      `Newsletters: seeding ${N.toLocaleString('en')} subscribers, ${ALERT_N} alert readers, ${ALERT_N} push subscriptions …`,
    );
    const t0 = performance.now();
    const digest = await rt.newsletterSignup.lists.create(news.site.id, {
      slug: 'bench-briefing',
      name: 'Bench briefing',
      kind: 'digest',
      // Due three days from now: the scheduler never sends it during the bench; send-now does.
      schedule: { days: [((new Date().getUTCDay() + 2) % 7) + 1], time: '03:00' },
      composition: {
        topCount: 5,
        sections: news.sections.slice(0, 3).map((s) => ({ sectionId: s.id, count: 3 })),
      },
      senderName: 'Example Times',
      senderEmail: `newsletters@${host}`,
    });
    await subscribeMany(rt.db, digest.id, 'r', 'bench-readers.net', N);
    const seedSeconds = (performance.now() - t0) / 1000;
    const newsAlerts = await alertListOf(rt, news.site.id, host);
    await subscribeMany(rt.db, newsAlerts, 'a', 'bench-alerts.net', ALERT_N);
    await alertListOf(rt, other.site.id, other.site.hosts[0]!);
    const devices = Array.from({ length: ALERT_N }, () => endpoint.newSubscription());
    await savePushSubscriptions(rt.db, other.site.id, devices);
    log(`  ${N.toLocaleString('en')} subscribers in ${seedSeconds.toFixed(1)} s`);

    const env = {
      DATABASE_URL: file,
      DATELINE_DATA_DIR: dir,
      SMTP_URL: sink.url,
      DATELINE_BULK_RATE_PER_SECOND: '0',
      // A crashed process's batch is claimed again after this lease; 30 s keeps the kill run short while
      // staying well above the time one 500-message batch takes on a busy 2-core machine.
      DATELINE_BULK_CLAIM_SECONDS: '30',
      DATELINE_PUSH_ALLOW_HTTP_LOOPBACK: 'true',
    };
    const probe = { host, path: articlePath };
    const url = `http://127.0.0.1:${port}${articlePath}`;
    const headers = { host, 'accept-encoding': 'br, gzip' };

    // 1. One issue to N recipients, the article page loaded during the send.
    // BENCH_NL_CPU_PROF=dir: a V8 CPU profile of the first send's server (stopped after it, not killed).
    server = await startServer(env, probe, port, [...cpuProf, ...nodeArgs]);
    await load('warm-up', url, headers, { seconds: 2 });
    const quiet = await load('article page, quiet', url, headers, { seconds });
    await sink.ask('reset');
    const pid = server.child.pid!;
    const rssBeforeMb = procStatusMb(pid, 'VmRSS');
    let peakRss = rssBeforeMb;
    // The RSS each second of the send as well, to see when the peak comes (during the page load or after).
    const rssTimelineMb: number[] = [];
    let ticks = 0;
    const sampler = setInterval(() => {
      const now = procStatusMb(pid, 'VmRSS');
      peakRss = Math.max(peakRss, now);
      if (ticks++ % 10 === 0) rssTimelineMb.push(now);
    }, 100);
    log(
      `Newsletters: one issue to ${N.toLocaleString('en')} recipients, the article page loaded during it …`,
    );
    const sendStart = Date.now();
    const started = await rt.digests.sendNow(digest.id);
    if (started.outcome !== 'started')
      throw new Error(`the bench digest was not started: ${started.outcome}`);
    const first = await within(60_000, 'the first message', sink.ask('waitFor', 1));
    const busyFrom = Date.now();
    const busy = await load('article page, during the send', url, headers, { seconds });
    const busyTo = Date.now();
    const last = await within(900_000, `the ${N}th message`, sink.ask('waitFor', N));
    clearInterval(sampler);
    const peakRssMb = Math.max(peakRss, procStatusMb(pid, 'VmHWM'));
    const sendSeconds = (last.at! - sendStart) / 1000;
    const send = {
      seconds: Number(sendSeconds.toFixed(1)),
      perSecond: Math.round(N / sendSeconds),
      steadyPerSecond: Math.round((N - 1) / Math.max(0.001, (last.at! - first.at!) / 1000)),
      peakRssMb,
      rssBeforeMb,
      rssTimelineMb,
      quietRps: quiet.rps,
      busyRps: busy.rps,
      ratio: Number((busy.rps / quiet.rps).toFixed(2)),
      loadInsideSend: busyFrom >= first.at! && busyTo <= last.at!,
      busyNon2xx: busy.non2xx + busy.errors,
    };
    log(
      `  ${send.perSecond} messages/s, peak RSS ${peakRssMb} MB, page ${send.busyRps} vs ${send.quietRps} req/s quiet`,
    );
    for (let i = 0; i < 200 && (await issueStatus(rt, started.issueId)) !== 'sent'; i++)
      await new Promise((r) => setTimeout(r, 100));
    if (cpuProf.length > 0 || nodeArgs.length > 0) {
      await server.stop();
      server = await startServer(env, probe, port);
    }

    // 2. kill -9 at 50% of a second send of the same issue, then a restart.
    log('Newsletters: kill -9 of the sending server at 50% of a second send, then a restart …');
    const second = await copyIssue(rt, started.issueId);
    await sink.ask('reset');
    await rt.newsletterSender.start(second);
    await within(900_000, 'half the send', sink.ask('waitFor', Math.floor(N / 2)));
    const exited = new Promise<void>((r) => server!.child.once('exit', () => r()));
    server.child.kill('SIGKILL');
    await exited;
    server = null;
    const killedAt = (await sink.ask('total')).total!;
    const atKill = await deliveryCounts(rt.db, second);
    const inFlightEmails = new Set(
      (
        await rt.db.kysely
          .selectFrom('newsletter_deliveries')
          .select('email')
          .where('issue_id', '=', second)
          .where('status', '=', 'sending')
          .execute()
      ).map((r) => r.email),
    );
    const restartAt = Date.now();
    server = await startServer(env, probe, port);
    for (let i = 0; ; i++) {
      if ((await issueStatus(rt, second)) === 'sent') break;
      if (i > 6000) throw new Error('the send did not finish within 10 minutes of the restart');
      await new Promise((r) => setTimeout(r, 100));
    }
    const resumeSeconds = (Date.now() - restartAt) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    const counts = new Map((await sink.ask('counts')).counts);
    let zero = 0;
    let one = 0;
    let twoPlus = 0;
    let duplicatesAllInFlight = true;
    for (let i = 0; i < N; i++) {
      const email = `r${i}@bench-readers.net`;
      const c = counts.get(email) ?? 0;
      if (c === 0) zero++;
      else if (c === 1) one++;
      else {
        twoPlus++;
        if (!inFlightEmails.has(email)) duplicatesAllInFlight = false;
      }
    }
    const after = await deliveryCounts(rt.db, second);
    const kill = {
      killedAt,
      inFlight: atKill.sending,
      recordedAtKill: atKill.sent,
      zero,
      one,
      twoPlus,
      duplicatesAllInFlight,
      resumeSeconds: Number(resumeSeconds.toFixed(1)),
      sentCount: after.sent,
    };
    log(
      `  in flight ${kill.inFlight}; copies 0/1/2+: ${zero}/${one}/${twoPlus}; finished ${kill.resumeSeconds} s after the restart`,
    );

    // 3. A breaking alert by email to ALERT_N readers.
    log(`Newsletters: breaking alert to ${ALERT_N} readers by email …`);
    await sink.ask('reset');
    const pubAt = Date.now();
    const alertStory = await urgentStory(rt, news, 'Bench alert: harbour bridge closed after ship strike');
    const alertLast = await within(300_000, 'the last alert mail', sink.ask('waitFor', ALERT_N));
    const alertIssue = await rt.db.kysely
      .selectFrom('newsletter_issues')
      .select('status')
      .where('article_id', '=', alertStory)
      .where('kind', '=', 'alert')
      .executeTakeFirst();
    const alert = {
      recipients: ALERT_N,
      ms: alertLast.at! - pubAt,
      issueStatus: alertIssue?.status ?? 'none',
    };
    log(`  ${alert.ms} ms`);

    // 4. A breaking alert by web push to ALERT_N subscriptions on the other site.
    log(`Newsletters: breaking alert by web push to ${ALERT_N} subscriptions …`);
    const pushFrom = endpoint.received.length;
    const headline = 'Bench push alert: storm warning for the coast';
    const pushAt = Date.now();
    const pushStory = await urgentStory(rt, other, headline);
    let pushMs = -1;
    for (let i = 0; i < 30_000; i++) {
      if (endpoint.received.length - pushFrom >= ALERT_N) {
        pushMs = Date.now() - pushAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const got = endpoint.received.slice(pushFrom);
    const ids = new Set(devices.map((d) => d.id));
    const bad: string[] = [];
    let checked = 0;
    for (const p of got) {
      const pl = p.payload as { title?: string; url?: string; tag?: string; issueId?: number } | null;
      const ok =
        ids.has(p.id) &&
        pl?.title === headline &&
        pl.tag === `article-${pushStory}` &&
        p.topic === `article-${pushStory}` &&
        typeof pl.url === 'string' &&
        pl.url.startsWith('http') &&
        typeof pl.issueId === 'number';
      if (ok) checked++;
      else if (bad.length < 5) bad.push(p.text.slice(0, 200));
    }
    const push = {
      subscriptions: ALERT_N,
      ms: pushMs,
      received: got.length,
      distinct: new Set(got.map((p) => p.id)).size,
      refused: endpoint.refused.length,
      checked,
      bad,
    };
    log(`  ${push.ms} ms, ${push.checked} payloads checked, ${push.refused} refused`);
    await server.stop();
    server = null;

    // 5. Signup, confirmation and one-click unsubscribe over HTTP (outbox mail, a loopback address per reader).
    log('Newsletters: signup, confirmation and one-click unsubscribe requests …');
    server = await startServer({ DATABASE_URL: file, DATELINE_DATA_DIR: dir }, probe, port);
    const requests = await measureSignupRequests(rt, {
      port,
      host,
      newsletterId: (await rt.newsletterSignup.lists.listBySite(news.site.id)).find(
        (l) => l.kind === 'digest',
      )!.id,
      runs: 220,
    });
    log(
      `  p95 signup ${requests.signup.p95} ms, confirm ${requests.confirm.p95} ms, unsubscribe ${requests.unsubscribe.p95} ms`,
    );
    return {
      recipients: N,
      seedSeconds: Number(seedSeconds.toFixed(2)),
      send,
      kill,
      alert,
      push,
      requests,
      uptime: execSync('uptime').toString().trim(),
    };
  } finally {
    if (server) await server.stop();
    await rt?.close();
    sink.stop();
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows `npm run bench` prints for these figures. */
export function newsletterRows(
  f: NewsletterFigures,
): { measurement: string; value: string; target: string; met: boolean }[] {
  const n = f.recipients.toLocaleString('en');
  const s = f.send;
  const k = f.kill;
  const r = f.requests;
  return [
    {
      measurement: `One issue to ${n} recipients (SQLite, rate limit off): messages/s`,
      value: `${s.perSecond.toLocaleString('en')}/s (${s.seconds} s from send-now to the last accepted; ${s.steadyPerSecond.toLocaleString('en')}/s first to last; seeded in ${f.seedSeconds} s)`,
      target: '≥ 1,000/s',
      met: s.perSecond >= 1000,
    },
    {
      measurement: 'One issue: peak RSS of the sending server',
      value: `${s.peakRssMb} MB (${s.rssBeforeMb} MB before)`,
      target: '≤ 250 MB',
      met: s.peakRssMb <= 250,
    },
    {
      measurement: 'One issue: article page during the send',
      value: `${s.busyRps.toLocaleString('en')} vs ${s.quietRps.toLocaleString('en')} req/s quiet (${Math.round(s.ratio * 100)}%; ${s.busyNon2xx} non-2xx${s.loadInsideSend ? '' : '; the send ended before the load did'})`,
      target: '≥ 50% of quiet',
      met: s.ratio >= 0.5 && s.busyNon2xx === 0 && s.loadInsideSend,
    },
    {
      measurement: `kill -9 at ${k.killedAt.toLocaleString('en')} of ${n}, then restart: copies per recipient`,
      value: `0: ${k.zero}, 1: ${k.one.toLocaleString('en')}, 2+: ${k.twoPlus} (in flight at the kill: ${k.inFlight}; every duplicate was in flight: ${k.duplicatesAllInFlight}; done ${k.resumeSeconds} s after the restart)`,
      target: 'exactly one, except ≤ the in-flight; none skipped',
      met: k.zero === 0 && k.twoPlus <= k.inFlight && k.duplicatesAllInFlight && k.sentCount === f.recipients,
    },
    {
      measurement: `Breaking alert, publish → last of ${f.alert.recipients.toLocaleString('en')} emails accepted`,
      value: `${(f.alert.ms / 1000).toFixed(1)} s`,
      target: '≤ 30 s',
      met: f.alert.ms <= 30_000,
    },
    {
      measurement: `Web push alert to ${f.push.subscriptions.toLocaleString('en')} subscriptions, every payload decrypted and checked`,
      value: `${f.push.ms < 0 ? 'not all arrived' : `${(f.push.ms / 1000).toFixed(1)} s`} (${f.push.checked} checked of ${f.push.received}, ${f.push.distinct} distinct, ${f.push.refused} refused)`,
      target: '≤ 30 s',
      met:
        f.push.ms >= 0 &&
        f.push.ms <= 30_000 &&
        f.push.checked === f.push.subscriptions &&
        f.push.distinct === f.push.subscriptions &&
        f.push.refused === 0,
    },
    {
      measurement: `Newsletter signup / confirmation / one-click unsubscribe (${r.signup.runs} each, over HTTP)`,
      value: `p95 ${r.signup.p95} / ${r.confirm.p95} / ${r.unsubscribe.p95} ms (p50 ${r.signup.p50} / ${r.confirm.p50} / ${r.unsubscribe.p50})`,
      target: 'p95 ≤ 20 ms each',
      met: r.signup.p95 <= 20 && r.confirm.p95 <= 20 && r.unsubscribe.p95 <= 20,
    },
  ];
}

async function standalone(): Promise<void> {
  const { seedBenchNetwork } = await import('./seed.ts');
  const total = Number(process.env.BENCH_ARTICLES ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-'));
  const file = join(dir, 'dateline.db');
  try {
    if (process.env.BENCH_BUILD !== 'false') execSync('npm run build --silent', { stdio: 'inherit' });
    console.log(`Building a ${total}-story database in ${dir} …`);
    const rt = await openRuntime(configFor(file), pino({ level: 'silent' }));
    await seedBenchNetwork(rt, total, (l) => console.log(`  ${l}`));
    await rt.close();
    const figures = await measureNewsletters(file, Number(process.env.BENCH_PORT ?? 4400));
    console.log(JSON.stringify(figures, null, 2));
    const rows = newsletterRows(figures);
    console.table(rows);
    // The same shape as `npm run bench` writes, under a name that says what ran.
    const out = `bench/results/${new Date().toISOString().slice(0, 10)}-newsletters-${figures.recipients}.json`;
    const targets = rows.map((r) => ({ issue: '#10', ...r }));
    writeFileSync(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), articles: total, figures: { newsletters: figures }, targets }, null, 2)}\n`,
    );
    console.log(`Wrote ${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await standalone();
