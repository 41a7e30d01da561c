// The reader's comment script: enhances a thread that already works without it. It fetches the reader's own
// parts of the shared page (token, votes, own comments: /comments/personal), puts the comment form in place
// of the sign-in prompt, votes and posts without a reload, opens reply forms in place, loads "More comments"
// in place, keeps times relative, and listens on one Server-Sent Events stream for "N new comments, show".
// Any failure leaves the plain links and forms, which still work.

const thread = document.querySelector<HTMLElement>('section.thread[data-thread]');

interface Personal {
  signedIn: boolean;
  csrf?: string;
  votes?: Record<string, 1 | -1>;
  own?: number[];
  editable?: number[];
}

const $$ = <T extends Element>(sel: string, root: ParentNode = document) =>
  Array.from(root.querySelectorAll<T>(sel));

function relative(at: Date): string {
  const s = Math.round((Date.now() - at.getTime()) / 1000);
  const units: [number, string][] = [
    [31_536_000, 'year'],
    [2_592_000, 'month'],
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [n, name] of units) {
    const v = Math.floor(s / n);
    if (v >= 1) return `${v} ${name}${v === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

function times(root: ParentNode): void {
  for (const t of $$<HTMLTimeElement>('time[data-relative]', root)) {
    if (!t.title) t.title = t.textContent ?? '';
    t.textContent = relative(new Date(t.dateTime));
  }
}

async function send(form: HTMLFormElement, submitter?: HTMLElement | null): Promise<Response> {
  const data = new FormData(form);
  if (submitter instanceof HTMLButtonElement && submitter.name) data.set(submitter.name, submitter.value);
  return fetch(form.action, {
    method: 'POST',
    body: new URLSearchParams(data as unknown as Record<string, string>),
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
}

async function errorText(res: Response): Promise<string> {
  try {
    const j = await res.json();
    return `${j.error.title}. ${j.error.message}`;
  } catch {
    return 'Something went wrong. Try again.';
  }
}

if (thread) {
  const articleId = thread.dataset.thread!;
  const base = thread.dataset.url!;
  let me: Personal = { signedIn: false };
  let shownCount = Number(thread.dataset.count);

  const pageUrl = (page = Number(thread.dataset.page)) => {
    const q = new URLSearchParams();
    if (thread.dataset.sort && thread.dataset.sort !== 'oldest') q.set('sort', thread.dataset.sort);
    if (page > 1) q.set('page', String(page));
    return `${base}${q.size ? `?${q}` : ''}`;
  };

  async function fetchThread(url: string): Promise<HTMLElement | null> {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok) return null;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    return doc.querySelector<HTMLElement>('section.thread');
  }

  // Replaces the list (and count) with a fresh copy of the given page of the thread.
  async function refresh(url = pageUrl(), anchor?: string): Promise<void> {
    const fresh = await fetchThread(url);
    const list = fresh?.querySelector('ol[data-list]');
    if (!fresh || !list) {
      location.assign(url + (anchor ?? ''));
      return;
    }
    thread!.querySelector('ol[data-list]')!.replaceWith(document.adoptNode(list));
    const title = thread!.querySelector('.thread__title');
    const count = fresh.dataset.count ?? '0';
    if (title) title.firstChild!.textContent = fresh.querySelector('.thread__title')!.firstChild!.textContent;
    for (const a of $$('.comment-count'))
      a.textContent = `${count} ${count === '1' ? 'Comment' : 'Comments'}`;
    thread!.querySelector('.thread__empty')?.remove();
    shownCount = Number(count);
    thread!.dataset.page = fresh.dataset.page;
    const pages = fresh.querySelector('.thread__pages');
    if (pages) thread!.querySelector('.thread__pages')?.replaceWith(document.adoptNode(pages));
    apply(thread!);
    if (anchor) document.getElementById(anchor.slice(1))?.scrollIntoView({ block: 'center' });
  }

  // The reader's own state on the comments in `root` (a shared page has none of it).
  function apply(root: ParentNode): void {
    times(root);
    if (!me.signedIn) return;
    for (const form of $$<HTMLFormElement>('form.vote', root)) {
      const id = voteId(form);
      if (!form.querySelector('input[name=csrf]')) {
        const input = document.createElement('input');
        Object.assign(input, { type: 'hidden', name: 'csrf', value: me.csrf });
        form.prepend(input);
      }
      mark(form, me.votes?.[id] ?? 0);
      if (!me.own?.includes(Number(id))) continue;
      for (const b of $$<HTMLButtonElement>('button', form)) b.disabled = true;
      // The reader's own comment: Edit (within the window) and Delete, each a page of its own.
      const actions = form.parentElement!;
      if (actions.querySelector('[data-own]')) continue;
      const links: [string, string][] = [[`/comments/${id}/delete`, 'Delete']];
      if (me.editable?.includes(Number(id))) links.unshift([`/comments/${id}/edit#edit`, 'Edit']);
      for (const [href, text] of links) {
        const a = document.createElement('a');
        Object.assign(a, { href, textContent: text });
        a.dataset.own = '';
        actions.append(a);
      }
    }
  }

  function voteId(form: HTMLFormElement): string {
    return form.getAttribute('action')!.split('/')[2]!;
  }

  function mark(form: HTMLFormElement, mine: number): void {
    const [up, down] = $$<HTMLButtonElement>('button', form);
    if (!up || !down) return;
    up.setAttribute('aria-pressed', String(mine === 1));
    down.setAttribute('aria-pressed', String(mine === -1));
    up.value = mine === 1 ? '0' : '1';
    down.value = mine === -1 ? '0' : '-1';
    up.setAttribute('aria-label', mine === 1 ? 'Withdraw up-vote' : 'Vote up');
    down.setAttribute('aria-label', mine === -1 ? 'Withdraw down-vote' : 'Vote down');
  }

  function formFromTemplate(parent?: string): HTMLFormElement | null {
    const tpl = document.getElementById('comment-form-template') as HTMLTemplateElement | null;
    const form = tpl?.content.querySelector('form')?.cloneNode(true) as HTMLFormElement | undefined;
    if (!form || !me.csrf) return null;
    form.querySelector<HTMLInputElement>('input[name=csrf]')!.value = me.csrf;
    if (parent) {
      const p = document.createElement('input');
      Object.assign(p, { type: 'hidden', name: 'parent', value: parent });
      form.append(p);
      const id = `reply-body-${parent}`;
      form.querySelector('label')!.textContent = 'Your reply';
      form.querySelector('label')!.htmlFor = id;
      form.querySelector('textarea')!.id = id;
      form.querySelector('button')!.textContent = 'Post reply';
    }
    return form;
  }

  thread.addEventListener('submit', async (e) => {
    const form = e.target as HTMLFormElement;
    if (form.matches('form.vote')) {
      if (!me.signedIn) return;
      e.preventDefault();
      const res = await send(form, e.submitter);
      if (!res.ok) return alert(await errorText(res));
      const tally = (await res.json()) as { up: number; down: number; mine: number };
      const net = tally.up - tally.down;
      form.querySelector('.tally')!.textContent =
        `${net > 0 ? `+${net}` : net} ( +${tally.up} / -${tally.down} )`;
      me.votes = { ...me.votes, [voteId(form)]: tally.mine as 1 | -1 };
      mark(form, tally.mine);
    } else if (form.matches('form[data-post]')) {
      e.preventDefault();
      const error = form.querySelector<HTMLElement>('.compose__error')!;
      const button = form.querySelector('button')!;
      button.disabled = true;
      try {
        const res = await send(form);
        if (!res.ok) {
          error.textContent = await errorText(res);
          error.hidden = false;
          return;
        }
        const r = (await res.json()) as { id: number; status: string; location: string };
        error.hidden = true;
        form.querySelector('textarea')!.value = '';
        if (r.status !== 'published') {
          error.textContent =
            'Thank you. Your comment is waiting for a moderator and will appear once approved.';
          error.hidden = false;
          return;
        }
        if (form.closest('.comment')) form.remove();
        const hash = r.location.indexOf('#');
        await refresh(r.location.slice(0, hash), r.location.slice(hash));
      } finally {
        button.disabled = false;
      }
    }
  });

  thread.addEventListener('click', async (e) => {
    const a = (e.target as Element).closest('a');
    if (!a) return;
    if (a.matches('.comment__reply') && me.signedIn) {
      const li = a.closest('.comment')!;
      const open = li.querySelector(':scope > form, :scope > details > form');
      if (open) return e.preventDefault();
      const form = formFromTemplate(li.id.slice('comment-'.length));
      if (!form) return;
      e.preventDefault();
      li.querySelector('.comment__main')!.after(form);
      form.querySelector('textarea')!.focus();
    } else if (a.matches('[data-more]')) {
      e.preventDefault();
      const fresh = await fetchThread(a.href);
      const list = fresh?.querySelector('ol[data-list]');
      if (!fresh || !list) return location.assign(a.href);
      const items = Array.from(list.children).map((li) => document.adoptNode(li));
      thread.querySelector('ol[data-list]')!.append(...items);
      thread.dataset.page = fresh.dataset.page;
      const pages = fresh.querySelector('.thread__pages');
      if (pages) thread.querySelector('.thread__pages')!.replaceWith(document.adoptNode(pages));
      for (const li of items) apply(li);
      (items[0]?.querySelector('a') as HTMLElement | null)?.focus();
    }
  });

  // "N new comments, show": the stream sends the thread's count whenever it changes.
  const live = thread.querySelector<HTMLElement>('[data-live]')!;
  live.addEventListener('click', (e) => {
    if (!(e.target as Element).closest('button')) return;
    live.hidden = true;
    void refresh();
  });
  if ('EventSource' in window) {
    const source = new EventSource(`/comments/live?a=${articleId}`);
    source.addEventListener('count', (e) => {
      const n = Number((e as MessageEvent).data) - shownCount;
      if (n <= 0) {
        live.hidden = true;
        return;
      }
      live.hidden = false;
      live.replaceChildren();
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn btn--plain';
      b.textContent = `${n} new comment${n === 1 ? '' : 's'}, show`;
      live.append(b);
    });
  }

  times(document);
  setInterval(() => times(document), 60_000);

  const ids = $$<HTMLElement>('li.comment', thread)
    .map((li) => li.id.slice('comment-'.length))
    .join(',');
  fetch(`/comments/personal?a=${articleId}&ids=${ids}`, { credentials: 'same-origin' })
    .then((r) => (r.ok ? r.json() : { signedIn: false }))
    .then((p: Personal) => {
      me = p;
      if (!p.signedIn) return;
      const compose = thread.querySelector('[data-compose]');
      const form = formFromTemplate();
      if (compose && form && !compose.querySelector('form')) {
        compose.querySelector('.compose__signed-out')?.remove();
        compose.querySelector('.compose__signed-in')?.remove();
        compose.append(form);
      }
      apply(thread);
    })
    .catch(() => {});
}
