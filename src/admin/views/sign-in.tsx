// The admin's sign-in and first-start forms. Plain forms that work without JavaScript; the password
// managers' autocomplete names are set so staff can use them.
import { PASSWORD_MIN } from '../../accounts/passwords.ts';
import { Field } from './layout.tsx';

export function SignInPage(p: { csrf: string; next: string; email: string }) {
  return (
    <form class="adm-panel adm-narrow" method="post" action="/login">
      <input type="hidden" name="csrf" value={p.csrf} />
      <input type="hidden" name="next" value={p.next} />
      <Field
        name="email"
        label="Email address"
        type="email"
        value={p.email}
        autocomplete="username"
        required
      />
      <Field name="password" label="Password" type="password" autocomplete="current-password" required />
      <button type="submit" class="adm-button">
        Sign in
      </button>
      <p class="adm-muted">
        Staff only. Readers sign in on the sites. Forgot your password? Ask an admin for a new link, or run{' '}
        <code>dateline user reset</code> on the server.
      </p>
    </form>
  );
}

export function SetupPage(p: {
  csrf: string;
  token: string;
  values: Record<string, string>;
  problems: Record<string, string>;
}) {
  return (
    <form class="adm-panel adm-narrow" method="post" action="/setup">
      <p>
        This network has no newsroom account yet. The account you create here is its <strong>owner</strong>:
        it can do everything, and invite the rest of the newsroom. This link works once.
      </p>
      <input type="hidden" name="csrf" value={p.csrf} />
      <input type="hidden" name="t" value={p.token} />
      <Field
        name="displayName"
        label="Your name"
        value={p.values.displayName}
        problem={p.problems.displayName}
        autocomplete="name"
        required
      />
      <Field
        name="email"
        label="Email address"
        type="email"
        value={p.values.email}
        problem={p.problems.email}
        autocomplete="username"
        required
      />
      <Field
        name="password"
        label="Password"
        type="password"
        hint={`At least ${PASSWORD_MIN} characters. A sentence you will remember works well.`}
        problem={p.problems.password}
        autocomplete="new-password"
        required
      />
      <button type="submit" class="adm-button">
        Create the owner account
      </button>
    </form>
  );
}
