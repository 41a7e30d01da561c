// Digests on both databases: the next issue composed from the site's stories (front page order, then newest,
// then section blocks; nothing from the previous issue; nothing twice), the editor's changes and what they
// lock, stories taken down or unpublished leaving unsent issues, the scheduler sending at the due time once
// even with two nodes ticking, an empty issue not sent, and the renderer's links (straight, or through the
// first-party counter when the list counts clicks).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDialect } from '../../../test/dialects.ts';
import { services, siteWithSections } from '../../../test/fixtures.ts';
import { isDatelineError } from '../../errors/catalogue.ts';
import { SiteDirectory } from '../../sites/directory.ts';
import { NewsletterLists } from '../lists.ts';
import type { IssueRenderer } from '../sending/content.ts';
import { Digests } from './service.ts';
import { readClickToken } from './tracking.ts';

const refusedWith = (code: string) => (e: unknown) => {
  assert.ok(isDatelineError(e), String(e));
  assert.equal(e.code, code);
  return true;
};

class FakeSender {
  started: number[] = [];
  renderers = new Map<string, IssueRenderer>();
  constructor(private readonly db: import('../../db/connection.ts').Db) {}
  registerRenderer(kind: 'digest' | 'alert', r: IssueRenderer) {
    this.renderers.set(kind, r);
  }
  async start(issueId: number) {
    const res = await this.db.kysely
      .updateTable('newsletter_issues')
      .set({ status: 'sending' })
      .where('id', '=', issueId)
      .where('status', 'in', ['draft', 'queued'])
      .executeTakeFirst();
    if (Number(res.numUpdatedRows ?? 0n) > 0) this.started.push(issueId);
  }
}

describeEachDialect('digests', (ctx) => {
  let s: ReturnType<typeof services>;
  let site: Awaited<ReturnType<typeof siteWithSections>>;
  let directory: SiteDirectory;
  let lists: NewsletterLists;
  let sender: FakeSender;
  let digests: Digests;
  let arranged: number[] = [];
  // Wednesday 2 December 2026, 06:00 in Tokyo.
  let now = new Date('2026-12-01T21:00:00Z');
  const key = Buffer.alloc(32, 7);
  const story: Record<string, number> = {};

  const make = (snd: FakeSender) =>
    new Digests({
      db: ctx.db,
      lists,
      sender: snd,
      directory,
      urls: { scheme: 'https', port: null },
      signingKey: () => key,
      frontPage: {
        arrangement: async () => (arranged.length ? { leadArticleId: null, topArticleIds: arranged } : null),
      },
      now: () => now,
      onError: (err) => {
        throw err;
      },
    });

  before(async () => {
    s = services(ctx.db);
    site = await siteWithSections(s);
    await s.sites.update(site.site.slug, { hosts: [`${site.site.slug}.example.com`] });
    directory = new SiteDirectory(ctx.db);
    await directory.load();
    lists = new NewsletterLists(s.events, () => now);
    sender = new FakeSender(ctx.db);
    digests = make(sender);
    digests.follow(s.bus);
    const at = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const add = async (name: string, section: number, hoursAgo: number) => {
      const a = await s.articles.create(
        {
          siteId: site.site.id,
          sectionId: section,
          headline: `Headline ${name}`,
          dek: `Dek ${name}`,
          bodyHtml: '<p>Text.</p>',
          publishedAt: at(hoursAgo),
        },
        'test',
      );
      story[name] = a.article.id;
    };
    await add('w1', site.world.id, 1);
    await add('b1', site.business.id, 2);
    await add('w2', site.world.id, 3);
    await add('w3', site.world.id, 4);
    await add('b2', site.business.id, 5);
    await add('old', site.world.id, 24 * 10);
  });

  let listId = 0;
  test('a list gets its next time from the schedule in the site zone', async () => {
    const n = await lists.create(site.site.id, {
      slug: 'morning',
      name: 'Morning Briefing',
      kind: 'digest',
      schedule: { days: [1, 2, 3, 4, 5], time: '07:00' },
      composition: { topCount: 2, sections: [{ sectionId: site.world.id, count: 2 }] },
      senderName: 'Example Times',
      senderEmail: 'briefing@example-times.test',
    });
    listId = n.id;
    // 07:00 in Tokyo on Wednesday 2 December is 22:00 UTC on the 1st.
    assert.equal(n.nextIssueAt?.toISOString(), '2026-12-01T22:00:00.000Z');
  });

  test('the next issue: top stories newest first, then the section block, nothing twice, nothing old', async () => {
    const issue = await digests.nextIssue(listId);
    assert.equal(issue.status, 'draft');
    assert.deepEqual(issue.items, [
      { articleId: story.w1, block: 'top' },
      { articleId: story.b1, block: 'top' },
      { articleId: story.w2, block: `section:${site.world.id}` },
      { articleId: story.w3, block: `section:${site.world.id}` },
    ]);
    assert.equal(issue.subject, 'Morning Briefing: Headline w1');
    assert.equal(issue.edited, false);
    // The same draft again, not a second one.
    assert.equal((await digests.nextIssue(listId)).id, issue.id);
  });

  test('the front page order leads the top stories', async () => {
    arranged = [story.b2!, story.w3!];
    const issue = await digests.nextIssue(listId);
    assert.deepEqual(
      issue.items.filter((i) => i.block === 'top').map((i) => i.articleId),
      [story.b2, story.w3],
    );
    assert.deepEqual(
      issue.items.filter((i) => i.block !== 'top').map((i) => i.articleId),
      [story.w1, story.w2],
    );
    arranged = [];
  });

  test('an editor reorders, removes, adds and writes the intro; the draft is then theirs', async () => {
    let issue = await digests.nextIssue(listId);
    issue = await digests.issues.move(issue.id, story.b1!, -1);
    assert.deepEqual(
      issue.items.slice(0, 2).map((i) => i.articleId),
      [story.b1, story.w1],
    );
    // Moving the first of a block up changes nothing; moves stay within the block.
    issue = await digests.issues.move(issue.id, story.b1!, -1);
    assert.deepEqual(
      issue.items.slice(0, 2).map((i) => i.articleId),
      [story.b1, story.w1],
    );
    issue = await digests.issues.move(issue.id, story.w1!, 1);
    assert.equal(issue.items[1]!.articleId, story.w1, 'the last top story stays in the top block');
    issue = await digests.issues.remove(issue.id, story.w3!);
    issue = await digests.issues.add(issue.id, story.b2!, 'top');
    assert.deepEqual(
      issue.items.map((i) => [i.articleId, i.block]),
      [
        [story.b1, 'top'],
        [story.w1, 'top'],
        [story.b2, 'top'],
        [story.w2, `section:${site.world.id}`],
      ],
    );
    await assert.rejects(
      digests.issues.add(issue.id, story.b2!, 'top'),
      refusedWith('DATELINE_ERR_NEWSLETTER_INVALID'),
    );
    await assert.rejects(
      digests.issues.setText(issue.id, { intro: 'x', subject: '' }),
      refusedWith('DATELINE_ERR_NEWSLETTER_INVALID'),
    );
    issue = await digests.issues.setText(issue.id, {
      intro: 'Good morning.\n\nHere is the news.',
      subject: 'Your briefing',
    });
    assert.equal(issue.edited, true);
    // The scheduler leaves an edited draft as it is.
    const again = await digests.nextIssue(listId);
    assert.equal(again.subject, 'Your briefing');
    assert.equal(again.items.length, 4);
  });

  test('a story taken down or unpublished leaves the unsent issue', async () => {
    // The issue changes when the service hears the article event, which it handles after the change has
    // returned; on a busy machine that takes a while, so wait for the effect (up to 30 s), not a fixed time.
    const issueWithout = async (articleId: number) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const next = await digests.nextIssue(listId);
        if (!next.items.some((i) => i.articleId === articleId) || Date.now() > deadline) return next;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await s.articles.takeDown(story.b2!, 'legal', 'test');
    let issue = await issueWithout(story.b2!);
    assert.ok(!issue.items.some((i) => i.articleId === story.b2));
    await s.articles.update(story.w2!, { status: 'draft' }, 'test');
    issue = await issueWithout(story.w2!);
    assert.deepEqual(
      issue.items.map((i) => i.articleId),
      [story.b1, story.w1],
    );
    assert.equal(issue.edited, true, 'still the editor’s draft');
  });

  test('the renderer prints the live stories with their links, and the click counter when tracking', async () => {
    const issue = await digests.nextIssue(listId);
    let c = await digests.renderer.render(issue.id);
    assert.equal(c.subject, 'Your briefing');
    assert.equal(c.campaign, 'morning');
    const origin = `https://${site.site.slug}.example.com`;
    assert.ok(c.html.includes(`href="${origin}/world/`), 'story links on the site');
    assert.ok(c.text.includes('Good morning.'));
    assert.ok(!c.html.includes('/newsletters/c/'));
    await lists.update(listId, { trackEngagement: true });
    c = await digests.renderer.render(issue.id);
    const m = /href="(https:[^"]+\/newsletters\/c\/([^"?]+)\?u=([^"]+))"/.exec(c.html);
    assert.ok(m, 'links go through the click counter');
    const target = decodeURIComponent(m[3]!.replace(/&amp;/g, '&'));
    assert.deepEqual(readClickToken(key, m[2]!, target), { issueId: issue.id, target });
    assert.equal(
      readClickToken(key, m[2]!, 'https://evil.example/'),
      null,
      'the signature covers the target',
    );
    assert.match(c.html, /\/newsletters\/o\/\d+\.[A-Za-z0-9_-]{22}\.gif/);
    await lists.update(listId, { trackEngagement: false });
  });

  test('at the due time the issue is queued and started once, even with two nodes ticking', async () => {
    const draft = await digests.nextIssue(listId);
    await digests.tick();
    assert.deepEqual(sender.started, [], 'not before its time');
    now = new Date('2026-12-01T22:00:30Z');
    const other = new FakeSender(ctx.db);
    await Promise.all([digests.tick(), make(other).tick()]);
    assert.deepEqual([...sender.started, ...other.started], [draft.id]);
    const sent = await digests.issues.require(draft.id);
    assert.equal(sent.status, 'sending');
    // Thursday 07:00 Tokyo.
    assert.equal((await lists.require(listId)).nextIssueAt?.toISOString(), '2026-12-02T22:00:00.000Z');
    // A sent issue is locked.
    await assert.rejects(
      digests.issues.remove(draft.id, story.b1!),
      refusedWith('DATELINE_ERR_NEWSLETTER_ISSUE_LOCKED'),
    );
  });

  test('the next issue starts after the last one and repeats none of its stories; an empty one is not sent', async () => {
    const next = await digests.nextIssue(listId);
    assert.notEqual(next.status, 'sending');
    assert.deepEqual(next.items, [], 'nothing new since the last issue');
    now = new Date('2026-12-02T22:00:10Z');
    sender.started = [];
    await digests.tick();
    assert.deepEqual(sender.started, []);
    const skipped = await digests.issues.require(next.id);
    assert.equal(skipped.status, 'cancelled');
    assert.match(skipped.note ?? '', /Nothing new/);
    // A story published now goes into the following issue.
    const fresh = await s.articles.create(
      {
        siteId: site.site.id,
        sectionId: site.world.id,
        headline: 'Fresh',
        bodyHtml: '<p>x</p>',
        publishedAt: now,
      },
      'test',
    );
    const following = await digests.nextIssue(listId);
    assert.deepEqual(following.items, [{ articleId: fresh.article.id, block: 'top' }]);
    const r = await digests.sendNow(listId);
    assert.equal(r.outcome, 'started');
    assert.deepEqual(sender.started, [following.id]);
  });
});
