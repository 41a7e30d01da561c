// The reader's "Get breaking news alerts in this browser" button (PushOptIn, ../opt-in.tsx). Nothing happens
// until the reader presses it: only then does the browser ask for permission, register the service worker
// (/push-sw.js) and subscribe with the network's VAPID key; the subscription is sent to /push/subscriptions
// with the CSRF token /push/key hands out. Pressed again it stops alerts in this browser. Browsers without
// service workers or push keep the button hidden.
interface KeyInfo {
  publicKey: string;
  csrf: string;
  available: boolean;
}

const ON = 'Stop breaking news alerts in this browser';
const OFF = 'Get breaking news alerts in this browser';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  // Backed by a plain ArrayBuffer, which is what PushManager.subscribe() accepts.
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(problem?.error?.message ?? 'The site did not accept the request. Try again later.');
  }
}

async function keyInfo(): Promise<KeyInfo> {
  const res = await fetch('/push/key', {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  if (!res.ok) throw new Error('Browser alerts are not available on this site right now.');
  return (await res.json()) as KeyInfo;
}

function setUp(root: HTMLElement): void {
  const button = root.querySelector<HTMLButtonElement>('[data-push-button]');
  const status = root.querySelector<HTMLElement>('[data-push-status]');
  if (!button || !status) return;
  const say = (text: string) => {
    status.textContent = text;
  };
  let subscription: PushSubscription | null = null;

  const show = () => {
    button.textContent = subscription ? ON : OFF;
    button.setAttribute('aria-pressed', subscription ? 'true' : 'false');
  };

  const refresh = async () => {
    const reg = await navigator.serviceWorker.getRegistration('/');
    subscription = (await reg?.pushManager.getSubscription()) ?? null;
    show();
    if (Notification.permission === 'denied' && !subscription) {
      button.disabled = true;
      say(
        'Notifications from this site are blocked in your browser settings. Allow them there to get alerts.',
      );
    }
  };

  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const info = await keyInfo();
      if (subscription) {
        const endpoint = subscription.endpoint;
        await subscription.unsubscribe();
        subscription = null;
        await post('/push/subscriptions/delete', { endpoint, csrf: info.csrf });
        say('Breaking news alerts are off in this browser.');
      } else {
        if (!info.available) throw new Error('This site sends no breaking news alerts yet.');
        const permission = await Notification.requestPermission();
        if (permission !== 'granted') {
          say('Alerts stay off: the browser was not allowed to show notifications from this site.');
          return;
        }
        const reg = await navigator.serviceWorker.register('/push-sw.js', { scope: '/' });
        await navigator.serviceWorker.ready;
        const sub = await reg.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(info.publicKey),
        });
        await post('/push/subscriptions', { subscription: sub.toJSON(), csrf: info.csrf });
        subscription = sub;
        say('Breaking news alerts are on: this browser will show them as notifications.');
      }
    } catch (err) {
      say((err as Error).message || 'Something went wrong. Try again later.');
    } finally {
      button.disabled = false;
      show();
    }
  });

  root.hidden = false;
  refresh().catch(() => {});
}

if ('serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window) {
  for (const root of document.querySelectorAll<HTMLElement>('[data-push-optin]')) setUp(root);
}
