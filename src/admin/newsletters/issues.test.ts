// A digest's next issue and its sends in the admin, over HTTP on both databases, sending through a real SMTP
// server (smtp-server): the composed stories under their blocks; moving, removing and adding a story (by its
// address on the site), the subject and intro, each persisted and audited, a refused one shown with what
// was typed; the preview under its own strict policy with no recipient link or counter in it; "Send a test
// to me" reaching the sink, and DATELINE_ERR_NEWSLETTER_TEST_FAILED shown when the server refuses it; "Send
// now" after its confirmation step reaching every confirmed subscriber; and a running send paused, resumed
// and cancelled from the Sends page, its progress also as JSON. Writers and moderators are refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import { type BulkSink, startBulkSink } from '../../newsletters/sending/testing.ts';
import { auditCount, auditEntries } from '../sites/network-testing.ts';
import { ADMIN, adminJson, signedInStaff } from '../testing.ts';

type Staff = Awaited<ReturnType<typeof signedInStaff>>;
const REFUSED = 'refused-editor@newsroom-mail.jp';

describeEachDialect('the next issue and the sends', (ctx) => {
  let t: TestApp;
  let sink: BulkSink;
  let news: Awaited<ReturnType<typeof newsSite>>;
  let editor: Staff;
  let n: Newsletter;
  const story: Record<string, number> = {};
  const readers = ['ada@readers-mail.jp', 'bo@readers-mail.jp', 'cy@readers-mail.jp'];

  const publish = async (key: string, headline: string, section: 'world' | 'business') => {
    const a = await t.rt.articles.create(
      {
        siteId: news.site.id,
        sectionId: news[section].id,
        headline,
        dek: `About ${key}.`,
        bodyHtml: '<p>Text.</p>',
      },
      'test',
    );
    story[key] = a.article.id;
  };

  before(async () => {
    sink = await startBulkSink({
      keepRaw: true,
      refuse: (rcpt) => (rcpt === REFUSED ? { code: 550, message: 'No such mailbox here' } : null),
    });
    t = await startTestApp(ctx.db, { ...FAST_ARGON2, SMTP_URL: sink.url });
    news = await newsSite(t.rt, 'news');
    n = await t.rt.newsletterSignup.lists.create(news.site.id, {
      slug: 'morning-briefing',
      name: 'Morning Briefing',
      kind: 'digest',
      schedule: { days: [1, 2, 3, 4, 5], time: '07:00' },
      composition: { topCount: 2, sections: [{ sectionId: news.business.id, count: 2 }] },
      senderName: 'Example Times',
      senderEmail: 'briefing@example-times.jp',
      trackEngagement: true,
    });
    await t.rt.newsletterSignup.subscriptions.importSubscribers(
      n.id,
      readers.map((email) => ({ email, consent: true })),
    );
    await publish('harbour', 'Harbour reopens after the storm', 'world');
    await publish('bridge', 'Council approves the new bridge', 'world');
    await publish('markets', 'Markets rally on rate hopes', 'business');
    await publish('yen', 'Yen steadies after a volatile week', 'business');
    await publish('rail', 'Rail strike called off', 'world');
    await t.rt.searchIndexer.idle();
    editor = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }], {
      email: 'desk-editor@newsroom-mail.jp',
    });
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  const draft = async () => (await t.rt.digests.issues.draftOf(n.id))!;
  const open = async (who: Staff = editor, query = '') => {
    const r = await who.client.get(`${ADMIN}/newsletters/${n.id}/next${query}`);
    assert.equal(r.status, 200, r.body.slice(0, 400));
    return r.body;
  };
  const post = (path: string, form: Record<string, string>, who: Staff = editor) =>
    who.client.post(`${ADMIN}${path}`, { csrf: who.csrf, ...form });

  test('the next issue: its stories in print order under their blocks', async () => {
    const body = await open();
    const issue = await draft();
    // Two top stories (the newest), then the business block without a story already above it.
    assert.equal(issue.items.filter((i) => i.block === 'top').length, 2, JSON.stringify(issue.items));
    assert.ok(issue.items.some((i) => i.block === `section:${news.business.id}`));
    const order = [...body.matchAll(/<p class="nl-item-headline"><a href="\/stories\/(\d+)">/g)].map((m) =>
      Number(m[1]),
    );
    assert.deepEqual(
      order,
      issue.items.map((i) => i.articleId),
    );
    assert.match(
      body,
      /<h3 class="nl-subhead">Top stories<\/h3>[\s\S]*<h3 class="nl-subhead">Business<\/h3>/,
    );
    assert.match(body, /Send a test to me/);
    assert.match(body, /desk-editor@newsroom-mail\.jp/);
    assert.match(body, /<iframe class="nl-frame" src="\/newsletters\/issues\/\d+\/preview"[^>]* sandbox[ >]/);
  });

  test('move, remove, add by address, subject and intro persist and are audited', async () => {
    const issue = await draft();
    const top = issue.items.filter((i) => i.block === 'top').map((i) => i.articleId);
    const base = `/newsletters/issues/${issue.id}`;
    const moved = await post(`${base}/move`, { article: String(top[0]), by: 'down' });
    assert.equal(moved.status, 303, moved.body.slice(0, 300));
    assert.deepEqual(
      (await draft()).items.filter((i) => i.block === 'top').map((i) => i.articleId),
      [top[1], top[0]],
    );
    const removed = await post(`${base}/remove`, { article: String(top[0]) });
    assert.equal(removed.status, 303);
    assert.ok(!(await draft()).items.some((i) => i.articleId === top[0]));
    const left = [story.harbour, story.bridge, story.rail].find(
      (id) => !(issue.items.some((i) => i.articleId === id) && id !== top[0]),
    )!;
    const placement = await t.rt.db.kysely
      .selectFrom('placements as p')
      .innerJoin('sections as s', 's.id', 'p.section_id')
      .select(['p.slug', 's.slug as section'])
      .where('p.article_id', '=', left)
      .executeTakeFirstOrThrow();
    const url = `http://news.localhost:3000/${placement.section}/${encodeURIComponent(placement.slug)}`;
    const added = await post(`${base}/add`, { story: url, block: 'top' });
    assert.equal(added.status, 303, added.body.slice(0, 300));
    const after = await draft();
    assert.equal(after.items.filter((i) => i.block === 'top').at(-1)?.articleId, left);
    const text = await post(`${base}/text`, {
      subject: 'Tuesday: the bridge',
      intro: 'Good morning.\n\nA calm day.',
    });
    assert.equal(text.status, 303);
    const saved = await draft();
    assert.equal(saved.subject, 'Tuesday: the bridge');
    assert.equal(saved.intro, 'Good morning.\n\nA calm day.');
    assert.equal(saved.edited, true, 'the draft is the editor’s now');
    for (const action of ['story_moved', 'story_removed', 'story_added', 'text_changed']) {
      const [e] = await auditEntries(t, `newsletter_issue.${action}`, {
        type: 'newsletter_issue',
        id: issue.id,
      });
      assert.ok(e, action);
      assert.equal(e.actor, `user:${editor.userId}`);
    }
    const [textEntry] = await auditEntries(t, 'newsletter_issue.text_changed');
    assert.equal(textEntry?.detail.after?.subject, 'Tuesday: the bridge');
    // The page shows the issue as changed.
    const body = await open();
    assert.match(body, /value="Tuesday: the bridge"/);
    assert.match(body, /Changed by an editor/);
  });

  test('a refused change comes back with what was typed, and changes nothing', async () => {
    const issue = await draft();
    const before = await auditCount(t);
    const bad = await post(`/newsletters/issues/${issue.id}/add`, {
      story: 'https://elsewhere.jp/a/b',
      block: 'top',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /DATELINE_ERR_NEWSLETTER_INVALID/);
    assert.match(bad.body, /id="f-story-problem"/);
    assert.match(bad.body, /value="https:\/\/elsewhere\.jp\/a\/b"/);
    const again = await post(`/newsletters/issues/${issue.id}/add`, {
      story: String(issue.items[0]!.articleId),
      block: 'top',
    });
    assert.equal(again.status, 400);
    assert.match(again.body, /in the issue already/);
    const subject = await post(`/newsletters/issues/${issue.id}/text`, {
      subject: '  ',
      intro: 'Kept intro',
    });
    assert.equal(subject.status, 400);
    assert.match(subject.body, /id="f-subject-problem"/);
    assert.match(subject.body, />Kept intro<\/textarea>/);
    assert.deepEqual((await draft()).items, issue.items);
    assert.equal((await draft()).intro, issue.intro);
    assert.equal(await auditCount(t), before);
  });

  test('the preview: the mail under a strict sandboxing policy, no recipient links or counters', async () => {
    const issue = await draft();
    const r = await editor.client.get(`${ADMIN}/newsletters/issues/${issue.id}/preview`);
    assert.equal(r.status, 200);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /(^|; )sandbox(;|$)/);
    assert.match(csp, /frame-ancestors 'self'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(r.body, /Tuesday: the bridge|Harbour|Council|Rail/);
    assert.doesNotMatch(r.body, /%%[A-Z_]+%%/);
    // The list counts opens and clicks, but a look at the preview counts neither.
    assert.doesNotMatch(r.body, /\/newsletters\/o\//);
    assert.doesNotMatch(r.body, /\/newsletters\/c\//);
    assert.match(r.body, /href="http:\/\/news\.localhost:3000\/world\//);
  });

  test('"Send a test to me" reaches the SMTP server; a refused one shows TEST_FAILED', async () => {
    const issue = await draft();
    const r = await post(`/newsletters/issues/${issue.id}/test`, {});
    assert.equal(r.status, 303, r.body.slice(0, 400));
    await sink.waitForTotal(1);
    const mail = sink.raw.find((m) => m.to === 'desk-editor@newsroom-mail.jp');
    assert.ok(mail);
    assert.match(mail.data, /Subject: \[Test\] Tuesday: the bridge/);
    assert.equal((await auditEntries(t, 'newsletter_issue.test_sent')).length, 1);
    const refused = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }], { email: REFUSED });
    const failed = await post(`/newsletters/issues/${issue.id}/test`, {}, refused);
    assert.equal(failed.status, 502);
    assert.match(failed.body, /DATELINE_ERR_NEWSLETTER_TEST_FAILED/);
    assert.match(failed.body, /role="alert"/);
    assert.equal((await draft()).status, 'draft', 'a test changes nothing about the issue');
  });

  test('"Send now" asks first, then reaches every confirmed subscriber', async () => {
    const issue = await draft();
    const ask = await editor.client.get(`${ADMIN}/newsletters/${n.id}/send-now`);
    assert.equal(ask.status, 200);
    assert.match(ask.body, /to the 3 confirmed subscribers of Morning Briefing now\?/);
    assert.equal((await draft()).status, 'draft', 'asking sends nothing');
    const stale = await post(`/newsletters/${n.id}/send-now`, { issue: String(issue.id + 1000) });
    assert.equal(stale.status, 409);
    assert.match(stale.body, /DATELINE_ERR_NEWSLETTER_ISSUE_STATE/);
    const r = await post(`/newsletters/${n.id}/send-now`, { issue: String(issue.id) });
    assert.equal(r.status, 303, r.body.slice(0, 400));
    assert.equal(r.headers.location, `/newsletters/sites/${news.site.id}/sends?done=send-started`);
    await t.rt.jobs.drain();
    await sink.waitForTotal(1 + readers.length);
    for (const email of readers) assert.equal(sink.counts.get(email), 1, email);
    const sent = await t.rt.digests.issues.require(issue.id);
    assert.equal(sent.status, 'sent');
    assert.equal(sent.counts.sent, 3);
    const page = await editor.client.get(`${ADMIN}/newsletters/sites/${news.site.id}/sends`);
    assert.match(page.body, /Morning Briefing: Tuesday: the bridge/);
    assert.match(page.body, /3 of 3 sent · 0 failed · 0 bounced · 0 unsubscribed/);
    const list = await editor.client.get(`${ADMIN}/newsletters/sites/${news.site.id}`);
    assert.match(list.body, /adm-badge-ok">Sent</);
    assert.ok(
      (await auditEntries(t, 'newsletter_issue.send_started', { type: 'newsletter_issue', id: issue.id }))[0],
    );
  });

  test('a running send: progress as JSON, paused, resumed and cancelled from the Sends page', async () => {
    // The runtime's job worker would start sending at once, and a send of three is over before it can be
    // paused: this test holds the worker, so each step meets the send where the last one left it.
    await t.rt.jobs.stop();
    await publish('ferry', 'Ferry timetable changes for winter', 'world');
    await publish('bonds', 'Bond yields climb again', 'business');
    await open();
    const issue = await draft();
    assert.ok(issue.items.some((i) => i.articleId === story.ferry));
    const started = await post(`/newsletters/${n.id}/send-now`, { issue: String(issue.id) });
    assert.equal(started.status, 303);
    const progress = async () => {
      const r = await adminJson(
        t,
        editor.client,
        'GET',
        `/newsletters/issues/${issue.id}/progress`,
        editor.csrf,
      );
      assert.equal(r.status, 200, r.body);
      return r.json as { status: string; total: number; sent: number; etaSeconds: number | null };
    };
    assert.equal((await progress()).status, 'sending');
    const sends = await editor.client.get(`${ADMIN}/newsletters/sites/${news.site.id}/sends`);
    assert.match(sends.body, new RegExp(`data-progress-url="/newsletters/issues/${issue.id}/progress"`));
    assert.match(sends.body, /<script[^>]+newsletter-progress\.js/);
    assert.match(sends.body, /aria-label="Pause: /);
    const paused = await post(`/newsletters/issues/${issue.id}/pause`, {});
    assert.equal(paused.status, 303);
    const p = await progress();
    assert.equal(p.status, 'paused');
    assert.equal(p.total, 3);
    assert.equal(p.sent, 0);
    assert.match(
      (await editor.client.get(`${ADMIN}/newsletters/sites/${news.site.id}/sends`)).body,
      /Resume/,
    );
    assert.equal((await post(`/newsletters/issues/${issue.id}/resume`, {})).status, 303);
    assert.equal((await progress()).status, 'sending');
    const ask = await editor.client.get(`${ADMIN}/newsletters/issues/${issue.id}/cancel`);
    assert.match(ask.body, /Cancel “/);
    assert.equal((await progress()).status, 'sending', 'asking cancels nothing');
    assert.equal((await post(`/newsletters/issues/${issue.id}/cancel`, {})).status, 303);
    assert.equal((await progress()).status, 'cancelled');
    await t.rt.jobs.drain();
    // Other mail (staff notices) may reach the same server: count the readers' copies.
    for (const email of readers)
      assert.equal(sink.counts.get(email), 1, `${email}: a cancelled send mails no one`);
    const statuses = await Promise.all(
      ['paused', 'resumed', 'cancelled'].map(
        async (v) =>
          (await auditEntries(t, `newsletter_issue.send_${v}`, { type: 'newsletter_issue', id: issue.id }))[0]
            ?.detail.after?.status,
      ),
    );
    assert.deepEqual(statuses, ['paused', 'sending', 'cancelled']);
  });

  test('writers and moderators may not open, change or send an issue', async () => {
    const issue = await draft().catch(() => null);
    const id = issue?.id ?? (await t.rt.digests.nextIssue(n.id)).id;
    const copies = () => readers.map((e) => sink.counts.get(e) ?? 0);
    const before = copies();
    for (const role of ['contributor', 'moderator'] as const) {
      const who = await signedInStaff(t, [{ role, siteId: news.site.id }]);
      const audit = await auditCount(t);
      for (const path of [`/newsletters/${n.id}/next`, `/newsletters/issues/${id}/preview`]) {
        const r = await who.client.get(`${ADMIN}${path}`);
        assert.equal(r.status, 403, `${role} ${path}`);
        assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
      }
      for (const path of [`/newsletters/issues/${id}/test`, `/newsletters/${n.id}/send-now`]) {
        const r = await post(path, { issue: String(id) }, who);
        assert.equal(r.status, 403, `${role} ${path}`);
      }
      const json = await adminJson(t, who.client, 'GET', `/newsletters/issues/${id}/progress`, who.csrf);
      assert.equal(json.status, 403);
      assert.match(json.body, /DATELINE_ERR_FORBIDDEN/);
      assert.equal(await auditCount(t), audit);
    }
    assert.deepEqual(copies(), before);
  });
});
