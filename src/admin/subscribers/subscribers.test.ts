// The Subscribers screen over HTTP on both dialects: who may open it (a site's admin yes, an editor or
// another site's admin no), the CSRF check before any import or removal, the CSV import with its consent
// column (yes: confirmed at once, no confirmation mail; no: pending with the double opt-in mail in the
// outbox; bad rows named by line; suppressed addresses skipped; already-listed ones untouched; the same
// file again changes nothing; an unreadable file writes nothing), search and status, the CSV export with
// formula cells defused, removal, and the audit entries each change leaves.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { csrfOf, FAST_ARGON2 } from '../../accounts/testing.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import { auditCount, auditEntries, postFields, postMultipart } from '../sites/network-testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';
import { parseCsv } from './csv.ts';

type Staff = Awaited<ReturnType<typeof signedInStaff>>;

describeEachDialect('the Subscribers screen', (ctx) => {
  let t: TestApp;
  let list: Newsletter;
  let otherList: Newsletter;
  let admin: Staff;
  let editor: Staff;
  let lifeAdmin: Staff;

  const confirmMails = async (to: string) =>
    (await t.rt.mail.outbox({ to, limit: 50 })).filter((m) => m.kind === 'newsletter-confirm');
  const statusOf = async (email: string, listId = list.id) => {
    const row = await t.rt.db.kysely
      .selectFrom('newsletter_subscriptions as s')
      .innerJoin('newsletter_subscribers as p', 'p.id', 's.subscriber_id')
      .select(['s.status', 's.consent_source', 's.confirmed_at'])
      .where('p.email', '=', email)
      .where('s.newsletter_id', '=', listId)
      .executeTakeFirst();
    return row ?? null;
  };
  const rowCount = async () =>
    Number(
      (
        await t.rt.db.kysely
          .selectFrom('newsletter_subscriptions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const mailCount = async () =>
    Number(
      (
        await t.rt.db.kysely
          .selectFrom('mail_messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const importFile = (who: Staff, csv: string | Buffer, listId = list.id, name = 'readers.csv') =>
    postMultipart(
      t,
      who.client,
      `${ADMIN}/subscribers/${listId}/import`,
      { csrf: who.csrf },
      {
        field: 'file',
        filename: name,
        type: 'text/csv',
        bytes: Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
      },
    );

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    const news = await newsSite(t.rt, 'news');
    const life = await newsSite(t.rt, 'life');
    const base = { senderName: 'The Dispatch', senderEmail: 'news@dispatch.co.jp', kind: 'digest' as const };
    list = await t.rt.newsletterSignup.lists.create(news.site.id, {
      ...base,
      slug: 'morning',
      name: 'Morning Briefing',
      schedule: { days: [1, 2, 3, 4, 5], time: '07:00' },
    });
    otherList = await t.rt.newsletterSignup.lists.create(life.site.id, {
      ...base,
      slug: 'weekend',
      name: 'Weekend Reads',
      schedule: { days: [6], time: '09:00' },
    });
    admin = await signedInStaff(t, [{ role: 'admin', siteId: news.site.id }]);
    editor = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }]);
    lifeAdmin = await signedInStaff(t, [{ role: 'admin', siteId: life.site.id }]);
    await t.rt.suppressions.add('bounced@mail.co.jp', 'hard bounce last spring');
  });
  after(async () => {
    await t.close();
  });

  test('a site admin opens the lists and a list; an editor and another site’s admin are refused', async () => {
    const overview = await admin.client.get(`${ADMIN}/subscribers`);
    assert.equal(overview.status, 200);
    assert.match(overview.body, new RegExp(`href="/subscribers/${list.id}"`));
    assert.doesNotMatch(overview.body, /Weekend Reads/, 'only the lists of its own site');
    assert.match(overview.body, /href="\/subscribers"/, 'the menu has Subscribers');
    assert.match(overview.body, /href="\/suppressions"/, 'and the suppression list');
    assert.equal((await admin.client.get(`${ADMIN}/subscribers/${list.id}`)).status, 200);

    const home = await editor.client.get(`${ADMIN}/`);
    assert.doesNotMatch(home.body, /href="\/subscribers"/, 'an editor has no Subscribers entry');
    for (const path of ['/subscribers', `/subscribers/${list.id}`, `/subscribers/${list.id}/export.csv`]) {
      const r = await editor.client.get(`${ADMIN}${path}`);
      assert.equal(r.status, 403, path);
      assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
    }
    const other = await lifeAdmin.client.get(`${ADMIN}/subscribers/${list.id}`);
    assert.equal(other.status, 403);
    const before = await auditCount(t);
    const refused = await importFile(lifeAdmin, 'email,consent\nsomeone@mail.co.jp,yes\n');
    assert.equal(refused.status, 403);
    assert.match(refused.body, /DATELINE_ERR_FORBIDDEN/);
    assert.equal(await statusOf('someone@mail.co.jp'), null);
    assert.equal(await auditCount(t), before);
  });

  test('an import or a removal without the CSRF token is refused and writes nothing', async () => {
    const before = { rows: await rowCount(), audit: await auditCount(t) };
    const noToken = await postMultipart(
      t,
      admin.client,
      `${ADMIN}/subscribers/${list.id}/import`,
      {},
      {
        field: 'file',
        filename: 'x.csv',
        type: 'text/csv',
        bytes: Buffer.from('email,consent\nx@mail.co.jp,yes\n'),
      },
    );
    assert.equal(noToken.status, 403);
    assert.match(noToken.body, /DATELINE_ERR_CSRF_REJECTED/);
    const wrong = await postFields(t, admin.client, `${ADMIN}/subscribers/${list.id}/remove`, [
      ['csrf', 'not-the-token'],
      ['subscription', '1'],
    ]);
    assert.equal(wrong.status, 403);
    assert.match(wrong.body, /DATELINE_ERR_CSRF_REJECTED/);
    assert.equal(await rowCount(), before.rows);
    assert.equal(await auditCount(t), before.audit);
  });

  const FILE = [
    '\ufeffEmail,Consent,Name',
    'yes-one@mail.co.jp,yes,Aiko Sato',
    'no-one@mail.co.jp,no,',
    '"Yes-Two@Mail.co.jp",TRUE,"Sato, Ken"',
    'no-two@mail.co.jp,0',
    'not-an-address,yes',
    'missing@mail.co.jp,',
    'unclear@mail.co.jp,maybe',
    'yes-one@mail.co.jp,no',
    'bounced@mail.co.jp,yes',
    'reader@example.com,yes',
    '',
  ].join('\r\n');

  test('consent yes is confirmed without mail, consent no is pending with one confirmation mail; bad rows by line', async () => {
    const audits = (await auditEntries(t, 'newsletter.subscribers_imported')).length;
    const r = await importFile(admin, FILE);
    assert.equal(r.status, 200, r.body.slice(0, 800));
    for (const email of ['yes-one@mail.co.jp', 'yes-two@mail.co.jp']) {
      const s = await statusOf(email);
      assert.equal(s?.status, 'active', email);
      assert.equal(s?.consent_source, 'import');
      assert.ok(s?.confirmed_at, 'the time of the vouched consent is kept');
      assert.equal((await confirmMails(email)).length, 0, `${email} gets no confirmation mail`);
    }
    for (const email of ['no-one@mail.co.jp', 'no-two@mail.co.jp']) {
      assert.equal((await statusOf(email))?.status, 'pending', email);
      const mails = await confirmMails(email);
      assert.equal(mails.length, 1, `${email} gets the double opt-in mail`);
      assert.match(mails[0]!.subject, /Confirm your subscription/);
    }
    assert.equal(await statusOf('bounced@mail.co.jp'), null, 'a suppressed address is skipped');
    for (const email of ['missing@mail.co.jp', 'unclear@mail.co.jp', 'reader@example.com'])
      assert.equal(await statusOf(email), null, email);
    // The report names each refused line and why.
    const lines = [...r.body.matchAll(/<th scope="row">Line (\d+)<\/th>/g)].map((m) => Number(m[1]));
    assert.deepEqual(lines, [6, 7, 8, 9, 11, 10], 'bad rows by line, then the suppressed one');
    assert.match(r.body, /Consent is missing/);
    assert.match(r.body, /Consent “maybe” is not clear/);
    assert.match(r.body, /already on line 2/);
    const [entry] = (await auditEntries(t, 'newsletter.subscribers_imported')).slice(audits);
    assert.equal(entry?.actor, `user:${admin.userId}`);
    assert.equal(entry?.subjectId, String(list.id));
    assert.equal(entry?.detail.confirmed, 2);
    assert.equal(entry?.detail.pending, 2);
    assert.equal(entry?.detail.mailed, 2);
    assert.equal(entry?.detail.suppressed, 1);
    assert.equal(entry?.detail.problems, 5);
    assert.equal(entry?.detail.file, 'readers.csv');
  });

  test('importing the same file again changes nothing and mails nobody', async () => {
    const before = { rows: await rowCount(), mails: await mailCount() };
    const r = await importFile(admin, FILE);
    assert.equal(r.status, 200);
    assert.match(r.body, /<strong>4<\/strong>already on the list/);
    assert.match(r.body, /<strong>0<\/strong>added, confirmed/);
    assert.equal(await rowCount(), before.rows);
    assert.equal(await mailCount(), before.mails);
    // An address that left is not put back, and a pending one is not confirmed, by an import.
    const again = await importFile(admin, 'email,consent\nno-one@mail.co.jp,yes\n');
    assert.equal(again.status, 200);
    assert.equal((await statusOf('no-one@mail.co.jp'))?.status, 'pending');
  });

  test('an unreadable file or one without its columns is refused with NEWSLETTER_IMPORT_INVALID and writes nothing', async () => {
    const before = { rows: await rowCount(), mails: await mailCount(), audit: await auditCount(t) };
    for (const bad of [
      'email,consent\nfresh-a@mail.co.jp,yes\n"fresh-b@mail.co.jp,yes\n',
      'address,agreed\nfresh-a@mail.co.jp,yes\n',
      Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xff, 0xfe, 0x00]),
      '',
    ]) {
      const r = await importFile(admin, bad);
      assert.equal(r.status, 400, r.body.slice(0, 300));
      assert.match(r.body, /DATELINE_ERR_NEWSLETTER_IMPORT_INVALID/);
      assert.match(r.body, /enctype="multipart\/form-data"/, 'the list page again, with its import form');
    }
    assert.equal(await statusOf('fresh-a@mail.co.jp'), null);
    assert.equal(await rowCount(), before.rows);
    assert.equal(await mailCount(), before.mails);
    assert.equal(await auditCount(t), before.audit);
  });

  test('search by part of the address, filter by status; bounced shows for a suppressed subscriber', async () => {
    const found = await admin.client.get(`${ADMIN}/subscribers/${list.id}?q=YES-`);
    assert.equal(found.status, 200);
    assert.match(found.body, /yes-one@mail\.co\.jp/);
    assert.match(found.body, /yes-two@mail\.co\.jp/);
    assert.doesNotMatch(found.body, /no-one@mail\.co\.jp/);
    const pending = await admin.client.get(`${ADMIN}/subscribers/${list.id}?state=pending`);
    assert.match(pending.body, /no-two@mail\.co\.jp/);
    assert.doesNotMatch(pending.body, /yes-one@mail\.co\.jp/);
    await t.rt.suppressions.add('yes-two@mail.co.jp', null);
    const bounced = await admin.client.get(`${ADMIN}/subscribers/${list.id}?state=bounced`);
    assert.match(bounced.body, /yes-two@mail\.co\.jp/);
    assert.match(bounced.body, /Bounced/);
    assert.doesNotMatch(bounced.body, /yes-one@mail\.co\.jp/);
    await t.rt.suppressions.remove('yes-two@mail.co.jp');
  });

  test('the CSV export has a header and every subscriber, with formula cells defused', async () => {
    const user = await t.rt.accounts.createUser({
      email: 'formula@mail.co.jp',
      displayName: '=HYPERLINK("http://evil")',
    });
    await t.rt.newsletterSignup.subscriptions.subscribe({
      siteId: list.siteId,
      email: 'formula@mail.co.jp',
      newsletterIds: [list.id],
      source: 'account',
      confirmed: true,
      userId: user.id,
      ip: null,
    });
    const r = await admin.client.get(`${ADMIN}/subscribers/${list.id}/export.csv`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/csv/);
    assert.match(
      String(r.headers['content-disposition']),
      /attachment; filename="news-morning-subscribers\.csv"/,
    );
    const recs = parseCsv(r.body).map((x) => x.fields);
    assert.deepEqual(recs[0], [
      'email',
      'name',
      'status',
      'source',
      'signed_up_at',
      'confirmed_at',
      'unsubscribed_at',
    ]);
    const byEmail = new Map(recs.slice(1).map((f) => [f[0], f]));
    assert.deepEqual([...byEmail.keys()].sort(), [
      'formula@mail.co.jp',
      'no-one@mail.co.jp',
      'no-two@mail.co.jp',
      'yes-one@mail.co.jp',
      'yes-two@mail.co.jp',
    ]);
    assert.equal(byEmail.get('formula@mail.co.jp')![1], `'=HYPERLINK("http://evil")`);
    assert.match(
      r.body,
      /"'=HYPERLINK\(""http:\/\/evil""\)"/,
      'quoted, with the apostrophe inside the quotes',
    );
    assert.deepEqual(byEmail.get('yes-one@mail.co.jp')!.slice(2, 4), ['confirmed', 'import']);
    assert.match(byEmail.get('yes-one@mail.co.jp')![5]!, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(byEmail.get('no-one@mail.co.jp')!.slice(2, 4), ['pending', 'import']);
    assert.equal(byEmail.get('no-one@mail.co.jp')![5], '');
    const some = await admin.client.get(`${ADMIN}/subscribers/${list.id}/export.csv?q=no-`);
    assert.equal(parseCsv(some.body).length, 3, 'the export follows the search');
  });

  test('removing a subscriber deletes that subscription only, audited; a second time is 404', async () => {
    const sub = await t.rt.db.kysely
      .selectFrom('newsletter_subscriptions as s')
      .innerJoin('newsletter_subscribers as p', 'p.id', 's.subscriber_id')
      .select('s.id')
      .where('p.email', '=', 'no-two@mail.co.jp')
      .executeTakeFirstOrThrow();
    const page = await admin.client.get(`${ADMIN}/subscribers/${list.id}`);
    assert.match(page.body, /data-confirm="Remove no-two@mail\.co\.jp from Morning Briefing\?/);
    const r = await postFields(t, admin.client, `${ADMIN}/subscribers/${list.id}/remove`, [
      ['csrf', csrfOf(page.body)],
      ['subscription', String(sub.id)],
    ]);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, `/subscribers/${list.id}?done=subscriber-removed`);
    assert.equal(await statusOf('no-two@mail.co.jp'), null);
    const [entry] = await auditEntries(t, 'newsletter.subscriber_removed');
    assert.equal(entry?.actor, `user:${admin.userId}`);
    assert.equal(entry?.detail.before?.email, 'no-two@mail.co.jp');
    assert.equal(entry?.detail.before?.status, 'pending');
    const again = await postFields(t, admin.client, `${ADMIN}/subscribers/${list.id}/remove`, [
      ['csrf', admin.csrf],
      ['subscription', String(sub.id)],
    ]);
    assert.equal(again.status, 404);
    // A subscription of another list cannot be removed through this one.
    await t.rt.newsletterSignup.subscriptions.importSubscribers(otherList.id, [
      { email: 'life@mail.co.jp', consent: true },
    ]);
    const lifeSub = await t.rt.db.kysely
      .selectFrom('newsletter_subscriptions')
      .select('id')
      .where('newsletter_id', '=', otherList.id)
      .executeTakeFirstOrThrow();
    const across = await postFields(t, admin.client, `${ADMIN}/subscribers/${list.id}/remove`, [
      ['csrf', admin.csrf],
      ['subscription', String(lifeSub.id)],
    ]);
    assert.equal(across.status, 404);
    assert.equal((await statusOf('life@mail.co.jp', otherList.id))?.status, 'active');
  });
});
