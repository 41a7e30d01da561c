// The site settings page's live contrast check: as a brand colour is typed or picked, its contrast against
// what readers see it on is worked out with the same rules the server applies on save (brand-contrast.ts),
// and the sample and the figures follow. The server still refuses colours under AA; this only tells sooner.
import { againstName, BRAND_MIN_RATIO, type BrandColour, checkBrandColours } from '../brand-contrast.ts';

const HEX = /^#[0-9a-f]{6}$/i;

const fields = new Map<BrandColour, HTMLInputElement>();
for (const input of document.querySelectorAll<HTMLInputElement>('input[data-brand-colour]')) {
  fields.set(input.dataset.brandColour as BrandColour, input);
}

function currentColours(): Record<BrandColour, string> {
  return {
    primaryColor: fields.get('primaryColor')?.value.trim() ?? '',
    accentColor: fields.get('accentColor')?.value.trim() ?? '',
  };
}

function report(colour: BrandColour): void {
  const out = document.querySelector<HTMLElement>(`[data-contrast-for="${colour}"]`);
  const value = currentColours()[colour];
  const swatch = document.querySelector<SVGElement>(`[data-swatch-for="${colour}"]`);
  if (swatch && HEX.test(value)) {
    swatch.querySelector('[data-swatch-text]')?.setAttribute('color', value);
    swatch.querySelector('[data-swatch-fill]')?.setAttribute('fill', value);
  }
  if (!out) return;
  const checks = checkBrandColours(currentColours()).filter((c) => c.colour === colour);
  out.replaceChildren();
  if (checks.length === 0) {
    const p = document.createElement('p');
    p.className = 'adm-muted';
    p.textContent = 'Give a colour as #rrggbb to see its contrast.';
    out.append(p);
    return;
  }
  for (const c of checks) {
    const p = document.createElement('p');
    p.className = 'adm-contrast-line';
    const badge = document.createElement('span');
    badge.className = `adm-badge ${c.passes ? 'adm-badge-ok' : 'adm-badge-bad'}`;
    badge.textContent = c.passes ? 'AA' : 'Under AA';
    const ratio = document.createElement('span');
    ratio.className = 'adm-contrast-ratio';
    ratio.textContent = `${c.ratio.toFixed(2)}:1`;
    p.append(
      badge,
      ' ',
      ratio,
      ` against ${againstName(c.against)}, for ${c.where}${c.passes ? '.' : `: needs ${BRAND_MIN_RATIO}:1, so it would be refused.`}`,
    );
    out.append(p);
  }
}

for (const [colour, input] of fields) {
  const picker = document.querySelector<HTMLInputElement>(`input[data-picker-for="${colour}"]`);
  if (picker) {
    picker.hidden = false;
    picker.addEventListener('input', () => {
      input.value = picker.value;
      report(colour);
    });
  }
  input.addEventListener('input', () => {
    const v = input.value.trim();
    if (picker && HEX.test(v)) picker.value = v.toLowerCase();
    report(colour);
  });
}
