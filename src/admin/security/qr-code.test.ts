// The enrolment QR code: the SVG path covers exactly the dark modules qrcode-generator computed, shifted by
// the four-module quiet zone, and the size leaves that zone on every side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import qrcode from 'qrcode-generator';
import { qrDrawing } from './qr-code.ts';

test('the path draws exactly the dark modules, inside a four-module quiet zone', () => {
  const text =
    'otpauth://totp/Dateline%20newsroom:ed%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Dateline%20newsroom';
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const drawing = qrDrawing(text);
  assert.equal(drawing.size, n + 8);

  const drawn = new Set<string>();
  for (const m of drawing.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, w, back] = m.slice(1).map(Number) as [number, number, number, number];
    assert.equal(w, back, 'each run closes on itself');
    for (let i = 0; i < w; i++) drawn.add(`${y - 4},${x - 4 + i}`);
  }
  assert.equal(drawing.path.replace(/M\d+ \d+h\d+v1h-\d+z/g, ''), '', 'nothing but runs');
  const dark = new Set<string>();
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) dark.add(`${r},${c}`);
  assert.deepEqual([...drawn].sort(), [...dark].sort());
});
