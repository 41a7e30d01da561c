// The newsletter form as the editor typed it: read from the posted fields into strings and ticks (so a
// refused form comes back exactly as it was sent), filled from a saved newsletter for editing, and turned
// into the NewsletterInput the lists service checks. Numbers that are not numbers are passed on as NaN so
// the service's own checks name the field; nothing here decides what is valid beyond the shape.
import type { Newsletter, NewsletterInput } from '../../newsletters/lists.ts';
import type { NewsletterKind } from '../../newsletters/tables.ts';
import { formValue, formValues } from '../route-kit.tsx';

export interface NewsletterForm {
  kind: NewsletterKind;
  slug: string;
  name: string;
  description: string;
  senderName: string;
  senderEmail: string;
  replyTo: string;
  days: number[];
  time: string;
  topCount: string;
  /** Ticked section blocks, in the site's section order, each with its story count as typed. */
  sections: { sectionId: number; count: string }[];
  template: string;
  articleBox: boolean;
  trackEngagement: boolean;
  active: boolean;
}

export const DEFAULT_SECTION_COUNT = '3';

export function emptyForm(kind: NewsletterKind, siteName: string): NewsletterForm {
  return {
    kind,
    slug: '',
    name: '',
    description: '',
    senderName: siteName,
    senderEmail: '',
    replyTo: '',
    days: kind === 'digest' ? [1, 2, 3, 4, 5] : [],
    time: '07:00',
    topCount: '5',
    sections: [],
    template: 'standard',
    articleBox: false,
    // Off by default: counting opens and clicks is the list's choice, stated on the signup page.
    trackEngagement: false,
    active: true,
  };
}

export function formOf(n: Newsletter): NewsletterForm {
  return {
    kind: n.kind,
    slug: n.slug,
    name: n.name,
    description: n.description,
    senderName: n.senderName,
    senderEmail: n.senderEmail,
    replyTo: n.replyTo ?? '',
    days: n.schedule?.days ?? [],
    time: n.schedule?.time ?? '07:00',
    topCount: String(n.composition.topCount),
    sections: n.composition.sections.map((s) => ({ sectionId: s.sectionId, count: String(s.count) })),
    template: n.template,
    articleBox: n.articleBox,
    trackEngagement: n.trackEngagement,
    active: n.active,
  };
}

const ticked = (body: unknown, name: string) => formValue(body, name) === 'on';

/** The posted form; `kind` comes from the form on creation and from the list when editing. */
export function readForm(body: unknown, kind: NewsletterKind, sectionOrder: number[]): NewsletterForm {
  const chosen = new Set(formValues(body, 'section').map(Number));
  return {
    kind,
    slug: formValue(body, 'slug').trim(),
    name: formValue(body, 'name'),
    description: formValue(body, 'description'),
    senderName: formValue(body, 'senderName'),
    senderEmail: formValue(body, 'senderEmail').trim(),
    replyTo: formValue(body, 'replyTo').trim(),
    days: [...new Set(formValues(body, 'day').map(Number))]
      .filter((d) => d >= 1 && d <= 7)
      .sort((a, b) => a - b),
    time: formValue(body, 'time').trim(),
    topCount: formValue(body, 'topCount').trim(),
    sections: sectionOrder
      .filter((id) => chosen.has(id))
      .map((id) => ({ sectionId: id, count: formValue(body, `count-${id}`).trim() })),
    template: formValue(body, 'template'),
    articleBox: ticked(body, 'articleBox'),
    trackEngagement: ticked(body, 'trackEngagement'),
    active: ticked(body, 'active'),
  };
}

/** A typed number ("5"), or NaN for anything else, which the service refuses with the field named. */
function whole(raw: string): number {
  return /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
}

export function inputOf(f: NewsletterForm): NewsletterInput {
  return {
    kind: f.kind,
    slug: f.slug,
    name: f.name,
    description: f.description,
    senderName: f.senderName,
    senderEmail: f.senderEmail,
    replyTo: f.replyTo === '' ? null : f.replyTo,
    schedule: f.kind === 'digest' ? { days: f.days, time: f.time } : null,
    composition:
      f.kind === 'digest'
        ? {
            topCount: whole(f.topCount),
            sections: f.sections.map((s) => ({ sectionId: s.sectionId, count: whole(s.count) })),
          }
        : undefined,
    template: f.template,
    articleBox: f.articleBox,
    trackEngagement: f.trackEngagement,
    active: f.active,
  };
}

/** What the audit log keeps of a list's settings, before and after a change. */
export function auditSnapshot(n: Newsletter): Record<string, unknown> {
  return {
    slug: n.slug,
    name: n.name,
    description: n.description,
    senderName: n.senderName,
    senderEmail: n.senderEmail,
    replyTo: n.replyTo,
    schedule: n.schedule,
    composition: n.composition,
    template: n.template,
    articleBox: n.articleBox,
    trackEngagement: n.trackEngagement,
    active: n.active,
  };
}
