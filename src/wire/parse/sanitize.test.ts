// Tests for the single HTML/text cleaning policy used for all wire content.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cleanWireHtml,
  cleanWirePlainText,
  plainTextToHtml,
  sanitizeWireHtml,
  wirePlainText,
} from './sanitize.ts';

describe('sanitizeWireHtml', () => {
  it('keeps the allowed story markup', () => {
    const html =
      '<h2>A</h2><h3>B</h3><h4>C</h4><h5>D</h5><h6>E</h6><p>x <em>e</em> <strong>s</strong> <b>b</b> <i>i</i><br></p>' +
      '<ul><li>1</li></ul><ol><li>2</li></ol><blockquote>q</blockquote>' +
      '<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>' +
      '<figure><img src="https://img.example/a.jpg" alt="A" width="10" height="20"><figcaption>f</figcaption></figure>';
    const out = sanitizeWireHtml(html);
    for (const tag of [
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'p',
      'em',
      'strong',
      'b',
      'i',
      'ul',
      'ol',
      'li',
      'blockquote',
    ]) {
      assert.ok(out.includes(`<${tag}>`), `keeps <${tag}>`);
    }
    for (const tag of ['table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'figure', 'figcaption']) {
      assert.ok(out.includes(`<${tag}>`), `keeps <${tag}>`);
    }
    assert.ok(out.includes('<br />'));
    assert.ok(out.includes('<img width="10" height="20" src="https://img.example/a.jpg" alt="A" />'));
  });

  it('turns h1 into h2', () => {
    assert.equal(sanitizeWireHtml('<h1>Top</h1>'), '<h2>Top</h2>');
  });

  it('removes script, style, iframe, form, object and their content, keeping surrounding text', () => {
    const out = sanitizeWireHtml(
      '<p>a<script>alert(1)</script>b<style>p{}</style>c<iframe src="https://x.example">in</iframe>d</p>' +
        '<form action="https://x.example"><input name="p"><button>go</button></form><object data="x">o</object>',
    );
    assert.equal(out, '<p>abcd</p>go');
  });

  it('drops on* and style attributes and any attribute not on the allowlist', () => {
    const out = sanitizeWireHtml(
      '<p onclick="x()" style="color:red" class="c" id="i">t</p><img src="https://i.example/a.jpg" onerror="x()" style="a" title="t">',
    );
    assert.equal(out, '<p>t</p><img src="https://i.example/a.jpg" />');
  });

  it('allows only http, https and mailto links and sets rel on every link', () => {
    const out = sanitizeWireHtml(
      '<a href="https://a.example/" rel="opener" target="_blank">1</a><a href="http://b.example/">2</a>' +
        '<a href="mailto:desk@example.net">3</a><a href="javascript:alert(1)">4</a><a href="java\tscript:x">5</a>' +
        '<a href="data:text/html,x">6</a><a href="ftp://f.example/">7</a><a href=" JAVASCRIPT:x">8</a>',
    );
    assert.equal(
      out,
      '<a href="https://a.example/" rel="noopener nofollow">1</a><a href="http://b.example/" rel="noopener nofollow">2</a>' +
        '<a href="mailto:desk@example.net" rel="noopener nofollow">3</a>45678',
    );
  });

  it('resolves relative links and images against the base URL', () => {
    const out = sanitizeWireHtml(
      '<a href="../b/page?x=1&amp;y=2">l</a><img src="img/p.jpg" alt="">',
      'https://wire.example/a/feed.xml',
    );
    assert.equal(
      out,
      '<a href="https://wire.example/b/page?x=1&amp;y=2" rel="noopener nofollow">l</a><img src="https://wire.example/a/img/p.jpg" alt="" />',
    );
  });

  it('drops relative links and images that cannot become http(s) (no base, or a file base)', () => {
    assert.equal(sanitizeWireHtml('<a href="page">l</a><img src="p.jpg">'), 'l');
    assert.equal(sanitizeWireHtml('<a href="page">l</a><img src="p.jpg">', 'file:///feeds/a.json'), 'l');
    assert.equal(sanitizeWireHtml('<img src="javascript:alert(1)"><img src="data:image/png;base64,AA">'), '');
  });

  it('keeps only numeric width, height, colspan and rowspan', () => {
    const out = sanitizeWireHtml(
      '<img src="https://i.example/a.jpg" width="100%" height="50"><table><tr><td colspan="2" rowspan="x" onclick="y">c</td></tr></table>',
    );
    assert.equal(
      out,
      '<img height="50" src="https://i.example/a.jpg" /><table><tr><td colspan="2">c</td></tr></table>',
    );
  });

  it('reports which unsafe constructs it removed', () => {
    const { value, findings } = cleanWireHtml(
      '<p onclick="x">a</p><script>b</script><a href="javascript:c">d</a><iframe></iframe><a href="vb\nscript:e">f</a>',
    );
    assert.equal(value, '<p>a</p>df');
    // In the order found, each named with its article, in look-alike brackets so no report carries markup.
    assert.deepEqual(findings.rejectable, [
      'an onclick attribute',
      'a ‹script› element',
      'a javascript: URL',
      'an ‹iframe› element',
      'a vbscript: URL',
    ]);
    assert.deepEqual(cleanWireHtml('<p>fine <a href="https://x.example/">x</a></p>').findings.removed, []);
  });

  it('collapses layout whitespace between blocks but keeps non-breaking spaces', () => {
    assert.equal(sanitizeWireHtml('\n   <p>a</p>\n   \n   <p>b\u00a0</p>\n  '), '<p>a</p>\n<p>b\u00a0</p>');
  });

  // How long a long run takes is measured by `npm run bench` (bench/guard-timings.ts), not bounded here.
  it('keeps a long run of whitespace inside a paragraph as written', () => {
    const html = `<p>a${' '.repeat(500_000)}b</p>`;
    assert.equal(sanitizeWireHtml(html), html);
  });
});

describe('wirePlainText', () => {
  it('strips tags, decodes entities and trims', () => {
    assert.equal(
      wirePlainText('  <b>Bold</b> &amp; <i>AT&amp;T</i> &eacute;&#233;&#x20AC; \n'),
      'Bold & AT&T éé€',
    );
  });

  it('keeps inner spacing, case and punctuation exactly', () => {
    const caption =
      'Leaders pose  during the summit.   Agency/Pool  Photographer/Pool via EXAMPLE WIRE -- "ATTENTION"';
    assert.equal(wirePlainText(`  ${caption}\n`), caption);
    assert.equal(wirePlainText('Smith & Jones < 5% > 4'), 'Smith & Jones < 5% > 4');
  });

  it('removes control characters but keeps tabs and newlines', () => {
    assert.equal(wirePlainText('a\u0000b\u0007c\u001bd\u007fe\u0085f\tg\nh'), 'abcdef\tg\nh');
  });

  it('keeps carriage returns and the first character past the C1 controls, and removes the controls at both ends of each range', () => {
    assert.equal(wirePlainText('a\r\nb\rc'), 'a\r\nb\rc');
    assert.equal(wirePlainText('a\u0001\u001f\u0020\u0080\u009f\u00a0b'), 'a \u00a0b');
  });

  it('takes off the markup starts the parser leaves as text, whole runs of them, and keeps the rest', () => {
    // "</>" and a trailing "</" are not tags to the parser, so they come through its round unchanged.
    assert.equal(wirePlainText('x </> y'), 'x /> y');
    assert.equal(wirePlainText('Desk<</'), 'Desk/');
    assert.equal(wirePlainText('Desk &<</'), 'Desk /');
  });

  it('decodes markup encoded up to five times, and past that takes off its markup starts instead', () => {
    const encode = (text: string, times: number) => {
      let out = text;
      for (let i = 0; i < times; i++)
        out = out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return out;
    };
    assert.equal(wirePlainText(encode('A <b>x</b> B', 5)), 'A x B');
    // Six rounds decode it back to "<b>x</b>", which is still changing: no seventh round strips it.
    assert.equal(wirePlainText(encode('A <b>x</b> B', 6)), 'A b>x/b> B');
  });

  it('drops script and style content entirely', () => {
    assert.equal(wirePlainText("<script>alert('x')</script>Example Wire<style>b{}</style>"), 'Example Wire');
  });

  it('strips markup that decodes out of entities, so no result ever contains a tag', () => {
    assert.equal(wirePlainText('a &lt;script&gt;alert(1)&lt;/script&gt; b'), 'a  b');
    assert.equal(wirePlainText('a &lt;b&gt;bold&lt;/b&gt; b'), 'a bold b');
    // Double-encoded markup is decoded and stripped too: leaving it as entity text would make a second
    // pass (a re-read of stored text) strip it then, so the result would not be a fixed point.
    assert.equal(wirePlainText('a &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; b'), 'a  b');
    for (const input of [
      'x &amp;amp;lt;img src=x onerror=alert(1)&amp;amp;gt; y',
      '<<script>script>alert(1)<</script>/script>',
      '<scr<script>ipt>alert(1)</script>',
      '&lt;&lt;script&gt;script&gt;alert(1)',
    ]) {
      const text = wirePlainText(input);
      assert.ok(!/<[a-z!/?]/i.test(text), `${input} -> ${text}`);
    }
  });

  it('separates block elements with newlines instead of gluing words together', () => {
    assert.equal(wirePlainText('<p>One</p><p>Two</p>Three<br>Four'), 'One\nTwo\nThree\nFour');
  });

  it('reports unsafe markup in text fields', () => {
    assert.deepEqual(cleanWirePlainText('<img src=x onerror=alert(1)>T').findings.rejectable, [
      'an onerror attribute',
    ]);
    assert.deepEqual(cleanWirePlainText('Plain & simple').findings.removed, []);
  });
});

describe('plainTextToHtml', () => {
  it('makes paragraphs from blank lines and line breaks from single newlines, escaping markup', () => {
    assert.equal(
      plainTextToHtml('One\r\nline two <b>&\n\n  \nPara "2"'),
      '<p>One<br />line two &lt;b&gt;&amp;</p><p>Para &quot;2&quot;</p>',
    );
    assert.equal(plainTextToHtml('   '), '');
  });

  it('reads a line of only spaces and tabs as blank, and a bare newline as a line break', () => {
    assert.equal(plainTextToHtml('a\n \t \nb'), '<p>a</p><p>b</p>');
    assert.equal(plainTextToHtml('One\nTwo\nThree'), '<p>One<br />Two<br />Three</p>');
  });
});
