// Unit checks for the template language, typography and slugs the demo copy is built with.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from './prng.ts';
import { MAX_SLUG_LENGTH, SlugRegistry, slugify } from './slug.ts';
import { fill, numberWord, renderBody, typeset, withCommas } from './template.ts';

describe('fill', () => {
  it('inserts facts, capitalizes on request and picks alternatives', () => {
    const rng = new Rng(1);
    assert.equal(fill('{City} and {city}', { city: 'oslo' }, rng), 'Oslo and oslo');
    const picked = fill('[a|b|c] {x}', { x: 'y' }, rng);
    assert.match(picked, /^[abc] y$/);
  });

  it('throws on unknown facts instead of printing braces', () => {
    assert.throws(() => fill('{missing}', {}, new Rng(1)), /missing/);
  });
});

describe('typeset', () => {
  it('curls quotes and apostrophes and makes dashes', () => {
    assert.equal(
      typeset(`'It's fine,' she said -- "really".`),
      '\u2018It\u2019s fine,\u2019 she said \u2014 \u201creally\u201d.',
    );
  });
});

describe('renderBody', () => {
  it('renders the four block kinds and escapes text', () => {
    const html = renderBody([
      { kind: 'h2', text: 'Food & drink' },
      { kind: 'p', text: 'a < b' },
      { kind: 'ul', items: ['one', 'two'] },
      { kind: 'blockquote', text: 'q' },
    ]);
    assert.equal(
      html,
      '<h2>Food &amp; drink</h2>\n<p>a &lt; b</p>\n<ul><li>one</li><li>two</li></ul>\n<blockquote>q</blockquote>',
    );
  });
});

describe('numbers', () => {
  it('spells small numbers and groups large ones', () => {
    assert.equal(numberWord(7), 'seven');
    assert.equal(numberWord(42), '42');
    assert.equal(withCommas(1234567), '1,234,567');
    assert.equal(withCommas(999), '999');
  });
});

describe('slugify', () => {
  it('makes lowercase ascii hyphenated slugs', () => {
    assert.equal(slugify('Zürich’s “new” café — ¥48 billion deal'), 'zurichs-new-cafe-48-billion-deal');
    assert.equal(slugify('!!!'), 'story');
  });

  it('cuts long slugs at a word boundary', () => {
    const slug = slugify('word '.repeat(40));
    assert.ok(slug.length <= MAX_SLUG_LENGTH);
    assert.ok(!slug.endsWith('-'));
    assert.match(slug, /^(word-)*word$/);
  });

  it('suffixes repeats while staying within the limit', () => {
    const registry = new SlugRegistry();
    const long = 'x'.repeat(30).split('').join(' ');
    assert.equal(registry.claim('Same headline'), 'same-headline');
    assert.equal(registry.claim('Same headline'), 'same-headline-2');
    assert.equal(registry.claim('Same  headline!'), 'same-headline-3');
    const a = registry.claim(long.repeat(3));
    const b = registry.claim(long.repeat(3));
    assert.notEqual(a, b);
    assert.ok(b.length <= MAX_SLUG_LENGTH);
  });
});

describe('Rng', () => {
  it('repeats for a seed and forks independent streams', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    assert.deepEqual(
      [a.next(), a.int(1, 6), a.pick(['x', 'y'])],
      [b.next(), b.int(1, 6), b.pick(['x', 'y'])],
    );
    assert.notEqual(new Rng(5).fork('a').next(), new Rng(5).fork('b').next());
    assert.deepEqual(new Rng(9).sampleInOrder([1, 2, 3, 4, 5], 3).length, 3);
  });
});
