// The opt-in for breaking alerts in the browser, for the pages that offer alerts (/newsletters and My
// account place it). It renders hidden: its script (client/opt-in.ts) shows it only where the browser can
// take push notifications (with whatever heading and text the page puts inside), and asks for permission only when the reader presses the button, never on load.
import type { ComponentChildren, VNode } from 'preact';
import { pushScriptPath } from './routes.tsx';

export function PushOptIn({ children }: { children?: ComponentChildren }): VNode {
  return (
    <div class="push-optin" data-push-optin hidden>
      {children}
      <button type="button" class="btn btn--plain push-optin__button" data-push-button aria-pressed="false">
        Get breaking news alerts in this browser
      </button>
      <p class="push-optin__status" data-push-status role="status" aria-live="polite" />
      <script type="module" src={pushScriptPath()} />
    </div>
  );
}
