import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDisplayName, checkEmail, looksLikeStaff, skeleton, slugFromName } from './fields.ts';
import { passwordProblem } from './passwords.ts';
import { safeNext } from './redirects.ts';

test('emails are trimmed and lower-cased; malformed and overlong ones are refused', () => {
  assert.deepEqual(checkEmail('  Ana@Example.COM '), { ok: true, value: 'ana@example.com' });
  for (const bad of [
    '',
    'ana',
    'ana@',
    '@example.com',
    'ana@example',
    'a b@example.com',
    'ana@@example.com',
    'ana..b@example.com',
    '.ana@example.com',
    'ana.@example.com',
    'ana@-example.com',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
    'ánа@example.com',
    'ana@exa\nmple.com',
  ]) {
    assert.equal(checkEmail(bad).ok, false, JSON.stringify(bad));
  }
});

test('display names: control, bidi and invisible characters are refused; spacing is normalised', () => {
  assert.deepEqual(checkDisplayName('  Ana   Reader '), { ok: true, value: 'Ana Reader' });
  assert.deepEqual(checkDisplayName('山田 太郎'), { ok: true, value: '山田 太郎' });
  for (const bad of [
    '',
    '   ',
    'Ana\u202EReader',
    'Ana\u2066x',
    'A\u200Dna',
    'Ana\u0000',
    'Ana\u2028B',
    '!!!',
    'x'.repeat(61),
  ]) {
    assert.equal(checkDisplayName(bad).ok, false, JSON.stringify(bad));
  }
});

test('look-alike skeletons fold case, accents, other scripts and digit tricks', () => {
  assert.equal(skeleton('Máría  Ëditor'), skeleton('maria editor'));
  assert.equal(skeleton('Mаriа'), skeleton('Maria'), 'Cyrillic а');
  assert.equal(skeleton('J0hn Sm1th'), skeleton('John Smith'));
  assert.equal(skeleton('rnary'), skeleton('mary'));
  assert.ok(looksLikeStaff('Adm1n', []));
  assert.ok(looksLikeStaff('The Editor-in-Chief', ['The Editor in Chief']));
  assert.ok(!looksLikeStaff('Ana Reader', ['The Editor in Chief']));
  assert.equal(slugFromName('Åsa Öberg!'), 'asa-oberg');
  assert.equal(slugFromName('山田'), 'reader');
});

test('passwords: minimum length, the shipped common list, and not the email', () => {
  assert.equal(passwordProblem('velvet-harbour-lantern'), null);
  assert.match(passwordProblem('short')!, /at least 10/);
  assert.match(passwordProblem('password123')!, /common/);
  assert.match(passwordProblem('Qwertyuiop!!')!, /common/);
  assert.match(passwordProblem('aaaaaaaaaaaa')!, /common/);
  assert.match(passwordProblem('ana.reader-2024', { email: 'ana.reader@example.com' })!, /email/);
  assert.match(passwordProblem('x'.repeat(257))!, /at most/);
});

test('safeNext is pure: only network hosts, never other schemes', () => {
  const directory = {
    forHost: (h: string) => (h === 'news.localhost' || h === 'life.localhost' ? ({} as never) : undefined),
  };
  const req = {
    host: 'news.localhost:3000',
    hostname: 'news.localhost',
    server: { publicUrls: { scheme: 'http', port: 3000 } },
  } as never;
  assert.equal(safeNext('/a?b=1#c', req, directory as never), 'http://news.localhost:3000/a?b=1#c');
  assert.equal(
    safeNext('http://life.localhost:3000/x', req, directory as never),
    'http://life.localhost:3000/x',
  );
  assert.equal(safeNext('data:text/html,hi', req, directory as never), 'http://news.localhost:3000/');
  assert.equal(safeNext('/\t/evil.example', req, directory as never), 'http://news.localhost:3000/');
  assert.equal(safeNext(['/a'], req, directory as never), 'http://news.localhost:3000/');
});
