// The article HTML model as staff copy sees it: the same elements and link rules as wire copy, with
// relative links kept (they point within the site), <pre> kept exactly, and what was removed reported.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanArticleHtml, htmlToText, MarkupFindings, sanitizeArticleHtml } from './body-html.ts';

describe('sanitizeArticleHtml (staff copy)', () => {
  it('removes scripts, event handlers and script links, keeping the text', () => {
    assert.equal(
      sanitizeArticleHtml(
        '<p>Text</p><script>alert(1)</script><p onclick="x()">More <a href="javascript:x">l</a></p>',
      ),
      '<p>Text</p><p>More l</p>',
    );
  });

  it('keeps links within the site as written, and absolute http(s) and mailto links', () => {
    assert.equal(
      sanitizeArticleHtml(
        '<a href="/world/summit" title="Summit">a</a><a href="#facts">b</a><a href="page?x=1">c</a>' +
          '<a href="https://e.example/">d</a><a href="mailto:desk@e.example">e</a><a href="//evil.example/x">f</a>',
      ),
      '<a href="/world/summit" rel="noopener nofollow" title="Summit">a</a>' +
        '<a href="#facts" rel="noopener nofollow">b</a><a href="page?x=1" rel="noopener nofollow">c</a>' +
        '<a href="https://e.example/" rel="noopener nofollow">d</a>' +
        '<a href="mailto:desk@e.example" rel="noopener nofollow">e</a>' +
        '<a href="https://evil.example/x" rel="noopener nofollow">f</a>',
    );
    assert.equal(
      sanitizeArticleHtml('<a href="java\tscript:x">a</a><img src="data:image/png;base64,AA">'),
      'a',
    );
  });

  it('keeps the staff elements (code, pre, abbr, sup, hr) and the whitespace inside <pre>', () => {
    const html =
      '<p><abbr title="World Health Organization">WHO</abbr> x<sup>2</sup> <code>f()</code></p><hr />';
    assert.equal(sanitizeArticleHtml(html), html);
    assert.equal(
      sanitizeArticleHtml('<pre>a\n    b\n\n  c</pre>\n   \n<p>d</p>'),
      '<pre>a\n    b\n\n  c</pre><p>d</p>',
    );
  });
});

describe('cleanArticleHtml findings', () => {
  it('lists styles, comments and document-head elements as harmless, active content as rejectable', () => {
    const { html, findings } = cleanArticleHtml(
      '<head><meta charset="utf-8"><title>T</title></head><style>p{}</style><!-- a --><p>x</p><!-- b -->' +
        '<iframe src="https://x.example"></iframe><form><button>go</button></form><img src="x.jpg" onerror="y()">',
      { base: 'https://wire.example/feed.xml' },
    );
    assert.equal(html, '<p>x</p>go<img src="https://wire.example/x.jpg" />');
    // Comments are counted in a pass of their own, so they come first.
    assert.deepEqual(findings.harmless, [
      '2 HTML comments',
      'a ‹head› element',
      'a ‹meta› element',
      'a ‹title› element',
      'a ‹style› element',
    ]);
    assert.deepEqual(findings.rejectable, [
      'an ‹iframe› element',
      'a ‹form› element',
      'an onerror attribute',
    ]);
    assert.equal(findings.removed.length, 8);
  });

  it('does not count comment-like text inside script or attribute values as comments', () => {
    const { findings } = cleanArticleHtml('<p title="<!-- no -->">a</p><style>/* <!-- */</style>', 'site');
    assert.deepEqual(findings.removed, ['a ‹style› element']);
  });

  it('collects the findings of several calls in one instance', () => {
    const findings = new MarkupFindings();
    htmlToText('<style>a</style>x', findings);
    htmlToText('<style>b</style>y', findings);
    assert.deepEqual(findings.removed, ['2 ‹style› elements']);
  });
});
