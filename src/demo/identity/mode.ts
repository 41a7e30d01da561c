// When the demo identity provider runs. "Demo mode" is the demo network served in development: the
// DATELINE_DEMO switch is on (its default), NODE_ENV is not production, and the database holds at least one
// of the demo's sites at its demo host (news.localhost, life.localhost, travel.localhost), as `dateline demo`
// or the first start on an empty database creates them. Nothing is stored for it: a real network (other
// slugs or hosts, or NODE_ENV=production, or DATELINE_DEMO=false) never gets a provider that signs anyone in
// as any address.
import type { Config } from '../../config/config.ts';
import type { SiteDirectory } from '../../sites/directory.ts';

/** The provider's own host, beside the sites and the admin (browsers send *.localhost to this machine). */
export const DEMO_ID_HOST = 'id.localhost';
/** The provider's id in DATELINE_AUTH_PROVIDERS terms, as in /account/oauth/demo-id/start. */
export const DEMO_PROVIDER_ID = 'demo-id';
/** What readers see on the button ("Continue with Demo ID") and in My account's linked logins. */
export const DEMO_PROVIDER_NAME = 'Demo ID';
/** The slugs of the sites `buildDemoNetwork` creates (a test keeps the two lists equal). */
export const DEMO_SITE_SLUGS: readonly string[] = ['news', 'life', 'travel'];

export function demoIdentityEnabled(
  config: Pick<Config, 'demoOnEmpty' | 'nodeEnv' | 'adminHost'>,
  directory: Pick<SiteDirectory, 'all'>,
): boolean {
  if (!config.demoOnEmpty || config.nodeEnv === 'production' || config.adminHost === DEMO_ID_HOST)
    return false;
  return directory
    .all()
    .some((c) => DEMO_SITE_SLUGS.includes(c.site.slug) && c.site.hosts.includes(`${c.site.slug}.localhost`));
}

/** The sites the provider may send readers back to: those at *.localhost hosts. */
export function demoSiteHosts(directory: Pick<SiteDirectory, 'all'>): string[] {
  return directory
    .all()
    .flatMap((c) => c.site.hosts)
    .filter((h) => h.endsWith('.localhost') && h !== DEMO_ID_HOST);
}
