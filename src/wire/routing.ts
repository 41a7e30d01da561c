// Decides where an incoming story goes: which sites and sections, published at once or sent to the review
// queue. Rules are tried in order; for each site the first rule that matches wins, so one story can go to
// several licensed sites. A rule pointing at a site the agency is not licensed for never applies: content is
// never shown on a site that is not licensed for it.
import type { Route } from './model.ts';
import type { WireItem } from './parse/types.ts';

export interface RouteTarget {
  routeId: number;
  siteId: number;
  sectionId: number;
  action: Route['action'];
}

export interface RoutingResult {
  targets: RouteTarget[];
  /** Rules that matched but point at a site the agency may not use. */
  unlicensed: Route[];
}

// Codes and keywords compare case-insensitively; toLowerCase is far cheaper than localeCompare per item.
function eqi(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** Whether every criterion the rule sets holds for the item; a rule with none matches everything. */
export function ruleMatches(rule: Route, agencyId: number, item: WireItem): boolean {
  if (rule.agencyId !== null && rule.agencyId !== agencyId) return false;
  if (rule.subjectCode !== null) {
    const code = rule.subjectCode;
    if (!item.subjects.some((s) => eqi(s.code, code))) return false;
  }
  if (rule.sluglinePrefix !== null) {
    const prefix = rule.sluglinePrefix.toUpperCase();
    if (!item.slugline?.toUpperCase().startsWith(prefix)) return false;
  }
  if (rule.keyword !== null) {
    const kw = rule.keyword;
    if (!item.keywords.some((k) => eqi(k, kw))) return false;
  }
  if (rule.maxUrgency !== null && (item.urgency === null || item.urgency > rule.maxUrgency)) return false;
  return true;
}

export function routeItem(
  item: WireItem,
  agencyId: number,
  rules: Route[],
  licensedSiteIds: readonly number[],
): RoutingResult {
  const licensed = new Set(licensedSiteIds);
  const seen = new Set<number>();
  const targets: RouteTarget[] = [];
  const unlicensed: Route[] = [];
  for (const rule of rules) {
    if (seen.has(rule.siteId) || !ruleMatches(rule, agencyId, item)) continue;
    if (!licensed.has(rule.siteId)) {
      unlicensed.push(rule);
      continue;
    }
    seen.add(rule.siteId);
    targets.push({ routeId: rule.id, siteId: rule.siteId, sectionId: rule.sectionId, action: rule.action });
  }
  return { targets, unlicensed };
}
