// Votes: one per account per comment, changed or withdrawn, refused on one's own, missing, deleted or held
// comments, and tallies exact under 200 concurrent votes on both databases.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { commentWorld, moderator, reader } from './testing.ts';

describeEachDialect('comment votes', (ctx) => {
  it('counts one vote per account, changes and withdraws it', async () => {
    const w = await commentWorld(ctx.db);
    const author = await reader(ctx.db);
    const voter = await reader(ctx.db);
    const c = await w.svc.post(author, { siteId: w.siteId, articleId: w.articleId, body: 'First!' });
    assert.deepEqual(await w.svc.vote(voter, c.id, 1), { up: 1, down: 0, mine: 1 });
    assert.deepEqual(await w.svc.vote(voter, c.id, 1), { up: 1, down: 0, mine: 1 });
    assert.deepEqual(await w.svc.vote(voter, c.id, -1), { up: 0, down: 1, mine: -1 });
    assert.deepEqual(await w.svc.vote(voter, c.id, 0), { up: 0, down: 0, mine: 0 });
    assert.deepEqual(await w.svc.vote(voter, c.id, -1), { up: 0, down: 1, mine: -1 });
    assert.deepEqual([...(await w.svc.votesOf(voter.userId, [c.id]))], [[c.id, -1]]);
    const stored = await w.svc.get(c.id);
    assert.equal(stored?.down, 1);
  });

  it('refuses votes on one own, missing, deleted and held comments, changing nothing', async () => {
    const w = await commentWorld(ctx.db);
    const author = await reader(ctx.db);
    const voter = await reader(ctx.db);
    const c = await w.svc.post(author, { siteId: w.siteId, articleId: w.articleId, body: 'Mine' });
    await assert.rejects(w.svc.vote(author, c.id, 1), { code: 'DATELINE_ERR_VOTE_OWN_COMMENT' });
    await assert.rejects(w.svc.vote(voter, 999_999, 1), { code: 'DATELINE_ERR_COMMENT_NOT_FOUND' });
    await assert.rejects(w.svc.vote(voter, c.id, 2 as 1), { code: 'DATELINE_ERR_VOTE_INVALID' });
    const held = await w.svc.post(author, {
      siteId: w.siteId,
      articleId: w.articleId,
      body: 'Held https://a.example https://b.example https://c.example https://d.example',
    });
    assert.equal(held.status, 'pending');
    await assert.rejects(w.svc.vote(voter, held.id, 1), { code: 'DATELINE_ERR_COMMENT_NOT_FOUND' });
    await w.svc.remove(author, c.id);
    await assert.rejects(w.svc.vote(voter, c.id, 1), { code: 'DATELINE_ERR_COMMENT_GONE' });
    const after = await w.svc.get(c.id);
    assert.equal(after?.up, 0);
    const rows = await ctx.db.kysely
      .selectFrom('comment_votes')
      .selectAll()
      .where('comment_id', '=', c.id)
      .execute();
    assert.equal(rows.length, 0);
  });

  it('refuses votes from a suspended member', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    const author = await reader(ctx.db);
    const voter = await reader(ctx.db);
    const c = await w.svc.post(author, { siteId: w.siteId, articleId: w.articleId, body: 'Vote on me' });
    await w.svc.sanction(mod, voter.userId, {
      kind: 'suspension',
      siteId: w.siteId,
      message: 'Cool down',
      endsAt: new Date(w.clock.now.getTime() + 3600_000),
    });
    await assert.rejects(w.svc.vote(voter, c.id, 1), { code: 'DATELINE_ERR_MEMBER_SUSPENDED' });
  });

  it('rate-limits votes per account and per network address', async () => {
    const w = await commentWorld(ctx.db, {
      limits: { voteAccount: { points: 2, seconds: 60 }, voteIp: { points: 4, seconds: 60 } },
    });
    const author = await reader(ctx.db);
    const ids = [];
    for (const body of ['a', 'b', 'c', 'd']) {
      ids.push((await w.svc.post(author, { siteId: w.siteId, articleId: w.articleId, body })).id);
    }
    const v = await reader(ctx.db);
    await w.svc.vote(v, ids[0]!, 1);
    await w.svc.vote(v, ids[1]!, 1);
    await assert.rejects(w.svc.vote(v, ids[2]!, 1), { code: 'DATELINE_ERR_RATE_LIMITED' });
    // Another account from the same address has one vote left there (the refused one counted too).
    const u = { ...(await reader(ctx.db)), ip: v.ip };
    await w.svc.vote(u, ids[2]!, 1);
    await assert.rejects(w.svc.vote(u, ids[3]!, 1), { code: 'DATELINE_ERR_RATE_LIMITED' });
    assert.equal((await w.svc.get(ids[3]!))?.up, 0);
  });

  it('keeps tallies exact under 200 concurrent votes from 200 accounts', async () => {
    const w = await commentWorld(ctx.db, {
      limits: { voteIp: { points: 10_000, seconds: 60 } },
    });
    const author = await reader(ctx.db);
    const c = await w.svc.post(author, { siteId: w.siteId, articleId: w.articleId, body: 'Popular' });
    const voters = [];
    for (let i = 0; i < 200; i++) voters.push(await reader(ctx.db));
    // 130 up, 70 down, all at once; then 20 of the up-voters change to down and 10 down-voters withdraw, at once.
    const first = await Promise.allSettled(
      voters.map((v, i) => w.svc.vote({ ...v, ip: '10.9.9.9' }, c.id, i < 130 ? 1 : -1)),
    );
    assert.deepEqual(
      first.filter((r) => r.status === 'rejected'),
      [],
    );
    const second = await Promise.allSettled([
      ...voters.slice(0, 20).map((v) => w.svc.vote(v, c.id, -1)),
      ...voters.slice(130, 140).map((v) => w.svc.vote(v, c.id, 0)),
      // The same account twice at once: one vote counts.
      w.svc.vote(voters[199]!, c.id, -1),
      w.svc.vote(voters[199]!, c.id, -1),
    ]);
    assert.deepEqual(
      second.filter((r) => r.status === 'rejected'),
      [],
    );
    const stored = await w.svc.get(c.id);
    assert.equal(stored?.up, 110);
    assert.equal(stored?.down, 80);
    const rows = await ctx.db.kysely
      .selectFrom('comment_votes')
      .select(['value', (eb) => eb.fn.countAll<number>().as('n')])
      .where('comment_id', '=', c.id)
      .groupBy('value')
      .execute();
    const counted = new Map(rows.map((r) => [Number(r.value), Number(r.n)]));
    assert.equal(counted.get(1), 110);
    assert.equal(counted.get(-1), 80);
  });

  it('records one tally event per thread for many votes, after the interval', async () => {
    const w = await commentWorld(ctx.db, {}, { tallyIntervalMs: 60_000 });
    const author = await reader(ctx.db);
    const c = await w.svc.post(author, { siteId: w.siteId, articleId: w.articleId, body: 'Tally me' });
    const before = w.s.seen.length;
    for (let i = 0; i < 5; i++) await w.svc.vote(await reader(ctx.db), c.id, 1);
    assert.equal(w.s.seen.slice(before).filter((e) => e.type === 'comment.tallies').length, 0);
    await w.svc.flushTallies();
    const tallies = w.s.seen.slice(before).filter((e) => e.type === 'comment.tallies');
    assert.deepEqual(tallies, [{ type: 'comment.tallies', siteId: w.siteId, articleId: w.articleId }]);
    // A vote after the flush waits for the next interval, and close() records it.
    await w.svc.vote(await reader(ctx.db), c.id, -1);
    await w.svc.close();
    assert.equal(w.s.seen.slice(before).filter((e) => e.type === 'comment.tallies').length, 2);
  });
});
