// The focal point picker on a picture's page: clicking the picture (or moving the point with the arrow
// keys) fills in the two number fields of the focal point form and shows where the point is. Saving is
// still the form's button. Without this script the number fields are the picker.
const picker = document.querySelector<HTMLElement>('[data-focal-picker]');
if (picker) enhance(picker);

function enhance(picker: HTMLElement): void {
  const img = picker.querySelector('img');
  const marker = picker.querySelector<HTMLElement>('[data-focal-marker]');
  const form = document.getElementById(picker.dataset.focalForm ?? '');
  const x = form?.querySelector<HTMLInputElement>('input[name=x]');
  const y = form?.querySelector<HTMLInputElement>('input[name=y]');
  const said = document.getElementById(picker.dataset.focalStatus ?? '');
  if (!img || !marker || !x || !y) return;

  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const read = () => ({ x: clamp(Number(x.value) || 0), y: clamp(Number(y.value) || 0) });
  const show = () => {
    const p = read();
    // Set through the CSS object model, which the page's style policy allows (no style attribute in markup).
    marker.style.left = `${p.x * 100}%`;
    marker.style.top = `${p.y * 100}%`;
    marker.hidden = false;
  };
  const set = (px: number, py: number) => {
    x.value = clamp(px).toFixed(4);
    y.value = clamp(py).toFixed(4);
    show();
    if (said)
      said.textContent = `Focal point ${Math.round(clamp(px) * 100)}% across, ${Math.round(clamp(py) * 100)}% down. Save to keep it.`;
  };

  picker.tabIndex = 0;
  picker.classList.add('is-interactive');
  picker.addEventListener('click', (ev) => {
    const box = img.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    set((ev.clientX - box.left) / box.width, (ev.clientY - box.top) / box.height);
  });
  picker.addEventListener('keydown', (ev) => {
    const step = ev.shiftKey ? 0.1 : 0.01;
    const p = read();
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[ev.key];
    if (!move) return;
    ev.preventDefault();
    set(p.x + move[0], p.y + move[1]);
  });
  for (const field of [x, y]) field.addEventListener('input', show);
  show();
}
