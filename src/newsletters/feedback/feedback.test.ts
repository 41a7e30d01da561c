import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import { bulkMessageId } from '../sending/message.ts';
import { seedSend } from '../sending/testing.ts';
import { SuppressionList } from './suppressions.ts';

const SECRET = 'a-webhook-secret-of-some-length-0123';

describeEachDialect('bounce and complaint webhooks', (ctx) => {
  let t: TestApp;
  let off: TestApp | null = null;
  before(async () => {
    t = await startTestApp(ctx.db, { DATELINE_MAIL_WEBHOOK_SECRET: SECRET });
    await newsSite(t.rt);
  });
  after(async () => {
    await off?.close();
    await t.close();
  });

  const post = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: path,
      headers: { host: 'news.localhost', 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const state = (email: string) => t.rt.suppressions.get(email);

  test('refused without the secret, or with a wrong one; off without a configured secret', async () => {
    const body = { type: 'hard_bounce', email: 'x@example.com', id: 'e1' };
    let res = await post('/_mail/feedback/generic', body);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'DATELINE_ERR_MAIL_WEBHOOK_UNAUTHORIZED');
    res = await post('/_mail/feedback/generic/wrong-secret-wrong-secret-123', body);
    assert.equal(res.statusCode, 401);
    assert.equal(await state('x@example.com'), null, 'nothing recorded');
    off = await startTestApp(ctx.db);
    res = await off.app.inject({
      method: 'POST',
      url: `/_mail/feedback/generic/${SECRET}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'DATELINE_ERR_MAIL_WEBHOOK_DISABLED');
  });

  test('generic: a hard bounce suppresses once, a retry counts once, soft bounces suppress at the third', async () => {
    const body = { type: 'hard_bounce', email: 'Gone@Example.com', id: 'g-1', detail: '550 no such user' };
    let res = await post(`/_mail/feedback/generic/${SECRET}`, body);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { recorded: 1, duplicates: 0, suppressed: 1, ignored: 0 });
    res = await post('/_mail/feedback/generic', body, { 'x-dateline-webhook-secret': SECRET });
    assert.equal(res.json().duplicates, 1);
    assert.equal((await state('gone@example.com'))?.reason, 'hard_bounce');
    for (let i = 1; i <= 3; i++) {
      res = await post(`/_mail/feedback/generic/${SECRET}`, {
        type: 'soft_bounce',
        email: 'full@example.com',
        id: `s-${i}`,
      });
      const s = await state('full@example.com');
      assert.equal(s?.softBounces, i);
      assert.equal(s?.suppressed, i >= 3, `after ${i} soft bounces`);
    }
    assert.equal((await state('full@example.com'))?.reason, 'soft_bounces');
    res = await post(`/_mail/feedback/generic/${SECRET}`, {
      type: 'bounce',
      email: 'a@example.com',
      id: '1',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'DATELINE_ERR_MAIL_WEBHOOK_INVALID');
    res = await post(`/_mail/feedback/generic/${SECRET}`, '{not json');
    assert.equal(res.statusCode, 400);
    res = await post(`/_mail/feedback/nosuch/${SECRET}`, body);
    assert.equal(res.json().error.code, 'DATELINE_ERR_MAIL_WEBHOOK_INVALID');
  });

  test('Amazon SES via SNS: topic confirmation is logged, not fetched; a permanent bounce of a newsletter counts on its issue', async () => {
    const site = t.rt.directory.forHost('news.localhost')!.site;
    const { issueId, emails } = await seedSend(ctx.db, site.id, 2);
    await t.rt.newsletterSender.registerRenderer('digest', {
      render: async () => ({ subject: 'S', html: 'h', text: 't', campaign: 'c' }),
    });
    await t.rt.newsletterSender.start(issueId);
    await t.rt.jobs.drain();
    const sub = await ctx.db.kysely
      .selectFrom('newsletter_deliveries')
      .select('subscriber_id')
      .where('issue_id', '=', issueId)
      .where('email', '=', emails[0]!)
      .executeTakeFirstOrThrow();
    let res = await post(
      `/_mail/feedback/ses/${SECRET}`,
      JSON.stringify({
        Type: 'SubscriptionConfirmation',
        MessageId: 'c1',
        TopicArn: 'arn:aws:sns:eu-west-1:1:bounces',
        SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=abc',
      }),
      { 'content-type': 'text/plain; charset=UTF-8' },
    );
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { recorded: 0, duplicates: 0, suppressed: 0, ignored: 1 });
    const notification = {
      Type: 'Notification',
      MessageId: 'sns-1',
      Message: JSON.stringify({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          feedbackId: 'fb-1',
          bouncedRecipients: [{ emailAddress: emails[0], diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        },
        mail: {
          messageId: 'ses-own-id',
          commonHeaders: { messageId: bulkMessageId(issueId, sub.subscriber_id, 'example.com') },
        },
      }),
    };
    res = await post(`/_mail/feedback/ses/${SECRET}`, JSON.stringify(notification), {
      'content-type': 'text/plain; charset=UTF-8',
    });
    assert.deepEqual(res.json(), { recorded: 1, duplicates: 0, suppressed: 1, ignored: 0 });
    res = await post(`/_mail/feedback/ses/${SECRET}`, notification);
    assert.equal(res.json().duplicates, 1, 'SNS delivering it again counts once');
    const issue = await ctx.db.kysely
      .selectFrom('newsletter_issues')
      .select('bounced_count')
      .where('id', '=', issueId)
      .executeTakeFirstOrThrow();
    assert.equal(issue.bounced_count, 1);
    assert.equal((await t.rt.newsletterSender.progress(issueId)).bounced, 1);
    const complaint = {
      Type: 'Notification',
      MessageId: 'sns-2',
      Message: JSON.stringify({
        notificationType: 'Complaint',
        complaint: {
          feedbackId: 'fb-2',
          complaintFeedbackType: 'abuse',
          complainedRecipients: [{ emailAddress: emails[1] }],
        },
        mail: {},
      }),
    };
    res = await post(`/_mail/feedback/ses/${SECRET}`, complaint);
    assert.equal((await state(emails[1]!))?.reason, 'complaint');
    res = await post(`/_mail/feedback/ses/${SECRET}`, {
      Type: 'Notification',
      MessageId: 'sns-3',
      Message: '{"notificationType":"Delivery"}',
    });
    assert.equal(res.json().ignored, 1);
  });

  test('Postmark: Bounce and SpamComplaint, with the secret as the Basic auth password', async () => {
    const basic = `Basic ${Buffer.from(`postmark:${SECRET}`).toString('base64')}`;
    let res = await post(
      '/_mail/feedback/postmark',
      {
        RecordType: 'Bounce',
        ID: 4323372036,
        Type: 'HardBounce',
        Email: 'pm@example.com',
        Details: 'smtp;550',
      },
      { authorization: basic },
    );
    assert.equal(res.json().recorded, 1);
    assert.equal((await state('pm@example.com'))?.reason, 'hard_bounce');
    res = await post(
      '/_mail/feedback/postmark',
      { RecordType: 'SpamComplaint', ID: 42, Type: 'SpamComplaint', Email: 'pm2@example.com' },
      { authorization: basic },
    );
    assert.equal((await state('pm2@example.com'))?.reason, 'complaint');
    res = await post(
      '/_mail/feedback/postmark',
      { RecordType: 'Bounce', ID: 43, Type: 'AutoResponder', Email: 'away@example.com' },
      { authorization: basic },
    );
    assert.equal(res.json().ignored, 1);
    assert.equal(await state('away@example.com'), null);
  });

  test('the suppression list for the admin: search, add by hand, remove; a send skips what it lists', async () => {
    const list = new SuppressionList(ctx.db, { softBouncesToSuppress: 3 });
    const added = await list.add(' Hand@Example.com ', 'asked by phone');
    assert.equal(added.email, 'hand@example.com');
    assert.equal(added.reason, 'manual');
    await assert.rejects(list.add('nope'), (e) => isDatelineError(e, 'MAIL_SUPPRESSION_INVALID'));
    const found = await list.search({ query: 'hand@' });
    assert.deepEqual(
      found.items.map((i) => i.email),
      ['hand@example.com'],
    );
    assert.equal(found.total, 1);
    const all = await list.search({ all: true, limit: 500 });
    assert.ok(all.total >= (await list.search()).total);
    assert.equal(await list.isSuppressed('HAND@example.com'), true);
    await list.remove('hand@example.com');
    assert.equal(await list.isSuppressed('hand@example.com'), false);
    await assert.rejects(list.remove('hand@example.com'), (e) =>
      isDatelineError(e, 'MAIL_SUPPRESSION_NOT_FOUND'),
    );
  });
});
