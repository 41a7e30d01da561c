// The admin's two-factor screens: the second step of signing in (a code from the app, a passkey, or a
// recovery code), Security (what the account has, with its actions), enrolling an authenticator app (a QR
// code drawn on the server, and the secret and otpauth link as text for those who cannot scan), and the
// recovery codes, shown once. Plain forms; passkeys need the screen's script, and say so without it.
import type { PasskeySummary, TotpEnrolment, TwoFactorStatus } from '../../accounts/two-factor.ts';
import { Field } from '../views/layout.tsx';
import type { QrDrawing } from './qr-code.ts';

export const SECURITY_CSS = `
.adm-codes { list-style: none; padding: 0; margin: 1rem 0; display: grid;
  grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .5rem; }
.adm-codes li { font: 1.05rem/1.6 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: .25rem .5rem;
  border: 1px solid #9ca3af; border-radius: 4px; text-align: center; }
.adm-secret { font: 1.05rem/1.6 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.adm-qr { display: block; width: 14rem; max-width: 100%; height: auto; background: #fff; margin: .5rem 0 1rem; }
.adm-qr path { fill: #000; }
.adm-passkeys { list-style: none; padding: 0; margin: 0 0 1rem; }
.adm-passkeys > li { border-top: 1px solid #d1d5db; padding: .75rem 0; display: flex; flex-wrap: wrap;
  gap: .5rem 1rem; align-items: end; }
.adm-passkeys form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
.adm-passkeys .adm-field { margin: 0; }
.adm-passkey-name { font-weight: 600; }
.adm-second-way { margin-top: 1.5rem; }
.adm-second-way summary { cursor: pointer; }
`;

const dateTime = (d: Date) =>
  `${d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;

// ------------------------------------------------------------------ the sign-in second step

export function SecondFactorPage(p: {
  csrf: string;
  next: string;
  hasTotp: boolean;
  hasPasskeys: boolean;
  /** The form the problem belongs to, whose field is marked. */
  problem?: { method: 'code' | 'recovery'; text: string };
}) {
  const recoveryOpen = !p.hasTotp && !p.hasPasskeys ? true : p.problem?.method === 'recovery';
  return (
    <div class="adm-panel adm-narrow">
      <p>Your password was right. One more step proves it is you.</p>
      {p.hasTotp && (
        <form method="post" action="/login/second-factor">
          <input type="hidden" name="csrf" value={p.csrf} />
          <input type="hidden" name="next" value={p.next} />
          <input type="hidden" name="method" value="code" />
          <Field
            name="code"
            label="Code from your authenticator app"
            hint="Six digits. A new code appears every 30 seconds."
            problem={p.problem?.method === 'code' ? p.problem.text : undefined}
            autocomplete="one-time-code"
            inputMode="numeric"
            required
          />
          <button type="submit" class="adm-button">
            Continue
          </button>
        </form>
      )}
      {p.hasPasskeys && (
        <div class="adm-second-way" data-passkey-sign-in="" data-csrf={p.csrf} data-next={p.next}>
          <p class="adm-muted" data-passkey-unavailable="">
            Passkeys need JavaScript and a browser that supports them.
          </p>
          <button type="button" class="adm-button adm-button-quiet" hidden>
            Use a passkey
          </button>
          <p class="adm-problem" role="alert" data-passkey-problem="" hidden />
        </div>
      )}
      <details class="adm-second-way" open={recoveryOpen}>
        <summary>Lost your phone? Use a recovery code</summary>
        <form method="post" action="/login/second-factor">
          <input type="hidden" name="csrf" value={p.csrf} />
          <input type="hidden" name="next" value={p.next} />
          <input type="hidden" name="method" value="recovery" />
          <Field
            name="recoveryCode"
            label="Recovery code"
            hint="One of the ten codes you kept when you set up two-factor sign-in, such as abcde-23456. Each works once."
            problem={p.problem?.method === 'recovery' ? p.problem.text : undefined}
            autocomplete="off"
            required
          />
          <button type="submit" class="adm-button adm-button-quiet">
            Use recovery code
          </button>
        </form>
      </details>
      <p class="adm-muted">
        No code and no recovery code? An admin can reset your two-factor sign-in.{' '}
        <a href="/login">Start again</a>
      </p>
    </div>
  );
}

// ------------------------------------------------------------------ Security

export function SecurityPage(p: {
  csrf: string;
  status: TwoFactorStatus;
  /** The account's roles require TOTP. */
  required: boolean;
  /** A problem with a passkey's new name, shown beside that passkey. */
  renameProblem?: { passkeyId: number; text: string };
}) {
  const s = p.status;
  return (
    <>
      <section class="adm-panel" aria-labelledby="sec-app">
        <h2 id="sec-app">Authenticator app</h2>
        {s.totp ? (
          <>
            <p>
              <span class="adm-badge adm-badge-ok">On</span> Since {dateTime(s.totpConfirmedAt!)}
              {s.totpLastUsedAt && <>; last used {dateTime(s.totpLastUsedAt)}</>}.
            </p>
            <div class="adm-toolbar">
              <form method="post" action="/security/two-factor/start">
                <input type="hidden" name="csrf" value={p.csrf} />
                <button type="submit" class="adm-button adm-button-quiet">
                  Move to a new phone
                </button>
              </form>
              {!p.required && (
                <form method="post" action="/security/two-factor/remove">
                  <input type="hidden" name="csrf" value={p.csrf} />
                  <button
                    type="submit"
                    class="adm-button adm-button-danger"
                    data-confirm="Turn off the authenticator app? Signing in will ask only for your password."
                  >
                    Turn off
                  </button>
                </form>
              )}
            </div>
            {p.required && (
              <p class="adm-muted">Your role (admin or owner) needs it, so it cannot be turned off.</p>
            )}
          </>
        ) : (
          <>
            <p>
              <span class={`adm-badge ${p.required ? 'adm-badge-bad' : 'adm-badge-warn'}`}>Off</span>{' '}
              {p.required
                ? 'Your role (admin or owner) needs it: set it up to use the admin.'
                : 'Signing in asks only for your password. An app on your phone (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis) adds a code that changes every 30 seconds.'}
            </p>
            <p>
              <a class="adm-button" href="/security/two-factor">
                Set up an authenticator app
              </a>
            </p>
          </>
        )}
      </section>

      <section class="adm-panel" aria-labelledby="sec-codes">
        <h2 id="sec-codes">Recovery codes</h2>
        {s.enabled ? (
          <>
            <p>
              {s.recoveryCodesLeft === 0 ? 'None left.' : `${s.recoveryCodesLeft} of 10 left.`} Each signs you
              in once in place of a code, if you lose your phone or passkey.
            </p>
            <form method="post" action="/security/recovery-codes">
              <input type="hidden" name="csrf" value={p.csrf} />
              <button
                type="submit"
                class="adm-button adm-button-quiet"
                data-confirm="Make ten new recovery codes? The old ones stop working."
              >
                Make new codes
              </button>
            </form>
          </>
        ) : (
          <p class="adm-muted">You get ten when you set up an authenticator app or add a passkey.</p>
        )}
      </section>

      <section class="adm-panel" aria-labelledby="sec-passkeys">
        <h2 id="sec-passkeys">Passkeys</h2>
        <p>
          A passkey (a security key, or your computer's or phone's screen lock) can stand in for the app's
          code when you sign in.
        </p>
        {s.passkeys.length > 0 ? (
          <ul class="adm-passkeys">
            {s.passkeys.map((k) => (
              <PasskeyItem
                key={k.id}
                csrf={p.csrf}
                passkey={k}
                problem={p.renameProblem?.passkeyId === k.id ? p.renameProblem.text : undefined}
              />
            ))}
          </ul>
        ) : (
          <p class="adm-muted">No passkeys yet.</p>
        )}
        <form data-passkey-register="" data-csrf={p.csrf} hidden>
          <Field
            name="passkeyName"
            label="Name for the new passkey"
            hint='Such as "Work laptop" or "Blue key".'
          />
          <button type="submit" class="adm-button">
            Add a passkey
          </button>
          <p class="adm-problem" role="alert" data-passkey-problem="" hidden />
        </form>
        <p class="adm-muted" data-passkey-unavailable="">
          Adding a passkey needs JavaScript and a browser that supports passkeys.
        </p>
        <div data-passkey-codes="" hidden>
          <RecoveryCodesBody codes={[]} />
          <p>
            <a class="adm-button" href="/security?done=passkey-added">
              I have kept them
            </a>
          </p>
        </div>
      </section>
    </>
  );
}

function PasskeyItem(p: { csrf: string; passkey: PasskeySummary; problem?: string }) {
  const k = p.passkey;
  const fieldName = `name-${k.id}`;
  return (
    <li>
      <div>
        <div class="adm-passkey-name">{k.name}</div>
        <div class="adm-muted">
          Added {dateTime(k.createdAt)};{' '}
          {k.lastUsedAt ? `last used ${dateTime(k.lastUsedAt)}` : 'not used yet'}
          {k.deviceType === 'multiDevice' ? '; synced between devices' : ''}
        </div>
      </div>
      <form method="post" action={`/security/passkeys/${k.id}/rename`}>
        <input type="hidden" name="csrf" value={p.csrf} />
        <Field name={fieldName} label={`New name for ${k.name}`} value={k.name} problem={p.problem} />
        <button type="submit" class="adm-button adm-button-quiet">
          Rename
        </button>
      </form>
      <form method="post" action={`/security/passkeys/${k.id}/delete`}>
        <input type="hidden" name="csrf" value={p.csrf} />
        <button
          type="submit"
          class="adm-button adm-button-danger"
          data-confirm={`Remove the passkey "${k.name}"? It will no longer sign you in.`}
        >
          Remove
        </button>
      </form>
    </li>
  );
}

// ------------------------------------------------------------------ enrolling an app

export function EnrolPage(p: {
  csrf: string;
  next: string;
  enrolment: TotpEnrolment;
  qr: QrDrawing;
  required: boolean;
  replacing: boolean;
  problem?: string;
}) {
  const grouped = p.enrolment.secret.replace(/(.{4})(?=.)/g, '$1 ');
  return (
    <div class="adm-panel adm-narrow">
      {p.required && !p.replacing && (
        <p class="adm-notice adm-notice-warn">
          Your role (admin or owner) needs two-factor sign-in. Set it up to continue to the admin.
        </p>
      )}
      {p.replacing && <p>Your current app keeps working until the new one is confirmed here.</p>}
      <ol>
        <li>
          <p>Open your authenticator app and add an account by scanning this code:</p>
          <svg
            class="adm-qr"
            viewBox={`0 0 ${p.qr.size} ${p.qr.size}`}
            role="img"
            aria-label="QR code of the authenticator-app secret"
            xmlns="http://www.w3.org/2000/svg"
            shape-rendering="crispEdges"
          >
            <path d={p.qr.path} />
          </svg>
          <p>Cannot scan? Type this key into the app (spaces do not matter), as a time-based key:</p>
          <p class="adm-secret">
            <code>{grouped}</code>
          </p>
          <p class="adm-muted">
            On the phone itself, <a href={p.enrolment.otpauthUrl}>open this link in the app</a>.
          </p>
        </li>
        <li>
          <form method="post" action="/security/two-factor">
            <input type="hidden" name="csrf" value={p.csrf} />
            <input type="hidden" name="next" value={p.next} />
            <Field
              name="code"
              label="Code the app now shows"
              hint="Six digits."
              problem={p.problem}
              autocomplete="one-time-code"
              inputMode="numeric"
              required
            />
            <button type="submit" class="adm-button">
              Confirm
            </button>
          </form>
        </li>
      </ol>
      <form method="post" action="/security/two-factor/start">
        <input type="hidden" name="csrf" value={p.csrf} />
        <button type="submit" class="adm-button adm-button-quiet">
          Show a new key instead
        </button>
      </form>
    </div>
  );
}

// ------------------------------------------------------------------ recovery codes, shown once

function RecoveryCodesBody(p: { codes: string[] }) {
  return (
    <>
      <p>
        <strong>Keep these ten codes somewhere safe</strong>, apart from your phone: printed, or in a password
        manager. Each signs you in once if you lose your phone. They are shown only now.
      </p>
      <ul class="adm-codes" aria-label="Recovery codes">
        {p.codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
    </>
  );
}

export function RecoveryCodesPage(p: { codes: string[]; next: string; lead: string }) {
  return (
    <div class="adm-panel adm-narrow">
      <p>{p.lead}</p>
      <RecoveryCodesBody codes={p.codes} />
      <p>
        <a class="adm-button" href={p.next}>
          I have kept them
        </a>
      </p>
    </div>
  );
}
