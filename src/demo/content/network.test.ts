// Checks the demo network as a whole: determinism, sizes, slugs, body markup and the agency-story dressing
// that the news site is meant to show off.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDemoNetwork, type DemoArticle, type DemoSite } from './index.ts';

const network = buildDemoNetwork();
const DAY = 24 * 60;

/** Everything except the render functions, which JSON drops. */
function snapshot(sites: DemoSite[]): string {
  return JSON.stringify(sites);
}

function paragraphs(article: DemoArticle): number {
  return article.bodyHtml.match(/<p>/g)?.length ?? 0;
}

function site(slug: string): DemoSite {
  const found = network.find((s) => s.slug === slug);
  assert.ok(found, `site ${slug}`);
  return found;
}

describe('buildDemoNetwork', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    assert.equal(snapshot(buildDemoNetwork()), snapshot(network));
    assert.equal(snapshot(buildDemoNetwork({ seed: 7 })), snapshot(buildDemoNetwork({ seed: 7 })));
    assert.notEqual(snapshot(buildDemoNetwork({ seed: 7 })), snapshot(network));
  });

  it('builds the three sites with 60 articles each by default', () => {
    assert.deepEqual(
      network.map((s) => s.slug),
      ['news', 'life', 'travel'],
    );
    for (const s of network) assert.equal(s.articles.length, 60, s.slug);
  });

  it('honours articlesPerSite, including zero, and rejects nonsense', () => {
    for (const count of [0, 1, 7, 61]) {
      for (const s of buildDemoNetwork({ articlesPerSite: count })) assert.equal(s.articles.length, count);
    }
    assert.throws(() => buildDemoNetwork({ articlesPerSite: -1 }), RangeError);
    assert.throws(() => buildDemoNetwork({ articlesPerSite: 2.5 }), RangeError);
  });

  it('keeps slugs unique, lowercase ascii, hyphenated and at most 80 characters, even for big sites', () => {
    for (const sites of [network, buildDemoNetwork({ articlesPerSite: 300, seed: 99 })]) {
      for (const s of sites) {
        const slugs = s.articles.map((a) => a.slug);
        assert.equal(new Set(slugs).size, slugs.length, `${s.slug} has duplicate slugs`);
        for (const slug of slugs) {
          assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
          assert.ok(slug.length <= 80, slug);
        }
      }
    }
  });

  it('gives every site distinct headlines at the default size', () => {
    for (const s of network) {
      const headlines = s.articles.map((a) => a.headline);
      assert.equal(new Set(headlines).size, headlines.length, s.slug);
    }
  });

  it('describes each site as the brief asks', () => {
    assert.equal(site('news').timeZone, 'Asia/Tokyo');
    for (const s of network) {
      assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: s.timeZone }), s.timeZone);
      assert.deepEqual(Intl.getCanonicalLocales(s.language), [s.language]);
      assert.match(s.footerText, /^©\d{4} \S/);
      assert.ok(s.sections.length >= 4);
    }
    assert.deepEqual(
      site('news').sections.map((s) => s.slug),
      ['world', 'japan', 'business', 'tech', 'sports', 'opinion'],
    );
    assert.deepEqual(
      site('life').sections.map((s) => s.slug),
      ['food', 'style', 'art-culture', 'wellbeing', 'whats-on'],
    );
    assert.deepEqual(
      site('travel').sections.map((s) => s.slug),
      ['destinations', 'food-drink', 'hotels', 'tips'],
    );
    assert.equal(
      buildDemoNetwork({ now: new Date('2031-03-01T00:00:00Z') })[0]?.footerText,
      '©2031 Meridian Media Inc.',
    );
  });

  it('spreads articles over every section', () => {
    for (const s of network) {
      const used = new Set(s.articles.map((a) => a.section));
      assert.deepEqual([...used].sort(), s.sections.map((x) => x.slug).sort(), s.slug);
    }
  });

  it('writes 4–8 paragraph bodies using only simple block markup, with no template leftovers', () => {
    for (const s of network) {
      for (const a of s.articles) {
        const count = paragraphs(a);
        assert.ok(count >= 4 && count <= 8, `${a.slug}: ${count} paragraphs`);
        const tags = new Set([...a.bodyHtml.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
        for (const tag of tags) assert.ok(['p', 'h2', 'ul', 'li', 'blockquote'].includes(tag ?? ''), tag);
        const text = [a.headline, a.dek, a.bodyHtml, a.picture?.caption ?? '', a.picture?.alt ?? ''].join(
          ' ',
        );
        assert.doesNotMatch(text, /[{}[\]|]|undefined|null|NaN/, a.slug);
        assert.ok(a.headline.length > 10 && a.dek.length > 10);
      }
    }
  });

  it('spreads publication over about 30 days, newest first, with updates after publication', () => {
    for (const s of network) {
      let previous = 0;
      for (const a of s.articles) {
        assert.ok(Number.isInteger(a.publishedMinutesAgo) && a.publishedMinutesAgo > 0);
        assert.ok(a.publishedMinutesAgo >= previous, `${a.slug} out of order`);
        previous = a.publishedMinutesAgo;
        if (a.updatedMinutesAgo !== null) {
          assert.ok(Number.isInteger(a.updatedMinutesAgo));
          assert.ok(a.updatedMinutesAgo >= 0 && a.updatedMinutesAgo < a.publishedMinutesAgo, a.slug);
        }
      }
      assert.ok(previous > 27 * DAY && previous <= 30 * DAY, `${s.slug} oldest is ${previous}`);
      assert.ok(s.articles.some((a) => a.updatedMinutesAgo !== null));
    }
  });

  it('illustrates at least 80% of articles, with unique picture keys across the network', () => {
    const keys: string[] = [];
    for (const s of network) {
      const illustrated = s.articles.filter((a) => a.picture !== null).length;
      assert.ok(illustrated / s.articles.length >= 0.8, `${s.slug}: ${illustrated}`);
      assert.ok(illustrated < s.articles.length, 'some articles should show the no-picture layout');
      keys.push(...s.articles.flatMap((a) => (a.picture ? [a.picture.key] : [])));
      for (const a of s.articles) {
        if (!a.picture) continue;
        assert.equal(a.picture.format, 'jpeg');
        assert.ok(a.picture.width >= 1600 && a.picture.height >= 900);
        assert.ok(a.picture.alt.length > 10 && a.picture.caption.length > 5 && a.picture.credit.length > 5);
      }
    }
    assert.equal(new Set(keys).size, keys.length);
  });

  it('makes about half of the news site agency copy, fully dressed', () => {
    for (const seed of [2025, 1, 42]) {
      const news = buildDemoNetwork({ seed })[0];
      assert.ok(news);
      const wire = news.articles.filter((a) => a.sourceCopyright !== null);
      const share = wire.length / news.articles.length;
      assert.ok(share >= 0.35 && share <= 0.65, `seed ${seed}: ${share}`);
      for (const a of wire) {
        assert.match(a.sourceCopyright ?? '', /^© (Example Wire|Orbis Wire|Redline Press) \d{4}$/);
        const agency = (a.sourceCopyright ?? '').slice(2, -5);
        assert.match(a.dateline ?? '', /^[A-Z][A-Z .'-]+$/, a.slug);
        assert.ok(a.byline, a.slug);
        assert.ok(a.picture, `${a.slug} has no picture`);
        assert.match(a.picture.caption, /, [A-Z][a-z]+ \d{1,2}, \d{4}\. /, a.picture.caption);
        assert.ok(
          a.picture.caption.includes(agency.toUpperCase()) || a.picture.caption.includes(`${agency}/`),
        );
        assert.match(a.picture.credit, /^Image: /);
        assert.ok(a.picture.credit.includes(agency), a.picture.credit);
        assert.notEqual(a.section, 'opinion');
      }
    }
  });

  it('uses the agency caption style for pool pictures', () => {
    const pool = site('news')
      .articles.flatMap((a) => (a.picture ? [a.picture] : []))
      .filter((p) => p.credit.endsWith('/Pool Photographer'));
    assert.ok(pool.length > 0);
    for (const p of pool) {
      assert.match(
        p.caption,
        /\. (Example Wire|Orbis Wire|Redline Press)\/Pool Photographer via [A-Z ]+ ATTENTION EDITORS - THIS IMAGE WAS PROVIDED BY A THIRD PARTY$/,
      );
    }
  });

  it('keeps in-house stories free of agency marks', () => {
    for (const s of network) {
      for (const a of s.articles.filter((x) => x.sourceCopyright === null)) {
        assert.equal(a.dateline, null, a.slug);
        if (a.picture)
          assert.doesNotMatch(`${a.picture.caption} ${a.picture.credit}`, /Wire|Redline|ATTENTION/);
      }
    }
    for (const s of network.filter((x) => x.slug !== 'news')) {
      assert.ok(s.articles.every((a) => a.sourceCopyright === null));
    }
  });
});
