// The otpauth:// URL drawn as a QR code, for a phone's authenticator app to scan off the enrolment screen.
// qrcode-generator computes the modules; the SVG is written here as one path of unit squares, with no style
// attribute or script, so it sits in a page under the admin's strict CSP and scales crisply at any size.
import qrcode from 'qrcode-generator';

export interface QrDrawing {
  /** Modules per side, plus the four-module quiet zone on each side that scanners need. */
  size: number;
  /** The dark modules as one SVG path in module units. */
  path: string;
}

const QUIET_ZONE = 4;

export function qrDrawing(text: string): QrDrawing {
  // Level M survives a smudged or partly glared screen; the URL's 100-odd characters fit easily.
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  let path = '';
  for (let row = 0; row < n; row++) {
    // Each run of dark modules in a row is one rectangle: a third of the bytes of a square per module.
    for (let col = 0; col < n; ) {
      if (!qr.isDark(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < n && qr.isDark(row, end)) end++;
      path += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h${end - col}v1h-${end - col}z`;
      col = end;
    }
  }
  return { size: n + 2 * QUIET_ZONE, path };
}
