// The upload form made friendlier: pictures dropped on the drop zone or chosen in the file field go up one
// request each, with a progress bar per file (XMLHttpRequest, whose upload events fetch() lacks), and each
// file's outcome, stored or refused with its reason, appears in the list as soon as it is known. Without
// this script the same form posts every file at once and the answer page lists the outcomes.
interface Outcome {
  ok: boolean;
  filename: string;
  existing?: boolean;
  url?: string;
  message?: string;
  code?: string;
}

/** Uploads in flight at once: enough to keep the line busy, few enough that each bar moves. */
const PARALLEL = 2;

const form = document.querySelector<HTMLFormElement>('form[data-media-upload]');
if (form) enhance(form);

function enhance(form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[type=file]');
  const zone = form.querySelector<HTMLElement>('[data-drop-zone]');
  const list = document.getElementById(form.dataset.results ?? '');
  const url = form.dataset.uploadUrl;
  const csrf = form.dataset.csrf;
  const maxBytes = Number(form.dataset.maxBytes ?? '0');
  if (!input || !zone || !list || !url || !csrf) return;

  const queue: { file: File; row: Row }[] = [];
  let running = 0;

  const add = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const row = newRow(list, file.name);
      // Checked here only to spare sending a file the server will refuse anyway; the server still decides.
      if (maxBytes > 0 && file.size > maxBytes) {
        row.done({
          ok: false,
          filename: file.name,
          message: `${file.name} is ${mb(file.size)}, over the ${mb(maxBytes)} upload limit. Export it smaller and upload it again.`,
        });
        continue;
      }
      queue.push({ file, row });
    }
    pump();
  };

  const pump = () => {
    while (running < PARALLEL && queue.length > 0) {
      const next = queue.shift();
      if (!next) break;
      running++;
      send(url, csrf, next.file, next.row).finally(() => {
        running--;
        pump();
      });
    }
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    add(input.files);
    input.value = '';
  });
  // Choosing files is enough: no second click on the button.
  input.addEventListener('change', () => {
    add(input.files);
    input.value = '';
  });
  zone.addEventListener('dragenter', (ev) => {
    ev.preventDefault();
    zone.classList.add('is-dragging');
  });
  zone.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', (ev) => {
    if (ev.target === zone) zone.classList.remove('is-dragging');
  });
  zone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    zone.classList.remove('is-dragging');
    add(ev.dataTransfer?.files ?? null);
  });
}

interface Row {
  progress(fraction: number): void;
  done(outcome: Outcome): void;
}

function newRow(list: HTMLElement, name: string): Row {
  const li = document.createElement('li');
  li.className = 'media-upload-item';
  const label = document.createElement('span');
  label.className = 'media-upload-name';
  label.textContent = name;
  const bar = document.createElement('progress');
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute('aria-label', `Uploading ${name}`);
  const status = document.createElement('span');
  status.className = 'media-upload-status';
  status.textContent = 'Waiting…';
  li.append(label, bar, status);
  list.append(li);
  return {
    progress(fraction) {
      bar.value = Math.round(fraction * 100);
      status.textContent = fraction < 1 ? `${bar.value}%` : 'Checking the picture…';
    },
    done(outcome) {
      bar.remove();
      li.classList.add(outcome.ok ? 'is-ok' : 'is-problem');
      status.textContent = '';
      if (outcome.ok && outcome.url) {
        const link = document.createElement('a');
        link.href = outcome.url;
        link.textContent = outcome.existing ? 'Already in the library: open it' : 'Stored: open it';
        status.append(link);
      } else {
        status.textContent = outcome.message ?? 'The picture was not stored.';
      }
    },
  };
}

function send(url: string, csrf: string, file: File, row: Row): Promise<void> {
  return new Promise((resolve) => {
    const body = new FormData();
    body.append('files', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (ev) => {
      if (ev.lengthComputable) row.progress(ev.loaded / ev.total);
    });
    xhr.addEventListener('load', () => {
      const answer = xhr.response as { outcomes?: Outcome[]; error?: { message?: string } } | null;
      const outcome = answer?.outcomes?.[0];
      if (outcome) row.done(outcome);
      else
        row.done({
          ok: false,
          filename: file.name,
          message:
            answer?.error?.message ??
            `The server answered ${xhr.status} and did not say why. Try again, or reload the page.`,
        });
      resolve();
    });
    xhr.addEventListener('error', () => {
      row.done({
        ok: false,
        filename: file.name,
        message:
          'The upload did not reach the server (the connection was lost). Check the connection and try again.',
      });
      resolve();
    });
    xhr.send(body);
  });
}

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
