// Turns a site's copy (story kinds written as templates in sites/*.ts) into finished demo articles:
// spreads them over sections and a month of publication times, keeps headlines and slugs unique, and
// dresses agency stories with dateline, copyright and agency-style picture captions.

import { type NameRegion, personName } from './people.ts';
import { type LeadArt, leadPicture, type PaletteName, type Scene } from './pictures.ts';
import type { Rng } from './prng.ts';
import { SlugRegistry } from './slug.ts';
import { type Block, capitalize, type Facts, fill, renderBody, typeset } from './template.ts';
import type { DemoArticle, DemoPicture, DemoSection, DemoSite } from './types.ts';

export type ListItems = (facts: Facts, rng: Rng) => readonly string[];

export interface StoryKind {
  /** Unique within a site; part of the key that stops the same story appearing twice. */
  id: string;
  /** Kinds sharing a group share identities, e.g. a profit upgrade and a downgrade for the same company. */
  group?: string;
  section: string;
  /** Draws the facts of one story. A `region` fact (a NameRegion) picks the names of agency photographers. */
  facts(rng: Rng): Record<string, string>;
  /** The facts that make two stories the same story, e.g. city + topic (but not the quoted person). */
  identity: readonly string[];
  headline: readonly string[];
  dek: readonly string[];
  /** Opening paragraph. */
  lede: readonly string[];
  /** Middle paragraphs in reading order; an in-order subset is used so longer and shorter stories both flow. */
  body: readonly string[];
  closing: readonly string[];
  /** Optional pull quote, shown after the second paragraph. */
  quote?: readonly string[];
  /**
   * Optional bulleted list (ingredients, tips…) under a subheading, shown after the third paragraph. Items are
   * templates; a function rather than a list so the count can match a number in the headline.
   */
  list?: { heading: string; items: ListItems };
  /** What the caption says the picture shows, without full stop, date or credit. */
  photo: readonly string[];
  art: { scenes: readonly Scene[]; palettes: readonly PaletteName[]; word: string | null };
  /** On sites with a wire desk: how often this kind arrives as an agency story, and its dateline. */
  wire?: { chance: number; dateline: string; handout?: string };
  /** Overrides the site's staff writers, e.g. columnists; null means no byline (editorials). */
  bylines?: readonly (string | null)[];
}

/** List items for StoryKind.list: between `min` and `max` of `templates`, in their written order. */
export function someOf(templates: readonly string[], min: number, max = min): ListItems {
  return (_facts, rng) => rng.sampleInOrder(templates, rng.int(min, max));
}

export interface Agency {
  name: string;
}

export interface SiteSection extends DemoSection {
  /** Relative share of the site's articles; default 1. */
  weight?: number;
  /** Generic paragraphs any story in the section can borrow when its own run out. No facts besides site ones. */
  filler: readonly string[];
}

export interface SiteSpec {
  slug: DemoSite['slug'];
  name: string;
  tagline: string;
  language: string;
  timeZone: string;
  /** Standard (non-DST) offset of timeZone, used for dates written into captions and the footer. */
  utcOffsetMinutes: number;
  primaryColor: string;
  accentColor: string;
  publisher: string;
  sections: readonly SiteSection[];
  kinds: readonly StoryKind[];
  writers: readonly string[];
  agencies?: readonly Agency[];
}

const MINUTES_PER_DAY = 24 * 60;
const SPREAD_MINUTES = 30 * MINUTES_PER_DAY;
/** Every seventh article may go without a picture, which keeps at least ~86% illustrated. */
const PICTURELESS_EVERY = 7;
const ATTENTION = 'ATTENTION EDITORS - THIS IMAGE WAS PROVIDED BY A THIRD PARTY';
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Calendar date at the site's standard UTC offset, in agency caption style ("May 14, 2025"). Deliberately not
 * Intl: formatting dozens of dates through ICU costs more than the rest of the build, and its output varies
 * between ICU versions. Ignoring daylight saving can only shift a date that falls within an hour of midnight.
 */
function calendarDate(at: Date, utcOffsetMinutes: number): { text: string; year: number } {
  const local = new Date(at.getTime() + utcOffsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  return { text: `${MONTHS[local.getUTCMonth()]} ${local.getUTCDate()}, ${year}`, year };
}

/** How many of `total` articles each section gets: proportional to weight, largest remainders first. */
function sectionQuota(sections: readonly SiteSection[], total: number): string[] {
  const weightSum = sections.reduce((sum, s) => sum + (s.weight ?? 1), 0);
  const shares = sections.map((s) => (total * (s.weight ?? 1)) / weightSum);
  const counts = shares.map(Math.floor);
  const order = shares
    .map((share, i) => ({ i, rest: share - Math.floor(share) }))
    .sort((a, b) => b.rest - a.rest);
  const missing = total - counts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) {
    const at = order[k % order.length]?.i ?? 0;
    counts[at] = (counts[at] ?? 0) + 1;
  }
  return sections.flatMap((s, i) => Array<string>(counts[i] ?? 0).fill(s.slug));
}

interface Draft {
  kind: StoryKind;
  facts: Facts;
  headline: string;
}

/** Picks a story for a section, avoiding stories (and headlines) the site already ran. */
function draftStory(
  kinds: readonly StoryKind[],
  siteFacts: Facts,
  usedStories: Set<string>,
  usedHeadlines: Set<string>,
  rng: Rng,
): Draft {
  let draft: Draft | undefined;
  // Plenty of combinations exist for the default size; for very large sites we eventually accept a repeat
  // (its slug still gets a numeric suffix) rather than loop forever.
  for (let attempt = 0; attempt < 60; attempt++) {
    const kind = rng.pick(kinds);
    const facts: Facts = { ...siteFacts, ...kind.facts(rng) };
    const headline = capitalize(typeset(fill(rng.pick(kind.headline), facts, rng)));
    draft = { kind, facts, headline };
    const story = `${kind.group ?? kind.id}:${kind.identity.map((name) => facts[name] ?? '').join('|')}`;
    if (!usedStories.has(story) && !usedHeadlines.has(headline)) {
      usedStories.add(story);
      usedHeadlines.add(headline);
      return draft;
    }
  }
  if (!draft) throw new Error('No story kinds for section');
  usedHeadlines.add(draft.headline);
  return draft;
}

function composeBody(kind: StoryKind, filler: readonly string[], facts: Facts, rng: Rng): string {
  const text = (template: string): string => capitalize(typeset(fill(template, facts, rng)));
  const paragraphs = rng.int(4, 8);
  const middleWanted = paragraphs - 2;
  const middle = rng.sampleInOrder(kind.body, Math.min(middleWanted, kind.body.length));
  middle.push(...rng.sampleInOrder(filler, Math.max(0, middleWanted - middle.length)));
  const texts = [rng.pick(kind.lede), ...middle, rng.pick(kind.closing)].map(text);

  const blocks: Block[] = texts.map((t) => ({ kind: 'p', text: t }));
  if (kind.list && blocks.length >= 3) {
    const items = kind.list.items(facts, rng).map(text);
    blocks.splice(3, 0, { kind: 'h2', text: text(kind.list.heading) }, { kind: 'ul', items });
  }
  if (kind.quote && rng.chance(0.5))
    blocks.splice(2, 0, { kind: 'blockquote', text: text(rng.pick(kind.quote)) });
  return renderBody(blocks);
}

interface Dressing {
  byline: string | null;
  dateline: string | null;
  sourceCopyright: string | null;
  caption: string;
  credit: string;
}

function agencyDressing(
  kind: StoryKind,
  wire: NonNullable<StoryKind['wire']>,
  agency: Agency,
  facts: Facts,
  photoAt: Date,
  utcOffsetMinutes: number,
  rng: Rng,
): Dressing {
  const region = (facts.region ?? 'en') as NameRegion;
  const date = calendarDate(photoAt, utcOffsetMinutes);
  const scene = typeset(fill(rng.pick(kind.photo), facts, rng));
  const via = `via ${agency.name.toUpperCase()} ${ATTENTION}`;
  const roll = rng.next();
  let attribution: string;
  let credit: string;
  if (wire.handout && roll < 0.2) {
    const source = fill(wire.handout, facts, rng);
    attribution = `${source}/Handout ${via}. NO RESALES. NO ARCHIVES`;
    credit = `Image: ${source}/Handout via ${agency.name}`;
  } else if (roll < 0.6) {
    attribution = `${agency.name}/Pool Photographer ${via}`;
    credit = `Image: ${agency.name}/Pool Photographer`;
  } else {
    const photographer = personName(rng, region);
    attribution = `${agency.name}/${photographer}`;
    credit = `Image: ${agency.name}/${photographer}`;
  }
  return {
    byline: rng.chance(0.4) ? `${agency.name} staff` : personName(rng, rng.chance(0.5) ? region : 'en'),
    dateline: fill(wire.dateline, facts, rng).toUpperCase(),
    sourceCopyright: `\u00a9 ${agency.name} ${date.year}`,
    caption: `${capitalize(scene)}, ${date.text}. ${attribution}`,
    credit,
  };
}

export function buildSite(spec: SiteSpec, count: number, now: Date, rng: Rng): DemoSite {
  const siteFacts: Facts = { siteName: spec.name };
  const slugs = new SlugRegistry();
  const usedStories = new Set<string>();
  const usedHeadlines = new Set<string>();
  const order = rng.shuffle(sectionQuota(spec.sections, count));
  const step = SPREAD_MINUTES / Math.max(1, count);

  const articles = order.map((sectionSlug, index): DemoArticle => {
    // One stream per article: changing one story's copy does not reshuffle all the others.
    const r = rng.fork(`article:${index}`);
    const section = spec.sections.find((s) => s.slug === sectionSlug);
    const kinds = spec.kinds.filter((k) => k.section === sectionSlug);
    if (!section || kinds.length === 0)
      throw new Error(`Demo site ${spec.slug} has no stories for ${sectionSlug}`);

    const { kind, facts, headline } = draftStory(kinds, siteFacts, usedStories, usedHeadlines, r);
    const slug = slugs.claim(headline);
    // Jitter stays under half a step, so index order is publication order (newest first).
    const publishedMinutesAgo = Math.max(3, Math.round((index + 0.5 + r.float(-0.45, 0.45)) * step));
    const updatedMinutesAgo =
      publishedMinutesAgo > 30 && r.chance(0.25)
        ? publishedMinutesAgo - r.int(15, Math.min(12 * 60, publishedMinutesAgo - 1))
        : null;

    const agency =
      kind.wire && spec.agencies && spec.agencies.length > 0 && r.chance(kind.wire.chance)
        ? r.pick(spec.agencies)
        : null;
    const photoAt = new Date(now.getTime() - (publishedMinutesAgo + r.int(20, 8 * 60)) * 60_000);
    const dressing: Dressing =
      agency && kind.wire
        ? agencyDressing(kind, kind.wire, agency, facts, photoAt, spec.utcOffsetMinutes, r)
        : {
            byline: kind.bylines ? r.pick(kind.bylines) : r.pick(spec.writers),
            dateline: null,
            sourceCopyright: null,
            caption: `${capitalize(typeset(fill(r.pick(kind.photo), facts, r)))}.`,
            credit: `Illustration: ${spec.name}`,
          };

    // Agency stories always carry their picture: the caption and credit are part of what makes them agency copy.
    const illustrated = agency !== null || index % PICTURELESS_EVERY !== 3 || r.chance(0.4);
    const art: LeadArt = {
      scene: r.pick(kind.art.scenes),
      palette: r.pick(kind.art.palettes),
      word: kind.art.word === null ? null : fill(kind.art.word, facts, r),
      seed: r.int(0, 0x7fffffff),
    };
    const picture: DemoPicture | null = illustrated
      ? leadPicture({
          key: `${spec.slug}/lead/${slug}`,
          caption: dressing.caption,
          credit: dressing.credit,
          art,
        })
      : null;

    return {
      section: sectionSlug,
      slug,
      headline,
      dek: capitalize(typeset(fill(r.pick(kind.dek), facts, r))),
      byline: dressing.byline,
      dateline: dressing.dateline,
      bodyHtml: composeBody(kind, section.filler, facts, r),
      sourceCopyright: dressing.sourceCopyright,
      picture,
      publishedMinutesAgo,
      updatedMinutesAgo,
    };
  });

  const year = calendarDate(now, spec.utcOffsetMinutes).year;
  return {
    slug: spec.slug,
    name: spec.name,
    tagline: spec.tagline,
    language: spec.language,
    timeZone: spec.timeZone,
    primaryColor: spec.primaryColor,
    accentColor: spec.accentColor,
    footerText: `\u00a9${year} ${spec.publisher}`,
    sections: spec.sections.map(({ slug, name, description }) => ({ slug, name, description })),
    articles,
  };
}
