// The shape of a sign-in provider's settings (DATELINE_AUTH_PROVIDERS) and its validation. Two kinds:
// generic OpenID Connect, found from its issuer URL; and plain OAuth2 (Facebook-style) described by its
// endpoints, scopes and a mapping from its user-info fields to ours.

export interface OidcProviderConfig {
  kind: 'oidc';
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface OAuth2ProviderConfig {
  kind: 'oauth2';
  id: string;
  name: string;
  authorizeUrl: string;
  tokenUrl: string;
  userInfoUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Dotted paths into the user-info JSON. `emailVerified` true means the provider only returns verified emails. */
  fields: { subject: string; email: string; name: string; emailVerified: string | boolean };
  /** Send a PKCE challenge (on unless the provider rejects it). */
  pkce: boolean;
}

export type AuthProviderConfig = OidcProviderConfig | OAuth2ProviderConfig;

type Bad = (setting: string, value: unknown, allowed: string) => never;

const ID = /^[a-z0-9][a-z0-9-]{0,30}$/;

function httpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Accepts a JSON string (from the environment) or an array (from the config file). */
export function parseAuthProviders(setting: string, raw: unknown, bad: Bad): AuthProviderConfig[] {
  if (raw === undefined) return [];
  let list: unknown = raw;
  if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw);
    } catch {
      return bad(setting, raw, 'a JSON array of provider objects (see README, "Accounts")');
    }
  }
  if (!Array.isArray(list))
    return bad(setting, raw, 'a JSON array of provider objects (see README, "Accounts")');
  const seen = new Set<string>();
  return list.map((p: Record<string, unknown>, i) => {
    const where = `${setting}[${i}]`;
    if (!p || typeof p !== 'object') return bad(where, p, 'an object');
    const id = p.id;
    if (typeof id !== 'string' || !ID.test(id))
      return bad(`${where}.id`, id, 'lowercase letters, digits and hyphens');
    if (seen.has(id)) return bad(`${where}.id`, id, 'an id used by no other provider');
    seen.add(id);
    const name = typeof p.name === 'string' && p.name.trim() ? p.name.trim() : id;
    for (const k of ['clientId', 'clientSecret']) {
      if (typeof p[k] !== 'string' || p[k] === '') return bad(`${where}.${k}`, p[k], 'a non-empty string');
    }
    const scopes = p.scopes === undefined ? null : p.scopes;
    if (scopes !== null && (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string'))) {
      return bad(`${where}.scopes`, scopes, 'an array of strings');
    }
    if (p.kind === 'oidc') {
      if (!httpUrl(p.issuer))
        return bad(`${where}.issuer`, p.issuer, 'the issuer URL, e.g. https://accounts.google.com');
      return {
        kind: 'oidc',
        id,
        name,
        issuer: p.issuer,
        clientId: p.clientId as string,
        clientSecret: p.clientSecret as string,
        scopes: (scopes as string[] | null) ?? ['openid', 'email', 'profile'],
      };
    }
    if (p.kind === 'oauth2') {
      for (const k of ['authorizeUrl', 'tokenUrl', 'userInfoUrl']) {
        if (!httpUrl(p[k])) return bad(`${where}.${k}`, p[k], 'an http(s) URL');
      }
      const f = (p.fields ?? {}) as Record<string, unknown>;
      const field = (k: string, dflt: string) => {
        const v = f[k] ?? dflt;
        if (typeof v !== 'string' || v === '')
          return bad(`${where}.fields.${k}`, v, 'a dotted path such as "id"');
        return v;
      };
      const ev = f.emailVerified ?? false;
      if (typeof ev !== 'boolean' && typeof ev !== 'string') {
        return bad(`${where}.fields.emailVerified`, ev, 'true, false, or the dotted path of a boolean field');
      }
      return {
        kind: 'oauth2',
        id,
        name,
        authorizeUrl: p.authorizeUrl as string,
        tokenUrl: p.tokenUrl as string,
        userInfoUrl: p.userInfoUrl as string,
        clientId: p.clientId as string,
        clientSecret: p.clientSecret as string,
        scopes: (scopes as string[] | null) ?? [],
        fields: {
          subject: field('subject', 'id'),
          email: field('email', 'email'),
          name: field('name', 'name'),
          emailVerified: ev,
        },
        pkce: p.pkce === undefined ? true : p.pkce === true,
      };
    }
    return bad(`${where}.kind`, p.kind, '"oidc" or "oauth2"');
  });
}
