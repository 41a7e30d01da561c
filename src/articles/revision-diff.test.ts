import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareSnapshots, wordDiff } from './revision-diff.ts';
import type { StorySnapshot } from './story.ts';

const base: StorySnapshot = {
  headline: 'Council approves new budget',
  dek: '',
  byline: 'A. Writer',
  dateline: null,
  bodyHtml: '<p>The council voted on Monday.</p><p>Taxes stay the same.</p>',
  sourceCopyright: null,
  leadMediaId: null,
  status: 'draft',
  publishAt: null,
  sectionId: 1,
  slug: 'council-approves-new-budget',
  tags: ['council'],
  urgent: false,
};
const names = { section: (id: number) => (id === 1 ? 'World' : 'Business') };

test('only the fields that differ are listed, readable, with a word diff', () => {
  const after = {
    ...base,
    headline: 'Council rejects new budget',
    sectionId: 2,
    tags: ['council', 'tax'],
    urgent: true,
  };
  const c = compareSnapshots(base, after, names);
  assert.deepEqual(
    c.fields.map((f) => [f.label, f.before, f.after]),
    [
      ['Headline', 'Council approves new budget', 'Council rejects new budget'],
      ['Section', 'World', 'Business'],
      ['Tags', 'council', 'council, tax'],
      ['Urgent', 'No', 'Yes'],
    ],
  );
  assert.deepEqual(
    c.fields[0]?.parts.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text.trim()]),
    [
      ['removed', 'approves'],
      ['added', 'rejects'],
    ],
  );
  assert.equal(c.body.changed, false);
});

test('the body is compared as text, word by word; markup that changes no word is no change', () => {
  const reformatted = {
    ...base,
    bodyHtml: '<p>The <strong>council</strong> voted on Monday.</p>\n<p>Taxes stay the same.</p>',
  };
  assert.equal(compareSnapshots(base, reformatted, names).body.changed, false);
  const edited = {
    ...base,
    bodyHtml: '<p>The council voted on Tuesday.</p><p>Taxes stay the same.</p><p>New line.</p>',
  };
  const c = compareSnapshots(base, edited, names);
  assert.equal(c.body.changed, true);
  const changes = c.body.parts.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text.trim()]);
  assert.deepEqual(changes.slice(0, 2), [
    ['removed', 'Monday'],
    ['added', 'Tuesday'],
  ]);
  assert.ok(changes.some(([kind, text]) => kind === 'added' && text?.includes('New line')));
  // Joining the same and removed parts gives the old text back, same and added the new one.
  const side = (kind: string) =>
    c.body.parts
      .filter((p) => p.kind === 'same' || p.kind === kind)
      .map((p) => p.text)
      .join('');
  assert.equal(
    side('removed').replace(/\s+/g, ' ').trim(),
    'The council voted on Monday. Taxes stay the same.',
  );
  assert.equal(
    side('added').replace(/\s+/g, ' ').trim(),
    'The council voted on Tuesday. Taxes stay the same. New line.',
  );
});

test('fields an older revision did not record are not shown as changes', () => {
  const old: StorySnapshot = { ...base };
  delete old.tags;
  delete old.sectionId;
  const c = compareSnapshots(old, { ...base, tags: ['x'], sectionId: 2 }, names);
  assert.deepEqual(c.fields, []);
});

test('identical texts are one unchanged part; empty ones none', () => {
  assert.deepEqual(wordDiff('same words', 'same words'), [{ text: 'same words', kind: 'same' }]);
  assert.deepEqual(wordDiff('', ''), []);
  assert.deepEqual(wordDiff('', 'new'), [{ text: 'new', kind: 'added' }]);
});
