// Personal API tokens (/api-tokens, under You): a staff member with the editor role makes tokens for their
// scripts to call the wire API as themselves, sees when each was made and last used, and revokes them. A new
// token is shown once, on the answer to the form that made it (never in a URL or a later page); only its
// hash is kept (wire/personal-tokens.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatelineError } from '../../errors/catalogue.ts';
import type { PersonalToken, PersonalTokens } from '../../wire/personal-tokens.ts';
import { ADMIN_NOTICES, type AdminContext, type AdminKit, formValue } from '../route-kit.tsx';
import { TokenOnce } from './setup-views.tsx';
import { idParam, When } from './shared.tsx';

ADMIN_NOTICES.set('api-token-revoked', 'Token revoked: it no longer works.');

function TokensView(p: {
  tokens: PersonalToken[];
  csrf: string;
  made: { name: string; token: string } | null;
  name: string;
  problem: string | null;
  apiOrigin: string;
}) {
  return (
    <>
      {p.made && <TokenOnce title={`Your new token “${p.made.name}”`} token={p.made.token} />}
      <p class="wire-lede">
        A personal token lets a script use the wire API as you, with your roles: the review queue, problems
        and stories of the sites you are an editor on. Send it as <code>Authorization: Bearer dlp_…</code>,
        e.g.{' '}
        <code class="wire-break">curl -H "Authorization: Bearer $TOKEN" {p.apiOrigin}/api/wire/queue</code>.
      </p>
      <div class="adm-table-wrap wire-table-wrap">
        <table class="adm-table">
          <caption class="adm-muted">Your tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="wire-sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.tokens.length === 0 && (
              <tr>
                <td colSpan={4}>You have no API token.</td>
              </tr>
            )}
            {p.tokens.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>
                  <When at={t.createdAt} zone="UTC" />
                </td>
                <td>
                  {t.lastUsedAt ? (
                    <When at={t.lastUsedAt} zone="UTC" />
                  ) : (
                    <span class="adm-muted">Never</span>
                  )}
                </td>
                <td>
                  <form method="post" action={`/api-tokens/${t.id}/revoke`}>
                    <input type="hidden" name="csrf" value={p.csrf} />
                    <button
                      type="submit"
                      class="adm-button adm-button-danger"
                      data-confirm={`Revoke “${t.name}”? Scripts using it stop working at once.`}
                    >
                      Revoke<span class="wire-sr-only"> {t.name}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/api-tokens" class="adm-panel adm-narrow wire-token-form">
        <h2>Make a token</h2>
        <input type="hidden" name="csrf" value={p.csrf} />
        <div class={`adm-field${p.problem ? ' adm-field-problem' : ''}`}>
          <label for="token-name">Name</label>
          <p class="adm-hint" id="token-name-hint">
            What will use it, e.g. “desk script”.
          </p>
          {p.problem && (
            <p class="adm-problem" id="token-name-problem">
              {p.problem}
            </p>
          )}
          <input
            id="token-name"
            name="name"
            type="text"
            value={p.name}
            required
            maxLength={100}
            aria-invalid={p.problem ? 'true' : undefined}
            aria-describedby={p.problem ? 'token-name-hint token-name-problem' : 'token-name-hint'}
          />
        </div>
        <button type="submit" class="adm-button">
          Make the token
        </button>
      </form>
    </>
  );
}

export function tokenRoutes(kit: AdminKit, tokens: PersonalTokens): void {
  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: AdminContext,
    o: { made?: { name: string; token: string }; name?: string; problem?: string; status?: number } = {},
  ) =>
    kit.render(
      req,
      reply,
      a,
      {
        title: 'API tokens',
        current: 'api-tokens',
        status: o.status,
        ...(o.made && { notice: { kind: 'ok' as const, text: 'Token made. Copy it now.' } }),
      },
      <TokensView
        tokens={await tokens.list(a.staff.userId)}
        csrf={a.csrf}
        made={o.made ?? null}
        name={o.name ?? ''}
        problem={o.problem ?? null}
        apiOrigin={a.requestContext.origin}
      />,
    );

  kit.page('/api-tokens', { cap: 'wire.review' }, async (req, reply, a) => page(req, reply, a));

  kit.action('/api-tokens', { cap: 'wire.review' }, async (req, reply, a) => {
    const name = formValue(req.body, 'name');
    try {
      const { token, record } = await tokens.create(a.staff.userId, name, a.actor);
      return page(req, reply, a, { made: { name: record.name, token } });
    } catch (e) {
      if (!isDatelineError(e, 'PERSONAL_TOKEN_INVALID')) throw e;
      return page(req, reply, a, { name, problem: e.message, status: e.statusCode });
    }
  });

  kit.action('/api-tokens/:id/revoke', { cap: 'wire.review' }, async (req, reply, a) => {
    await tokens.revoke(a.staff.userId, idParam(req.params), a.actor);
    return kit.seeOther(reply, '/api-tokens', 'api-token-revoked');
  });
}
