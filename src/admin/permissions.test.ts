// The role table as the README states it: roles nest (contributor < author < editor < admin = owner),
// moderator is its own line, and the newsletter capabilities sit where their data asks: newsletters,
// issues and sends from editor up, subscribers (personal data) for admins and owners only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAPABILITIES, can, ROLE_CAPABILITIES } from './permissions.ts';

const holders = (cap: (typeof CAPABILITIES)[number]) =>
  Object.entries(ROLE_CAPABILITIES)
    .filter(([, caps]) => caps.has(cap))
    .map(([role]) => role)
    .sort();

test('roles nest: each includes the one before it, and admin and owner hold every capability', () => {
  const sub = (a: string, b: string) =>
    [...ROLE_CAPABILITIES[a as 'author']].every((c) => ROLE_CAPABILITIES[b as 'author'].has(c));
  assert.ok(sub('contributor', 'author'));
  assert.ok(sub('author', 'editor'));
  assert.ok(sub('editor', 'admin'));
  assert.ok(sub('moderator', 'admin'));
  assert.deepEqual([...ROLE_CAPABILITIES.admin].sort(), [...CAPABILITIES].sort());
  assert.deepEqual([...ROLE_CAPABILITIES.owner].sort(), [...CAPABILITIES].sort());
  assert.equal(ROLE_CAPABILITIES.reader.size, 0);
});

test('newsletters from editor up; subscribers for admins and owners only', () => {
  assert.deepEqual(holders('newsletter.manage'), ['admin', 'editor', 'owner']);
  assert.deepEqual(holders('subscribers.manage'), ['admin', 'owner']);
});

test('a grant on one site gives newsletter.manage there only; a network grant everywhere', () => {
  const onSite = [{ role: 'editor' as const, siteId: 2 }];
  assert.equal(can(onSite, 'newsletter.manage', 2), true);
  assert.equal(can(onSite, 'newsletter.manage', 3), false);
  assert.equal(can(onSite, 'subscribers.manage', 2), false);
  assert.equal(can([{ role: 'admin', siteId: null }], 'subscribers.manage', 3), true);
});
