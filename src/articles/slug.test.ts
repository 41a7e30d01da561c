import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  isRoutableSlug,
  isSlug,
  MAX_HEADLINE_SLUG_CHARS,
  MAX_SLUG_CHARS,
  slugify,
  storyPath,
} from './slug.ts';

const chars = (s: string) => [...s].length;

describe('slugify', () => {
  test('Latin headlines: accents and ligatures folded, punctuation hyphenated, as before', () => {
    assert.equal(slugify('Zürich’s “new” café — ¥48 billion deal'), 'zurichs-new-cafe-48-billion-deal');
    assert.equal(slugify('Straße in Łódź'), 'strasse-in-lodz');
    assert.equal(slugify('Story number 24'), 'story-number-24');
    assert.equal(slugify('İstanbul'), 'istanbul');
    assert.equal(slugify('!!!'), 'story');
  });

  test('non-Latin headlines keep their script, NFKC-normalised and lowercased where cased', () => {
    assert.equal(slugify('東京で新しい駅が開業、12月から運行'), '東京で新しい駅が開業-12月から運行');
    assert.equal(slugify('Новый закон о выборах принят'), 'новый-закон-о-выборах-принят');
    assert.equal(slugify('Йошкар-Ола'), 'йошкар-ола', 'Cyrillic й keeps its breve');
    assert.equal(slugify('ΕΛΛΗΝΙΚΑ νέα'), 'ελληνικα-νέα');
    assert.equal(slugify('हिन्दी समाचार'), 'हिन्दी-समाचार', 'Devanagari vowel signs are kept');
    assert.equal(slugify('ＦＵＬＬ　ｗｉｄｔｈ １２３'), 'full-width-123');
    // Half-width katakana and a decomposed が become their composed, full-width forms.
    assert.equal(slugify('ｶﾞｲﾄﾞ'), 'ガイド');
    assert.equal(slugify('か\u3099'), 'が');
  });

  test('a slug is never digits alone, so it cannot be taken for an article id', () => {
    assert.equal(slugify('2026'), 'story-2026');
    assert.equal(slugify('12'), 'story-12');
    assert.equal(slugify('2025–2026'), 'story-2025-2026');
    assert.equal(slugify('１２'), 'story-12');
    assert.equal(slugify('12 月'), '12-月');
    for (const h of ['2026', '東京 12', '12。', '【12】']) assert.doesNotMatch(slugify(h), /^\d+$/, h);
  });

  test('bounded in characters, not bytes, and cut at a word boundary', () => {
    const english = slugify('word '.repeat(40));
    assert.ok(chars(english) <= MAX_HEADLINE_SLUG_CHARS);
    assert.doesNotMatch(english, /-$/);
    assert.ok(english.split('-').every((w) => w === 'word'));
    const japanese = slugify('東京都の新しい駅が来月開業する予定です'.repeat(10));
    assert.ok(chars(japanese) <= MAX_HEADLINE_SLUG_CHARS);
    assert.ok(chars(japanese) > 60, 'Japanese is counted per character, so long headlines keep most');
    // The cut falls between dictionary words: the slug is a prefix made of whole segments.
    const words = [...new Intl.Segmenter('ja', { granularity: 'word' }).segment(japanese.repeat(2))];
    let at = 0;
    const ends = new Set(words.map((w) => (at += w.segment.length)));
    assert.ok(ends.has(japanese.length));
    assert.equal(chars(slugify('東'.repeat(200))), MAX_HEADLINE_SLUG_CHARS);
  });

  test('stable: slugifying a slug gives the same slug', () => {
    for (const h of ['東京で新しい駅が開業、12月から運行', '2026', 'Zürich’s café', 'Ελληνικά']) {
      const once = slugify(h);
      assert.equal(slugify(once), once);
      assert.ok(isSlug(once), once);
    }
  });
});

describe('slug checks and paths', () => {
  test('isSlug accepts only the form slugify makes', () => {
    assert.ok(isSlug('東京-12月'));
    assert.ok(isSlug('story-2026'));
    for (const bad of ['', '2026', 'Abc', 'a--b', '-a', 'café', 'a b', 'x'.repeat(MAX_SLUG_CHARS + 1)])
      assert.ok(!isSlug(bad), bad);
  });

  test('isRoutableSlug accepts stored slugs of any age and refuses the rest', () => {
    for (const ok of ['story-number-24', '2026', 'a--b', '東京-12月', 'новый'])
      assert.ok(isRoutableSlug(ok), ok);
    for (const bad of ['ABC', 'a b', 'a/b', '..', 'a%2f', 'x'.repeat(200)])
      assert.ok(!isRoutableSlug(bad), bad);
  });

  test('storyPath percent-encodes the slug', () => {
    assert.equal(storyPath('world', 'story-number-24'), '/world/story-number-24');
    assert.equal(storyPath('world', '東京'), '/world/%E6%9D%B1%E4%BA%AC');
  });
});
