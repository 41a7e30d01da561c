// Rendering checks for the generated pictures: real JPEG/PNG bytes of the declared size, stable output.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { buildDemoNetwork } from './index.ts';
import { leadPicture, leadSvg, PALETTE_NAMES, type Scene } from './pictures.ts';

const SCENES: Scene[] = [
  'ridges',
  'skyline',
  'harbour',
  'orbs',
  'table',
  'pitch',
  'chart',
  'circuit',
  'bloom',
];

describe('demo pictures', () => {
  const [news] = buildDemoNetwork({ articlesPerSite: 12 });
  assert.ok(news);

  it('renders a lead picture to a JPEG of the declared size', async () => {
    const picture = news.articles.find((a) => a.picture)?.picture;
    assert.ok(picture);
    const bytes = await picture.render();
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.width, picture.width);
    assert.equal(meta.height, picture.height);
    assert.ok(bytes.length < 250_000, `${bytes.length} bytes`);
    assert.deepEqual(await picture.render(), bytes, 'rendering is deterministic');
  });

  it('draws every scene, escaping the word', async () => {
    for (const [i, scene] of SCENES.entries()) {
      const art = {
        scene,
        palette: PALETTE_NAMES[i % PALETTE_NAMES.length] ?? 'teal',
        word: 'A&B <C>',
        seed: i,
      };
      assert.match(leadSvg(art), /A&amp;B &lt;C&gt;/);
      const small = leadPicture({
        key: `test/${scene}`,
        caption: 'c',
        credit: 'c',
        art,
        width: 320,
        height: 180,
      });
      const meta = await sharp(await small.render()).metadata();
      assert.equal(meta.format, 'jpeg', scene);
      assert.equal(meta.width, 320);
    }
  });
});
