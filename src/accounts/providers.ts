// Talking to sign-in providers with openid-client: generic OpenID Connect (discovered from the issuer; code
// flow with PKCE, state and nonce, ID token checked) and plain OAuth2 providers such as Facebook (code flow
// with state and, unless turned off, PKCE; the profile comes from the user-info endpoint through the field
// mapping). Plain-http endpoints are only accepted for loopback addresses, which is what tests use.
import * as oidc from 'openid-client';
import { DatelineError } from '../errors/catalogue.ts';
import type { AuthProviderConfig, OidcProviderConfig } from './provider-config.ts';

export interface SocialProfile {
  provider: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export interface FlowChecks {
  state: string;
  nonce: string;
  verifier: string;
}

function loopback(u: string): boolean {
  const { protocol, hostname } = new URL(u);
  return (
    protocol === 'http:' &&
    (hostname === '127.0.0.1' ||
      hostname === 'localhost' ||
      hostname === '[::1]' ||
      hostname.endsWith('.localhost'))
  );
}

function pick(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function providerFailed(p: AuthProviderConfig, err: unknown): DatelineError {
  return new DatelineError(
    'PROVIDER_FAILED',
    `Signing in with ${p.name} did not work (${(err as Error)?.message ?? 'no answer'}). Try again, or sign in with your email and password.`,
    { provider: p.id },
    { cause: err },
  );
}

export class ProviderClients {
  private readonly configs = new Map<string, Promise<oidc.Configuration>>();
  /** Providers the server answers for itself (the demo's, src/demo/identity/), reached through `fetch`. */
  private readonly inProcess = new Map<string, oidc.CustomFetch>();

  private readonly providers: AuthProviderConfig[];

  constructor(providers: AuthProviderConfig[]) {
    // A copy: providers added in process (addInProcess) are not the configuration's.
    this.providers = [...providers];
    for (const p of providers) {
      const urls = p.kind === 'oidc' ? [p.issuer] : [p.authorizeUrl, p.tokenUrl, p.userInfoUrl];
      const bad = urls.find((u) => new URL(u).protocol !== 'https:' && !loopback(u));
      if (bad) {
        throw new DatelineError(
          'CONFIG_INVALID',
          `Provider ${p.id}: ${bad} must use https (plain http is allowed for loopback only).`,
          {
            setting: 'DATELINE_AUTH_PROVIDERS',
          },
        );
      }
    }
  }

  /** Adds an OpenID Connect provider served by this server, whose requests go through `fetch`. */
  addInProcess(p: OidcProviderConfig, fetch: oidc.CustomFetch): void {
    if (this.providers.some((x) => x.id === p.id)) {
      throw new DatelineError('CONFIG_INVALID', `Provider ${p.id} is configured twice.`, {
        setting: 'DATELINE_AUTH_PROVIDERS',
      });
    }
    this.providers.push(p);
    this.inProcess.set(p.id, fetch);
  }

  list(): { id: string; name: string }[] {
    return this.providers.map((p) => ({ id: p.id, name: p.name }));
  }

  get(id: string): AuthProviderConfig {
    const p = this.providers.find((x) => x.id === id);
    if (!p) {
      throw new DatelineError(
        'PROVIDER_NOT_FOUND',
        `There is no sign-in provider "${id}" here. Use one of the buttons on the sign-in page.`,
      );
    }
    return p;
  }

  private configuration(p: AuthProviderConfig): Promise<oidc.Configuration> {
    let c = this.configs.get(p.id);
    if (!c) {
      c = (async () => {
        if (p.kind === 'oidc') {
          const local = this.inProcess.get(p.id);
          const opts = loopback(p.issuer)
            ? { execute: [oidc.allowInsecureRequests], ...(local ? { [oidc.customFetch]: local } : {}) }
            : undefined;
          return oidc.discovery(new URL(p.issuer), p.clientId, p.clientSecret, undefined, opts);
        }
        const config = new oidc.Configuration(
          {
            issuer: `urn:dateline:oauth2:${p.id}`,
            authorization_endpoint: p.authorizeUrl,
            token_endpoint: p.tokenUrl,
          },
          p.clientId,
          p.clientSecret,
        );
        if ([p.authorizeUrl, p.tokenUrl, p.userInfoUrl].some(loopback)) oidc.allowInsecureRequests(config);
        return config;
      })();
      // A failed discovery (provider down) is retried on the next sign-in rather than remembered.
      c.catch(() => this.configs.delete(p.id));
      this.configs.set(p.id, c);
    }
    return c;
  }

  static newChecks(state: string): FlowChecks {
    return { state, nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
  }

  async authorizationUrl(id: string, redirectUri: string, checks: FlowChecks): Promise<URL> {
    const p = this.get(id);
    let config: oidc.Configuration;
    try {
      config = await this.configuration(p);
    } catch (err) {
      throw providerFailed(p, err);
    }
    const params: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: p.scopes.join(p.kind === 'oidc' ? ' ' : ','),
      state: checks.state,
      response_type: 'code',
    };
    if (p.kind === 'oidc') params.nonce = checks.nonce;
    if (p.kind === 'oidc' || p.pkce) {
      params.code_challenge = await oidc.calculatePKCECodeChallenge(checks.verifier);
      params.code_challenge_method = 'S256';
    }
    return oidc.buildAuthorizationUrl(config, params);
  }

  /** Exchanges the code from the callback URL and returns who signed in. */
  async complete(id: string, callbackUrl: URL, checks: FlowChecks): Promise<SocialProfile> {
    const p = this.get(id);
    try {
      const config = await this.configuration(p);
      if (p.kind === 'oidc') {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.verifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims()!;
        let info: Record<string, unknown> = claims;
        if (typeof claims.email !== 'string' && config.serverMetadata().userinfo_endpoint) {
          info = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
        }
        return {
          provider: p.id,
          subject: claims.sub,
          email: typeof info.email === 'string' ? info.email.toLowerCase() : null,
          emailVerified: info.email_verified === true,
          name: typeof info.name === 'string' ? info.name : null,
        };
      }
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: p.pkce ? checks.verifier : undefined,
        expectedState: checks.state,
      });
      const res = await oidc.fetchProtectedResource(
        config,
        tokens.access_token,
        new URL(p.userInfoUrl),
        'GET',
      );
      if (!res.ok) throw new Error(`user info answered ${res.status}`);
      const info = (await res.json()) as unknown;
      const subject = pick(info, p.fields.subject);
      if (typeof subject !== 'string' && typeof subject !== 'number')
        throw new Error('user info has no subject');
      const email = pick(info, p.fields.email);
      const name = pick(info, p.fields.name);
      const ev = p.fields.emailVerified;
      return {
        provider: p.id,
        subject: String(subject),
        email: typeof email === 'string' ? email.toLowerCase() : null,
        emailVerified: typeof ev === 'boolean' ? ev : pick(info, ev) === true,
        name: typeof name === 'string' ? name : null,
      };
    } catch (err) {
      throw providerFailed(p, err);
    }
  }
}
