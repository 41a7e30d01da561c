// The demo identity provider's pages: pick one of the demo readers, or type any address. Every page says
// plainly that this is a demo and not a real identity provider, and the stylesheet is its own (served from
// the provider's host, within the same strict content security policy as the sites).
import type { ComponentChildren } from 'preact';
import { DEMO_IDENTITIES } from './identities.ts';

export const BANNER = 'Demo sign-in — not a real identity provider';

export const DEMO_ID_CSS = `
:root { color-scheme: light dark; --ink: #1d1d1f; --muted: #4a4a50; --paper: #f6f4ef; --card: #fff;
  --line: #c9c4b8; --accent: #0b57d0; --on-accent: #fff; --warn-bg: #ffe08a; --warn-ink: #3b2a00; --bad: #a40e26; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #f1f0ec; --muted: #c3c1ba; --paper: #17171a; --card: #232327; --line: #4b4a50;
    --accent: #8ab4f8; --on-accent: #0b1d3a; --warn-bg: #5c4400; --warn-ink: #fff2c9; --bad: #ffb4ab; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.banner { margin: 0; padding: .75rem 1rem; background: var(--warn-bg); color: var(--warn-ink);
  font-weight: 700; text-align: center; border-bottom: 2px dashed currentColor; }
main { max-width: 32rem; margin: 1.5rem auto; padding: 0 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .75rem; padding: 1.25rem; }
h1 { font-size: 1.5rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
p { margin: 0 0 .75rem; }
.muted { color: var(--muted); font-size: .95rem; }
.people { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
button { font: inherit; cursor: pointer; }
.person { width: 100%; min-height: 3rem; text-align: left; padding: .6rem .85rem; border-radius: .5rem;
  border: 1px solid var(--line); background: var(--card); color: var(--ink); display: flex; flex-direction: column; }
.person:hover, .person:focus-visible { border-color: var(--accent); outline: 2px solid var(--accent); outline-offset: 1px; }
.person strong { font-weight: 650; }
.person span { color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input { width: 100%; font: inherit; padding: .55rem .7rem; border-radius: .4rem; border: 1px solid var(--muted);
  background: var(--card); color: var(--ink); min-height: 2.75rem; }
.primary { margin-top: 1rem; min-height: 2.75rem; padding: .55rem 1.1rem; border-radius: .5rem; border: 0;
  background: var(--accent); color: var(--on-accent); font-weight: 650; }
.error { color: var(--bad); font-weight: 600; }
a { color: var(--accent); }
`;

function Shell({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · ${BANNER}`}</title>
        <link rel="stylesheet" href="/demo-id.css" />
      </head>
      <body>
        <p class="banner" role="note">
          {BANNER}
        </p>
        <main>
          <div class="card">{children}</div>
        </main>
      </body>
    </html>
  );
}

export function PickPage(props: {
  uid: string;
  siteName: string | null;
  error?: { code: string; message: string } | null;
  email?: string;
  name?: string;
}) {
  const action = `/sign-in/${encodeURIComponent(props.uid)}`;
  return (
    <Shell title="Sign in with Demo ID">
      <h1>Sign in with Demo ID</h1>
      <p>
        {props.siteName ? <strong>{props.siteName}</strong> : 'A Dateline site'} asks who you are. This page
        stands in for a social login such as Google or Facebook so you can try that kind of sign-in in the
        demo: no password is asked and nothing leaves this machine.
      </p>
      {props.error ? (
        <p class="error" role="alert" data-code={props.error.code}>
          {props.error.message}
        </p>
      ) : null}
      <h2>Pick a demo reader</h2>
      <form method="post" action={action}>
        <ul class="people">
          {DEMO_IDENTITIES.map((p) => (
            <li key={p.sub}>
              <button class="person" type="submit" name="identity" value={p.sub}>
                <strong>{p.name}</strong>
                <span>{p.email}</span>
              </button>
            </li>
          ))}
        </ul>
      </form>
      <h2>Or use any address</h2>
      <form method="post" action={action}>
        <label for="email">Email address</label>
        <input id="email" name="email" type="email" autocomplete="email" required value={props.email ?? ''} />
        <label for="name">Name (optional)</label>
        <input
          id="name"
          name="name"
          type="text"
          autocomplete="name"
          maxLength={80}
          value={props.name ?? ''}
        />
        <button class="primary" type="submit">
          Continue
        </button>
      </form>
      <p class="muted">
        The address is taken as verified, as a real provider would vouch for it. Mail to it lands in the
        demo's outbox (<code>dateline mail outbox</code>), not in a real inbox.
      </p>
    </Shell>
  );
}

export function MessagePage(props: { title: string; text: string; code?: string }) {
  return (
    <Shell title={props.title}>
      <h1>{props.title}</h1>
      <p data-code={props.code}>{props.text}</p>
    </Shell>
  );
}
