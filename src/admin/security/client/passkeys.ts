// The passkey parts of the security screens, which need WebAuthn in the browser (@simplewebauthn/browser):
// - Security: "Add a passkey" asks the server for options, lets the browser make the credential, and sends
//   it back with its name; the account's first second step comes with recovery codes, shown here once;
// - the sign-in second step: "Use a passkey" asks for options for the pending sign-in, lets the browser
//   sign, and goes on to the page asked for.
// Where the browser has no WebAuthn the controls stay hidden and the pages say passkeys need it.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';

interface ErrorBody {
  error?: { code?: string; message?: string };
}

async function post(url: string, body: object, csrf: string | null): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown> & ErrorBody;
  if (!res.ok)
    throw new Error(
      json.error?.message ?? `The server answered ${res.status}. Reload the page and try again.`,
    );
  return json;
}

/** What to tell the person when the browser's own step ends without a passkey. */
function browserProblem(e: unknown): string {
  const name = e instanceof Error ? e.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError')
    return "No passkey was used (the browser's window was closed or timed out). Try again when ready.";
  if (name === 'InvalidStateError') return 'This passkey is registered already.';
  return e instanceof Error ? e.message : String(e);
}

function show(el: HTMLElement | null, text: string): void {
  if (!el) return;
  el.textContent = text;
  el.hidden = text === '';
}

const supported = browserSupportsWebAuthn();
for (const note of document.querySelectorAll<HTMLElement>('[data-passkey-unavailable]'))
  note.hidden = supported;

// ---------------------------------------------------------------- Security: add a passkey

const register = document.querySelector<HTMLFormElement>('form[data-passkey-register]');
if (register && supported) {
  register.hidden = false;
  const problem = register.querySelector<HTMLElement>('[data-passkey-problem]');
  const button = register.querySelector<HTMLButtonElement>('button[type=submit]');
  register.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const csrf = register.dataset.csrf ?? null;
    const name = (register.elements.namedItem('passkeyName') as HTMLInputElement | null)?.value ?? '';
    show(problem, '');
    if (button) button.disabled = true;
    try {
      const { options } = await post('/security/passkeys/options', {}, csrf);
      let response: unknown;
      try {
        response = await startRegistration({ optionsJSON: options as never });
      } catch (e) {
        throw new Error(browserProblem(e));
      }
      const done = await post('/security/passkeys', { name, response }, csrf);
      const codes = done.recoveryCodes as string[] | null;
      const panel = document.querySelector<HTMLElement>('[data-passkey-codes]');
      if (codes && panel) {
        const list = panel.querySelector('ul');
        for (const c of codes) {
          const li = document.createElement('li');
          const code = document.createElement('code');
          code.textContent = c;
          li.append(code);
          list?.append(li);
        }
        register.hidden = true;
        panel.hidden = false;
        panel.querySelector<HTMLElement>('a')?.focus();
      } else {
        window.location.assign('/security?done=passkey-added');
      }
    } catch (e) {
      show(problem, e instanceof Error ? e.message : String(e));
    } finally {
      if (button) button.disabled = false;
    }
  });
}

// ---------------------------------------------------------------- sign-in: use a passkey

const signIn = document.querySelector<HTMLElement>('[data-passkey-sign-in]');
if (signIn && supported) {
  const button = signIn.querySelector<HTMLButtonElement>('button');
  const problem = signIn.querySelector<HTMLElement>('[data-passkey-problem]');
  if (button) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const csrf = signIn.dataset.csrf ?? '';
      const next = signIn.dataset.next ?? '/';
      show(problem, '');
      button.disabled = true;
      try {
        const { options } = await post('/login/second-factor/passkey/options', { csrf }, null);
        let response: unknown;
        try {
          response = await startAuthentication({ optionsJSON: options as never });
        } catch (e) {
          throw new Error(browserProblem(e));
        }
        const done = await post('/login/second-factor/passkey', { csrf, next, response }, null);
        window.location.assign(typeof done.next === 'string' ? done.next : '/');
      } catch (e) {
        show(problem, e instanceof Error ? e.message : String(e));
        button.disabled = false;
      }
    });
  }
}
