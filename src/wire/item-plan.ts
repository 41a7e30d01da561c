// Planning an item: deciding what one wire item does to the network before anything is written. Identity
// is agency + uri; a newer version replaces the story, the same or an older one changes nothing (an unversioned
// feed item counts as newer when its content changed); a kill wins over the same version; a story that expired
// before it arrived is refused; an embargo schedules the story and an unreadable one holds it for an editor;
// routing rules choose the sites and sections. The result is a plan the story writer carries out.
import { createHash } from 'node:crypto';
import type { ErrorCode } from '../errors/catalogue.ts';
import { INGEST_CODE, iso, versionLabel } from './ingest-outcomes.ts';
import type { ItemEntry, Lead, Run } from './ingest-run.ts';
import type { ItemOutcome } from './model.ts';
import { compareVersions } from './parse/index.ts';
import type { WireItem } from './parse/types.ts';
import type { StoryHead } from './repository.ts';
import { type RoutingResult, routeItem } from './routing.ts';

export interface Plan {
  hash: string;
  lead: Lead | null;
  publishAt: Date | null;
  embargoUntil: Date | null;
  hold: { code: ErrorCode; field: string; reason: string } | null;
  expiresAt: Date | null;
  corrected: boolean;
  routing: RoutingResult;
}

/**
 * A content fingerprint, to notice a feed editing an item in place without changing any version. Only
 * unversioned items (RSS, Atom) need one; versioned items skip the cost.
 */
export function contentHash(item: WireItem): string {
  if (item.version !== null) return '';
  const { version: _v, versionCreated: _vc, ...content } = item;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

/**
 * Within one delivery, each story's versions are applied oldest first, wherever they sit in the batch: a
 * folder holding a story's whole history (v1, v2, kill) then replays it as it happened, whatever the file
 * names. Items of different stories keep their order.
 */
export function orderByVersion<T extends { item: WireItem }>(entries: T[]): T[] {
  const slots = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const list = slots.get(e.item.uri);
    if (list) list.push(i);
    else slots.set(e.item.uri, [i]);
  });
  const out = entries.slice();
  for (const indexes of slots.values()) {
    if (indexes.length < 2) continue;
    const sorted = indexes.map((i) => entries[i]!).sort((a, b) => compareVersions(a.item, b.item));
    indexes.forEach((slot, k) => {
      out[slot] = sorted[k]!;
    });
  }
  return out;
}

export function isPictureItem(item: WireItem): boolean {
  return item.pictures.length > 0 && item.pictures[0]!.uri === item.uri && item.bodyHtml.trim() === '';
}

function minDate(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

/** Null when the item is newer than what is applied; otherwise the "unchanged" outcome that says why not. */
export function versionVerdict(item: WireItem, head: StoryHead, hash: string): ItemOutcome | null {
  const at = { file: '', item: item.uri, field: null };
  const killing = item.pubstatus !== 'usable';
  if (head.state === 'killed') {
    return {
      kind: 'unchanged',
      ...at,
      code: INGEST_CODE.killed,
      // Stryker disable next-line StringLiteral: message wording, tests assert the code
      reason: `the agency killed this story (${versionLabel(head)}), so ${versionLabel(item)} is not published.`,
    };
  }
  if (head.state === 'expired' && !killing) {
    return {
      kind: 'unchanged',
      ...at,
      code: INGEST_CODE.expired,
      // Stryker disable next-line StringLiteral: message wording, tests assert the code
      reason: 'the story has expired and was taken down; later versions are not republished.',
    };
  }
  const cmp = compareVersions(item, head);
  const editedInPlace =
    cmp === 0 && item.version === null && head.version === null && hash !== head.contentHash;
  // A kill always wins over the same version: an agency may cancel without bumping the number.
  if (cmp < 0 || (cmp === 0 && !editedInPlace && !killing)) {
    return {
      kind: 'unchanged',
      ...at,
      code: null,
      reason:
        cmp < 0
          ? // Stryker disable next-line StringLiteral: message wording, tests assert the code
            `${versionLabel(item)} is older than ${versionLabel(head)}, which is already applied; nothing changed.`
          : // Stryker disable next-line StringLiteral: message wording, tests assert the code
            `${versionLabel(item)} is already applied; nothing changed.`,
    };
  }
  return null;
}

/**
 * What to do with one item, decided from the item and the story as it stands (`head`, null when the story is
 * new): report it at once (unchanged, or rejected), kill the story, or write it following the plan.
 */
export type Decision =
  | { action: 'report'; outcome: ItemOutcome }
  | { action: 'kill'; hash: string }
  | { action: 'write'; plan: Plan };

/**
 * Decides an item: identity and version against the stored story, kill, missing body, expiry, embargo and
 * routing. Reads nothing; routing rules that point at unlicensed sites are noted as run warnings.
 */
export function planItem(
  run: Run,
  entry: ItemEntry,
  head: StoryHead | null,
  lead: Lead | null,
  now: Date,
): Decision {
  const { item, source } = entry;
  const at = { file: source, item: item.uri };
  const label = `${source} ${item.uri}`;
  const hash = contentHash(item);
  if (head) {
    const unchanged = versionVerdict(item, head, hash);
    if (unchanged) {
      return {
        action: 'report',
        outcome: { ...unchanged, file: source, reason: `${label}: ${unchanged.reason}` },
      };
    }
  }
  if (item.pubstatus !== 'usable') return { action: 'kill', hash };
  if (item.bodyHtml.trim() === '') {
    return {
      action: 'report',
      outcome: {
        kind: 'rejected',
        ...at,
        field: 'body',
        code: INGEST_CODE.missing,
        // Stryker disable next-line StringLiteral: message wording, tests assert the code
        reason: `${label}: the story has no body text, so there is nothing to publish. Ask the agency to resend it with its text.`,
      },
    };
  }

  const firstSeen = head?.firstSeenAt ?? now;
  const retention = run.agency.retentionDays;
  const expiresAt = minDate(
    item.expires,
    retention ? new Date(firstSeen.getTime() + retention * 86_400_000) : null,
  );
  if (!head && expiresAt && expiresAt <= now) {
    return {
      action: 'report',
      outcome: {
        kind: 'rejected',
        ...at,
        field: 'expires',
        code: INGEST_CODE.expired,
        // Stryker disable next-line StringLiteral: message wording, tests assert the code
        reason: `${label}: the story expired at ${iso(expiresAt)}, before it arrived, so it was not published.`,
      },
    };
  }

  let publishAt: Date | null = null;
  let embargoUntil: Date | null = null;
  let hold: Plan['hold'] = null;
  if (item.embargoed && 'at' in item.embargoed) {
    embargoUntil = item.embargoed.at;
    if (embargoUntil > now) publishAt = embargoUntil;
  } else if (item.embargoed && 'unparseable' in item.embargoed) {
    hold = {
      code: INGEST_CODE.embargo,
      field: 'embargoed',
      // Stryker disable next-line StringLiteral: message wording, tests assert the code
      reason: `${label}: the embargo "${item.embargoed.unparseable.slice(0, 100)}" cannot be read as a date, so the story is held for an editor instead of being published. Check the embargo with the agency, then publish it from the review queue.`,
    };
  }

  const routing = routeItem(item, run.agency.id, run.routes, run.agency.siteIds);
  for (const r of routing.unlicensed) {
    run.warnings.push({
      file: source,
      item: item.uri,
      field: null,
      code: INGEST_CODE.licence,
      // Stryker disable next-line StringLiteral: message wording, tests assert the code
      message: `${label}: routing rule ${r.id} points at site ${run.siteSlugs.get(r.siteId) ?? r.siteId}, which is not licensed for ${run.agency.name}; the story was not sent there.`,
    });
  }
  const plan: Plan = {
    hash,
    lead,
    publishAt,
    embargoUntil,
    hold,
    expiresAt,
    corrected: (head?.corrected ?? false) || item.signals.includes('correction'),
    routing,
  };
  return { action: 'write', plan };
}
