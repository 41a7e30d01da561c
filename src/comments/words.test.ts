// Word lists: folding, wildcards, whole words for spaced scripts, substrings for CJK, and the per-site cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import { commentWorld, moderator } from './testing.ts';
import { CompiledWords, checkPattern, foldForMatching } from './words.ts';

const lists = new CompiledWords([
  { kind: 'banned', pattern: 'bad' },
  { kind: 'banned', pattern: '馬鹿' },
  { kind: 'suspect', pattern: 'spam*' },
  { kind: 'suspect', pattern: 'f*ck' },
  { kind: 'suspect', pattern: 'buy now' },
  { kind: 'banned', pattern: 'a.b' },
]);
const hit = (t: string) => lists.check(t);

describe('foldForMatching', () => {
  it('folds full-width forms, case, accents, Cyrillic/Greek look-alikes and leetspeak', () => {
    assert.equal(foldForMatching('ＢＡＤ'), 'bad');
    assert.equal(foldForMatching('Bád'), 'bad');
    assert.equal(foldForMatching('ВАD'), 'bad'); // Cyrillic В and А
    assert.equal(foldForMatching('βαd'), 'bad'); // Greek
    assert.equal(foldForMatching('b4d 5p@m $h0t 1t3m'), 'bad spam shot item');
    assert.equal(foldForMatching('Straße'), 'strasse');
  });

  it('keeps Japanese as it is (no mark is dropped from kana)', () => {
    assert.equal(foldForMatching('がか'), 'がか');
    assert.equal(foldForMatching('ｶﾞ'), 'ガ');
  });
});

describe('CompiledWords', () => {
  it('"ｂａｄ" and "bad" are the same word; banned wins over suspect', () => {
    assert.deepEqual(hit('ｂａｄ'), { kind: 'banned', pattern: 'bad', matched: 'bad' });
    assert.equal(hit('This is BAD!')?.kind, 'banned');
    assert.equal(hit('b4d')?.pattern, 'bad');
    assert.equal(hit('spam and bad')?.kind, 'banned');
  });

  it('matches whole words only in spaced scripts', () => {
    assert.equal(hit('badly done'), null);
    assert.equal(hit('a sinbad story'), null);
    assert.equal(hit('(bad)')?.pattern, 'bad');
  });

  it('finds a Latin word inside Japanese text (no spaces around it)', () => {
    assert.equal(hit('これはbadです')?.pattern, 'bad');
  });

  it('matches CJK words wherever they appear', () => {
    assert.equal(hit('大馬鹿者')?.pattern, '馬鹿');
    assert.equal(hit('あいつは馬鹿だ')?.pattern, '馬鹿');
    assert.equal(hit('馬と鹿'), null);
  });

  it('supports wildcards inside words', () => {
    assert.deepEqual(hit('the spammers came'), { kind: 'suspect', pattern: 'spam*', matched: 'spammers' });
    assert.equal(hit('fck')?.pattern, 'f*ck');
    assert.equal(hit('fu ck'), null);
  });

  it('matches phrases across any whitespace, and punctuation literally', () => {
    assert.equal(hit('Buy\n  NOW')?.pattern, 'buy now');
    assert.equal(hit('a.b')?.pattern, 'a.b');
    assert.equal(hit('axb'), null);
  });

  it('refuses patterns of only wildcards or too long', () => {
    assert.throws(() => checkPattern('**'), { code: 'DATELINE_ERR_COMMENT_WORD_INVALID' });
    assert.throws(() => checkPattern('  '), { code: 'DATELINE_ERR_COMMENT_WORD_INVALID' });
    assert.throws(() => checkPattern('x'.repeat(101)), { code: 'DATELINE_ERR_COMMENT_WORD_INVALID' });
    assert.equal(checkPattern('  buy   now '), 'buy now');
  });
});

describeEachDialect('comment word lists', (ctx) => {
  it('a site sees its own and the network words; the cache drops on change', async () => {
    const w = await commentWorld(ctx.db);
    const mod = await moderator(ctx.db);
    assert.equal(await w.svc.words.check(w.siteId, 'rotten'), null);
    const own = await w.svc.words.add(mod, { siteId: w.siteId, kind: 'banned', pattern: 'rotten' });
    await w.svc.words.add(mod, { siteId: null, kind: 'suspect', pattern: 'dodgy' });
    assert.equal((await w.svc.words.check(w.siteId, 'ROTTEN'))?.kind, 'banned');
    assert.equal((await w.svc.words.check(w.siteId, 'dodgy'))?.kind, 'suspect');
    // Adding the same entry again returns it instead of a duplicate.
    const again = await w.svc.words.add(mod, { siteId: w.siteId, kind: 'banned', pattern: 'rotten' });
    assert.equal(again.id, own.id);
    assert.deepEqual(
      (await w.svc.words.list(w.siteId)).map((e) => e.pattern),
      ['rotten'],
    );
    assert.deepEqual(
      (await w.svc.words.list(null)).map((e) => e.pattern),
      ['dodgy'],
    );
    await w.svc.words.remove(mod, own.id);
    assert.equal(await w.svc.words.check(w.siteId, 'rotten'), null);
    await assert.rejects(w.svc.words.remove(mod, own.id), { code: 'DATELINE_ERR_COMMENT_WORD_NOT_FOUND' });
  });
});
