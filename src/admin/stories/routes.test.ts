// The stories screens over HTTP on both dialects: the list and its filters, starting and saving a story
// through the form, the editor contract's JSON (autosave, lock), conflicts that lose nothing, revisions
// compared and restored, publishing, scheduling on the site's clock, unpublishing, taking down,
// circulating, and preview links on the site host. Per role, every forbidden action answers 403 and changes
// nothing (contributor: own drafts only; author: own stories; editor: everything on their sites).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newsSite, startTestApp, type TestApp } from '../../../test/app.ts';
import { describeEachDialect } from '../../../test/dialects.ts';
import { Client, csrfOf, FAST_ARGON2 } from '../../accounts/testing.ts';
import { loadStory } from '../../articles/story.ts';
import { ADMIN, adminJson, signedInStaff } from '../testing.ts';

type Staff = Awaited<ReturnType<typeof signedInStaff>>;

describeEachDialect('the stories screens', (ctx) => {
  let t: TestApp;
  let news: Awaited<ReturnType<typeof newsSite>>;
  let sister: Awaited<ReturnType<typeof newsSite>>;
  let contributor: Staff;
  let author: Staff;
  let otherAuthor: Staff;
  let editor: Staff;
  let sisterEditor: Staff;

  before(async () => {
    t = await startTestApp(ctx.db, FAST_ARGON2);
    news = await newsSite(t.rt, 'news');
    sister = await newsSite(t.rt, 'sister');
    contributor = await signedInStaff(t, [{ role: 'contributor', siteId: news.site.id }], {
      displayName: 'Cora Contributor',
    });
    author = await signedInStaff(t, [{ role: 'author', siteId: news.site.id }], {
      displayName: 'Abe Author',
    });
    otherAuthor = await signedInStaff(t, [{ role: 'author', siteId: news.site.id }], {
      displayName: 'Ola Author',
    });
    editor = await signedInStaff(t, [{ role: 'editor', siteId: null }], { displayName: 'Eda Editor' });
    sisterEditor = await signedInStaff(t, [{ role: 'editor', siteId: sister.site.id }], {
      displayName: 'Sid Sister',
    });
  });
  after(async () => {
    await t.close();
  });

  const story = async (id: number) => (await loadStory(t.rt.db.kysely, id))!;

  /** Starts a story through the form, as `who`; answers its id. */
  async function start(who: Staff, headline: string, sectionId = news.world.id): Promise<number> {
    const r = await who.client.post(`${ADMIN}/stories/new`, {
      csrf: who.csrf,
      place: `${news.site.id}:${sectionId}`,
      headline,
    });
    assert.equal(r.status, 303, r.body.slice(0, 400));
    const m = /^\/stories\/(\d+)$/.exec(String(r.headers.location));
    assert.ok(m, String(r.headers.location));
    return Number(m[1]);
  }

  /** Saves the form's fields as `who` based on `base`; answers the response. */
  function save(who: Staff, id: number, base: number, fields: Record<string, string>) {
    return who.client.post(`${ADMIN}/stories/${id}`, {
      csrf: who.csrf,
      base_revision: String(base),
      headline: 'Headline',
      body_html: '<p>Text.</p>',
      ...fields,
    });
  }

  async function publishedByEditor(headline: string): Promise<number> {
    const id = await start(editor, headline);
    await save(editor, id, 1, { headline, body_html: '<p>Story text.</p>' });
    const r = await editor.client.post(`${ADMIN}/stories/${id}/publish`, { csrf: editor.csrf });
    assert.equal(r.status, 303, r.body.slice(0, 300));
    return id;
  }

  const auditActions = async (id: number) =>
    (
      await t.rt.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('subject_type', '=', 'article')
        .where('subject_id', '=', String(id))
        .orderBy('id')
        .execute()
    ).map((r) => r.action);

  test('a contributor starts a draft and gets the editor form of the editor contract', async () => {
    const id = await start(contributor, 'Harbour plan drafted');
    const s = await story(id);
    assert.equal(s.createdBy, contributor.userId);
    assert.equal(s.article.status, 'draft');
    const page = await contributor.client.get(`${ADMIN}/stories/${id}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'private, no-store');
    for (const attr of [
      'id="story-form"',
      `action="/stories/${id}"`,
      `data-story-id="${id}"`,
      'data-base-revision="1"',
      `data-autosave-url="/stories/${id}/autosave"`,
      `data-lock-url="/stories/${id}/lock"`,
      `data-csrf="${contributor.csrf}"`,
      'name="base_revision" value="1"',
    ]) {
      assert.ok(page.body.includes(attr), `the form has ${attr}`);
    }
    for (const name of [
      'headline',
      'dek',
      'byline',
      'dateline',
      'section_id',
      'tags',
      'slug',
      'lead_media_id',
      'source_copyright',
      'urgent',
    ]) {
      assert.ok(page.body.includes(`name="${name}"`), `the form has ${name}`);
    }
    // The editor's script is loaded on this screen (and is a real file of the admin's assets).
    const script = /<script type="module" src="(\/admin-assets\/[0-9a-f]+\/story-editor\.js)"/.exec(
      page.body,
    )?.[1];
    assert.ok(script);
    const js = await contributor.client.get(`${ADMIN}${script}`);
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.deepEqual(await auditActions(id), ['story.created']);
  });

  test('the form saves a revision; what the sanitiser removed is shown; an unticked urgent clears it', async () => {
    const id = await start(contributor, 'Pasted copy');
    const saved = await save(contributor, id, 1, {
      headline: 'Pasted copy',
      tags: 'harbour, council',
      urgent: 'on',
      body_html: '<p onclick="x()">Kept</p><script>alert(1)</script><iframe src="https://x.test/"></iframe>',
    });
    assert.equal(saved.status, 200, saved.body.slice(0, 400));
    assert.match(saved.body, /Removed from the text because a story cannot carry it: [^<]*‹script› element/);
    assert.match(saved.body, /onclick attribute/);
    assert.match(saved.body, /‹iframe› element/);
    const s = await story(id);
    assert.equal(s.revision, 2);
    assert.equal(s.article.bodyHtml, '<p>Kept</p>');
    assert.deepEqual(s.tags, ['harbour', 'council']);
    assert.equal(s.urgent, true);
    const again = await save(contributor, id, 2, {
      headline: 'Pasted copy',
      tags: 'harbour, council',
      body_html: '<p>Kept</p>',
    });
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, `/stories/${id}?done=story-saved`);
    assert.equal((await story(id)).urgent, false);
  });

  test('two editors saving the same revision: the second is told who and when, and keeps their text', async () => {
    const id = await start(editor, 'Shared story');
    const first = await save(editor, id, 1, { headline: 'Editor version' });
    assert.equal(first.status, 303);
    const other = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }], {
      displayName: 'Second Editor',
    });
    const second = await save(other, id, 1, { headline: 'Second version', body_html: '<p>Second text</p>' });
    assert.equal(second.status, 409);
    assert.match(second.body, /DATELINE_ERR_EDIT_CONFLICT|Eda Editor saved/);
    assert.match(second.body, /Eda Editor/);
    // Their text is still in the form, and kept on the server.
    assert.match(second.body, /value="Second version"/);
    assert.match(second.body, /&lt;p>Second text&lt;\/p>|&lt;p&gt;Second text&lt;\/p&gt;/);
    assert.match(second.body, new RegExp(`/stories/${id}/revisions\\?compare=2\\.\\.mine`));
    const s = await story(id);
    assert.equal(s.article.headline, 'Editor version');
    assert.equal(s.revision, 2);
    const kept = await t.rt.db.kysely
      .selectFrom('story_autosaves')
      .select(['fields', 'base_revision'])
      .where('article_id', '=', id)
      .where('user_id', '=', other.userId)
      .executeTakeFirstOrThrow();
    assert.equal(kept.base_revision, 1);
    assert.equal((JSON.parse(kept.fields) as { headline: string }).headline, 'Second version');
    // The comparison shows theirs against the kept copy; continuing puts the copy on the newest revision.
    const compare = await other.client.get(`${ADMIN}/stories/${id}/revisions?compare=2..mine`);
    assert.equal(compare.status, 200);
    assert.match(compare.body, /<del>Editor<\/del>/);
    assert.match(compare.body, /<ins>Second<\/ins>/);
    const resume = await other.client.get(`${ADMIN}/stories/${id}?draft=mine`);
    assert.match(resume.body, /value="Second version"/);
    assert.match(resume.body, /name="base_revision" value="2"/);
  });

  test('autosave JSON: kept without a revision, 409 with who and when after another save, 401 signed out', async () => {
    const id = await start(author, 'Autosaved');
    const ok = await adminJson(t, author.client, 'POST', `/stories/${id}/autosave`, author.csrf, {
      baseRevision: 1,
      fields: { headline: 'Autosaved, typing', body_html: '<p>half a thought</p>', urgent: false },
    });
    assert.equal(ok.status, 200, ok.body);
    const body = ok.json as { savedAt: string; revision: number };
    assert.equal(body.revision, 1);
    assert.ok(!Number.isNaN(Date.parse(body.savedAt)));
    const s = await story(id);
    assert.equal(s.article.headline, 'Autosaved');
    assert.equal(s.revision, 1);
    // The editor page offers the kept work.
    const page = await author.client.get(`${ADMIN}/stories/${id}`);
    assert.match(page.body, /You have unsaved changes/);
    // Someone else saves: the next autosave is told, and its fields are still kept.
    await save(editor, id, 1, { headline: 'Editor saved' });
    const clash = await adminJson(t, author.client, 'POST', `/stories/${id}/autosave`, author.csrf, {
      baseRevision: 1,
      fields: { headline: 'Still typing' },
    });
    assert.equal(clash.status, 409, clash.body);
    const c = clash.json as {
      error: { code: string };
      current: { revision: number; by: string; at: string };
    };
    assert.equal(c.error.code, 'DATELINE_ERR_EDIT_CONFLICT');
    assert.equal(c.current.revision, 2);
    assert.equal(c.current.by, 'Eda Editor');
    assert.ok(!Number.isNaN(Date.parse(c.current.at)));
    const kept = await t.rt.db.kysely
      .selectFrom('story_autosaves')
      .select('fields')
      .where('article_id', '=', id)
      .where('user_id', '=', author.userId)
      .executeTakeFirstOrThrow();
    assert.equal((JSON.parse(kept.fields) as { headline: string }).headline, 'Still typing');
    // Signed out (no cookie): 401 with the code the editor script reads.
    const anonymous = new Client(t.app);
    const out = await adminJson(t, anonymous, 'POST', `/stories/${id}/autosave`, 'x', {
      baseRevision: 2,
      fields: {},
    });
    assert.equal(out.status, 401);
    assert.equal((out.json as { error: { code: string } }).error.code, 'DATELINE_ERR_STAFF_SIGN_IN_REQUIRED');
    // A wrong CSRF token changes nothing.
    const forged = await adminJson(t, author.client, 'POST', `/stories/${id}/autosave`, 'forged', {
      baseRevision: 2,
      fields: { headline: 'Forged' },
    });
    assert.equal(forged.status, 403);
    const still = await t.rt.db.kysely
      .selectFrom('story_autosaves')
      .select('fields')
      .where('article_id', '=', id)
      .where('user_id', '=', author.userId)
      .executeTakeFirstOrThrow();
    assert.equal((JSON.parse(still.fields) as { headline: string }).headline, 'Still typing');
  });

  test('discarding unsaved work removes only one’s own, and the story is unchanged', async () => {
    const id = await start(author, 'Two drafts of work');
    for (const who of [author, editor]) {
      const r = await adminJson(t, who.client, 'POST', `/stories/${id}/autosave`, who.csrf, {
        baseRevision: 1,
        fields: { headline: `Typed by ${who.userId}` },
      });
      assert.equal(r.status, 200, r.body);
    }
    const discarded = await author.client.post(`${ADMIN}/stories/${id}/autosave/discard`, {
      csrf: author.csrf,
    });
    assert.equal(discarded.status, 303);
    assert.equal(discarded.headers.location, `/stories/${id}?done=story-autosave-discarded`);
    const left = await t.rt.db.kysely
      .selectFrom('story_autosaves')
      .select('user_id')
      .where('article_id', '=', id)
      .execute();
    assert.deepEqual(
      left.map((r) => r.user_id),
      [editor.userId],
    );
    const s = await story(id);
    assert.deepEqual([s.article.headline, s.revision], ['Two drafts of work', 1]);
    // Without the CSRF token nothing is thrown away.
    const forged = await editor.client.post(`${ADMIN}/stories/${id}/autosave/discard`, { csrf: 'forged' });
    assert.equal(forged.status, 403);
    assert.equal(
      (
        await t.rt.db.kysely
          .selectFrom('story_autosaves')
          .select('user_id')
          .where('article_id', '=', id)
          .execute()
      ).length,
      1,
    );
  });

  test('locks: the second editor is told who has it; taking over tells the first', async () => {
    const id = await start(editor, 'Locked story');
    const other = await signedInStaff(t, [{ role: 'editor', siteId: news.site.id }], {
      displayName: 'Lock Taker',
    });
    const mine = await adminJson(t, editor.client, 'POST', `/stories/${id}/lock`, editor.csrf, {});
    assert.equal(mine.status, 200, mine.body);
    assert.equal((mine.json as { held: boolean }).held, true);
    const theirs = await adminJson(t, other.client, 'POST', `/stories/${id}/lock`, other.csrf, {});
    const told = theirs.json as { held: boolean; by: string; since: string };
    assert.deepEqual([told.held, told.by], [false, 'Eda Editor']);
    assert.ok(!Number.isNaN(Date.parse(told.since)));
    // The page warns before taking over, then the first editor's heartbeat says they lost it.
    const page = await other.client.get(`${ADMIN}/stories/${id}`);
    assert.match(page.body, /Eda Editor has had this story open since/);
    assert.match(page.body, /data-confirm="Take over from Eda Editor\?/);
    const over = await other.client.post(`${ADMIN}/stories/${id}/lock/take-over`, { csrf: other.csrf });
    assert.equal(over.status, 303);
    const lost = await adminJson(t, editor.client, 'POST', `/stories/${id}/lock`, editor.csrf, {});
    const l = lost.json as { held: boolean; by: string; takenOver: boolean };
    assert.deepEqual([l.held, l.by, l.takenOver], [false, 'Lock Taker', true]);
    assert.ok((await auditActions(id)).includes('story.lock_taken_over'));
  });

  test('revisions: any two side by side, and a restore that makes a new revision', async () => {
    const id = await start(author, 'Original headline');
    await save(author, id, 1, {
      headline: 'Original headline',
      body_html: '<p>The council met on Monday.</p>',
    });
    await save(author, id, 2, {
      headline: 'Changed headline',
      body_html: '<p>The council met on Tuesday.</p>',
    });
    const page = await author.client.get(`${ADMIN}/stories/${id}/revisions?compare=2..3`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<del>Original<\/del>/);
    assert.match(page.body, /<ins>Changed<\/ins>/);
    assert.match(page.body, /<del>Monday<\/del>/);
    assert.match(page.body, /<ins>Tuesday<\/ins>/);
    // The from/to form asks the same.
    const viaForm = await author.client.get(`${ADMIN}/stories/${id}/revisions?from=2&to=3`);
    assert.match(viaForm.body, /<ins>Tuesday<\/ins>/);
    const restored = await author.client.post(`${ADMIN}/stories/${id}/revisions/2/restore`, {
      csrf: author.csrf,
      base_revision: '3',
    });
    assert.equal(restored.status, 303, restored.body.slice(0, 300));
    const s = await story(id);
    assert.equal(s.revision, 4);
    assert.equal(s.article.headline, 'Original headline');
    // A restore based on an old revision is a conflict, and changes nothing.
    const stale = await author.client.post(`${ADMIN}/stories/${id}/revisions/3/restore`, {
      csrf: author.csrf,
      base_revision: '3',
    });
    assert.equal(stale.status, 409);
    assert.equal((await story(id)).revision, 4);
  });

  test('an author publishes their own story, not someone else’s; a contributor publishes nothing', async () => {
    const own = await start(author, 'Author story');
    await save(author, own, 1, { headline: 'Author story', body_html: '<p>Body.</p>' });
    const published = await author.client.post(`${ADMIN}/stories/${own}/publish`, { csrf: author.csrf });
    assert.equal(published.status, 303);
    assert.equal((await story(own)).article.status, 'published');
    const onSite = await author.client.get(`http://news.localhost:3000/world/author-story`);
    assert.equal(onSite.status, 200);

    const theirs = await start(otherAuthor, 'Someone else’s');
    await save(otherAuthor, theirs, 1, { headline: 'Someone else’s', body_html: '<p>Body.</p>' });
    for (const [path, form] of [
      ['publish', {}],
      ['schedule', { publish_at: '2030-01-01T09:00' }],
      ['take-down', { reason: 'no' }],
    ] as const) {
      const r = await author.client.post(`${ADMIN}/stories/${theirs}/${path}`, {
        csrf: author.csrf,
        ...form,
      });
      assert.equal(r.status, 403, `${path}: ${r.status}`);
    }
    const edit = await save(author, theirs, 2, { headline: 'Hijacked' });
    assert.equal(edit.status, 403);
    const autosave = await adminJson(t, author.client, 'POST', `/stories/${theirs}/autosave`, author.csrf, {
      baseRevision: 2,
      fields: { headline: 'Hijacked' },
    });
    assert.equal(autosave.status, 403);
    const after = await story(theirs);
    assert.deepEqual(
      [after.article.status, after.article.headline, after.revision],
      ['draft', 'Someone else’s', 2],
    );

    const draft = await start(contributor, 'Contributor draft');
    await save(contributor, draft, 1, { headline: 'Contributor draft', body_html: '<p>Body.</p>' });
    const refused = await contributor.client.post(`${ADMIN}/stories/${draft}/publish`, {
      csrf: contributor.csrf,
    });
    assert.equal(refused.status, 403);
    assert.equal((await story(draft)).article.status, 'draft');
    // The page offers no publishing buttons to a contributor.
    const page = await contributor.client.get(`${ADMIN}/stories/${draft}`);
    assert.doesNotMatch(page.body, /Publish now/);
  });

  test('a contributor sees published stories read-only and cannot change them', async () => {
    const id = await publishedByEditor('Editor published');
    const page = await contributor.client.get(`${ADMIN}/stories/${id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /id="story-form"/);
    assert.doesNotMatch(page.body, /story-editor\.js/);
    assert.match(page.body, /Editor published/);
    const before = await story(id);
    const refusals = [
      await save(contributor, id, before.revision, { headline: 'Changed' }),
      await contributor.client.post(`${ADMIN}/stories/${id}/unpublish`, { csrf: contributor.csrf }),
      await contributor.client.post(`${ADMIN}/stories/${id}/previews`, { csrf: contributor.csrf }),
      await contributor.client.post(`${ADMIN}/stories/${id}/lock/take-over`, { csrf: contributor.csrf }),
    ];
    assert.deepEqual(
      refusals.map((r) => r.status),
      [403, 403, 403, 403],
    );
    const lock = await adminJson(t, contributor.client, 'POST', `/stories/${id}/lock`, contributor.csrf, {});
    assert.equal(lock.status, 403);
    const after = await story(id);
    assert.deepEqual(
      [after.revision, after.article.headline, after.article.status],
      [before.revision, 'Editor published', 'published'],
    );
    const links = await t.rt.db.kysely
      .selectFrom('story_preview_links')
      .select('id')
      .where('article_id', '=', id)
      .execute();
    assert.equal(links.length, 0);
  });

  test('an editor of another site cannot touch this site’s stories', async () => {
    const id = await publishedByEditor('Not yours');
    const page = await sisterEditor.client.get(`${ADMIN}/stories/${id}`);
    assert.equal(page.status, 403);
    const r = await sisterEditor.client.post(`${ADMIN}/stories/${id}/take-down`, {
      csrf: sisterEditor.csrf,
      reason: 'mine now',
    });
    assert.equal(r.status, 403);
    assert.equal((await story(id)).article.status, 'published');
    const list = await sisterEditor.client.get(`${ADMIN}/stories`);
    assert.doesNotMatch(list.body, /Not yours/);
  });

  test('scheduling reads the time on the site’s clock and names the zone; unpublish keeps it back', async () => {
    const id = await start(editor, 'Tokyo morning');
    await save(editor, id, 1, { headline: 'Tokyo morning', body_html: '<p>Body.</p>' });
    const page = await editor.client.get(`${ADMIN}/stories/${id}`);
    assert.match(page.body, /On the site's clock: Japan Standard Time \(Asia\/Tokyo, GMT\+09:00\)/);
    const r = await editor.client.post(`${ADMIN}/stories/${id}/schedule`, {
      csrf: editor.csrf,
      publish_at: '2030-01-01T09:00',
    });
    assert.equal(r.status, 303);
    const s = await story(id);
    assert.equal(s.article.status, 'scheduled');
    assert.equal(s.article.publishAt?.toISOString(), '2030-01-01T00:00:00.000Z');
    // A time that is not real is shown beside the field, and nothing changes.
    const bad = await editor.client.post(`${ADMIN}/stories/${id}/schedule`, {
      csrf: editor.csrf,
      publish_at: '2030-02-30T09:00',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /id="f-publish_at-problem"/);
    assert.equal((await story(id)).article.publishAt?.toISOString(), '2030-01-01T00:00:00.000Z');
    const back = await editor.client.post(`${ADMIN}/stories/${id}/unpublish`, { csrf: editor.csrf });
    assert.equal(back.status, 303);
    assert.equal((await story(id)).article.status, 'draft');
    assert.deepEqual((await auditActions(id)).slice(-2), ['story.scheduled', 'story.unpublished']);
  });

  test('take down (editor only) makes the page gone; circulate puts it on the sister site', async () => {
    const id = await publishedByEditor('Circulated story');
    const refused = await author.client.post(`${ADMIN}/stories/${id}/circulate`, {
      csrf: author.csrf,
      target: `${sister.site.id}:${sister.business.id}`,
    });
    assert.equal(refused.status, 403);
    const circulated = await editor.client.post(`${ADMIN}/stories/${id}/circulate`, {
      csrf: editor.csrf,
      target: `${sister.site.id}:${sister.business.id}`,
    });
    assert.equal(circulated.status, 303, circulated.body.slice(0, 300));
    const there = await editor.client.get('http://sister.localhost:3000/business/circulated-story');
    assert.equal(there.status, 200);
    assert.match(there.body, /rel="canonical" href="http:\/\/news\.localhost:3000\/world\/circulated-story"/);
    const noReason = await editor.client.post(`${ADMIN}/stories/${id}/take-down`, {
      csrf: editor.csrf,
      reason: '',
    });
    assert.equal(noReason.status, 400);
    assert.equal((await story(id)).article.status, 'published');
    const down = await editor.client.post(`${ADMIN}/stories/${id}/take-down`, {
      csrf: editor.csrf,
      reason: 'Legal',
    });
    assert.equal(down.status, 303);
    assert.equal((await editor.client.get('http://news.localhost:3000/world/circulated-story')).status, 410);
    assert.equal(
      (await editor.client.get('http://sister.localhost:3000/business/circulated-story')).status,
      410,
    );
    assert.deepEqual((await auditActions(id)).slice(-2), ['story.circulated', 'article.taken_down']);
  });

  test('preview links: the real page on the site host, never cached or indexed, until revoked', async () => {
    const id = await start(contributor, 'Embargoed draft');
    await save(contributor, id, 1, { headline: 'Embargoed draft', body_html: '<p>Not yet out.</p>' });
    const made = await contributor.client.post(`${ADMIN}/stories/${id}/previews`, { csrf: contributor.csrf });
    assert.equal(made.status, 200);
    const url = /New link \(shown only now, copy it\): <a href="([^"]+)"/.exec(made.body)?.[1];
    assert.ok(url);
    assert.match(url, /^http:\/\/news\.localhost:3000\/preview\/[A-Za-z0-9_-]{43}$/);
    for (let n = 0; n < 2; n++) {
      const page = await contributor.client.get(url);
      assert.equal(page.status, 200);
      assert.match(page.body, /<h1>Embargoed draft<\/h1>/);
      assert.match(page.body, /Not yet out\./);
      assert.match(page.body, /<meta name="robots" content="noindex, nofollow"/);
      assert.equal(page.headers['cache-control'], 'private, no-store');
      assert.equal(page.headers['x-robots-tag'], 'noindex, nofollow');
    }
    // Not on another site's host, nor the admin's; the story itself is still not on the site.
    assert.equal(
      (await contributor.client.get(url.replace('news.localhost', 'sister.localhost'))).status,
      404,
    );
    assert.equal(
      (await contributor.client.get(url.replace('news.localhost', 'admin.localhost'))).status,
      404,
    );
    assert.equal(
      (await contributor.client.get('http://news.localhost:3000/world/embargoed-draft')).status,
      404,
    );
    const link = await t.rt.db.kysely
      .selectFrom('story_preview_links')
      .select('id')
      .where('article_id', '=', id)
      .executeTakeFirstOrThrow();
    // Someone who may not edit the story cannot revoke its links.
    const notTheirs = await author.client.post(`${ADMIN}/stories/${id}/previews/${link.id}/revoke`, {
      csrf: author.csrf,
    });
    assert.equal(notTheirs.status, 403);
    assert.equal((await contributor.client.get(url)).status, 200);
    const revoked = await contributor.client.post(`${ADMIN}/stories/${id}/previews/${link.id}/revoke`, {
      csrf: contributor.csrf,
    });
    assert.equal(revoked.status, 303);
    assert.equal((await contributor.client.get(url)).status, 404);
  });

  test('the list: filters by status, author and text, and pages on', async () => {
    const a = await start(otherAuthor, 'Listed zebra draft');
    const b = await publishedByEditor('Listed zebra published');
    const all = await editor.client.get(`${ADMIN}/stories?q=zebra`);
    assert.equal(all.status, 200);
    assert.ok(all.body.indexOf(`/stories/${b}"`) < all.body.indexOf(`/stories/${a}"`));
    const drafts = await editor.client.get(`${ADMIN}/stories?q=zebra&status=draft`);
    assert.match(drafts.body, new RegExp(`/stories/${a}"`));
    assert.doesNotMatch(drafts.body, new RegExp(`/stories/${b}"`));
    const byAuthor = await editor.client.get(`${ADMIN}/stories?author=${otherAuthor.userId}`);
    assert.match(byAuthor.body, /Listed zebra draft/);
    assert.doesNotMatch(byAuthor.body, /Listed zebra published/);
    // Stories of the sister site are listed for a network editor, not for this site's contributor.
    const contributorList = await contributor.client.get(`${ADMIN}/stories`);
    assert.equal(contributorList.status, 200);
    assert.doesNotMatch(contributorList.body, /class="adm-badge">Wire/);
    const paged = await editor.client.get(`${ADMIN}/stories?status=draft`);
    assert.equal(paged.status, 200);
    const bad = await editor.client.get(`${ADMIN}/stories?after=broken`);
    assert.equal(bad.status, 400);
    const signedOut = await new Client(t.app).get(`${ADMIN}/stories`);
    assert.equal(signedOut.status, 303);
    assert.ok(csrfOf(all.body));
  });
});
