// The editor bundle builds from the sources, is one ES module that mounts on the story form, and stays
// within the editor screen's JavaScript budget of 150 KB gzipped (the speed table).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildEditorBundle } from './bundle.ts';

const BUDGET_GZIPPED = 150 * 1024;

describe('editor bundle', () => {
  it('builds one minified module within the 150 KB gzipped budget, with its stylesheet', async () => {
    const { js, css } = await buildEditorBundle();
    const gzipped = gzipSync(js, { level: 9 }).length;
    assert.ok(
      gzipped <= BUDGET_GZIPPED,
      `editor JavaScript is ${gzipped} bytes gzipped, over ${BUDGET_GZIPPED}`,
    );
    // The entry looks up the story form by its contract id, and ProseMirror is bundled, not imported.
    assert.match(js, /story-form/);
    assert.match(js, /body_html/);
    assert.doesNotMatch(js, /\bfrom\s*["']prosemirror-/);
    assert.doesNotMatch(js, /\n\s+\n/, 'minified');
    assert.match(css, /\.editor-toolbar\{/);
    assert.match(css, /\.ProseMirror\{[^}]*white-space:pre-wrap/);
  });
});
