// The Front page screen's unsaved arrangement. An editor's moves (make lead, add, up, down, remove) change
// nothing on the server: each is a link to the same screen with the changed arrangement in its address
// (`lead`, `top`, and `base`, the version of the saved front page the editing started from), so the screen
// works without JavaScript, a half-arranged page survives a search, and only Save writes. Save sends the
// same fields in a form; a `base` that is no longer the saved version means someone else saved meanwhile.
import { DatelineError } from '../../errors/catalogue.ts';
import type { FrontPageArrangement } from '../../front-page/reader.ts';

/** More ids than any front page holds: an address listing more is refused as malformed. */
const MAX_IDS = 40;

export interface Draft extends FrontPageArrangement {
  /** The saved version this draft started from (FrontPageService's `versionOf`). */
  base: string;
}

function parseId(raw: string, field: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(raw))
    throw new DatelineError(
      'BAD_REQUEST',
      'The front page’s address was cut or changed (a story number is not valid). Open Front page again from the menu.',
      { field },
    );
  return Number(raw);
}

/**
 * The draft in a query or form's `lead`, `top` and `base` fields; null when there is none (no `base`), so
 * the screen shows the saved front page. Malformed values are refused with BAD_REQUEST.
 */
export function readDraft(get: (name: string) => string): Draft | null {
  const base = get('base');
  if (base === '') return null;
  if (!/^[0-9]{1,16}$/.test(base)) parseId('x', 'base');
  const lead = get('lead');
  const top = get('top');
  const topIds = top === '' ? [] : top.split(',').map((t) => parseId(t, 'top'));
  if (topIds.length > MAX_IDS) parseId('x', 'top');
  return { base, leadArticleId: lead === '' ? null : parseId(lead, 'lead'), topArticleIds: topIds };
}

/** The query string of a draft (with an optional search kept), for the moves' links. */
export function draftQuery(d: Draft, q = ''): string {
  const params = new URLSearchParams({
    lead: d.leadArticleId === null ? '' : String(d.leadArticleId),
    top: d.topArticleIds.join(','),
    base: d.base,
  });
  if (q) params.set('q', q);
  return params.toString();
}

export type Move = 'lead' | 'add' | 'up' | 'down' | 'remove';

/** The draft after one move of one story. Making a story the lead sends the old lead to the head of the list. */
export function moved(d: Draft, move: Move, id: number): Draft {
  const top = d.topArticleIds.filter((x) => x !== id);
  const lead = d.leadArticleId === id ? null : d.leadArticleId;
  switch (move) {
    case 'lead':
      return { ...d, leadArticleId: id, topArticleIds: lead === null ? top : [lead, ...top] };
    // The lead moved down heads the list; any other story joins at its end.
    case 'add':
      return {
        ...d,
        leadArticleId: lead,
        topArticleIds: d.leadArticleId === id ? [id, ...top] : [...top, id],
      };
    case 'remove':
      return { ...d, leadArticleId: lead, topArticleIds: top };
    case 'up':
    case 'down': {
      const i = d.topArticleIds.indexOf(id);
      const j = move === 'up' ? i - 1 : i + 1;
      if (i < 0 || j < 0 || j >= d.topArticleIds.length) return d;
      const next = [...d.topArticleIds];
      [next[i], next[j]] = [next[j]!, next[i]!];
      return { ...d, topArticleIds: next };
    }
  }
}
