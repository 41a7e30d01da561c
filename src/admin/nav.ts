// The admin's menu, filled by each screen as it registers: a feature adds its entries (comments, newsletters,
// events and promos add theirs the same way), and the menu shows a staff member only the entries their roles
// reach. Groups are fixed, so the menu reads the same in every newsroom.
import type { RoleGrant } from '../accounts/repository.ts';
import { type Capability, canAnywhere } from './permissions.ts';

export const NAV_GROUPS = ['Newsroom', 'Community', 'Audience', 'Network', 'You'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export interface NavEntry {
  /** Stable id: the layout marks the current screen's entry with it. */
  id: string;
  group: NavGroup;
  label: string;
  href: string;
  /** Shown to staff holding this capability on some site; every staff member sees entries without one. */
  cap?: Capability;
  /** Order within the group, lowest first. */
  order: number;
}

export class AdminNav {
  private readonly entries: NavEntry[] = [];

  add(entry: NavEntry): void {
    if (this.entries.some((e) => e.id === entry.id))
      throw new Error(`Admin menu entry ${entry.id} is added twice.`);
    this.entries.push(entry);
  }

  /** The groups and entries one staff member sees, in menu order. */
  visibleTo(grants: readonly RoleGrant[]): { group: NavGroup; entries: NavEntry[] }[] {
    return NAV_GROUPS.map((group) => ({
      group,
      entries: this.entries
        .filter((e) => e.group === group && (!e.cap || canAnywhere(grants, e.cap)))
        .sort((a, b) => a.order - b.order),
    })).filter((g) => g.entries.length > 0);
  }
}
