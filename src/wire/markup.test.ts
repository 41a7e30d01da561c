// Markup in agency copy, through the whole ingest path: styles and comments are removed, the story is kept
// and editors are told what was removed; active content (scripts, event handlers) gets the item refused,
// with a rejection that names what was found and no warning that anything "was kept".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeEachDialect } from '../../test/dialects.ts';
import type { Agency } from './model.ts';
import { agencySetup, type Harness, ingestJson, ninjs, wireHarness } from './testing.ts';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

async function bodyOf(h: Harness, agency: Agency, uri: string): Promise<string> {
  const story = await h.wire.story(agency.id, uri);
  assert.ok(story, `${uri} was stored`);
  const [link] = await h.wire.storyArticles(story.id);
  assert.ok(link, `${uri} has an article`);
  return (await h.articles.get(link.articleId))!.article.bodyHtml;
}

const STYLED_BODY =
  '<style>.lead { font-weight: bold }</style><!-- exported by DeskCMS 4 -->' +
  '<p class="lead">The port reopened on Saturday.</p><!-- end of story -->';

describeEachDialect('Wire ingest: markup in agency copy', (ctx) => {
  test('a ninjs story with a style element and comments is published without them, and the removal is listed', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const uri = 'urn:newsml:wire.example.net:markup:styled';
    const summary = await ingestJson(
      h,
      agency,
      ninjs(uri, { bodies: [{ role: 'main', contenttype: 'text/html', value: STYLED_BODY }] }),
    );
    assert.deepEqual(
      summary.outcomes.map((o) => [o.item, o.kind]),
      [[uri, 'created']],
    );
    assert.equal(await bodyOf(h, agency, uri), '<p>The port reopened on Saturday.</p>');

    // Told to editors in the summary and stored with the story's wire problems.
    const warning = summary.warnings.find((w) => w.item === uri);
    assert.equal(warning?.code, 'DATELINE_ERR_WIRE_MARKUP_REMOVED');
    const stored = await h.wire.problems({ item: uri });
    assert.deepEqual(
      stored.map((p) => [p.code, p.severity, p.field]),
      [['DATELINE_ERR_WIRE_MARKUP_REMOVED', 'warning', 'bodies[0].value']],
    );
    assert.match(stored[0]!.message, /a ‹style› element/);
    assert.match(stored[0]!.message, /2 HTML comments/);
  });

  test('Atom and NewsML-G2 stories with styles and comments are published without them, the removal listed', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const summary = await h.wire.ingester.ingestDocuments(agency, [
      { source: 'markup-atom.xml', content: fixture('markup-atom.xml'), allowFiles: false },
      { source: 'markup-newsml.xml', content: fixture('markup-newsml.xml'), allowFiles: false },
    ]);
    const atom = 'tag:atom-wire.example.com,2025:styled';
    const newsml = 'urn:newsml:wire.example.net:20251011:STYLED';
    assert.equal(summary.outcomes.find((o) => o.item === atom)?.kind, 'created');
    assert.equal(summary.outcomes.find((o) => o.item === newsml)?.kind, 'created');
    assert.equal(await bodyOf(h, agency, atom), '<p>The port reopened on Saturday.</p>');
    assert.equal(await bodyOf(h, agency, newsml), '<p>The harvest beat forecasts, the ministry said.</p>');
    for (const [item, comments] of [
      [atom, '2 HTML comments'],
      [newsml, 'an HTML comment'],
    ] as const) {
      const [problem, ...more] = (await h.wire.problems({ item })).filter((p) => p.agencyId === agency.id);
      assert.deepEqual(more, [], item);
      assert.equal(problem?.code, 'DATELINE_ERR_WIRE_MARKUP_REMOVED', item);
      assert.match(problem.message, /a ‹style› element/, item);
      assert.ok(problem.message.includes(comments), `${item}: ${problem.message}`);
    }
  });

  test('a story with a script or an event handler is refused, naming what was found', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const scripted = 'urn:newsml:wire.example.net:markup:script';
    const handler = 'urn:newsml:wire.example.net:markup:onclick';
    const summary = await ingestJson(
      h,
      agency,
      ninjs(scripted, {
        bodies: [{ role: 'main', contenttype: 'text/html', value: '<p>Text</p><script>alert(1)</script>' }],
      }),
      ninjs(handler, {
        bodies: [
          {
            role: 'main',
            contenttype: 'text/html',
            value: '<p onclick="steal()">Text</p><style>p{}</style>',
          },
        ],
      }),
    );
    const outcome = (uri: string) => summary.outcomes.find((o) => o.item === uri);
    assert.equal(outcome(scripted)?.kind, 'rejected');
    assert.equal(outcome(scripted)?.code, 'DATELINE_ERR_WIRE_UNSAFE_MARKUP');
    assert.match(outcome(scripted)?.reason ?? '', /contains a ‹script› element in "bodies\[0\]\.value"/);
    assert.equal(outcome(handler)?.kind, 'rejected');
    assert.match(outcome(handler)?.reason ?? '', /an onclick attribute/);
    // The style element is not what the item was refused for.
    assert.doesNotMatch(outcome(handler)?.reason ?? '', /style/);
    assert.equal(await h.wire.story(agency.id, scripted), null);
    assert.deepEqual(
      (await h.wire.problems({ item: scripted })).map((p) => [p.code, p.severity]),
      [['DATELINE_ERR_WIRE_UNSAFE_MARKUP', 'error']],
    );
  });

  test('an Atom entry refused for a script carries no warning that its cleaned text was kept', async () => {
    const h = await wireHarness(ctx.db);
    const { agency } = await agencySetup(h);
    const uri = 'tag:atom-wire.example.com,2025:scripted';
    const summary = await h.wire.ingester.ingestDocuments(agency, [
      { source: 'markup-atom.xml', content: fixture('markup-atom.xml'), allowFiles: false },
    ]);
    const rejected = summary.outcomes.find((o) => o.item === uri);
    assert.equal(rejected?.kind, 'rejected');
    assert.match(rejected?.reason ?? '', /a ‹script› element in "content"/);
    assert.deepEqual(
      summary.warnings.filter((w) => w.item === uri),
      [],
    );
    // The suite's database is shared: only this agency's problems are this test's.
    const stored = (await h.wire.problems({ item: uri })).filter((p) => p.agencyId === agency.id);
    assert.deepEqual(
      stored.map((p) => [p.code, p.severity]),
      [['DATELINE_ERR_WIRE_UNSAFE_MARKUP', 'error']],
    );
    for (const p of stored) assert.doesNotMatch(p.message, /kept/);
  });
});
