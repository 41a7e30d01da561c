// Comment text: normalisation, refusals and the only HTML a comment ever becomes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countLinks, normaliseCommentText, renderCommentHtml } from './text.ts';

const limits = { maxLength: 2000 };
const norm = (s: string) => normaliseCommentText(s, limits).text;

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
}

describe('normaliseCommentText', () => {
  it('strips bidi controls, zero-width and control characters, keeps newlines', () => {
    assert.equal(norm('a\u202Eb\u2066c\u2069d\u200Be\uFEFFf\u0007g\u0000h'), 'abcdefgh');
    assert.equal(norm('line one\r\nline two\rline three'), 'line one\nline two\nline three');
  });

  it('composes to NFC', () => {
    assert.equal(norm('e\u0301'), '\u00e9');
  });

  it('trims and collapses more than two blank lines', () => {
    assert.equal(norm('  \n\nhello   \n\n\n\n\n\nworld \n\n '), 'hello\n\n\nworld');
  });

  it('keeps the joiner inside emoji sequences and drops it elsewhere', () => {
    const family = '👨\u200D👩\u200D👧';
    assert.equal(norm(`${family} ok`), `${family} ok`);
    assert.equal(norm('ba\u200Dd'), 'bad');
  });

  it('refuses empty text, also text of only invisible characters', () => {
    assert.equal(
      code(() => norm('')),
      'DATELINE_ERR_COMMENT_INVALID',
    );
    assert.equal(
      code(() => norm(' \u200B\u202E\n\n ')),
      'DATELINE_ERR_COMMENT_INVALID',
    );
  });

  it('refuses text over the limit, counting characters not UTF-16 units', () => {
    assert.equal(norm('😀'.repeat(2000)).length, 4000);
    assert.equal(
      code(() => norm('x'.repeat(2001))),
      'DATELINE_ERR_COMMENT_TOO_LONG',
    );
    assert.equal(
      code(() => normaliseCommentText('x'.repeat(11), { maxLength: 10 })),
      'DATELINE_ERR_COMMENT_TOO_LONG',
    );
  });

  it('refuses 100 KB of text at once', () => {
    assert.equal(
      code(() => norm('<script>'.repeat(12_800))),
      'DATELINE_ERR_COMMENT_TOO_LONG',
    );
    assert.equal(
      code(() => norm('\u200B'.repeat(100_000))),
      'DATELINE_ERR_COMMENT_TOO_LONG',
    );
  });

  it('counts links', () => {
    const r = normaliseCommentText(
      'see https://a.example/x and http://b.example, not javascript:alert(1)',
      limits,
    );
    assert.equal(r.links, 2);
    assert.equal(countLinks('ftp://x.example https://'), 0);
  });
});

describe('renderCommentHtml', () => {
  it('escapes everything and makes no markup of HTML', () => {
    const html = renderCommentHtml('<script>alert("x")</script> & <b>bold</b> \'q\'');
    assert.equal(
      html,
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &#39;q&#39;</p>',
    );
  });

  it('makes paragraphs and line breaks', () => {
    assert.equal(renderCommentHtml('one\ntwo\n\nthree'), '<p>one<br>two</p><p>three</p>');
  });

  it('links bare http(s) addresses, showing their domain, with rel="ugc nofollow noopener"', () => {
    const html = renderCommentHtml(
      'Read https://www.example.com/a?b=1&c=2. Then (https://x.example/wiki/A_(b)).',
    );
    assert.match(
      html,
      /<a href="https:\/\/www\.example\.com\/a\?b=1&amp;c=2" rel="ugc nofollow noopener"[^>]*>example\.com<\/a>\./,
    );
    assert.match(html, /\(<a href="https:\/\/x\.example\/wiki\/A_\(b\)"[^>]*>x\.example<\/a>\)\./);
  });

  it('never links javascript: or other schemes, and shows look-alike domains in their ASCII form', () => {
    const html = renderCommentHtml('javascript:alert(1) data:text/html,x https://раураl.example/');
    assert.ok(!html.includes('href="javascript'));
    assert.ok(!html.includes('href="data'));
    assert.match(html, />xn--[a-z0-9-]+\.example<\/a>/);
  });

  it('does not let a quote in an address break out of the attribute', () => {
    const html = renderCommentHtml('https://a.example/"onmouseover="x');
    assert.ok(!/href="[^"]*"onmouseover/.test(html));
  });
});
