import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { services, siteWithSections } from '../../test/fixtures.ts';
import { type DatelineError, isDatelineError } from '../errors/catalogue.ts';
import { auditOf, staffUser, storyServices } from './story-testing.ts';

describeEachDialect('StoryEditing', (ctx) => {
  async function setup(now?: () => Date) {
    const s = services(ctx.db, now);
    const { site, world, business } = await siteWithSections(s);
    const { editing } = storyServices(ctx.db, s.articles, now);
    const ana = await staffUser(ctx.db, 'Ana Editor');
    const ben = await staffUser(ctx.db, 'Ben Writer');
    const draft = async (headline = 'Untitled', by = ana) =>
      editing.createDraft({ siteId: site.id, sectionId: world.id, fields: { headline } }, { userId: by });
    return { s, site, world, business, editing, ana, ben, draft };
  }

  test('a new draft records its author, tags, a full first revision and an audit entry', async () => {
    const { editing, ana, draft, world } = await setup();
    const created = await draft('Budget talks resume');
    assert.equal(created.story.article.status, 'draft');
    assert.equal(created.story.createdBy, ana);
    assert.equal(created.revision, 1);
    const withTags = await editing.save(
      created.story.article.id,
      { tags: 'budget, Parliament, budget ,  ' },
      { expectedRevision: 1, actor: { userId: ana } },
    );
    assert.deepEqual(withTags.story.tags, ['budget', 'Parliament']);
    assert.deepEqual(withTags.changed, ['tags']);
    assert.equal(withTags.revision, 2);
    const snap = await editing.snapshot(created.story.article.id, 1);
    assert.equal(snap.sectionId, world.id);
    assert.equal(snap.slug, 'budget-talks-resume');
    assert.deepEqual(snap.tags, []);
    const audit = await auditOf(ctx.db, created.story.article.id);
    assert.deepEqual(
      audit.map((a) => [a.actor, a.action]),
      [
        [`user:${ana}`, 'story.created'],
        [`user:${ana}`, 'story.saved'],
      ],
    );
    assert.deepEqual(audit[1]?.detail.before, { tags: [] });
    assert.deepEqual(audit[1]?.detail.after, { tags: ['budget', 'Parliament'] });
  });

  test('a save cleans the body through the one sanitiser and says what it removed', async () => {
    const { editing, ana, draft } = await setup();
    const { story } = await draft();
    const saved = await editing.save(
      story.article.id,
      {
        body_html:
          '<p onclick="steal()">Kept text</p><script>alert(1)</script><style>p{}</style><iframe src="https://x.test"></iframe><p><a href="javascript:alert(1)">link</a></p>',
      },
      { expectedRevision: story.revision, actor: { userId: ana } },
    );
    assert.equal(saved.story.article.bodyHtml, '<p>Kept text</p><p>link</p>');
    assert.deepEqual(
      [...saved.removed].sort(),
      [
        'a ‹script› element',
        'a ‹style› element',
        'a javascript: URL',
        'an ‹iframe› element',
        'an onclick attribute',
      ].sort(),
    );
    const audit = await auditOf(ctx.db, story.article.id);
    assert.ok(Array.isArray(audit.at(-1)?.detail.removed));
  });

  test('two editors saving the same revision: the second is refused, told who and when, and loses nothing', async () => {
    let clock = new Date('2026-01-05T10:00:00Z');
    const { editing, ana, ben, draft } = await setup(() => clock);
    const { story } = await draft('First headline');
    const id = story.article.id;
    clock = new Date('2026-01-05T10:01:00Z');
    const first = await editing.save(
      id,
      { headline: 'Ana headline' },
      { expectedRevision: 1, actor: { userId: ana } },
    );
    assert.equal(first.revision, 2);
    clock = new Date('2026-01-05T10:02:00Z');
    const err = await editing
      .save(
        id,
        { headline: 'Ben headline', body_html: '<p>Ben text</p>' },
        { expectedRevision: 1, actor: { userId: ben } },
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    assert.ok(isDatelineError(err, 'EDIT_CONFLICT'));
    const where = (err as DatelineError).where!;
    assert.equal(where.revision, 2);
    assert.equal(where.theirs, 2);
    assert.equal(where.by, 'Ana Editor');
    assert.equal(where.at, '2026-01-05T10:01:00.000Z');
    const now = await editing.get(id);
    assert.equal(now.article.headline, 'Ana headline');
    assert.equal(now.revision, 2);
    // Ben's refused copy is kept as his autosave, based on the revision he had.
    const kept = await editing.autosaveOf(id, ben);
    assert.deepEqual(kept?.fields, { headline: 'Ben headline', body_html: '<p>Ben text</p>' });
    assert.equal(kept?.baseRevision, 1);
    // Saving again on the newest revision goes through.
    const again = await editing.save(id, kept!.fields, { expectedRevision: 2, actor: { userId: ben } });
    assert.equal(again.story.article.headline, 'Ben headline');
    assert.equal(await editing.autosaveOf(id, ben), null);
  });

  test('a stale tab of the same editor gets the same conflict', async () => {
    const { editing, ana, draft } = await setup();
    const { story } = await draft();
    await editing.save(story.article.id, { dek: 'Tab one' }, { expectedRevision: 1, actor: { userId: ana } });
    await assert.rejects(
      editing.save(story.article.id, { dek: 'Tab two' }, { expectedRevision: 1, actor: { userId: ana } }),
      (e) => isDatelineError(e, 'EDIT_CONFLICT'),
    );
    assert.equal((await editing.get(story.article.id)).article.dek, 'Tab one');
  });

  test('revisions that changed only the status or the schedule are no conflict', async () => {
    let clock = new Date('2026-01-05T10:00:00Z');
    const { s, editing, ana, draft } = await setup(() => clock);
    const { story } = await draft('Scheduled one');
    const id = story.article.id;
    await s.articles.update(id, { publishAt: new Date('2026-01-05T11:00:00Z'), status: 'published' }, 'x');
    clock = new Date('2026-01-05T11:00:01Z');
    assert.deepEqual(await s.articles.publishDue(), [id]);
    const saved = await editing.save(
      id,
      { dek: 'Edited while it went out' },
      { expectedRevision: 1, actor: { userId: ana } },
    );
    assert.equal(saved.story.article.dek, 'Edited while it went out');
    assert.equal(saved.story.article.status, 'published');
  });

  test('a revision newer than the newest is refused as a bad request', async () => {
    const { editing, ana, draft } = await setup();
    const { story } = await draft();
    await assert.rejects(
      editing.save(story.article.id, { dek: 'x' }, { expectedRevision: 7, actor: { userId: ana } }),
      (e) => isDatelineError(e, 'BAD_REQUEST'),
    );
  });

  test('saving unchanged fields makes no revision and no audit entry', async () => {
    const { editing, ana, draft } = await setup();
    const { story } = await draft('Same');
    const saved = await editing.save(
      story.article.id,
      { headline: 'Same', tags: [], urgent: false },
      { expectedRevision: 1, actor: { userId: ana } },
    );
    assert.equal(saved.revision, 1);
    assert.deepEqual(saved.changed, []);
    assert.equal((await auditOf(ctx.db, story.article.id)).length, 1);
  });

  test('an autosave keeps the fields without touching the story; a save replaces it', async () => {
    const { editing, ana, draft } = await setup();
    const { story } = await draft('Live headline');
    const id = story.article.id;
    const a = await editing.autosave(id, ana, { headline: 'Typing…', body_html: '<p>half</p>' }, 1);
    assert.equal(a.revision, 1);
    await editing.autosave(id, ana, { headline: 'Typing more', body_html: '<p>more</p>' }, 1);
    const kept = await editing.autosaveOf(id, ana);
    assert.deepEqual(kept?.fields, { headline: 'Typing more', body_html: '<p>more</p>' });
    const now = await editing.get(id);
    assert.equal(now.article.headline, 'Live headline');
    assert.equal(now.revision, 1);
    assert.equal((await editing.revisions(id)).length, 1);
    await editing.save(id, kept!.fields, { expectedRevision: 1, actor: { userId: ana } });
    assert.equal(await editing.autosaveOf(id, ana), null);
  });

  test('an autosave based on an overtaken revision is kept and answered with the conflict', async () => {
    const { editing, ana, ben, draft } = await setup();
    const { story } = await draft();
    const id = story.article.id;
    await editing.save(id, { headline: 'Ana saved' }, { expectedRevision: 1, actor: { userId: ana } });
    const err = await editing.autosave(id, ben, { headline: 'Ben typing' }, 1).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(isDatelineError(err, 'EDIT_CONFLICT'));
    assert.equal((err as DatelineError).where?.by, 'Ana Editor');
    assert.deepEqual((await editing.autosaveOf(id, ben))?.fields, { headline: 'Ben typing' });
    // On the newest revision it answers normally.
    assert.equal((await editing.autosave(id, ben, { headline: 'Ben typing' }, 2)).revision, 2);
  });

  test('restoring a revision makes a new revision with its fields, and checks for conflicts', async () => {
    const { s, editing, ana, ben, draft } = await setup();
    const { story } = await draft('Original');
    const id = story.article.id;
    await editing.save(
      id,
      { body_html: '<p>One</p>', tags: ['a'] },
      { expectedRevision: 1, actor: { userId: ana } },
    );
    await editing.save(
      id,
      { headline: 'Rewritten', body_html: '<p>Two</p>', tags: ['b'], urgent: true },
      { expectedRevision: 2, actor: { userId: ana } },
    );
    // Published as revision 4: a status change, which a restore based on revision 3 does not conflict with.
    await s.articles.update(id, { status: 'published' }, 'x');
    await assert.rejects(editing.restore(id, 2, { expectedRevision: 2, actor: { userId: ben } }), (e) =>
      isDatelineError(e, 'EDIT_CONFLICT'),
    );
    const restored = await editing.restore(id, 2, { expectedRevision: 3, actor: { userId: ben } });
    assert.equal(restored.revision, 5);
    assert.equal(restored.story.article.headline, 'Original');
    assert.equal(restored.story.article.bodyHtml, '<p>One</p>');
    assert.deepEqual(restored.story.tags, ['a']);
    assert.equal(restored.story.urgent, false);
    assert.ok(restored.changed.includes('restored:2'));
    assert.ok(restored.changed.includes('headline'));
    // The address of a published story is not rolled back with the text.
    assert.equal(restored.story.slug, 'rewritten');
    const audit = await auditOf(ctx.db, id);
    assert.equal(audit.at(-1)?.action, 'story.restored');
    assert.equal(audit.at(-1)?.detail.restoredRevision, 2);
    await assert.rejects(editing.restore(id, 99, { expectedRevision: 5, actor: { userId: ben } }), (e) =>
      isDatelineError(e, 'NOT_FOUND'),
    );
  });

  test('a never-published draft keeps its slug in step with its headline; a published story does not', async () => {
    const { s, editing, ana, draft } = await setup();
    const { story } = await draft('Untitled');
    const id = story.article.id;
    const renamed = await editing.save(
      id,
      { headline: 'Floods close the ring road' },
      { expectedRevision: 1, actor: { userId: ana } },
    );
    assert.equal(renamed.story.slug, 'floods-close-the-ring-road');
    // A numbered slug (another story had the headline's slug first) follows too.
    const { story: second } = await draft('Untitled');
    assert.equal(second.slug, 'untitled');
    const { story: third } = await draft('Untitled');
    assert.equal(third.slug, 'untitled-2');
    const followed = await editing.save(
      third.article.id,
      { headline: 'Bridge reopens' },
      { expectedRevision: 1, actor: { userId: ana } },
    );
    assert.equal(followed.story.slug, 'bridge-reopens');
    await s.articles.update(id, { status: 'published' }, 'x');
    const later = await editing.save(
      id,
      { headline: 'Floods close the ring road for a week' },
      { expectedRevision: 3, actor: { userId: ana } },
    );
    assert.equal(later.story.slug, 'floods-close-the-ring-road');
  });

  test('a taken-down story refuses saves and autosaves', async () => {
    const { s, editing, ana, draft } = await setup();
    const { story } = await draft();
    await s.articles.takeDown(story.article.id, 'legal', 'x');
    await assert.rejects(
      editing.save(story.article.id, { dek: 'x' }, { expectedRevision: 2, actor: { userId: ana } }),
      (e) => isDatelineError(e, 'ARTICLE_GONE'),
    );
    await assert.rejects(editing.autosave(story.article.id, ana, { dek: 'x' }, 2), (e) =>
      isDatelineError(e, 'ARTICLE_GONE'),
    );
  });

  test('bad fields are refused with the field named, and the story is unchanged', async () => {
    const { editing, ana, draft } = await setup();
    const { story } = await draft('Keep');
    const cases: [Record<string, unknown>, string][] = [
      [{ headline: '  ' }, 'headline'],
      [{ section_id: 'abc' }, 'section_id'],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      [{ slug: 'Not A Slug' }, 'slug'],
      [{ body_html: '<script>only()</script>' }, 'bodyHtml'],
      [{ lead_media_id: '999999' }, 'lead_media_id'],
    ];
    for (const [fields, field] of cases) {
      await assert.rejects(
        editing.save(story.article.id, fields, { expectedRevision: 1, actor: { userId: ana } }),
        (e) => isDatelineError(e, 'ARTICLE_INVALID') && e.where?.field === field,
        JSON.stringify(fields),
      );
    }
    const now = await editing.get(story.article.id);
    assert.equal(now.article.headline, 'Keep');
    assert.equal(now.revision, 1);
  });
});
