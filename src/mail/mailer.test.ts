import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { startSmtpSink } from '../accounts/testing.ts';
import { JobQueue } from '../jobs/queue.ts';
import { CAPPED, MAIL_JOB, MailService } from './mailer.ts';
import { renderMail } from './templates.tsx';

const brand = { siteName: 'Example Times', color: '#1a3d6d', homeUrl: 'http://news.localhost:3000/' };

function message(key: string, to: string) {
  const { html, text } = renderMail(brand, {
    heading: 'Hello <there>',
    paragraphs: ['First & only paragraph.'],
    action: { label: 'Open', url: 'http://news.localhost:3000/account' },
  });
  return { key, kind: 'test', to, subject: `Subject ${key}`, html, text };
}

describeEachDialect('mail', (ctx) => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  before(async () => {
    smtp = await startSmtpSink();
  });
  after(() => smtp.close());

  test('over SMTP: sent by a job, arrives once with HTML and text in the site branding', async () => {
    const jobs = new JobQueue(ctx.db);
    const mail = new MailService(ctx.db, jobs, {
      from: 'Example Times <no-reply@example.com>',
      smtpUrl: smtp.url,
    });
    await mail.queue(message('k1', 'reader@example.com'));
    await mail.queue(message('k1', 'reader@example.com'));
    assert.equal(smtp.mails.length, 0, 'nothing is sent until the job runs');
    await jobs.drain();
    const [got, ...more] = await smtp.waitFor('reader@example.com');
    assert.equal(more.length, 0);
    assert.equal(got!.subject, 'Subject k1');
    assert.match(got!.html, /Example Times/);
    assert.match(got!.html, /Hello &lt;there/);
    assert.match(got!.text, /Open: http:\/\/news\.localhost:3000\/account/);
    const [stored] = await mail.outbox({ to: 'reader@example.com' });
    assert.equal(stored!.transport, 'smtp');
    assert.equal(got!.messageId, stored!.messageId);
    mail.close();
  });

  test('attachments are stored with the message and sent with it', async () => {
    const jobs = new JobQueue(ctx.db);
    const mail = new MailService(ctx.db, jobs, { from: 'x@example.com', smtpUrl: smtp.url });
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    await mail.queue({
      ...message('k-att', 'attached@example.com'),
      attachments: [
        { filename: 'event.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST', content: ics },
      ],
    });
    await mail.queue(message('k-plain', 'plain@example.com'));
    await jobs.drain();
    const [got] = await smtp.waitFor('attached@example.com');
    assert.equal(got!.attachments.length, 1);
    assert.equal(got!.attachments[0]!.filename, 'event.ics');
    assert.match(got!.attachments[0]!.contentType, /^text\/calendar/);
    assert.equal(got!.attachments[0]!.content, ics);
    const [stored] = await mail.outbox({ to: 'attached@example.com' });
    assert.deepEqual(
      stored!.attachments.map((a) => a.filename),
      ['event.ics'],
    );
    const [plain] = await mail.outbox({ to: 'plain@example.com' });
    assert.deepEqual(plain!.attachments, []);
    mail.close();
  });

  test('a job that runs again after a crash does not send twice', async () => {
    const jobs = new JobQueue(ctx.db);
    const mail = new MailService(ctx.db, jobs, { from: 'x@example.com', smtpUrl: smtp.url });
    await mail.queue(message('k2', 'twice@example.com'));
    await jobs.drain();
    // The worker died after sending, before the job was marked done: the job runs again.
    await ctx.db.kysely.updateTable('jobs').set({ state: 'queued' }).where('key', '=', 'mail:k2').execute();
    await jobs.drain();
    await mail.deliver('k2');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(smtp.mails.filter((m) => m.to === 'twice@example.com').length, 1);
    mail.close();
  });

  test('a message queued in a transaction that rolls back is never sent', async () => {
    const jobs = new JobQueue(ctx.db);
    const mail = new MailService(ctx.db, jobs, { from: 'x@example.com', smtpUrl: smtp.url });
    const failure = new Error('the change failed');
    await assert.rejects(
      ctx.db.kysely.transaction().execute(async (trx) => {
        await mail.queue(message('k3', 'rollback@example.com'), trx);
        // Queued inside the caller's transaction: the message and its delivery job are there...
        const inside = await trx
          .selectFrom('mail_messages')
          .select('to_address')
          .where('key', '=', 'k3')
          .execute();
        assert.deepEqual(inside, [{ to_address: 'rollback@example.com' }]);
        const job = await trx.selectFrom('jobs').select('state').where('key', '=', 'mail:k3').execute();
        assert.deepEqual(job, [{ state: 'queued' }]);
        throw failure;
      }),
      // ...and the transaction fails with the caller's own error, nothing else.
      (error) => error === failure,
    );
    await jobs.drain();
    assert.equal((await mail.outbox({ to: 'rollback@example.com' })).length, 0);
    assert.equal(await jobs.get(`mail:k3`), null);
    mail.close();
  });

  test('without SMTP the outbox keeps every message for the operator', async () => {
    const jobs = new JobQueue(ctx.db);
    const mail = new MailService(ctx.db, jobs, { from: 'x@example.com', smtpUrl: null });
    assert.equal(mail.mode, 'outbox');
    await mail.queue(message('k4', 'outbox@example.com'));
    await jobs.drain();
    const [m] = await mail.outbox({ to: 'outbox@example.com' });
    assert.equal(m!.transport, 'outbox');
    assert.ok(m!.sentAt);
    assert.equal((await jobs.get('mail:k4'))!.kind, MAIL_JOB);
  });

  test('no address gets more than its hourly share, by any path; what is held back is recorded and logged', async () => {
    const jobs = new JobQueue(ctx.db);
    const logged: Record<string, unknown>[] = [];
    const mail = new MailService(ctx.db, jobs, {
      from: 'x@example.com',
      smtpUrl: smtp.url,
      perRecipientPerHour: 3,
      log: { error: (obj) => logged.push(obj) },
    });
    // Five messages for one address, with its case varied, some in the caller's transaction.
    await mail.queue(message('cap1', 'flooded@example.com'));
    await mail.queue(message('cap2', 'Flooded@Example.com'));
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await mail.queue(message('cap3', 'flooded@example.com'), trx);
      await mail.queue(message('cap4', 'flooded@example.com'), trx);
    });
    await mail.queue(message('cap5', 'FLOODED@example.com'));
    // The same key again is the same message: it neither counts twice nor adds a record.
    await mail.queue(message('cap1', 'flooded@example.com'));
    await mail.queue(message('other1', 'someone-else@example.com'));
    await jobs.drain();
    await smtp.waitFor('someone-else@example.com');
    assert.deepEqual(
      smtp.mails
        .filter((m) => m.to === 'flooded@example.com')
        .map((m) => m.subject)
        .sort(),
      ['Subject cap1', 'Subject cap2', 'Subject cap3'],
    );
    const stored = await mail.outbox({ to: 'flooded@example.com' });
    assert.deepEqual(stored.map((m) => [m.key, m.transport, m.sentAt === null]).sort(), [
      ['cap1', 'smtp', false],
      ['cap2', 'smtp', false],
      ['cap3', 'smtp', false],
      ['cap4', CAPPED, true],
      ['cap5', CAPPED, true],
    ]);
    assert.deepEqual(
      logged.map((l) => [l.key, l.to]),
      [
        ['cap4', 'flooded@example.com'],
        ['cap5', 'flooded@example.com'],
      ],
    );
    assert.equal(await jobs.get('mail:cap4'), null, 'no delivery job for a capped message');
    // Messages older than an hour no longer count.
    await ctx.db.kysely
      .updateTable('mail_messages')
      .set({ created_at: new Date(Date.now() - 3601_000).toISOString() })
      .where('to_address', '=', 'flooded@example.com')
      .execute();
    await mail.queue(message('cap6', 'flooded@example.com'));
    await jobs.drain();
    assert.equal((await mail.outbox({ to: 'flooded@example.com' }))[0]!.transport, 'smtp');
    mail.close();
  });

  test('the cap is 5 an hour unless configured', async () => {
    const jobs = new JobQueue(ctx.db);
    const mail = new MailService(ctx.db, jobs, { from: 'x@example.com', smtpUrl: null });
    assert.equal(mail.perRecipientPerHour, 5);
    for (let i = 0; i < 7; i++) await mail.queue(message(`default${i}`, 'default-cap@example.com'));
    const stored = await mail.outbox({ to: 'default-cap@example.com' });
    assert.equal(stored.filter((m) => m.transport === CAPPED).length, 2);
  });
});
