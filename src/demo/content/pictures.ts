// Generated demo pictures: lead images are drawn as SVG (gradients and simple shapes) and encoded to JPEG
// with sharp. (The sites' nameplates are type, not pictures: see web/views/layout.css.) Nothing is downloaded and no particular font is required:
// text is decoration, so a machine without fonts still gets a complete picture, just without the word.

import sharp from 'sharp';
import { Rng } from './prng.ts';
import type { DemoPicture } from './types.ts';

export const LEAD_WIDTH = 1600;
export const LEAD_HEIGHT = 900;
// Plain libjpeg at q70: mozjpeg saves ~20% bytes but doubles encode time, and 180 pictures are rendered at
// first start.
const JPEG_QUALITY = 70;

export type Scene =
  | 'ridges'
  | 'skyline'
  | 'harbour'
  | 'orbs'
  | 'table'
  | 'pitch'
  | 'chart'
  | 'circuit'
  | 'bloom';

interface Palette {
  /** Words used in alt text, e.g. 'teal and amber'. */
  words: string;
  skyTop: string;
  skyBottom: string;
  /** Light to dark. */
  layers: readonly [string, string, string];
  accent: string;
  ink: string;
}

// Hand-picked so that every scene looks calm in every palette.
const PALETTES = {
  dawn: {
    words: 'warm dawn',
    skyTop: '#f6d365',
    skyBottom: '#fda085',
    layers: ['#8e6c9e', '#5f4b8b', '#2d1f47'],
    accent: '#fff3c4',
    ink: '#1d1230',
  },
  teal: {
    words: 'teal and amber',
    skyTop: '#e0f7f4',
    skyBottom: '#7fcdbb',
    layers: ['#3a9188', '#1d5c63', '#123c45'],
    accent: '#f7b267',
    ink: '#0b2429',
  },
  ocean: {
    words: 'ocean blue',
    skyTop: '#a1c4fd',
    skyBottom: '#c2e9fb',
    layers: ['#3a7bd5', '#2a5298', '#1e3c72'],
    accent: '#ffd166',
    ink: '#0d1b33',
  },
  forest: {
    words: 'forest green',
    skyTop: '#e8f5c8',
    skyBottom: '#96e6a1',
    layers: ['#4f772d', '#31572c', '#132a13'],
    accent: '#f4a259',
    ink: '#0c1a0c',
  },
  rose: {
    words: 'rose and coral',
    skyTop: '#ffecd2',
    skyBottom: '#fcb69f',
    layers: ['#e56b6f', '#b56576', '#6d597a'],
    accent: '#355070',
    ink: '#2a1f33',
  },
  slate: {
    words: 'slate grey',
    skyTop: '#eef2f6',
    skyBottom: '#9fb3c8',
    layers: ['#52667a', '#3b4c5e', '#243342'],
    accent: '#e4572e',
    ink: '#141d26',
  },
  sand: {
    words: 'sand and rust',
    skyTop: '#fdf0c9',
    skyBottom: '#f6c36b',
    layers: ['#c8553d', '#8c2f39', '#461220'],
    accent: '#fff8e7',
    ink: '#2a0b12',
  },
  night: {
    words: 'midnight blue',
    skyTop: '#0f2027',
    skyBottom: '#2c5364',
    layers: ['#24505f', '#16323d', '#0b1418'],
    accent: '#f9d56e',
    ink: '#05090b',
  },
  plum: {
    words: 'plum and gold',
    skyTop: '#f6e7f0',
    skyBottom: '#d8a7c8',
    layers: ['#9b5f8f', '#6b2d5c', '#3d1434'],
    accent: '#f2c14e',
    ink: '#22091c',
  },
} as const satisfies Record<string, Palette>;

export type PaletteName = keyof typeof PALETTES;
export const PALETTE_NAMES = Object.keys(PALETTES) as PaletteName[];

/** Everything needed to draw a lead picture; small enough to keep on every article without cost. */
export interface LeadArt {
  scene: Scene;
  palette: PaletteName;
  /** Large word drawn across the picture, e.g. a place name; null for none. */
  word: string | null;
  seed: number;
}

const SCENE_WORDS: Record<Scene, (palette: string) => string> = {
  ridges: (p) => `layered mountain ridges under a low sun, in ${p} tones`,
  skyline: (p) => `a city skyline with lit windows against a ${p} sky`,
  harbour: (p) => `a small sailing boat on rolling waves, in ${p} tones`,
  orbs: (p) => `overlapping translucent circles in ${p} tones`,
  table: (p) => `a table seen from above with plates and bowls, in ${p} tones`,
  pitch: () => 'a striped sports pitch with a ball near the centre circle',
  chart: (p) => `a bar chart with a rising line on a ${p} background`,
  circuit: (p) => `circuit-board traces and glowing nodes in ${p} tones`,
  bloom: (p) => `stylised flowers and leaves in ${p} tones`,
};

/** Alt text for a generated picture: what it shows, not what the story is about. */
export function describeArt(art: LeadArt): string {
  const shows = SCENE_WORDS[art.scene](PALETTES[art.palette].words);
  return art.word ? `Illustration of ${shows}, with the word "${art.word}"` : `Illustration of ${shows}`;
}

const SANS = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r1 = (n: number): string => n.toFixed(1);

/** A wobbly horizon from the left edge to the right edge, closed along the bottom. */
function ridgePath(w: number, h: number, baseY: number, roughness: number, rng: Rng): string {
  const steps = 10;
  let y = baseY;
  let d = `M0 ${h} L0 ${r1(y)}`;
  for (let i = 1; i <= steps; i++) {
    const x = (w * i) / steps;
    const nextY = baseY + rng.float(-roughness, roughness);
    d += ` Q${r1(x - w / steps / 2)} ${r1(Math.min(y, nextY) - rng.float(0, roughness))} ${r1(x)} ${r1(nextY)}`;
    y = nextY;
  }
  return `${d} L${w} ${h} Z`;
}

// Shapes use fill-opacity/stroke-opacity, never opacity: librsvg renders every element with `opacity` through
// an offscreen layer, which made the flower and circuit scenes several times slower.

function sky(p: Palette): string {
  return `<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.skyTop}"/><stop offset="1" stop-color="${p.skyBottom}"/></linearGradient>`;
}

function drawRidges(w: number, h: number, p: Palette, rng: Rng): string {
  const sunX = rng.float(w * 0.2, w * 0.8);
  const sunR = rng.float(h * 0.08, h * 0.13);
  let out = `<defs>${sky(p)}</defs><rect width="${w}" height="${h}" fill="url(#sky)"/>`;
  out += `<circle cx="${r1(sunX)}" cy="${r1(h * rng.float(0.25, 0.4))}" r="${r1(sunR * 1.6)}" fill="${p.accent}" fill-opacity="0.25"/>`;
  out += `<circle cx="${r1(sunX)}" cy="${r1(h * rng.float(0.25, 0.4))}" r="${r1(sunR)}" fill="${p.accent}" fill-opacity="0.9"/>`;
  p.layers.forEach((colour, i) => {
    out += `<path d="${ridgePath(w, h, h * (0.45 + i * 0.13), h * (0.09 - i * 0.02), rng)}" fill="${colour}"/>`;
  });
  return out;
}

function drawSkyline(w: number, h: number, p: Palette, rng: Rng): string {
  let out = `<defs>${sky(p)}<pattern id="win" width="22" height="30" patternUnits="userSpaceOnUse"><rect x="6" y="8" width="9" height="12" fill="${p.accent}" fill-opacity="0.75"/></pattern></defs>`;
  out += `<rect width="${w}" height="${h}" fill="url(#sky)"/>`;
  out += `<circle cx="${r1(rng.float(w * 0.1, w * 0.9))}" cy="${r1(h * 0.22)}" r="${r1(h * 0.07)}" fill="${p.accent}" fill-opacity="0.85"/>`;
  for (const [row, colour] of [
    [0, p.layers[0]],
    [1, p.layers[2]],
  ] as const) {
    let x = -rng.float(0, 40);
    while (x < w) {
      const bw = rng.float(70, 170);
      const bh = h * (row === 0 ? rng.float(0.35, 0.7) : rng.float(0.2, 0.5));
      const y = h - bh;
      out += `<rect x="${r1(x)}" y="${r1(y)}" width="${r1(bw)}" height="${r1(bh)}" fill="${colour}"/>`;
      if (row === 1) {
        out += `<rect x="${r1(x + 8)}" y="${r1(y + 12)}" width="${r1(bw - 16)}" height="${r1(bh - 12)}" fill="url(#win)"/>`;
      } else if (rng.chance(0.2)) {
        out += `<rect x="${r1(x + bw / 2 - 3)}" y="${r1(y - 60)}" width="6" height="60" fill="${colour}"/>`;
      }
      x += bw + rng.float(0, 14);
    }
  }
  return out;
}

function drawHarbour(w: number, h: number, p: Palette, rng: Rng): string {
  const horizon = h * rng.float(0.5, 0.6);
  let out = `<defs>${sky(p)}<linearGradient id="sea" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.layers[0]}"/><stop offset="1" stop-color="${p.layers[2]}"/></linearGradient></defs>`;
  out += `<rect width="${w}" height="${h}" fill="url(#sky)"/>`;
  const sunX = rng.float(w * 0.25, w * 0.75);
  out += `<circle cx="${r1(sunX)}" cy="${r1(horizon - h * 0.12)}" r="${r1(h * 0.1)}" fill="${p.accent}" fill-opacity="0.9"/>`;
  out += `<rect y="${r1(horizon)}" width="${w}" height="${r1(h - horizon)}" fill="url(#sea)"/>`;
  for (let i = 0; i < 6; i++) {
    out += `<ellipse cx="${r1(sunX)}" cy="${r1(horizon + 14 + i * 22)}" rx="${r1(h * 0.1 - i * 12)}" ry="4" fill="${p.accent}" fill-opacity="0.5"/>`;
  }
  for (let i = 0; i < 7; i++) {
    const y = horizon + ((h - horizon) * (i + 1)) / 8;
    const amp = 6 + i * 3;
    let d = `M0 ${r1(y)}`;
    for (let x = 0; x < w; x += 160) d += ` q40 ${-amp} 80 0 t80 0`;
    out += `<path d="${d}" fill="none" stroke="${p.skyTop}" stroke-width="${2 + i * 0.6}" stroke-opacity="0.35"/>`;
  }
  const bx = rng.float(w * 0.15, w * 0.7);
  const by = horizon + (h - horizon) * 0.45;
  out += `<path d="M${r1(bx)} ${r1(by)} h220 l-40 46 h-150 Z" fill="${p.ink}"/>`;
  out += `<path d="M${r1(bx + 110)} ${r1(by - 8)} V${r1(by - 230)} L${r1(bx + 200)} ${r1(by - 8)} Z" fill="${p.accent}"/>`;
  out += `<path d="M${r1(bx + 100)} ${r1(by - 8)} V${r1(by - 190)} L${r1(bx + 30)} ${r1(by - 8)} Z" fill="${p.skyTop}" fill-opacity="0.9"/>`;
  return out;
}

function drawOrbs(w: number, h: number, p: Palette, rng: Rng): string {
  const colours = [...p.layers, p.accent, p.skyBottom];
  let out = `<defs>${sky(p)}</defs><rect width="${w}" height="${h}" fill="url(#sky)"/>`;
  const count = rng.int(8, 13);
  for (let i = 0; i < count; i++) {
    out += `<circle cx="${r1(rng.float(0, w))}" cy="${r1(rng.float(0, h))}" r="${r1(rng.float(h * 0.08, h * 0.38))}" fill="${rng.pick(colours)}" fill-opacity="${rng.float(0.45, 0.85).toFixed(2)}"/>`;
  }
  for (let i = 0; i < 3; i++) {
    const x = rng.float(0, w);
    const y = rng.float(0, h);
    out += `<rect x="${r1(x)}" y="${r1(y)}" width="${r1(rng.float(120, 360))}" height="${r1(rng.float(40, 90))}" rx="24" fill="${p.ink}" fill-opacity="0.35" transform="rotate(${r1(rng.float(-30, 30))} ${r1(x)} ${r1(y)})"/>`;
  }
  return out;
}

function drawTable(w: number, h: number, p: Palette, rng: Rng): string {
  let out = `<rect width="${w}" height="${h}" fill="${p.skyBottom}"/>`;
  for (let y = 0; y < h; y += 150) {
    out += `<rect y="${y}" width="${w}" height="3" fill="${p.layers[1]}" fill-opacity="0.25"/>`;
  }
  out += `<rect x="${r1(w * 0.08)}" y="${r1(h * 0.12)}" width="${r1(w * 0.84)}" height="${r1(h * 0.76)}" rx="30" fill="${p.skyTop}" fill-opacity="0.55"/>`;
  const plates = [
    [w * rng.float(0.3, 0.4), h * 0.5, h * 0.3],
    [w * rng.float(0.65, 0.75), h * rng.float(0.35, 0.6), h * 0.2],
  ] as const;
  for (const [cx, cy, r] of plates) {
    out += `<circle cx="${r1(cx + 10)}" cy="${r1(cy + 14)}" r="${r1(r)}" fill="${p.ink}" fill-opacity="0.15"/>`;
    out += `<circle cx="${r1(cx)}" cy="${r1(cy)}" r="${r1(r)}" fill="#fbfaf7"/>`;
    out += `<circle cx="${r1(cx)}" cy="${r1(cy)}" r="${r1(r * 0.78)}" fill="none" stroke="${p.layers[0]}" stroke-width="4" stroke-opacity="0.5"/>`;
    for (let i = 0; i < 9; i++) {
      const a = rng.float(0, Math.PI * 2);
      const d = rng.float(0, r * 0.5);
      out += `<circle cx="${r1(cx + Math.cos(a) * d)}" cy="${r1(cy + Math.sin(a) * d)}" r="${r1(rng.float(r * 0.08, r * 0.2))}" fill="${rng.pick([...p.layers, p.accent])}"/>`;
    }
  }
  const fx = w * 0.14;
  out += `<rect x="${r1(fx)}" y="${r1(h * 0.22)}" width="18" height="${r1(h * 0.56)}" rx="9" fill="${p.ink}" fill-opacity="0.7"/>`;
  out += `<rect x="${r1(fx + 40)}" y="${r1(h * 0.22)}" width="18" height="${r1(h * 0.56)}" rx="9" fill="${p.ink}" fill-opacity="0.7"/>`;
  out += `<circle cx="${r1(w * 0.88)}" cy="${r1(h * 0.8)}" r="${r1(h * 0.09)}" fill="${p.accent}"/>`;
  return out;
}

function drawPitch(w: number, h: number, p: Palette, rng: Rng): string {
  const greens = ['#3f8f3a', '#378033'];
  let out = '';
  for (let i = 0; i < 10; i++) {
    out += `<rect x="${(w / 10) * i}" width="${w / 10 + 1}" height="${h}" fill="${greens[i % 2]}"/>`;
  }
  const line = 'fill="none" stroke="#f4f7f2" stroke-width="6" stroke-opacity="0.9"';
  out += `<rect x="60" y="60" width="${w - 120}" height="${h - 120}" ${line}/>`;
  out += `<line x1="${w / 2}" y1="60" x2="${w / 2}" y2="${h - 60}" ${line}/>`;
  out += `<circle cx="${w / 2}" cy="${h / 2}" r="${r1(h * 0.16)}" ${line}/>`;
  out += `<rect x="60" y="${r1(h * 0.28)}" width="220" height="${r1(h * 0.44)}" ${line}/>`;
  out += `<rect x="${w - 280}" y="${r1(h * 0.28)}" width="220" height="${r1(h * 0.44)}" ${line}/>`;
  const bx = w / 2 + rng.float(-260, 260);
  const by = h / 2 + rng.float(-180, 180);
  out += `<ellipse cx="${r1(bx + 12)}" cy="${r1(by + 30)}" rx="34" ry="10" fill="#102010" fill-opacity="0.35"/>`;
  out += `<circle cx="${r1(bx)}" cy="${r1(by)}" r="30" fill="#ffffff"/><circle cx="${r1(bx)}" cy="${r1(by)}" r="10" fill="${p.ink}"/>`;
  out += `<rect width="${w}" height="${h}" fill="${p.layers[1]}" fill-opacity="0.18"/>`;
  return out;
}

function drawChart(w: number, h: number, p: Palette, rng: Rng): string {
  let out = `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${p.layers[1]}"/><stop offset="1" stop-color="${p.ink}"/></linearGradient></defs>`;
  out += `<rect width="${w}" height="${h}" fill="url(#bg)"/>`;
  for (let y = 120; y < h - 80; y += 110) {
    out += `<rect x="100" y="${y}" width="${w - 200}" height="2" fill="${p.skyTop}" fill-opacity="0.18"/>`;
  }
  const bars = 12;
  const slot = (w - 200) / bars;
  let level = rng.float(0.25, 0.45);
  const points: string[] = [];
  for (let i = 0; i < bars; i++) {
    level = Math.min(0.85, Math.max(0.12, level + rng.float(-0.08, 0.12)));
    const bh = (h - 200) * level;
    const x = 100 + i * slot + slot * 0.18;
    out += `<rect x="${r1(x)}" y="${r1(h - 100 - bh)}" width="${r1(slot * 0.64)}" height="${r1(bh)}" rx="6" fill="${p.layers[0]}" fill-opacity="0.85"/>`;
    points.push(`${r1(x + slot * 0.32)},${r1(h - 130 - bh)}`);
  }
  out += `<polyline points="${points.join(' ')}" fill="none" stroke="${p.accent}" stroke-width="8" stroke-linejoin="round"/>`;
  for (const point of points) {
    const [x, y] = point.split(',');
    out += `<circle cx="${x}" cy="${y}" r="11" fill="${p.accent}"/>`;
  }
  return out;
}

function drawCircuit(w: number, h: number, p: Palette, rng: Rng): string {
  let out = `<rect width="${w}" height="${h}" fill="${p.ink}"/>`;
  out += `<rect width="${w}" height="${h}" fill="${p.layers[2]}" fill-opacity="0.6"/>`;
  const grid = 50;
  for (let i = 0; i < 34; i++) {
    let x = Math.round(rng.float(0, w) / grid) * grid;
    let y = Math.round(rng.float(0, h) / grid) * grid;
    let d = `M${x} ${y}`;
    for (let s = 0; s < 4; s++) {
      if (s % 2 === 0) x += rng.pick([-1, 1]) * rng.int(2, 7) * grid;
      else y += rng.pick([-1, 1]) * rng.int(1, 4) * grid;
      d += ` L${x} ${y}`;
    }
    const colour = rng.chance(0.3) ? p.accent : p.layers[0];
    out += `<path d="${d}" fill="none" stroke="${colour}" stroke-width="14" stroke-opacity="0.18" stroke-linejoin="round"/>`;
    out += `<path d="${d}" fill="none" stroke="${colour}" stroke-width="4" stroke-linejoin="round"/>`;
    out += `<circle cx="${x}" cy="${y}" r="10" fill="${p.ink}" stroke="${colour}" stroke-width="4"/>`;
  }
  const cw = w * 0.2;
  out += `<rect x="${r1(w / 2 - cw / 2)}" y="${r1(h / 2 - cw / 2)}" width="${r1(cw)}" height="${r1(cw)}" rx="18" fill="${p.layers[1]}" stroke="${p.accent}" stroke-width="6"/>`;
  return out;
}

function flower(cx: number, cy: number, r: number, petals: number, colour: string, centre: string): string {
  let out = '';
  for (let i = 0; i < petals; i++) {
    const angle = (360 / petals) * i;
    out += `<ellipse cx="${r1(cx)}" cy="${r1(cy - r / 2)}" rx="${r1(r / 4)}" ry="${r1(r / 2)}" fill="${colour}" fill-opacity="0.85" transform="rotate(${r1(angle)} ${r1(cx)} ${r1(cy)})"/>`;
  }
  return `${out}<circle cx="${r1(cx)}" cy="${r1(cy)}" r="${r1(r / 5)}" fill="${centre}"/>`;
}

function drawBloom(w: number, h: number, p: Palette, rng: Rng): string {
  let out = `<defs>${sky(p)}</defs><rect width="${w}" height="${h}" fill="url(#sky)"/>`;
  for (let i = 0; i < 8; i++) {
    const x = rng.float(0, w);
    const y = rng.float(h * 0.3, h);
    out += `<ellipse cx="${r1(x)}" cy="${r1(y)}" rx="40" ry="130" fill="${p.layers[2]}" fill-opacity="0.35" transform="rotate(${r1(rng.float(-50, 50))} ${r1(x)} ${r1(y)})"/>`;
  }
  const count = rng.int(4, 7);
  for (let i = 0; i < count; i++) {
    out += flower(
      rng.float(w * 0.1, w * 0.9),
      rng.float(h * 0.15, h * 0.85),
      rng.float(h * 0.15, h * 0.4),
      rng.int(5, 9),
      rng.pick(p.layers),
      p.accent,
    );
  }
  return out;
}

const DRAW: Record<Scene, (w: number, h: number, p: Palette, rng: Rng) => string> = {
  ridges: drawRidges,
  skyline: drawSkyline,
  harbour: drawHarbour,
  orbs: drawOrbs,
  table: drawTable,
  pitch: drawPitch,
  chart: drawChart,
  circuit: drawCircuit,
  bloom: drawBloom,
};

/** The SVG source of a lead picture; exported so tests and previews can look at it without rendering. */
export function leadSvg(art: LeadArt, width = LEAD_WIDTH, height = LEAD_HEIGHT): string {
  const palette: Palette = PALETTES[art.palette];
  const rng = new Rng(art.seed);
  let body = DRAW[art.scene](width, height, palette, rng);
  // A darker foot keeps the big word legible on light scenes. (Linear only: a radial vignette looked nice but
  // cost librsvg ~30 ms per picture, about as much as the rest of the scene.)
  body += `<defs><linearGradient id="foot" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${palette.ink}" stop-opacity="0"/><stop offset="1" stop-color="${palette.ink}" stop-opacity="0.5"/></linearGradient></defs>`;
  body += `<rect y="${r1(height * 0.5)}" width="${width}" height="${r1(height * 0.5)}" fill="url(#foot)"/>`;
  if (art.word) {
    const word = art.word.toUpperCase();
    // Bold sans capitals average about 0.75em; size the word to fit ~80% of the width whatever font is found.
    const size = Math.min(height * 0.17, (width * 0.8) / (word.length * 0.75));
    body += `<text x="${r1(width * 0.06)}" y="${r1(height - height * 0.08)}" font-family="${SANS}" font-weight="700" font-size="${r1(size)}" letter-spacing="${r1(size * 0.04)}" fill="#ffffff" fill-opacity="0.92">${escapeXml(word)}</text>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
}

export function leadPicture(input: {
  key: string;
  caption: string;
  credit: string;
  art: LeadArt;
  width?: number;
  height?: number;
}): DemoPicture {
  const width = input.width ?? LEAD_WIDTH;
  const height = input.height ?? LEAD_HEIGHT;
  const art = { ...input.art };
  return {
    key: input.key,
    caption: input.caption,
    credit: input.credit,
    alt: describeArt(art),
    width,
    height,
    format: 'jpeg',
    mimeType: 'image/jpeg',
    render: () =>
      sharp(Buffer.from(leadSvg(art, width, height)))
        .jpeg({ quality: JPEG_QUALITY })
        .toBuffer(),
  };
}
