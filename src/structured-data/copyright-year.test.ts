import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyrightYearOf, newsArticle } from './json-ld.ts';

const base = {
  url: 'https://news.example.test/world/story',
  headline: 'Story',
  description: null,
  images: [],
  datePublished: new Date('2026-01-03T09:00:00Z'),
  dateModified: new Date('2026-01-03T09:00:00Z'),
  byline: null,
  section: null,
  language: 'en',
  publisher: { name: 'Example Times', url: 'https://news.example.test/', logo: null },
};

test('copyrightYear comes from the notice of wire copy, not from the publication date', () => {
  assert.equal(newsArticle({ ...base, sourceCopyright: '© Agency 2025' }).copyrightYear, 2025);
  assert.equal(
    newsArticle({ ...base, sourceCopyright: 'Copyright 2024 Nordic Press Agency. All rights reserved.' })
      .copyrightYear,
    2024,
  );
});

test('a notice without a year claims none; staff copy dates from publication', () => {
  assert.ok(!('copyrightYear' in newsArticle({ ...base, sourceCopyright: '(c) Agence Exemple' })));
  assert.equal(newsArticle({ ...base, sourceCopyright: null }).copyrightYear, 2026);
});

test('copyrightYearOf reads the first four-digit year only', () => {
  assert.equal(copyrightYearOf('© 2019–2025 Example Wire'), 2019);
  assert.equal(copyrightYearOf('© Example Wire 120250'), null);
  assert.equal(copyrightYearOf('© Example Wire'), null);
});
