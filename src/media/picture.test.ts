// ResponsivePicture markup, rendered to a string as the views will render it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { h } from 'preact';
import { render } from 'preact-render-to-string';
import { mediaUrl, pictureWidths, ResponsivePicture, type ResponsivePictureProps } from './picture.tsx';

const html = (props: ResponsivePictureProps) => render(h(ResponsivePicture, props));

describe('ResponsivePicture', () => {
  it('offers WebP and JPEG at every width up to the original, lazily by default', () => {
    const out = html({
      media: { id: 7, width: 2400, height: 1600, alt: 'Ships in the "old" harbour' },
      sizes: '(min-width: 60rem) 40rem, 100vw',
      className: 'lead',
    });
    const sizes = 'sizes="(min-width: 60rem) 40rem, 100vw"';
    assert.equal(
      out,
      '<picture class="lead">' +
        '<source type="image/webp" srcset="/media/7/480.webp 480w, /media/7/800.webp 800w, ' +
        `/media/7/1200.webp 1200w, /media/7/1600.webp 1600w" ${sizes}/>` +
        '<img src="/media/7/800.jpg" srcset="/media/7/480.jpg 480w, /media/7/800.jpg 800w, ' +
        `/media/7/1200.jpg 1200w, /media/7/1600.jpg 1600w" ${sizes} width="2400" height="1600" ` +
        'alt="Ships in the &quot;old&quot; harbour" loading="lazy" decoding="async"/>' +
        '</picture>',
    );
  });

  it('loads the lead photo eagerly and at high priority', () => {
    const out = html({ media: { id: 7, width: 1000, height: 500, alt: '' }, eager: true });
    assert.match(out, /loading="eager"/);
    assert.match(out, /fetchpriority="high"/);
    assert.doesNotMatch(out, /loading="lazy"/);
    // Preact writes an empty alt as a bare `alt`, which HTML reads as alt="": a decorative image.
    assert.match(out, / alt[ />]/);
    assert.match(out, /sizes="100vw"/);
  });

  it('lists only widths the original has, and a small original at its own width', () => {
    const mid = html({ media: { id: 3, width: 1000, height: 750, alt: 'x' } });
    assert.match(mid, /srcset="\/media\/3\/480\.webp 480w, \/media\/3\/800\.webp 800w"/);
    assert.match(mid, /width="1000" height="750"/);

    const small = html({ media: { id: 4, width: 300, height: 200, alt: 'x' } });
    assert.match(small, /<source type="image\/webp" srcset="\/media\/4\/300\.webp 300w"/);
    assert.match(small, /srcset="\/media\/4\/300\.jpg 300w"/);
    assert.deepEqual(pictureWidths(480), [480]);
    assert.deepEqual(pictureWidths(479), [479]);
    assert.deepEqual(pictureWidths(5000), [480, 800, 1200, 1600]);
  });

  it('builds the same URLs as the routes serve', () => {
    assert.equal(mediaUrl(12, 800, 'webp'), '/media/12/800.webp');
    assert.equal(mediaUrl(12, 1600, 'jpeg'), '/media/12/1600.jpg');
  });
});

describe('ResponsivePicture cropped', () => {
  it('asks for the crop at the current focal version and lays it out at the crop’s shape', () => {
    const out = html({
      media: { id: 9, width: 1000, height: 800, alt: 'Quay', focalVersion: 4 },
      crop: '16x9',
    });
    // 1000x800 cut to 16x9 is 1000x563: the widths offered stop at the crop's width.
    assert.match(out, /srcset="\/media\/9\/16x9-v4\/480\.webp 480w, \/media\/9\/16x9-v4\/800\.webp 800w"/);
    assert.match(out, /<img src="\/media\/9\/16x9-v4\/800\.jpg"/);
    assert.match(out, / width="1000" height="563"/);
  });

  it('uses version 0 for records that carry none', () => {
    const out = html({ media: { id: 3, width: 2000, height: 1000, alt: '' }, crop: '1x1' });
    assert.match(out, /srcset="\/media\/3\/1x1-v0\/480\.webp 480w, \/media\/3\/1x1-v0\/800\.webp 800w"/);
    assert.match(out, / width="1000" height="1000"/);
  });
});
