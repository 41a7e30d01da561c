// The account links in every page's header. Pages are cached with the signed-out links; for a signed-in
// reader the response carries their own links instead (see personalise.ts).
import { renderToString } from 'preact-render-to-string';

export function SignedOutLinks() {
  return (
    <div class="masthead__account" id="account-links">
      <a href="/account/register">Register</a> / <a href="/account/login">Login</a>
    </div>
  );
}

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

/** The exact bytes the cached pages carry, which a signed-in response replaces. */
export const SIGNED_OUT_SLOT = Buffer.from(renderToString(<SignedOutLinks />));

export function signedInFragment(name: string, csrf: string): Buffer {
  return Buffer.from(renderToString(<SignedInLinks name={name} csrf={csrf} />));
}
