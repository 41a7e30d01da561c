// The account links in every page's header. Pages are cached with the signed-out links; for a signed-in
// reader the response carries their own links instead (see personalise.ts). The signed-out links take the
// reader back to the page they were on once signed in: a cached page is per path, so its links can carry
// that path as `next` (checked again by the login and register routes, see redirects.ts).
import { renderToString } from 'preact-render-to-string';
import type { MastheadItem } from '../../web/slots.ts';

/**
 * Where the signed-out links sit in a page: from this opening tag to the first closing `</div>` after it,
 * so the links inside must never contain a div of their own.
 */
export const ACCOUNT_SLOT = {
  start: Buffer.from('<div class="masthead__account" id="account-links">'),
  end: Buffer.from('</div>'),
};

/** `?next=…` for a page a reader would want to come back to (not the account pages themselves). */
function returnTo(path: string | undefined): string {
  if (!path || path === '/' || !path.startsWith('/') || path.startsWith('//')) return '';
  if (path === '/account' || path.startsWith('/account/') || path.startsWith('/account?')) return '';
  return `?next=${encodeURIComponent(path)}`;
}

export function SignedOutLinks({ next }: { next?: string }) {
  const back = returnTo(next);
  return (
    <div class="masthead__account" id="account-links">
      <a href={`/account/register${back}`}>Register</a> / <a href={`/account/login${back}`}>Login</a>
    </div>
  );
}

/** The links as the masthead slot's item (web/slots.ts), listed by the composition root. */
export const accountMastheadItem: MastheadItem = {
  render: (_ctx, page) => <SignedOutLinks next={page.path} />,
};

export function SignedInLinks({ name, csrf }: { name: string; csrf: string }) {
  return (
    <div class="masthead__account" id="account-links">
      <a href="/account" title="My account">
        {name}
      </a>
      <form method="post" action="/account/logout">
        <input type="hidden" name="csrf" value={csrf} />
        <button type="submit">Log out</button>
      </form>
    </div>
  );
}

export function signedInFragment(name: string, csrf: string): Buffer {
  return Buffer.from(renderToString(<SignedInLinks name={name} csrf={csrf} />));
}
