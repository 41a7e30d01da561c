/// <reference lib="dom.iterable" />
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the rendered text a reader sees, which is what these checks measure.
// What a reader sees, measured in the browser: the contrast of every visible text node and form control
// against the background actually rendered behind it, focus indicators, and layout faults (sideways
// scrolling, elements past the viewport, clipped text, small tap targets, a masthead below the fold).
//
// `inspectPage` runs inside the page (page.evaluate), so it is self-contained: no imports, no closures over
// module state. Backgrounds are found from the elements painted under the text (elementsFromPoint, which
// also sees positioned siblings behind it, not only ancestors), compositing each background colour with
// its alpha. Where a picture, gradient or background image is behind the text, colour maths cannot know
// the result: such text is returned as a probe, and `measureProbes` screenshots its box with the text made
// transparent and measures the text colour against every pixel there (the worst pixel counts). Checkboxes
// and radio buttons the browser draws itself report no border, so their box is screenshotted too and the
// most contrasting pixel against the background around them must reach 3:1.
import type { Page } from 'playwright-core';
import sharp from 'sharp';

export interface Probe {
  id: number;
  what: string;
  color: [number, number, number];
  needed: number;
  box: { x: number; y: number; width: number; height: number };
  /**
   * A control the browser draws itself (a checkbox or radio button with its native appearance), whose
   * border no style reports: `color` is the background around it, and its most contrasting pixel counts.
   */
  boundary?: boolean;
}

export interface PageReport {
  problems: string[];
  probes: Probe[];
}

export interface InspectOptions {
  /** Check sideways scrolling and elements past the right edge (narrow viewports). */
  mobile: boolean;
}

/** Runs in the page. Every helper is declared inside, since only this function's source reaches the page. */
export function inspectPage(opts: InspectOptions): PageReport {
  type RGBA = [number, number, number, number];
  const problems: string[] = [];
  const probes: Probe[] = [];
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;

  // Any CSS colour (rgb(), color(srgb …), oklch(), system colours…) to sRGB bytes, through a 1×1 canvas.
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  const parsed = new Map<string, RGBA>();
  const rgba = (css: string): RGBA => {
    const known = parsed.get(css);
    if (known) return known;
    const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css);
    let out: RGBA;
    if (m) out = [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    else {
      g.clearRect(0, 0, 1, 1);
      g.fillStyle = '#000';
      g.fillStyle = css;
      g.fillRect(0, 0, 1, 1);
      const d = g.getImageData(0, 0, 1, 1).data;
      out = [d[0]!, d[1]!, d[2]!, d[3]! / 255];
    }
    parsed.set(css, out);
    return out;
  };
  const over = (top: RGBA, under: RGBA): RGBA => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i]! * top[3] + under[i]! * under[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = (c: RGBA | [number, number, number]) => {
    const lin = (v: number) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  };
  const ratio = (a: RGBA, b: RGBA) => {
    const la = luminance(a);
    const lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  };
  const show = (c: RGBA) => `rgb(${c.slice(0, 3).map(Math.round).join(',')})`;

  // The page's canvas colour (what shows where nothing paints), as the root's colour scheme resolves it.
  const canvasProbe = document.createElement('div');
  canvasProbe.style.backgroundColor = 'Canvas';
  document.documentElement.appendChild(canvasProbe);
  const pageCanvas = rgba(getComputedStyle(canvasProbe).backgroundColor);
  canvasProbe.remove();

  const describe = (el: Element, text?: string) => {
    const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
    const id = el.id ? `#${el.id}` : '';
    const label =
      text ??
      (el as HTMLElement).innerText ??
      el.getAttribute('aria-label') ??
      (el as HTMLInputElement).value ??
      '';
    const words = label.replace(/\s+/g, ' ').trim().slice(0, 50);
    return `<${el.tagName.toLowerCase()}${id}${cls}>${words ? ` "${words}"` : ''}`;
  };

  const opacityOf = (el: Element | null) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };

  const paintsPicture = (el: Element) => {
    if (/^(IMG|PICTURE|VIDEO|CANVAS|IFRAME|OBJECT|EMBED)$/.test(el.tagName) || el instanceof SVGElement)
      return true;
    const s = getComputedStyle(el);
    return s.backgroundImage !== 'none' || (s.maskImage !== undefined && s.maskImage !== 'none');
  };

  /**
   * The colour painted under `el` at the document point (x, y), from `el` itself down to the canvas; null
   * when a picture or gradient is part of it (then only pixels can tell). Hit-testing only sees the
   * viewport, so the page is scrolled to the point first; a point outside the viewport sideways (inside a
   * scrolled strip) falls back to the element's ancestors.
   */
  const backgroundAt = (el: Element, x: number, y: number, fromParent = false): RGBA | null => {
    if (y - window.scrollY < 0 || y - window.scrollY >= vh) window.scrollTo(0, Math.max(0, y - vh / 2));
    const px = x - window.scrollX;
    const py = y - window.scrollY;
    const stack = px >= 0 && px < vw && py >= 0 && py < vh ? document.elementsFromPoint(px, py) : [];
    let start = -1;
    for (let e: Element | null = fromParent ? el.parentElement : el; e && start < 0; e = e.parentElement)
      start = stack.indexOf(e);
    const layers: Element[] = [];
    if (start >= 0) layers.push(...stack.slice(start));
    else
      for (let e: Element | null = fromParent ? el.parentElement : el; e; e = e.parentElement) layers.push(e);
    let color: RGBA = [0, 0, 0, 0];
    for (const layer of layers) {
      if (color[3] >= 0.999) break;
      if (paintsPicture(layer)) return null;
      const bg = rgba(getComputedStyle(layer).backgroundColor);
      if (bg[3] === 0) continue;
      const faded: RGBA = [bg[0], bg[1], bg[2], bg[3] * opacityOf(layer)];
      color = over(color, faded);
    }
    return over(color, pageCanvas);
  };

  /** A client rect in document coordinates, which stay true when the checks scroll the page. */
  type Box = { x: number; y: number; width: number; height: number };
  const inDocument = (r: DOMRect): Box => ({
    x: r.left + window.scrollX,
    y: r.top + window.scrollY,
    width: r.width,
    height: r.height,
  });
  const centreX = (b: Box) => b.x + b.width / 2;
  const centreY = (b: Box) => b.y + b.height / 2;

  const large = (s: CSSStyleDeclaration) => {
    const size = Number.parseFloat(s.fontSize);
    return size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
  };

  const visible = (el: Element) => {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true }))
      return false;
    const r = el.getBoundingClientRect();
    // Visually hidden on purpose (1×1 clipped boxes for screen readers, the skip link parked off-screen).
    if (r.width <= 1 || r.height <= 1) return false;
    if (r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0) return false;
    return true;
  };

  let probeId = 0;
  const checkText = (el: Element, text: string, box: Box, colorCss: string, what: string) => {
    const s = getComputedStyle(el);
    const needed = large(s) ? 3 : 4.5;
    const own = rgba(colorCss);
    const bg = backgroundAt(el, centreX(box), centreY(box));
    if (!bg) {
      el.setAttribute('data-contrast-probe', String(++probeId));
      probes.push({
        id: probeId,
        what: `${what} ${describe(el, text)}`,
        color: [own[0], own[1], own[2]],
        needed,
        box,
      });
      return;
    }
    const fg = over([own[0], own[1], own[2], own[3] * opacityOf(el)], bg);
    const r = ratio(fg, bg);
    if (r < needed)
      problems.push(
        `contrast ${r.toFixed(2)}:1 < ${needed}:1: ${what} ${describe(el, text)} is ${show(fg)} on ${show(bg)}`,
      );
  };

  // Every visible text node, measured where it is drawn (each line box of a wrapped run counts).
  const seen = new Set<Element>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    if (!text.trim()) continue;
    const el = node.parentElement;
    if (!el || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|OPTION)$/.test(el.tagName) || !visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 1 && r.height > 1).map(inDocument);
    if (rects.length === 0) continue;
    const s = getComputedStyle(el);
    const fill = s.webkitTextFillColor && s.webkitTextFillColor !== s.color ? s.webkitTextFillColor : s.color;
    for (const rect of rects.length > 2 ? [rects[0]!, rects[rects.length - 1]!] : rects)
      checkText(el, text.trim(), rect, fill, 'text');
    seen.add(el);
  }

  // Form controls: their text (value or placeholder) and, for fields, a boundary a reader can see.
  const fields = document.querySelectorAll<HTMLElement>('input:not([type=hidden]), select, textarea');
  for (const el of fields) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    const rect = inDocument(el.getBoundingClientRect());
    const input = el as HTMLInputElement;
    const showsPlaceholder = 'placeholder' in input && input.placeholder && !input.value;
    if (!['checkbox', 'radio', 'range', 'color', 'file', 'submit', 'button'].includes(input.type ?? '')) {
      const colorCss = showsPlaceholder ? getComputedStyle(el, '::placeholder').color : s.color;
      checkText(
        el,
        showsPlaceholder ? input.placeholder : input.value || input.type,
        rect,
        colorCss,
        'field text',
      );
    }
    const outside = backgroundAt(el, centreX(rect), centreY(rect), true);
    const inside = backgroundAt(el, centreX(rect), centreY(rect));
    if (!outside || !inside) continue;
    if ((input.type === 'checkbox' || input.type === 'radio') && s.appearance !== 'none') {
      el.setAttribute('data-contrast-probe', String(++probeId));
      probes.push({
        id: probeId,
        what: `control boundary ${describe(el)} (drawn by the browser) on ${show(outside)}`,
        color: [outside[0], outside[1], outside[2]],
        needed: 3,
        box: rect,
        boundary: true,
      });
      continue;
    }
    const border = rgba(s.borderTopColor);
    const borderWidth = Number.parseFloat(s.borderTopWidth);
    const edge = borderWidth >= 1 && s.borderTopStyle !== 'none' ? ratio(over(border, outside), outside) : 1;
    const fill = ratio(inside, outside);
    if (Math.max(edge, fill) < 3)
      problems.push(
        `control boundary ${Math.max(edge, fill).toFixed(2)}:1 < 3:1: ${describe(el)} has border ${show(border)} and fill ${show(inside)} on ${show(outside)}`,
      );
  }

  // Focus indicators: each control focused as from the keyboard must show an outline or ring of 3:1
  // against what is around it.
  const focusables = [
    ...document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])',
    ),
  ].filter(visible);
  const before = document.activeElement as HTMLElement | null;
  for (const el of focusables.slice(0, 60)) {
    el.focus({ preventScroll: true, focusVisible: true } as FocusOptions);
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    const rect = inDocument(el.getBoundingClientRect());
    const around = backgroundAt(el, centreX(rect), centreY(rect), true);
    const outlined = s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 1;
    const ringed = s.boxShadow !== 'none';
    if (!outlined && !ringed) {
      problems.push(`no visible focus indicator: ${describe(el)}`);
      continue;
    }
    if (outlined && around) {
      const r = ratio(over(rgba(s.outlineColor), around), around);
      if (r < 3)
        problems.push(
          `focus outline ${r.toFixed(2)}:1 < 3:1: ${describe(el)} outline ${s.outlineColor} on ${show(around)}`,
        );
    }
    el.blur();
  }
  before?.focus?.({ preventScroll: true });
  window.scrollTo(0, 0);

  // Layout. Nothing scrolls sideways on a phone, and no element reaches past the viewport unless a
  // scrolling or clipping box of its own holds it.
  const root = document.documentElement;
  if (opts.mobile && root.scrollWidth > root.clientWidth + 1)
    problems.push(
      `horizontal scroll: the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport`,
    );
  const clipsX = (e: Element) => {
    const o = getComputedStyle(e).overflowX;
    return o !== 'visible';
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    let held = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (clipsX(a)) {
        held = true;
        break;
      }
    if (!held && (r.right > vw + 1 || r.left < -1))
      problems.push(
        `past the viewport: ${describe(el)} spans ${Math.round(r.left)}–${Math.round(r.right)}px of ${vw}px`,
      );
    // Text cut off by its own box.
    const hides = (o: string) => o === 'hidden' || o === 'clip';
    if (
      (hides(s.overflowX) || hides(s.overflowY) || s.textOverflow === 'ellipsis') &&
      (el as HTMLElement).innerText?.trim()
    ) {
      const h = el as HTMLElement;
      if (h.scrollWidth > h.clientWidth + 1 || h.scrollHeight > h.clientHeight + 1)
        problems.push(
          `clipped text: ${describe(el)} shows ${h.clientWidth}×${h.clientHeight} of ${h.scrollWidth}×${h.scrollHeight}px`,
        );
    }
  }

  // Targets of at least 24×24 CSS px, or undersized ones far enough apart (a 24 px circle on each centre
  // touching no other target), or links inside a sentence (WCAG 2.5.8's exceptions).
  const targets = [
    ...document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]',
    ),
  ].filter(visible);
  const boxes = targets.map((el) => ({ el, r: el.getBoundingClientRect() }));
  const inSentence = (el: HTMLElement) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement;
    if (!block) return false;
    const own = (el.innerText ?? '').trim();
    const all = (block.innerText ?? '').replace(/\s+/g, ' ').trim();
    // Other words around it, not only separators: " / " between two links is not a sentence.
    return all.replace(own, '').replace(/[\s/|·•,–—-]/g, '').length > 0;
  };
  for (const { el, r } of boxes) {
    if (r.width >= 24 && r.height >= 24) continue;
    if (inSentence(el)) continue;
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const crowded = boxes.find(({ el: other, r: o }) => {
      if (other === el || other.contains(el) || el.contains(other)) return false;
      if (o.width < 24 || o.height < 24) {
        return Math.hypot(o.left + o.width / 2 - cx, o.top + o.height / 2 - cy) < 24;
      }
      const dx = Math.max(o.left - cx, 0, cx - o.right);
      const dy = Math.max(o.top - cy, 0, cy - o.bottom);
      return Math.hypot(dx, dy) < 12;
    });
    if (crowded)
      problems.push(
        `small target: ${describe(el)} is ${Math.round(r.width)}×${Math.round(r.height)}px, within 24px of ${describe(crowded.el)}`,
      );
  }

  // The masthead's own controls (name, search, account links) are on screen when the page opens. A control
  // inside a closed disclosure (the phone's search form) is reached through the disclosure's button, which
  // is checked instead.
  for (const el of document.querySelectorAll<HTMLElement>(
    '.masthead__bar a, .masthead__bar button, .masthead__bar input:not([type=hidden]), .masthead__bar summary',
  )) {
    const closed = el.closest('details:not([open])');
    if (closed && !el.matches('summary') && !visible(el)) continue;
    // Where the disclosure's content is shown anyway (wide screens), its button is not needed.
    if (el.matches('summary') && !visible(el)) {
      const content = el.parentElement?.querySelector('form, input');
      if (content && visible(content)) continue;
    }
    const r = el.getBoundingClientRect();
    if (!visible(el) || r.top < 0 || r.bottom > vh || r.left < 0 || r.right > vw)
      problems.push(`masthead control not visible without scrolling: ${describe(el)}`);
  }
  return { problems, probes };
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/**
 * Text over a picture or gradient: the box is screenshotted with that text made transparent, and the
 * text colour is measured against every pixel there. The worst pixel counts, so text is only passed where
 * the whole background behind it allows it.
 */
export async function measureProbes(page: Page, probes: Probe[]): Promise<string[]> {
  const problems: string[] = [];
  for (const probe of probes) {
    const selector = `[data-contrast-probe="${probe.id}"]`;
    if (probe.boundary) {
      const png = await page.screenshot({ clip: probe.box, fullPage: true, animations: 'disabled' });
      const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const around = luminance(probe.color);
      let best = 1;
      for (let i = 0; i < data.length; i += info.channels) {
        const l = luminance([data[i]!, data[i + 1]!, data[i + 2]!]);
        best = Math.max(best, (Math.max(l, around) + 0.05) / (Math.min(l, around) + 0.05));
      }
      if (best < probe.needed) problems.push(`${best.toFixed(2)}:1 < ${probe.needed}:1: ${probe.what}`);
      continue;
    }
    await page.evaluate((sel) => {
      for (const el of document.querySelectorAll<HTMLElement>(`${sel}, ${sel} *`)) {
        el.style.setProperty('color', 'transparent', 'important');
        el.style.setProperty('-webkit-text-fill-color', 'transparent', 'important');
        el.style.setProperty('text-shadow', 'none', 'important');
      }
    }, selector);
    const png = await page.screenshot({ clip: probe.box, fullPage: true, animations: 'disabled' });
    await page.evaluate((sel) => {
      for (const el of document.querySelectorAll<HTMLElement>(`${sel}, ${sel} *`)) {
        el.style.removeProperty('color');
        el.style.removeProperty('-webkit-text-fill-color');
        el.style.removeProperty('text-shadow');
      }
    }, selector);
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const text = luminance(probe.color);
    let worst = Number.POSITIVE_INFINITY;
    for (let i = 0; i < data.length; i += info.channels) {
      const l = luminance([data[i]!, data[i + 1]!, data[i + 2]!]);
      worst = Math.min(worst, (Math.max(l, text) + 0.05) / (Math.min(l, text) + 0.05));
    }
    if (worst < probe.needed)
      problems.push(
        `contrast ${worst.toFixed(2)}:1 < ${probe.needed}:1 over a picture or gradient (worst pixel): ${probe.what}`,
      );
  }
  return problems;
}
