// Site themes keep AA in both schemes: every demo site's colours and colours an editor might pick (very
// dark, very light, grey, pure hues) give brand and accent text of at least 4.5:1 on the light page and on
// the dark page and its raised surface, with AA colours kept exactly as chosen for the light scheme.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildDemoNetwork } from '../demo/content/index.ts';
import { sourceFile } from './stylesheet.ts';
import { contrast, DARK_PAGE, DARK_SURFACE, themeColours, themeCss } from './theme.ts';

const demo = buildDemoNetwork({ articlesPerSite: 1 }).map((s) => [s.primaryColor, s.accentColor] as const);
const picked = [
  '#000000',
  '#ffffff',
  '#777777',
  '#ff0000',
  '#00ff00',
  '#0000ff',
  '#ffee00',
  '#123',
  '#1a1a2e',
];

describe('site theme colours', () => {
  it('reach AA on the light page and on both dark surfaces, for demo themes and any picked colour', () => {
    for (const [primary, accent] of [...demo, ...picked.map((c) => [c, c] as const)]) {
      const t = themeColours(primary, accent);
      for (const c of [t.light.brand, t.light.accent])
        assert.ok(contrast(c, '#ffffff') >= 4.5, `${c} (from ${primary}/${accent}) on white`);
      for (const c of [t.dark.brand, t.dark.accent])
        for (const bg of [DARK_PAGE, DARK_SURFACE])
          assert.ok(contrast(c, bg) >= 4.5, `${c} (from ${primary}/${accent}) on ${bg}`);
    }
  });

  it('keeps the demo sites’ light colours as chosen and lightens them for the dark page', () => {
    assert.equal(demo.length, 3);
    for (const [primary, accent] of demo) {
      const t = themeColours(primary, accent);
      assert.deepEqual(t.light, { brand: primary, accent });
      assert.notEqual(t.dark.brand, primary);
      assert.notEqual(t.dark.accent, accent);
    }
  });

  it('writes the dark values for screens only, so print stays dark ink on white', () => {
    const css = themeCss('#12355b', '#b3261e');
    assert.match(css, /^:root\{--brand:#12355b;--accent:#b3261e;--on-brand:#fff\}/);
    const dark = themeColours('#12355b', '#b3261e').dark;
    assert.ok(
      css.includes(
        `@media screen and (prefers-color-scheme:dark){:root{--brand:${dark.brand};--accent:${dark.accent};--on-brand:${DARK_PAGE}}}`,
      ),
    );
  });

  it('checks against the dark page and surface the tokens really use', () => {
    const tokens = readFileSync(sourceFile(import.meta.url, './styles/tokens.css'), 'utf8');
    assert.match(tokens, new RegExp(`--page: ${DARK_PAGE};`));
    assert.match(tokens, new RegExp(`--surface: ${DARK_SURFACE};`));
  });
});
