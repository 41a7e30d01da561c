import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../../test/dialects.ts';
import { services } from '../../../test/fixtures.ts';
import type { Db } from '../../db/connection.ts';
import { toDbTime } from '../../db/values.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import { JobQueue } from '../../jobs/queue.ts';
import { SiteDirectory } from '../../sites/directory.ts';
import { readRecipientToken } from '../links.ts';
import { DeliveryStore } from './deliveries.ts';
import { type BulkSender, NewsletterSender } from './engine.ts';
import { readBulkMessageId } from './message.ts';
import { type BulkSink, seedSend, simpleRenderer, startBulkSink } from './testing.ts';
import { SmtpBulkTransport } from './transport.ts';

const key = randomBytes(32);

async function deliveries(db: Db, issueId: number) {
  return db.kysely
    .selectFrom('newsletter_deliveries')
    .selectAll()
    .where('issue_id', '=', issueId)
    .orderBy('id')
    .execute();
}

async function issueRow(db: Db, issueId: number) {
  return db.kysely
    .selectFrom('newsletter_issues')
    .selectAll()
    .where('id', '=', issueId)
    .executeTakeFirstOrThrow();
}

describeEachDialect('newsletter send engine', (ctx) => {
  let siteId: number;
  let directory: SiteDirectory;
  const transports: BulkSender[] = [];
  const sinks: BulkSink[] = [];

  before(async () => {
    const s = services(ctx.db);
    const site = await s.sites.create({
      slug: 'news',
      name: 'Example Times',
      timeZone: 'UTC',
      footerText: '©',
      hosts: ['news.localhost'],
    });
    siteId = site.id;
    directory = new SiteDirectory(ctx.db);
    await directory.load();
  });
  after(async () => {
    for (const t of transports) t.close();
    for (const s of sinks) await s.close();
  });

  function sender(
    smtpUrl: string | null,
    over: Partial<ConstructorParameters<typeof NewsletterSender>[0]> = {},
  ) {
    const jobs = new JobQueue(ctx.db);
    const transport = smtpUrl
      ? new SmtpBulkTransport({ smtpUrl, maxConnections: 2, dkim: null, timeoutSeconds: 2 })
      : null;
    if (transport) transports.push(transport);
    const s = new NewsletterSender({
      db: ctx.db,
      jobs,
      directory,
      urls: { scheme: 'https', port: null },
      signingKey: () => key,
      transport,
      rate: { perSecond: 0, perHour: 0 },
      concurrency: 4,
      batchSize: 7,
      leaseMs: 60_000,
      ...over,
    });
    s.registerRenderer('digest', simpleRenderer(ctx.db));
    return { s, jobs };
  }

  test('without SMTP: every active subscriber gets one outbox copy with the bulk headers; counters exact; start again adds nothing', async () => {
    const { issueId, emails } = await seedSend(ctx.db, siteId, 23, { pending: 2 });
    await ctx.db.kysely
      .insertInto('mail_suppressions')
      .values({ email: emails[5]!, suppressed: 1, reason: 'hard_bounce' })
      .execute();
    const { s, jobs } = sender(null);
    await s.start(issueId);
    await s.start(issueId);
    const frozen = await issueRow(ctx.db, issueId);
    assert.equal(frozen.status, 'sending');
    assert.equal(frozen.recipient_count, 22, 'pending and suppressed subscribers are not recipients');
    await jobs.drain();
    const issue = await issueRow(ctx.db, issueId);
    assert.equal(issue.status, 'sent');
    assert.equal(issue.sent_count, 22);
    const rows = await deliveries(ctx.db, issueId);
    assert.equal(rows.length, 23);
    assert.equal(rows.filter((r) => r.status === 'sent').length, 22);
    assert.equal(rows.find((r) => r.email === emails[5])?.status, 'suppressed');
    const mails = await ctx.db.kysely
      .selectFrom('mail_messages')
      .selectAll()
      .where('kind', '=', 'newsletter')
      .execute();
    const mine = mails.filter((m) => emails.includes(m.to_address));
    assert.equal(mine.length, 22);
    assert.equal(new Set(mine.map((m) => m.to_address)).size, 22);
    const m = mine[0]!;
    const h = JSON.parse(m.headers!) as Record<string, string>;
    assert.match(
      h['List-Unsubscribe']!,
      /^<https:\/\/news\.localhost\/newsletters\/unsubscribe\?t=[^>]+>, <mailto:unsubscribe@news\.localhost\?subject=[^>]+>$/,
    );
    assert.equal(h['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.equal(h.Precedence, 'bulk');
    assert.match(h['Feedback-ID']!, new RegExp(`^${issueId}:morning:news:dateline$`));
    // The links in the body are the recipient's own, signed.
    const token = /unsubscribe\?t=([^&"\s]+)/.exec(m.text_body)![1]!;
    const read = readRecipientToken(key, token);
    const delivery = rows.find((r) => r.email === m.to_address)!;
    assert.equal(read?.subscriberId, delivery.subscriber_id);
    assert.ok(!m.html_body.includes('%%'), 'no placeholder is left');
    assert.deepEqual(readBulkMessageId(m.message_id), { issueId, subscriberId: delivery.subscriber_id });
    assert.equal(delivery.message_id, m.message_id, 'the delivery records the Message-ID it went with');
    // Starting a sent issue again changes nothing.
    await s.start(issueId);
    await jobs.drain();
    assert.equal((await deliveries(ctx.db, issueId)).length, 23);
    const p = await s.progress(issueId);
    assert.equal(p.status, 'sent');
    assert.equal(p.sent, 22);
    assert.equal(p.suppressed, 1);
  });

  test('over SMTP: a 4xx is deferred and retried, a 5xx fails and is not retried, the headers arrive', async () => {
    const { issueId, emails } = await seedSend(ctx.db, siteId, 12);
    const busy = emails[3]!;
    const gone = emails[4]!;
    let busyTries = 0;
    const sink = await startBulkSink({
      keepRaw: true,
      refuse: (rcpt) => {
        if (rcpt === gone) return { code: 550, message: 'No such user' };
        if (rcpt === busy && busyTries++ === 0) return { code: 451, message: 'Try again later' };
        return null;
      },
    });
    sinks.push(sink);
    const { s, jobs } = sender(sink.url, { retryDelaysMs: [0, 0] });
    await s.start(issueId);
    await jobs.drain();
    const rows = await deliveries(ctx.db, issueId);
    assert.equal(rows.find((r) => r.email === gone)?.status, 'failed');
    assert.match(rows.find((r) => r.email === gone)!.last_error!, /550|No such user/);
    assert.equal(
      rows.find((r) => r.email === busy)?.status,
      'sent',
      'the deferred recipient was sent on retry',
    );
    assert.equal(busyTries, 2);
    for (const e of emails) assert.equal(sink.counts.get(e) ?? 0, e === gone ? 0 : 1, e);
    const issue = await issueRow(ctx.db, issueId);
    assert.equal(issue.status, 'sent');
    assert.equal(issue.sent_count, 11);
    assert.equal(issue.failed_count, 1);
    const raw = sink.raw.find((r) => r.to === emails[0])!.data.replace(/\r\n[ \t]+/g, ' ');
    assert.match(raw, /^List-Unsubscribe: <https:\/\/news\.localhost\/newsletters\/unsubscribe\?t=/m);
    assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    assert.match(raw, /^Precedence: bulk/m);
    assert.match(raw, new RegExp(`^Message-ID: <nl\\.${issueId}\\.\\d+@example\\.com>`, 'm'));
    assert.match(raw, /^Feedback-ID: \d+:morning:news:dateline/m);
    assert.match(raw, /^From: "?The Times"? <news@example\.com>/m);
    assert.match(raw, /^Reply-To: desk@example\.com/m);
  });

  test('SMTP down: the send waits with a note saying why, nothing is lost, and it resumes when the server is back', async () => {
    const { issueId, emails } = await seedSend(ctx.db, siteId, 9);
    const probe = await startBulkSink();
    const port = probe.port;
    await probe.close();
    const { s } = sender(`smtp://127.0.0.1:${port}`);
    await s.start(issueId);
    await s.runSlice(issueId);
    const waiting = await issueRow(ctx.db, issueId);
    assert.equal(waiting.status, 'sending');
    assert.match(waiting.status_note!, /SMTP server cannot be reached/);
    assert.equal(waiting.sent_count, 0);
    const rows = await deliveries(ctx.db, issueId);
    assert.ok(
      rows.every((r) => r.status === 'queued' && r.attempts === 0),
      'untried recipients go back, attempts not counted',
    );
    assert.match((await s.progress(issueId)).note!, /cannot be reached/);
    const sink = await startBulkSink({ port });
    sinks.push(sink);
    await s.runSlice(issueId);
    const done = await issueRow(ctx.db, issueId);
    assert.equal(done.status, 'sent');
    assert.equal(done.status_note, null, 'the note goes once the server answers');
    for (const e of emails) assert.equal(sink.counts.get(e), 1);
  });

  test('pause stops the send, resume finishes it, cancel stops it for good', async () => {
    const { issueId } = await seedSend(ctx.db, siteId, 20);
    const { s, jobs } = sender(null);
    await s.start(issueId);
    await s.pause(issueId, 'Editor Ed');
    await jobs.drain();
    let p = await s.progress(issueId);
    assert.equal(p.status, 'paused');
    assert.equal(p.sent, 0);
    assert.match(p.note!, /Paused by Editor Ed/);
    await s.resume(issueId);
    await jobs.drain();
    p = await s.progress(issueId);
    assert.equal(p.status, 'sent');
    assert.equal(p.sent, 20);
    await assert.rejects(s.cancel(issueId), (e) => isDatelineError(e, 'NEWSLETTER_ISSUE_STATE'));

    const second = await seedSend(ctx.db, siteId, 10);
    await s.start(second.issueId);
    assert.equal(await s.cancelUndelivered(second.issueId), 10);
    await s.cancel(second.issueId);
    await jobs.drain();
    p = await s.progress(second.issueId);
    assert.equal(p.status, 'cancelled');
    assert.equal(p.sent, 0);
    assert.equal(p.cancelled, 10);
    await assert.rejects(s.start(second.issueId), (e) => isDatelineError(e, 'NEWSLETTER_ISSUE_STATE'));
    await assert.rejects(s.progress(999_999), (e) => isDatelineError(e, 'NEWSLETTER_ISSUE_NOT_FOUND'));
  });

  test('after a crash, the in-flight batch is sent again once its claim lapses; everyone else exactly once', async () => {
    const { issueId, emails } = await seedSend(ctx.db, siteId, 30);
    const sink = await startBulkSink();
    sinks.push(sink);
    const { s: first } = sender(sink.url);
    await first.start(issueId);
    // The dead process: it claimed a batch of 7, the SMTP server accepted 4 of them, and it died before
    // recording any.
    const store = new DeliveryStore(ctx.db);
    // A lease far longer than the test: it lapses when the test says so (below), not when a busy machine
    // happens to take more than a second over the four sends.
    const claimed = await store.claim(issueId, 7, new Date(Date.now() + 600_000));
    const t = new SmtpBulkTransport({ smtpUrl: sink.url, maxConnections: 1, dkim: null });
    transports.push(t);
    for (const d of claimed.slice(0, 4)) {
      await t.send({
        from: 'x@example.com',
        envelopeFrom: 'x@example.com',
        replyTo: null,
        to: d.email,
        subject: 's',
        html: 'h',
        text: 't',
        messageId: '<m@x>',
        headers: {},
      });
    }
    // The restarted process sends the rest first; the lapsed claim comes back after its lease.
    const { s: second } = sender(sink.url);
    await second.runSlice(issueId);
    assert.notEqual((await issueRow(ctx.db, issueId)).status, 'sent', 'the claimed rows are not given up on');
    // The dead process's lease runs out.
    await ctx.db.kysely
      .updateTable('newsletter_deliveries')
      .set({ claimed_until: toDbTime(new Date(Date.now() - 1000)) })
      .where('issue_id', '=', issueId)
      .where('status', '=', 'sending')
      .execute();
    await second.runSlice(issueId);
    const issue = await issueRow(ctx.db, issueId);
    assert.equal(issue.status, 'sent');
    assert.equal(issue.sent_count, 30);
    assert.equal(second.resentAfterLapse, 7);
    const twice = emails.filter((e) => sink.counts.get(e) === 2);
    const missing = emails.filter((e) => !sink.counts.get(e));
    assert.deepEqual(missing, []);
    assert.equal(twice.length, 4, 'only the accepted, unrecorded copies were sent twice');
    assert.ok(emails.every((e) => (sink.counts.get(e) ?? 0) <= 2));
  });

  test('a test copy goes to the editor and is not a delivery', async () => {
    const { issueId } = await seedSend(ctx.db, siteId, 3);
    const { s } = sender(null);
    await s.sendTest(issueId, 'Editor@Example.com');
    const [m] = await ctx.db.kysely
      .selectFrom('mail_messages')
      .selectAll()
      .where('to_address', '=', 'editor@example.com')
      .execute();
    assert.match(m!.subject, /^\[Test\] Morning/);
    assert.equal((await deliveries(ctx.db, issueId)).length, 0);
    await assert.rejects(s.sendTest(issueId, 'not an address'), (e) =>
      isDatelineError(e, 'NEWSLETTER_TEST_ADDRESS_INVALID'),
    );
  });
});
