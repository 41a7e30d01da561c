// A notice mail's own headers reach the SMTP server: List-Unsubscribe and List-Unsubscribe-Post are what let
// mail programs offer their one-click unsubscribe (RFC 8058), so they are checked on the wire, not only in
// the outbox.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { describeEachDialect } from '../../../test/dialects.ts';
import { JobQueue } from '../../jobs/queue.ts';
import { MailService } from '../../mail/mailer.ts';

describeEachDialect('notice mail headers over SMTP', (ctx) => {
  const got: Map<string, unknown>[] = [];
  let server: SMTPServer;
  let url = '';
  before(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, _session, cb) {
        simpleParser(stream)
          .then((m) => {
            got.push(m.headers as Map<string, unknown>);
            cb();
          })
          .catch(cb);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('the one-click headers are sent with the message', async () => {
    const jobs = new JobQueue(ctx.db);
    const mail = new MailService(ctx.db, jobs, {
      from: 'Example Times <no-reply@example.com>',
      smtpUrl: url,
    });
    const off = 'http://news.localhost:3000/account/notifications/off?t=1.replies.abc';
    await mail.queue({
      key: 'comment-notice:test',
      kind: 'comment-reply',
      to: 'reader@example.com',
      subject: 'Someone replied',
      text: 'Text',
      html: '<p>Text</p>',
      headers: { 'List-Unsubscribe': `<${off}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    await jobs.drain();
    for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(got.length, 1);
    const h = got[0]!;
    // mailparser reads the List-* headers into one structured "list" header.
    assert.deepEqual(h.get('list'), {
      unsubscribe: { url: off },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    mail.close();
  });
});
