// The Newsletters screen over HTTP on both databases: an editor of a site lands on its newsletters (kind,
// schedule in words on the site's clock, next issue, confirmed subscribers, the last send), creates and
// edits lists through the form (audited with the settings before and after), and a refused form comes
// back as typed with the service's problem beside the field it names. Contributors, authors, moderators and
// editors of another site get 403 FORBIDDEN and nothing changes; a form without its CSRF token is refused
// first.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { FAST_ARGON2 } from '../../accounts/testing.ts';
import type { Newsletter } from '../../newsletters/lists.ts';
import { auditCount, auditEntries, postFields } from '../sites/network-testing.ts';
import { ADMIN, signedInStaff } from '../testing.ts';

type Staff = Awaited<ReturnType<typeof signedInStaff>>;

describeEachDialect('the Newsletters screen', (ctx) => {
  let t: TestApp;
  let news: Awaited<ReturnType<typeof newsSite>>;
  let life: Awaited<ReturnType<typeof newsSite>>;
  let editor: Staff;
  let morning: Newsletter;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    news = await newsSite(t.rt, 'news');
    life = await newsSite(t.rt, 'life');
    const lists = t.rt.newsletterSignup.lists;
    morning = await lists.create(news.site.id, {
      slug: 'morning-briefing',
      name: 'Morning Briefing',
      kind: 'digest',
      schedule: { days: [1, 2, 3, 4, 5], time: '07:00' },
      composition: { topCount: 3, sections: [{ sectionId: news.world.id, count: 2 }] },
      senderName: 'Example Times',
      senderEmail: 'briefing@example-times.jp',
    });
    await lists.create(news.site.id, {
      slug: 'alerts',
      name: 'Breaking news',
      kind: 'alerts',
      senderName: 'Example Times',
      senderEmail: 'alerts@example-times.jp',
    });
    await t.rt.newsletterSignup.subscriptions.importSubscribers(morning.id, [
      { email: 'ada@readers-mail.jp', consent: true },
      { email: 'bo@readers-mail.jp', consent: true },
      { email: 'cy@readers-mail.jp', consent: false },
    ]);
    editor = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }]);
  });
  after(async () => {
    await t.close();
  });

  const listPath = () => `/newsletters/sites/${news.site.id}`;
  const fields = (o: Record<string, string | string[]>): [string, string][] =>
    Object.entries(o).flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v]],
    );
  const validForm = (csrf: string, o: Record<string, string | string[]> = {}) =>
    fields({
      csrf,
      kind: 'digest',
      slug: 'weekly-world',
      name: 'Weekly World',
      description: 'The week abroad.',
      senderName: 'Example Times',
      senderEmail: 'world@example-times.jp',
      replyTo: '',
      day: ['6'],
      time: '09:30',
      topCount: '2',
      section: [String(news.world.id)],
      [`count-${news.world.id}`]: '4',
      template: 'compact',
      active: 'on',
      ...o,
    });

  test('an editor of one site lands on its newsletters, with schedule, subscribers and next issue', async () => {
    const r = await editor.client.get(`${ADMIN}/newsletters`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, listPath());
    const p = await editor.client.get(`${ADMIN}${listPath()}`);
    assert.equal(p.status, 200, p.body.slice(0, 300));
    assert.match(p.body, /aria-current="page"[^>]*>Newsletters</);
    assert.match(p.body, /Morning Briefing/);
    assert.match(p.body, /Every weekday at 7:00 \(Japan Standard Time\)/);
    assert.match(p.body, /Breaking news<\/a> <span class="adm-badge">Alerts/);
    // Two confirmed subscribers; the one without consent is pending and not counted.
    assert.match(p.body, /data-label="Subscribers" class="adm-num">2</);
    assert.match(p.body, /Not sent yet/);
    assert.match(p.body, new RegExp(`href="/newsletters/${morning.id}/next"`));
  });

  test('a new digest from the form: listed, with next issue on the site clock, audited', async () => {
    const before = await auditCount(t);
    const r = await postFields(t, editor.client, `${listPath()}/new`, validForm(editor.csrf));
    assert.equal(r.status, 303, r.body.slice(0, 400));
    const created = await t.rt.newsletterSignup.lists.getBySlug(news.site.id, 'weekly-world');
    assert.ok(created);
    assert.deepEqual(created.schedule, { days: [6], time: '09:30' });
    assert.deepEqual(created.composition, {
      topCount: 2,
      sections: [{ sectionId: news.world.id, count: 4 }],
    });
    assert.equal(created.template, 'compact');
    assert.equal(created.trackEngagement, false, 'counting is off unless ticked');
    assert.ok(created.nextIssueAt);
    assert.equal(await auditCount(t), before + 1);
    const [entry] = await auditEntries(t, 'newsletter.created', { type: 'newsletter', id: created.id });
    assert.equal(entry?.actor, `user:${editor.userId}`);
    assert.equal(entry?.detail.after?.name, 'Weekly World');
    const list = await editor.client.get(`${ADMIN}${listPath()}?done=newsletter-created`);
    assert.match(list.body, /Newsletter added/);
    assert.match(list.body, /Every Saturday at 9:30/);
  });

  test('a refused form keeps what was typed and shows the problem beside its field', async () => {
    const before = await auditCount(t);
    const bad = await postFields(
      t,
      editor.client,
      `${listPath()}/new`,
      validForm(editor.csrf, { slug: 'evening', name: 'Evening Edition', senderEmail: 'not an address' }),
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body, /DATELINE_ERR_NEWSLETTER_INVALID/);
    assert.match(bad.body, /<p class="adm-problem" id="f-senderEmail-problem">Sender address:/);
    assert.match(bad.body, /aria-invalid="true" aria-describedby="f-senderEmail-problem"/);
    assert.match(bad.body, /value="Evening Edition"/, 'the name as typed');
    assert.match(bad.body, /value="not an address"/);
    assert.match(bad.body, /id="f-day-6" name="day" value="6" checked/);
    const taken = await postFields(
      t,
      editor.client,
      `${listPath()}/new`,
      validForm(editor.csrf, { slug: 'morning-briefing', name: 'Another' }),
    );
    assert.equal(taken.status, 409);
    assert.match(taken.body, /DATELINE_ERR_NEWSLETTER_SLUG_TAKEN/);
    assert.match(taken.body, /id="f-slug-problem"/);
    const noDays = await postFields(
      t,
      editor.client,
      `${listPath()}/new`,
      validForm(editor.csrf, { slug: 'nodays', day: [] }),
    );
    assert.equal(noDays.status, 400);
    assert.match(noDays.body, /id="f-schedule-problem"/);
    const topCount = await postFields(
      t,
      editor.client,
      `${listPath()}/new`,
      validForm(editor.csrf, { slug: 'lots', topCount: 'many' }),
    );
    assert.equal(topCount.status, 400);
    assert.match(topCount.body, /id="f-composition-problem"/);
    assert.match(topCount.body, /value="many"/);
    assert.equal(await auditCount(t), before, 'nothing refused was written');
    assert.equal(await t.rt.newsletterSignup.lists.getBySlug(news.site.id, 'evening'), null);
  });

  test('editing changes the settings, keeps the kind, and audits before and after', async () => {
    const page = await editor.client.get(`${ADMIN}/newsletters/${morning.id}/edit`);
    assert.equal(page.status, 200);
    assert.match(page.body, /value="Morning Briefing"/);
    assert.match(page.body, /id="f-day-1" name="day" value="1" checked/);
    assert.doesNotMatch(page.body, /name="kind"/, 'the kind is fixed once made');
    const r = await postFields(
      t,
      editor.client,
      `/newsletters/${morning.id}/edit`,
      validForm(editor.csrf, {
        kind: 'alerts',
        slug: 'morning-briefing',
        name: 'The Morning Briefing',
        day: ['1', '3', '5'],
        time: '06:15',
        trackEngagement: 'on',
        articleBox: 'on',
      }),
    );
    assert.equal(r.status, 303, r.body.slice(0, 400));
    const saved = await t.rt.newsletterSignup.lists.require(morning.id);
    assert.equal(saved.kind, 'digest');
    assert.equal(saved.name, 'The Morning Briefing');
    assert.deepEqual(saved.schedule, { days: [1, 3, 5], time: '06:15' });
    assert.equal(saved.trackEngagement, true);
    assert.equal(saved.articleBox, true);
    const [entry] = await auditEntries(t, 'newsletter.updated', { type: 'newsletter', id: morning.id });
    assert.equal(entry?.detail.before?.name, 'Morning Briefing');
    assert.equal(entry?.detail.after?.name, 'The Morning Briefing');
    // A refused edit shows the typed value and changes nothing.
    const bad = await postFields(
      t,
      editor.client,
      `/newsletters/${morning.id}/edit`,
      validForm(editor.csrf, { slug: 'morning-briefing', name: '', time: '25:00' }),
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body, /id="f-name-problem"/);
    assert.equal((await t.rt.newsletterSignup.lists.require(morning.id)).name, 'The Morning Briefing');
  });

  test('contributors, authors, moderators and editors of another site get 403; admins may', async () => {
    const grants = [
      { role: 'contributor' as const, siteId: news.site.id },
      { role: 'author' as const, siteId: news.site.id },
      { role: 'moderator' as const, siteId: news.site.id },
      { role: 'editor' as const, siteId: life.site.id },
    ];
    // Signing in is audited itself: count after.
    const staff = await Promise.all(grants.map((g) => signedInStaff(t, [g])));
    const before = await auditCount(t);
    for (const [i, grant] of grants.entries()) {
      const who = staff[i]!;
      const what = `${grant.role} of ${grant.siteId}`;
      const home = await who.client.get(`${ADMIN}/`);
      if (grant.role !== 'editor') assert.doesNotMatch(home.body, /href="\/newsletters"/, what);
      for (const path of [listPath(), `/newsletters/${morning.id}/edit`, `/newsletters/${morning.id}/next`]) {
        const r = await who.client.get(`${ADMIN}${path}`);
        assert.equal(r.status, 403, `${what} GET ${path}`);
        assert.match(r.body, /DATELINE_ERR_FORBIDDEN/);
      }
      const create = await postFields(
        t,
        who.client,
        `${listPath()}/new`,
        validForm(who.csrf, { slug: 'nope' }),
      );
      assert.equal(create.status, 403, what);
      assert.match(create.body, /DATELINE_ERR_FORBIDDEN/);
      const edit = await postFields(t, who.client, `/newsletters/${morning.id}/edit`, validForm(who.csrf));
      assert.equal(edit.status, 403, what);
    }
    assert.equal(await auditCount(t), before);
    assert.equal(await t.rt.newsletterSignup.lists.getBySlug(news.site.id, 'nope'), null);
    const admin = await signedInStaff(t, [{ role: 'admin', siteId: null }]);
    const all = await admin.client.get(`${ADMIN}/newsletters`);
    assert.equal(all.status, 200, 'an admin of every site chooses one');
    assert.match(all.body, new RegExp(`href="/newsletters/sites/${life.site.id}"`));
    assert.equal((await admin.client.get(`${ADMIN}${listPath()}`)).status, 200);
  });

  test('a form without its CSRF token is refused before anything else, and nothing is made', async () => {
    const before = await auditCount(t);
    const r = await postFields(t, editor.client, `${listPath()}/new`, validForm('', { slug: 'forged' }));
    assert.equal(r.status, 403);
    assert.match(r.body, /DATELINE_ERR_CSRF_REJECTED/);
    assert.equal(await t.rt.newsletterSignup.lists.getBySlug(news.site.id, 'forged'), null);
    assert.equal(await auditCount(t), before);
  });
});
