// The demo identity provider itself: an oidc-provider instance (a certified OpenID Connect server) with one
// client, Dateline, allowed to send readers back to the network's *.localhost sites. Its keys, cookies and
// grants live in memory for the life of the process: nothing here is meant to outlast a demo. Every
// authorisation asks the reader to pick an identity again, so the demo can sign in as someone else next time.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_IDENTITIES, type DemoIdentity } from './identities.ts';
import { demoMemoryStore } from './memory-store.ts';

/** The part of oidc-provider's API this module uses (the package ships no types). */
export interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interactionDetails(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ uid: string; prompt: { name: string }; params: Record<string, unknown> }>;
  interactionResult(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    opts?: { mergeWithLastSubmission?: boolean },
  ): Promise<string>;
  Grant: new (opts: {
    accountId: string;
    clientId: string;
  }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
  Client: { prototype: { redirectUriAllowed(uri: string): boolean } };
  on(event: string, fn: (...args: unknown[]) => void): void;
}

export interface DemoProvider {
  provider: OidcProvider;
  clientId: string;
  clientSecret: string;
  /** Remembers an identity typed on the sign-in page, so the token and user-info answers can name it. */
  remember(identity: DemoIdentity): void;
}

export const SCOPES = 'openid email profile';
export const CALLBACK_PATH = (providerId: string) => `/account/oauth/${providerId}/callback`;

export async function createDemoProvider(opts: {
  issuer: string;
  providerId: string;
  clientSecret: string;
  /** The callback URLs allowed now; `allowRedirect` is asked about any other (sites added later). */
  redirectUris: string[];
  allowRedirect: (uri: string) => boolean;
}): Promise<DemoProvider> {
  // biome-ignore lint/suspicious/noExplicitAny: oidc-provider ships no types; OidcProvider above lists the calls.
  const mod = (await import('oidc-provider' as string)) as { default: any; interactionPolicy: any };
  const { Check, base } = mod.interactionPolicy;
  const known = new Map<string, DemoIdentity>(DEMO_IDENTITIES.map((i) => [i.sub, i]));
  const policy = base();
  // Ask every time, even when the provider remembers the last pick: in a demo, trying a second reader is
  // the point. The check passes once this interaction has a login result, so the flow can finish.
  policy
    .get('login')
    .checks.push(
      new Check(
        'demo_pick_every_time',
        'a demo identity is picked for each sign-in',
        (ctx: { oidc: { result?: { login?: unknown } } }) =>
          ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
      ),
    );
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const clientId = 'dateline-demo';
  const provider = new mod.default(opts.issuer, {
    adapter: demoMemoryStore(),
    clients: [
      {
        client_id: clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: SCOPES.split(' '),
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...signing, use: 'sig', alg: 'RS256', kid: 'demo-id-1' }] },
    features: { devInteractions: { enabled: false } },
    interactions: {
      policy,
      url: (_ctx: unknown, interaction: { uid: string }) => `/sign-in/${interaction.uid}`,
    },
    // Nothing outlives a sign-in for long: the provider keeps no session after it (below).
    ttl: {
      Session: 600,
      Interaction: 600,
      Grant: 600,
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
    },
    expiresWithSession: async () => false,
    findAccount: (_ctx: unknown, sub: string) => {
      const who = known.get(sub);
      if (!who) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: who.email, email_verified: true, name: who.name }),
      };
    },
    renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `Demo sign-in (not a real identity provider): ${out.error}${out.error_description ? ` — ${out.error_description}` : ''}\n`;
    },
  }) as OidcProvider;
  // The provider forgets who signed in once it has answered the site, so the next sign-in in this browser
  // starts afresh (a remembered reader would otherwise turn picking another into a provider log-out).
  provider.on('authorization.success', (ctx) => {
    (ctx as { oidc: { session: { destroyed: boolean } } }).oidc.session.destroyed = true;
  });
  // Sites added while the server runs (in the admin) may use the demo provider too.
  const allowed = provider.Client.prototype.redirectUriAllowed;
  provider.Client.prototype.redirectUriAllowed = function (this: unknown, uri: string) {
    return allowed.call(this, uri) || opts.allowRedirect(uri);
  };
  return {
    provider,
    clientId,
    clientSecret: opts.clientSecret,
    remember: (identity) => {
      known.set(identity.sub, identity);
    },
  };
}
