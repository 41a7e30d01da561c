// "Newsletters and alerts" in My account: the site's newsletters with the reader's standing on each, and
// the news alerts (the site's alert list, and the consent the social sign-up invitation asked for), all in
// one small form. A reader whose address is not verified is told to confirm it first.

import { Csrf } from '../../../accounts/views/forms.tsx';
import type { SiteContext } from '../../../sites/directory.ts';
import { PushOptIn } from '../../push/opt-in.tsx';
import { howOften } from '../schedule-words.ts';
import type { ListChoice } from '../subscriptions.ts';

export interface AccountPartProps {
  ctx: SiteContext;
  csrf: string;
  email: string | null;
  verified: boolean;
  choices: ListChoice[];
  alerts: { confirmedAt: Date | null; invitedAt: Date | null; active: boolean };
}

function alertsState(ctx: SiteContext, a: AccountPartProps['alerts']): string {
  if (a.active && a.confirmedAt)
    return `You receive our news alerts (you asked for them on ${ctx.dateFormat.format(a.confirmedAt)}).`;
  if (a.active) return 'You receive our news alerts.';
  if (a.confirmedAt) return `You asked for news alerts on ${ctx.dateFormat.format(a.confirmedAt)}.`;
  if (a.invitedAt) return 'We invited you to our news alerts by mail; you have not asked for them.';
  return 'You have not asked for news alerts.';
}

export function NewslettersAccountPart(p: AccountPartProps) {
  const { ctx } = p;
  const digests = p.choices.filter((c) => c.newsletter.kind === 'digest');
  const hasAlertsList = p.choices.some((c) => c.newsletter.kind === 'alerts');
  return (
    <section aria-labelledby="newsletters">
      <h2 id="newsletters">Newsletters and alerts</h2>
      <p id="alerts">{alertsState(ctx, p.alerts)}</p>
      {!p.email || !p.verified ? (
        <p>Confirm your email address to receive newsletters and alerts at it.</p>
      ) : (
        <form method="post" action="/account/newsletters">
          <Csrf token={p.csrf} />
          <fieldset class="newsletters__choice">
            <legend>What we send to {p.email}</legend>
            <ul class="newsletters__list">
              <li class="newsletter">
                <input id="acct-alerts" type="checkbox" name="alerts" value="1" checked={p.alerts.active} />
                <div class="newsletter__text">
                  <label for="acct-alerts" class="newsletter__name">
                    News alerts
                  </label>
                  <p class="newsletter__often">
                    {hasAlertsList ? 'When major news breaks, by email.' : 'When major news breaks.'}
                  </p>
                </div>
              </li>
              {digests.map(({ newsletter: list, status }) => (
                <li key={list.id} class="newsletter">
                  <input
                    id={`acct-n-${list.id}`}
                    type="checkbox"
                    name="n"
                    value={String(list.id)}
                    checked={status === 'active'}
                  />
                  <div class="newsletter__text">
                    <label for={`acct-n-${list.id}`} class="newsletter__name">
                      {list.name}
                    </label>
                    <p class="newsletter__often">{howOften(list, ctx.site.timeZone)}</p>
                  </div>
                </li>
              ))}
            </ul>
          </fieldset>
          <p>
            <button class="btn btn--plain" type="submit">
              Save newsletters and alerts
            </button>
          </p>
        </form>
      )}
      {hasAlertsList ? <PushOptIn /> : null}
    </section>
  );
}
