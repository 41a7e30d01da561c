// Property-based tests: random and mutated JSON/XML documents never make the parser throw, every result
// is well-formed, and no markup that could execute survives in any output string.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { allStrings, hasEventHandlerAttribute, itemTextStrings, readFixture } from '../fixtures/fixtures.ts';
import { parseWireDocument, sanitizeWireHtml, WIRE_PROBLEM, wirePlainText } from './index.ts';
import type { ParseResult } from './types.ts';

// Set FC_SEED (and FC_PATH) from a failure report to replay it; FC_RUNS to soak locally.
const RUNS: fc.Parameters<unknown> = {
  numRuns: Number(process.env.FC_RUNS) || 150,
  includeErrorInReport: true,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
};
const CODES = new Set<string>(Object.values(WIRE_PROBLEM));

// Fragments that tend to break parsers and sanitizers when spliced into documents at random.
const HOSTILE = [
  '<script>alert(1)</script>',
  '<script',
  '</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)">',
  '&lt;script&gt;',
  '&amp;lt;script&amp;gt;',
  '<![CDATA[<script>alert(1)</script>]]>',
  ']]>',
  '<!--',
  '-->',
  '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
  '<!ENTITY',
  '&a;',
  '&#0;',
  '&#x110000;',
  '"',
  "'",
  '<',
  '>',
  '&',
  '\u0000',
  '\uFEFF',
  '\uD800',
  'constructor',
  '__proto__',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  'null',
];

const hostileString = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string(), fc.string({ unit: 'binary', maxLength: 8 })), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

// Text built from entity and tag pieces, so that decoding one layer often leaves another to decode.
const encodedText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '&',
        'amp;',
        'lt;',
        'gt;',
        '&lt;',
        '&gt;',
        '&amp;',
        '<',
        '>',
        '<b>',
        '</p>',
        '<br>',
        '#',
      ),
      fc.constantFrom('script', 'b', 'a', ' ', '\n', 'x', '1', ';', '\u0001', '&#1;', '&#x3c;'),
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

function assertWellFormed(result: ParseResult): void {
  assert.ok(Array.isArray(result.items));
  assert.ok(Array.isArray(result.problems));
  for (const problem of result.problems) {
    assert.ok(CODES.has(problem.code), problem.code);
    assert.ok(problem.severity === 'error' || problem.severity === 'warning');
    assert.equal(typeof problem.message, 'string');
    assert.ok(!problem.message.includes('<'), problem.message);
  }
  for (const item of result.items) {
    assert.equal(typeof item.uri, 'string');
    assert.ok(item.uri.length > 0);
    assert.equal(typeof item.headline, 'string');
    assert.ok(['usable', 'canceled', 'withheld'].includes(item.pubstatus));
    assert.ok(!hasEventHandlerAttribute(item.bodyHtml), item.bodyHtml);
    for (const picture of item.pictures) {
      for (const rendition of picture.renditions) {
        assert.ok(/^(https?|file):/.test(rendition.href), rendition.href);
      }
    }
  }
  for (const text of allStrings(result)) assert.ok(!/<script/i.test(text), text);
  for (const text of itemTextStrings(result)) assert.ok(!/<[a-z!/?]/i.test(text), text);
}

function parse(input: string | Buffer, source = 'https://wire.example/feed'): ParseResult {
  const result = parseWireDocument(input, { source });
  assertWellFormed(result);
  return result;
}

/** Splice, cut or truncate a document at random places. */
function mutated(document: string) {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: hostileString }),
    fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => {
    let text = document;
    for (const change of edits) {
      const at = change.at % (text.length + 1);
      if (change.kind === 'insert') text = text.slice(0, at) + change.text + text.slice(at);
      else if (change.kind === 'delete') text = text.slice(0, at) + text.slice(at + change.length);
      else text = text.slice(0, at);
    }
    return text;
  });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Replace or delete the value at a random path of a JSON document. */
function mutatedJson(document: Json) {
  const replacement = fc.oneof(fc.jsonValue() as fc.Arbitrary<Json>, hostileString, fc.constant(undefined));
  return fc
    .array(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), replacement), { maxLength: 6 })
    .map((changes) => {
      const copy = structuredClone(document);
      for (const [path, value] of changes) {
        let node: Json = copy;
        for (let depth = 0; depth < path.length; depth++) {
          if (node === null || typeof node !== 'object') break;
          const keys: (string | number)[] = Array.isArray(node)
            ? node.map((_, index) => index)
            : Object.keys(node);
          if (keys.length === 0) break;
          const key = keys[path[depth]! % keys.length]!;
          const container = node as Record<string | number, Json>;
          if (depth === path.length - 1 || container[key] === null || typeof container[key] !== 'object') {
            if (value === undefined) delete container[key];
            else container[key] = value;
            break;
          }
          node = container[key]!;
        }
      }
      return copy;
    });
}

const unhandled: unknown[] = [];
const onRejection = (reason: unknown) => unhandled.push(reason);

describe('parseWireDocument properties', () => {
  before(() => process.on('unhandledRejection', onRejection));
  after(() => {
    process.off('unhandledRejection', onRejection);
    assert.deepEqual(unhandled, []);
  });

  it('never throws on arbitrary text or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary' })), (text) => {
        parse(text);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        parse(Buffer.from(bytes), '/tmp/feeds/x.bin');
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        parse(JSON.stringify(value) ?? 'null');
      }),
      RUNS,
    );
  });

  it('never throws on ninjs items with random field values', () => {
    const field = fc.oneof(fc.jsonValue(), hostileString);
    const item = fc.record(
      {
        uri: fc.oneof(fc.string(), field),
        headlines: fc.oneof(fc.array(fc.record({ role: field, value: field }, { requiredKeys: [] })), field),
        headline: field,
        bodies: fc.oneof(
          fc.array(fc.record({ contenttype: field, value: field }, { requiredKeys: [] })),
          field,
        ),
        body_html: field,
        version: field,
        versioncreated: field,
        embargoed: field,
        pubstatus: fc.oneof(fc.constantFrom('usable', 'canceled', 'withheld', 'cancelled'), field),
        urgency: field,
        subjects: field,
        keywords: field,
        associations: fc.oneof(
          fc.array(
            fc.record(
              {
                type: fc.constantFrom('picture', 'graphic', 'text'),
                uri: field,
                renditions: field,
                descriptions: field,
              },
              { requiredKeys: [] },
            ),
          ),
          fc.dictionary(fc.string(), field),
          field,
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(item, fc.array(item, { maxLength: 4 })), (doc) => {
        parse(JSON.stringify(doc));
      }),
      RUNS,
    );
  });

  for (const name of ['ninjs2-story-v1.json', 'ninjs1-story.json', 'ninjs3-story.json']) {
    it(`never throws on mutations of ${name}`, () => {
      const original = JSON.parse(readFixture(name).toString('utf8')) as Json;
      fc.assert(
        fc.property(mutatedJson(original), (doc) => {
          parse(JSON.stringify(doc));
        }),
        RUNS,
      );
      const text = readFixture(name).toString('utf8');
      fc.assert(
        fc.property(mutated(text), (doc) => {
          parse(doc);
        }),
        RUNS,
      );
    });
  }

  for (const name of [
    'newsmlg2-story.xml',
    'newsmlg2-package.xml',
    'wire-rss.xml',
    'rss-media.xml',
    'atom-feed.xml',
  ]) {
    it(`never throws on mutations of ${name}`, () => {
      const text = readFixture(name).toString('utf8');
      fc.assert(
        fc.property(mutated(text), (doc) => {
          parse(doc, '/srv/wire/incoming/feed.xml');
        }),
        RUNS,
      );
    });
  }

  it('never throws on XML whose text fields are random hostile strings', () => {
    const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    fc.assert(
      fc.property(hostileString, hostileString, fc.boolean(), (headline, body, cdata) => {
        const wrap = (text: string) => (cdata ? `<![CDATA[${text.replace(/]]>/g, '')}]]>` : escapeXml(text));
        parse(
          `<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><guid>g</guid><title>${wrap(headline)}</title><content:encoded>${wrap(body)}</content:encoded></item></channel></rss>`,
        );
        parse(
          `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><contentMeta><headline>${wrap(headline)}</headline></contentMeta><contentSet><inlineData contenttype="text/html">${wrap(body)}</inlineData></contentSet></newsItem>`,
        );
      }),
      RUNS,
    );
  });
});

describe('sanitizer properties', () => {
  it('sanitizeWireHtml never emits script, event handlers or script URLs', () => {
    fc.assert(
      fc.property(hostileString, (html) => {
        const out = sanitizeWireHtml(html, 'https://wire.example/');
        assert.ok(!/<script/i.test(out), out);
        assert.ok(!hasEventHandlerAttribute(out), out);
        assert.ok(!/(?:href|src)="(?:javascript|vbscript|data):/i.test(out), out);
      }),
      RUNS,
    );
  });

  it('wirePlainText never emits a tag and is idempotent on its own output', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, encodedText), (text) => {
        const out = wirePlainText(text);
        assert.ok(!/<[a-z!/?]/i.test(out), out);
        assert.equal(out, out.trim());
        // Cleaning stored text again (a re-read, an edit round-trip) must not change it.
        assert.equal(wirePlainText(out), out, `${JSON.stringify(text)} -> ${JSON.stringify(out)}`);
      }),
      RUNS,
    );
  });

  it('wirePlainText is idempotent on markup encoded any number of times', () => {
    // The case a random search finds only rarely: text that is still markup after the first decode.
    for (const input of [
      'a &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; b',
      'x &amp;amp;amp;amp;amp;amp;lt;b&amp;amp;amp;amp;amp;amp;gt;y',
      '&a<mp;lt;b&gt;',
      'AT&T <a',
    ]) {
      const out = wirePlainText(input);
      assert.equal(wirePlainText(out), out, `${input} -> ${out}`);
      assert.ok(!/<[a-z!/?]/i.test(out), out);
    }
  });
});
