// The newsletter bench's parts (bench/newsletters.ts runs them): set-based seeding of subscribers and push
// subscriptions, an urgent story published the way an editor publishes it, a copy of an issue for the
// kill -9 run, and the timed signup, confirmation and one-click unsubscribe requests against a real server.
import { request as httpRequest } from 'node:http';
import { sql } from 'kysely';
import { csrfOf } from '../src/accounts/testing.ts';
import type { Db } from '../src/db/connection.ts';
import { toDbTime } from '../src/db/values.ts';
import { recipientToken } from '../src/newsletters/links.ts';
import { parseSubscription } from '../src/newsletters/push/subscriptions.ts';
import type { DeliveryStatus } from '../src/newsletters/tables.ts';
import type { Runtime } from '../src/runtime.ts';
import type { SiteContext } from '../src/sites/directory.ts';
import type { LocalSubscription } from '../test/push-endpoint.ts';

export interface Percentiles {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

export function percentiles(times: number[]): Percentiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) =>
    Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(2));
  return { runs: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

/**
 * `n` subscribers <prefix><i>@<domain>, each active on the list, in one transaction of two set-based
 * inserts (a recursive series, which SQLite and PostgreSQL both have): no row-by-row round trips.
 */
export async function subscribeMany(
  db: Db,
  newsletterId: number,
  prefix: string,
  domain: string,
  n: number,
): Promise<void> {
  const now = toDbTime(new Date());
  await db.kysely.transaction().execute(async (trx) => {
    await sql`
      with recursive seq(i) as (select 0 union all select i + 1 from seq where i < ${n - 1})
      insert into newsletter_subscribers (email)
      select ${prefix} || cast(i as text) || ${`@${domain}`} from seq`.execute(trx);
    await sql`
      insert into newsletter_subscriptions (subscriber_id, newsletter_id, status, consent_source, confirmed_at)
      select id, ${newsletterId}, 'active', 'import', ${now} from newsletter_subscribers
      where email like ${`%@${domain}`}`.execute(trx);
  });
}

/** Push subscriptions for the local endpoint's devices, checked as the opt-in route checks them. */
export async function savePushSubscriptions(
  db: Db,
  siteId: number,
  devices: LocalSubscription[],
): Promise<void> {
  const rows = devices.map((d) => {
    const s = parseSubscription(d, { allowHttpLoopback: true });
    return { site_id: siteId, endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth, user_id: null };
  });
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('push_subscriptions')
        .values(rows.slice(i, i + 500))
        .execute();
  });
}

/** The site's alert list (the one alerts go to: first active by position), made when it has none. */
export async function alertListOf(rt: Runtime, siteId: number, host: string): Promise<number> {
  const found = await rt.db.kysely
    .selectFrom('newsletters')
    .select('id')
    .where('site_id', '=', siteId)
    .where('kind', '=', 'alerts')
    .where('active', '=', 1)
    .orderBy('position')
    .orderBy('id')
    .executeTakeFirst();
  if (found) return found.id;
  const made = await rt.newsletterSignup.lists.create(siteId, {
    slug: 'alerts',
    name: 'Breaking news alerts',
    kind: 'alerts',
    senderName: 'Breaking news',
    senderEmail: `alerts@${host}`,
  });
  return made.id;
}

/**
 * Runs `work` again when SQLite answers SQLITE_BUSY_SNAPSHOT: the bench process is a second writer beside
 * the sending server (in production one process writes a SQLite file), and a transaction that read before
 * the server's commit cannot write after it.
 */
async function retryBusy<T>(work: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await work();
    } catch (err) {
      if (i > 50 || !String((err as { code?: string }).code ?? '').startsWith('SQLITE_BUSY')) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** A story marked urgent, then published: the alert's trigger, as an editor does it. */
export async function urgentStory(rt: Runtime, ctx: SiteContext, headline: string): Promise<number> {
  const { article } = await retryBusy(() =>
    rt.articles.create(
      {
        siteId: ctx.site.id,
        sectionId: ctx.sections[0]!.id,
        headline,
        dek: 'Traffic is diverted; ferries run every twenty minutes.',
        bodyHtml: '<p>The bench publishes this story to time its alert.</p>',
        status: 'draft',
      },
      'bench',
    ),
  );
  await retryBusy(() =>
    rt.db.kysely.updateTable('articles').set({ urgent: 1 }).where('id', '=', article.id).execute(),
  );
  await retryBusy(() => rt.articles.update(article.id, { status: 'published' }, 'bench'));
  return article.id;
}

/** A draft with the same list, subject and stories as `issueId`: a second send to the same recipients. */
export async function copyIssue(rt: Runtime, issueId: number): Promise<number> {
  const i = await rt.db.kysely
    .selectFrom('newsletter_issues')
    .selectAll()
    .where('id', '=', issueId)
    .executeTakeFirstOrThrow();
  const row = await rt.db.kysely
    .insertInto('newsletter_issues')
    .values({
      newsletter_id: i.newsletter_id,
      site_id: i.site_id,
      kind: i.kind,
      status: 'draft',
      subject: `${i.subject} (again)`,
      intro: i.intro,
      items: i.items,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deliveryCounts(db: Db, issueId: number): Promise<Record<DeliveryStatus, number>> {
  const rows = await db.kysely
    .selectFrom('newsletter_deliveries')
    .select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('issue_id', '=', issueId)
    .groupBy('status')
    .execute();
  const out = { queued: 0, sending: 0, sent: 0, failed: 0, deferred: 0, suppressed: 0, cancelled: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

interface Answer {
  status: number;
  body: string;
  cookies: string[];
  ms: number;
}

/**
 * One request to the server on 127.0.0.1 with the site's Host, timed to the last byte of the body. Each
 * reader connects from a loopback address of its own (127.0.x.y), so the per-network-address signup limit
 * sees distinct readers as it would on a real site, with no proxy header to trust.
 */
function request(
  port: number,
  host: string,
  method: 'GET' | 'POST',
  path: string,
  o: { form?: Record<string, string>; cookie?: string; ip: string },
): Promise<Answer> {
  const body = o.form ? new URLSearchParams(o.form).toString() : undefined;
  const headers: Record<string, string> = {
    host,
    accept: 'text/html',
    'user-agent': 'Mozilla/5.0 (bench) Dateline',
    ...(o.cookie ? { cookie: o.cookie } : {}),
    ...(body !== undefined
      ? {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
          'sec-fetch-site': 'same-origin',
        }
      : {}),
  };
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, localAddress: o.ip, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const set = res.headers['set-cookie'] ?? [];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookies: set.map((c) => c.split(';')[0]!),
            ms: performance.now() - t0,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function expect(a: Answer, what: string, pattern: RegExp): void {
  if (a.status !== 200 || !pattern.test(a.body))
    throw new Error(`${what} answered ${a.status}: ${a.body.replace(/<[^>]+>/g, ' ').slice(0, 300)}`);
}

/**
 * `runs` readers each sign up by address (the page's form with its token, from a network address of
 * their own), confirm with the mailed link (read from the outbox) and leave with
 * the one-click POST of their List-Unsubscribe link. The three POSTs are timed; the first 10% of each
 * are the warm-up and left out.
 */
export async function measureSignupRequests(
  rt: Runtime,
  o: { port: number; host: string; newsletterId: number; runs: number },
): Promise<{ signup: Percentiles; confirm: Percentiles; unsubscribe: Percentiles }> {
  const tag = Date.now().toString(36);
  const readers = Array.from({ length: o.runs }, (_, i) => ({
    email: `bench.${tag}.${i}@mail.co.jp`,
    ip: `127.0.${1 + ((i >> 8) & 127)}.${1 + (i % 250)}`,
  }));
  const signup: number[] = [];
  for (const r of readers) {
    const page = await request(o.port, o.host, 'GET', '/newsletters', { ip: r.ip });
    expect(page, 'the signup page', /name="csrf"/);
    const res = await request(o.port, o.host, 'POST', '/newsletters', {
      ip: r.ip,
      cookie: page.cookies.join('; '),
      form: { csrf: csrfOf(page.body), email: r.email, n: String(o.newsletterId) },
    });
    expect(res, 'a signup', /Check your inbox/i);
    signup.push(res.ms);
  }
  const confirm: number[] = [];
  const unsubscribe: number[] = [];
  for (const r of readers) {
    let link: string | undefined;
    for (let i = 0; i < 500 && !link; i++) {
      const mails = await rt.mail.outbox({ to: r.email, limit: 5 });
      const text = mails.find((m) => m.kind === 'newsletter-confirm')?.text;
      link = text ? /\/newsletters\/confirm\?t=[^\s"]+/.exec(text)?.[0] : undefined;
      if (!link) await new Promise((res) => setTimeout(res, 20));
    }
    if (!link) throw new Error(`no confirmation mail for ${r.email}`);
    const page = await request(o.port, o.host, 'GET', link, { ip: r.ip });
    expect(page, 'the confirmation page', /name="csrf"/);
    const t = new URL(link, 'http://x').searchParams.get('t')!;
    const done = await request(o.port, o.host, 'POST', '/newsletters/confirm', {
      ip: r.ip,
      cookie: page.cookies.join('; '),
      form: { csrf: csrfOf(page.body), t },
    });
    expect(done, 'a confirmation', /confirmed|subscribed/i);
    confirm.push(done.ms);
    const sub = await rt.db.kysely
      .selectFrom('newsletter_subscribers')
      .select(['id', 'link_version'])
      .where('email', '=', r.email)
      .executeTakeFirstOrThrow();
    const token = recipientToken(
      rt.accounts.signingKey,
      { subscriberId: sub.id, linkVersion: sub.link_version },
      o.newsletterId,
    );
    // What a mail client sends for RFC 8058: no cookie, no token but the link's own.
    const left = await request(o.port, o.host, 'POST', `/newsletters/unsubscribe?t=${token}`, {
      ip: r.ip,
      form: { 'List-Unsubscribe': 'One-Click' },
    });
    expect(left, 'a one-click unsubscribe', /unsubscribed|no longer|left/i);
    unsubscribe.push(left.ms);
  }
  const skip = Math.floor(o.runs / 10);
  return {
    signup: percentiles(signup.slice(skip)),
    confirm: percentiles(confirm.slice(skip)),
    unsubscribe: percentiles(unsubscribe.slice(skip)),
  };
}
