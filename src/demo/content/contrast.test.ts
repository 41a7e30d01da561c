// Brand colours of the demo sites must stay readable: white text on the primary colour, accent text on white.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contrastRatio, parseHex, WCAG_AA_NORMAL_TEXT } from './contrast.ts';
import { buildDemoNetwork } from './index.ts';

describe('contrastRatio', () => {
  it('matches the WCAG reference points', () => {
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#fff', '#ffffff'), 1);
    // #767676 is the classic lightest grey that still passes AA on white.
    assert.ok(contrastRatio('#767676', '#ffffff') >= 4.5);
    assert.ok(contrastRatio('#777777', '#ffffff') < 4.5);
  });

  it('rejects things that are not hex colours', () => {
    assert.throws(() => parseHex('navy'));
    assert.throws(() => parseHex('#12345'));
  });
});

describe('demo site colours', () => {
  for (const site of buildDemoNetwork({ articlesPerSite: 0 })) {
    it(`${site.slug}: primary and accent reach AA against white`, () => {
      assert.ok(contrastRatio(site.primaryColor, '#ffffff') >= WCAG_AA_NORMAL_TEXT, site.primaryColor);
      assert.ok(contrastRatio(site.accentColor, '#ffffff') >= WCAG_AA_NORMAL_TEXT, site.accentColor);
    });
  }
});
