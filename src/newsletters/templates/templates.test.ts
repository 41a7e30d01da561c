// The digest and alert mails: MJML compiles (strictly), text is escaped, both parts carry the per-recipient
// placeholders, light/dark hints are in the head, the open pixel only when asked for, and no third-party
// address anywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLACEHOLDER } from '../sending/content.ts';
import { renderAlertMail } from './alert.ts';
import { type DigestMailInput, renderDigestMail } from './digest.ts';

const site = {
  name: 'The Daily <Dateline>',
  origin: 'https://news.example.com',
  footerText: 'Dateline Media, 1 Press Row, Springfield',
  primaryColor: '#1a3d6d',
  language: 'en',
};
const item = (i: number, picture = true) => ({
  headline: `Story ${i} "quoted" & <b>bold</b>`,
  dek: `What story ${i} says.`,
  url: `https://news.example.com/world/story-${i}`,
  plainUrl: `https://news.example.com/world/story-${i}`,
  picture: picture ? { src: `https://news.example.com/media/${i}/800.jpg`, alt: `Picture ${i}` } : null,
});
const digest = (o: Partial<DigestMailInput> = {}): DigestMailInput => ({
  site,
  newsletterName: 'Morning Briefing',
  dateLine: '2 December 2026',
  subject: 'Morning Briefing: Story 1',
  intro: 'Good morning.\n\nTwo <paragraphs>.',
  blocks: [
    { title: 'Top stories', items: [item(1), item(2), item(3, false)] },
    { title: 'World', items: [item(4)] },
    { title: 'Empty', items: [] },
  ],
  template: 'standard',
  ...o,
});

test('a digest renders to HTML and text with escaped text, pictures, links and placeholders', async () => {
  const m = await renderDigestMail(digest());
  assert.match(m.html, /<meta name="color-scheme" content="light dark">/);
  assert.match(m.html, /prefers-color-scheme: dark/);
  assert.ok(m.html.includes('Story 1 &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;'));
  assert.ok(!m.html.includes('<b>bold</b>'));
  assert.ok(m.html.includes('The Daily &lt;Dateline&gt;'));
  assert.ok(m.html.includes('Two &lt;paragraphs&gt;.'));
  assert.ok(m.html.includes('https://news.example.com/media/1/800.jpg'));
  assert.ok(m.html.includes('href="https://news.example.com/world/story-4"'));
  assert.ok(m.html.includes(PLACEHOLDER.preferences) && m.html.includes(PLACEHOLDER.unsubscribe));
  assert.ok(!m.html.includes('>Empty<'), 'an empty block is left out');
  assert.ok(!/<img[^>]+width="1"/.test(m.html), 'no open pixel unless the list counts opens');
  // Every address in the mail is the site's own.
  for (const u of m.html.matchAll(/(?:href|src)="(https?:[^"]+)"/g))
    assert.ok(u[1]!.startsWith('https://news.example.com/'), u[1]);
  assert.match(m.text, /^The Daily <Dateline>\nMorning Briefing · 2 December 2026/);
  assert.match(
    m.text,
    /TOP STORIES\n\nStory 1 "quoted" & <b>bold<\/b>\nWhat story 1 says\.\nhttps:\/\/news\.example\.com\/world\/story-1\n/,
  );
  assert.ok(m.text.includes(`Unsubscribe: ${PLACEHOLDER.unsubscribe}`));
  assert.ok(m.text.includes(`Manage preferences: ${PLACEHOLDER.preferences}`));
});

test('the compact template has no pictures; the open pixel is there when given', async () => {
  const m = await renderDigestMail(
    digest({ template: 'compact', openPixel: 'https://news.example.com/newsletters/o/abc' }),
  );
  assert.ok(!m.html.includes('/media/1/800.jpg'));
  assert.match(m.html, /<img src="https:\/\/news\.example\.com\/newsletters\/o\/abc" width="1" height="1"/);
});

test('an alert carries headline, line, link and the footer links', async () => {
  const m = await renderAlertMail({
    site,
    headline: 'Quake & tsunami warning',
    line: 'Residents told to move inland.',
    url: 'https://news.example.com/world/quake',
  });
  assert.equal(m.subject, 'Quake & tsunami warning');
  assert.ok(m.html.includes('Quake &amp; tsunami warning'));
  assert.ok(m.html.includes('href="https://news.example.com/world/quake"'));
  assert.ok(m.html.includes(PLACEHOLDER.unsubscribe));
  assert.match(m.text, /Read the story: https:\/\/news\.example\.com\/world\/quake/);
  assert.ok(m.text.includes(PLACEHOLDER.preferences));
});
