// What each staff role may do in the admin. Roles are granted per site or network-wide (a grant without a
// site), using the accounts feature's role table; a capability is held on a site when any grant that
// includes it covers that site. Network-level actions (a new site, network-wide roles) need a network-wide
// grant. Roles nest: each includes the one before it, except moderator, which is its own line of work.
import type { RoleGrant, RoleName } from '../accounts/repository.ts';

export const CAPABILITIES = [
  /** Read every story of the site, published ones included (read-only for contributors). */
  'story.read',
  /** Write and edit one's own drafts. */
  'story.draft',
  /** Publish, schedule, update and unpublish one's own stories. */
  'story.publish_own',
  /** Edit, publish, schedule, unpublish, take down and circulate anyone's stories. */
  'story.edit_any',
  /** Sections: add, rename, reorder, hide. */
  'section.manage',
  /** The wire review queue, problems, agencies, licences, routing and pollers. */
  'wire.review',
  /** Upload pictures and edit one's own. */
  'media.upload',
  /** Edit anyone's pictures, wire pictures included. */
  'media.edit_any',
  /** Trending pins, exclusions and which sites feed which. */
  'trending.manage',
  /** Comments and members. */
  'comments.moderate',
  /** Sites' settings and branding. */
  'site.manage',
  /** Staff: invitations, roles, disabling, sessions. */
  'staff.manage',
  /** Content API keys and webhooks. */
  'integrations.manage',
  /** Read the audit log. */
  'audit.read',
  /** Newsletters of the site: their settings, the next issue of each, test mails and sends. */
  'newsletter.manage',
  /** Newsletter subscribers (search, export, import, remove) and the suppression list. */
  'subscribers.manage',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const WRITER: Capability[] = ['story.read', 'story.draft', 'media.upload'];
const AUTHOR: Capability[] = [...WRITER, 'story.publish_own'];
const EDITOR: Capability[] = [
  ...AUTHOR,
  'story.edit_any',
  'section.manage',
  'wire.review',
  'media.edit_any',
  'trending.manage',
  'newsletter.manage',
];
const MODERATOR: Capability[] = ['story.read', 'comments.moderate'];
const ADMIN: Capability[] = [
  ...new Set<Capability>([
    ...EDITOR,
    ...MODERATOR,
    'site.manage',
    'staff.manage',
    'integrations.manage',
    'audit.read',
    'subscribers.manage',
  ]),
];

export const ROLE_CAPABILITIES: Record<RoleName, ReadonlySet<Capability>> = {
  reader: new Set(),
  contributor: new Set(WRITER),
  author: new Set(AUTHOR),
  editor: new Set(EDITOR),
  moderator: new Set(MODERATOR),
  admin: new Set(ADMIN),
  owner: new Set(ADMIN),
};

/** The roles that make an account staff (everything but reader). */
export const STAFF_ROLES: readonly RoleName[] = [
  'contributor',
  'author',
  'editor',
  'moderator',
  'admin',
  'owner',
];

/** Roles whose holders must sign in with a second factor. */
export const SECOND_FACTOR_ROLES: readonly RoleName[] = ['admin', 'owner'];

export function isStaff(grants: readonly RoleGrant[]): boolean {
  return grants.some((g) => STAFF_ROLES.includes(g.role));
}

/**
 * Whether the grants hold a capability on a site; `siteId` null asks for it network-wide, which only a grant
 * without a site gives.
 */
export function can(grants: readonly RoleGrant[], cap: Capability, siteId: number | null): boolean {
  return grants.some(
    (g) =>
      ROLE_CAPABILITIES[g.role].has(cap) && (g.siteId === null || (siteId !== null && g.siteId === siteId)),
  );
}

/**
 * The sites on which the grants hold a capability: 'all' when a network-wide grant gives it, else the ids.
 */
export function sitesWith(grants: readonly RoleGrant[], cap: Capability): 'all' | number[] {
  const ids = new Set<number>();
  for (const g of grants) {
    if (!ROLE_CAPABILITIES[g.role].has(cap)) continue;
    if (g.siteId === null) return 'all';
    ids.add(g.siteId);
  }
  return [...ids];
}

/** Holds the capability on at least one site (or network-wide): decides which screens the menu shows. */
export function canAnywhere(grants: readonly RoleGrant[], cap: Capability): boolean {
  const s = sitesWith(grants, cap);
  return s === 'all' || s.length > 0;
}
