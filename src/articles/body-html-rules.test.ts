// The article body model rule by rule: each allowed element kept, each code or fallback element dropped
// with its content, each way a script URL can be written reported, table-cell attributes kept only as
// digits, links trimmed and resolved, whitespace tidied, and the text pass turning block ends into lines.
// body-html.test.ts covers the model as a whole; these pin the individual entries of its lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanArticleHtml, htmlToText, sanitizeArticleHtml, trustedBodyHtml } from './body-html.ts';

const clean = (html: string) => sanitizeArticleHtml(html);
const findingsOf = (html: string) => cleanArticleHtml(html, 'site').findings;

describe('article body rules', () => {
  it('keeps every inline and table element of the model', () => {
    for (const tag of ['u', 's', 'sub', 'sup', 'cite', 'q', 'abbr', 'code', 'em', 'strong', 'b', 'i']) {
      assert.equal(clean(`<p><${tag}>x</${tag}></p>`), `<p><${tag}>x</${tag}></p>`, tag);
    }
    assert.equal(
      clean('<table><tfoot><tr><td>t</td></tr></tfoot></table>'),
      '<table><tfoot><tr><td>t</td></tr></tfoot></table>',
    );
  });

  it('keeps every block element of the model, and h1 as h2', () => {
    for (const tag of ['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'figure']) {
      assert.equal(clean(`<${tag}>x</${tag}>`), `<${tag}>x</${tag}>`, tag);
    }
    assert.equal(clean('<h1>x</h1>'), '<h2>x</h2>');
    assert.equal(clean('<ul><li>a</li></ul><ol><li>b</li></ol>'), '<ul><li>a</li></ul><ol><li>b</li></ol>');
    assert.equal(clean('<p>a<br />b</p><hr />'), '<p>a<br />b</p><hr />');
    assert.equal(
      clean(
        '<figure><img src="https://img.example/a.jpg" alt="A" width="10" height="20" /><figcaption>c</figcaption></figure>',
      ),
      '<figure><img width="10" height="20" src="https://img.example/a.jpg" alt="A" /><figcaption>c</figcaption></figure>',
    );
    assert.equal(
      clean(
        '<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>',
      ),
      '<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>',
    );
    assert.equal(
      clean('<p><abbr title="T">a</abbr> <a href="https://x.example/" title="t">l</a></p>'),
      '<p><abbr title="T">a</abbr> <a href="https://x.example/" rel="noopener nofollow" title="t">l</a></p>',
    );
  });

  it('drops code, form controls, fallback content and plugins together with their text', () => {
    const tags = [
      'script',
      'style',
      'textarea',
      'option',
      'select',
      'noscript',
      'template',
      'iframe',
      'frameset',
      'noframes',
      'noembed',
      'object',
      'applet',
      'xmp',
    ];
    // frame and embed are void elements: they hold no text, and the text after them is story text.
    for (const tag of tags) {
      assert.equal(clean(`<p>kept</p><${tag}>hidden</${tag}>`), '<p>kept</p>', tag);
      assert.equal(htmlToText(`kept<${tag}>hidden</${tag}>`), 'kept', tag);
    }
  });

  it('reports frames and plugins as active content, and base and link as harmless', () => {
    for (const tag of ['frame', 'frameset', 'object', 'embed', 'applet', 'iframe', 'script', 'form']) {
      const f = findingsOf(`<${tag}></${tag}>`);
      assert.ok(
        f.rejectable.includes(
          `${tag === 'iframe' || tag === 'object' || tag === 'embed' || tag === 'applet' ? 'an' : 'a'} ‹${tag}› element`,
        ),
        `${tag}: ${f.rejectable}`,
      );
    }
    for (const tag of ['base', 'link', 'meta', 'noscript', 'template', 'noembed', 'xmp']) {
      const f = findingsOf(`<p>x</p><${tag}>`);
      assert.deepEqual(f.rejectable, [], tag);
      assert.equal(f.harmless.length, 1, tag);
      assert.match(f.harmless[0]!, new RegExp(`^an? ‹${tag}› element$`), tag);
    }
  });

  it('reports a script URL in every attribute that loads or submits one, and only at the start', () => {
    const cases = [
      '<a href="javascript:alert(1)">x</a>',
      '<img src="javascript:alert(1)">',
      '<form action="javascript:alert(1)"></form>',
      '<button formaction="javascript:alert(1)">x</button>',
      '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    ];
    for (const html of cases) {
      assert.ok(findingsOf(html).rejectable.includes('a javascript: URL'), html);
    }
    const innocent = findingsOf('<a href="https://example.com/?next=javascript:x">x</a>');
    assert.deepEqual(innocent.removed, []);
  });

  it('names attributes with only the characters of real attribute names, counted', () => {
    assert.deepEqual(findingsOf('<p onclick!="x">a</p>').removed, ['an onclick attribute']);
    assert.deepEqual(findingsOf('<p onclick="x">a</p><p onclick="y">b</p>').removed, [
      '2 onclick attributes',
    ]);
    assert.deepEqual(findingsOf('<a href="vbscript:x">a</a>').removed, ['a vbscript: URL']);
    assert.deepEqual(findingsOf('<p>a</p><!-- note -->').removed, ['an HTML comment']);
    assert.deepEqual(findingsOf('<!-- a --><p>a</p><!-- b -->').harmless, ['2 HTML comments']);
  });

  it('keeps table-cell spans only as digits, and a scope only on header cells', () => {
    assert.equal(
      clean('<table><tr><th scope="col" colspan=" 2 " rowspan="3">h</th></tr></table>'),
      '<table><tr><th colspan="2" rowspan="3" scope="col">h</th></tr></table>',
    );
    assert.equal(
      clean('<table><tr><td colspan="x2" rowspan="2x" scope="col">d</td></tr></table>'),
      '<table><tr><td>d</td></tr></table>',
    );
    assert.equal(
      clean('<table><tr><td colspan="abc" rowspan="4">d</td></tr></table>'),
      '<table><tr><td rowspan="4">d</td></tr></table>',
    );
  });

  it('trims links, drops empty ones, and resolves agency links against the feed', () => {
    assert.equal(
      clean('<p><a href="  /world  ">w</a></p>'),
      '<p><a href="/world" rel="noopener nofollow">w</a></p>',
    );
    assert.equal(
      clean('<p><a>bare</a> <a href="">empty</a> <a href="   ">blank</a></p>'),
      '<p>bare empty blank</p>',
    );
    // A feed location that is no URL leaves relative links without one, and absolute links as they are.
    const unparsable = cleanArticleHtml('<p><a href="/rel">r</a> <a href="https://a.example/x">x</a></p>', {
      base: 'not a url',
    });
    assert.equal(unparsable.html, '<p>r <a href="https://a.example/x" rel="noopener nofollow">x</a></p>');
    const agency = cleanArticleHtml('<p><a href="/story/2">s</a></p>', {
      base: 'https://agency.example/feed/',
    });
    assert.equal(
      agency.html,
      '<p><a href="https://agency.example/story/2" rel="noopener nofollow">s</a></p>',
    );
  });

  it('collapses blank lines and trims spaces, tabs and carriage returns around lines', () => {
    assert.equal(clean('  <p>a</p>  \n\t\t\n\r\n\t<p>b</p>\t\r'), '<p>a</p>\n<p>b</p>');
    assert.equal(
      clean('<p>a</p>\n<pre>  kept\n\t as is  </pre>\n  <p>b</p>'),
      '<p>a</p><pre>  kept\n\t as is  </pre><p>b</p>',
    );
  });

  it('turns block ends into line breaks in text, and decodes quotes', () => {
    assert.equal(htmlToText('a<br />b<br>c<br/>d'), 'a\nb\nc\nd');
    assert.equal(
      htmlToText('<h2>Title</h2><h6>Small</h6><p>say &quot;hi&quot;</p>'),
      'Title\nSmall\nsay "hi"\n',
    );
  });

  it('marks sanitised HTML for printing as it is', () => {
    assert.deepEqual(trustedBodyHtml('<p>a</p>'), { __html: '<p>a</p>' });
  });
});
